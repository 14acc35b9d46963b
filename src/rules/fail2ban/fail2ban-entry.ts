// The fail2ban entry kind (`fail2ban: /etc/fail2ban/filter.d/sshd.conf`): the filter read from this system and run as
// it is, with its jail's settings as the threshold.
import { fail2banRule } from '../../config/rule-schema.js';
import { defineRuleEntryKind, keepOfferable } from '../entry-kind.js';
import { compileFail2banRule, fail2banRuleId } from './fail2ban-rule.js';

export const fail2banEntryKind = defineRuleEntryKind({
  schema: fail2banRule,
  owns: (entry) => 'fail2ban' in entry,
  compile(entry, context) {
    const { path, problems } = context;
    const before = problems.length;
    context.claimId(fail2banRuleId(entry), `${path}.id`, 'Give this fail2ban entry an id:.');
    const rule = compileFail2banRule(entry, path, problems, context.readText);
    if (!rule || problems.length > before) return;
    keepOfferable(rule, context);
    context.add(rule);
  },
});
