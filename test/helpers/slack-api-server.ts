// The product's Slack sandbox, with the first message's ts pinned so tests can name it.
import { type SlackSandbox, startSlackSandbox } from '../../src/sandbox/slack-sandbox.js';

export type SlackApiServer = SlackSandbox;
export type { ScriptedResponse, SlackCall } from '../../src/sandbox/slack-sandbox.js';

export const FIRST_TS = '1795000000.000001';

export const startSlackApi = (): Promise<SlackApiServer> => startSlackSandbox({ firstTs: 1_795_000_000_000 });
