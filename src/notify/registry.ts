// The kinds of notifier, the only list of them, in the order they are made (a mail links to the Slack message made
// before it; stdout speaks when no chat platform does): a new kind is a folder and a line here.
import { emailNotifierKind } from './email/kind.js';
import type { NotifierKind } from './notifier.js';
import { slackNotifierKind } from './slack/kind.js';
import { stdoutNotifierKind } from './stdout/kind.js';

export const NOTIFIER_KINDS: readonly NotifierKind[] = [slackNotifierKind, emailNotifierKind, stdoutNotifierKind];
