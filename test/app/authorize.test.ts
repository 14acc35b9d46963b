import { describe, expect, it } from 'vitest';
import { createAuthorizer, rolesGranting } from '../../src/app/authorize.js';
import type { Actor } from '../../src/core/commands.js';
import type { AuditEntry } from '../../src/core/types.js';
import { silentLogger } from '../helpers/fixtures.js';

const roles = {
  responders: { users: ['U0OLD'], groups: [], slack: { users: ['U0NEW'], groups: ['S0TEAM'] } },
  leads: { users: [], groups: ['S0LEADS'] },
  'web-team': { users: ['U0WEB'], groups: [], sources: ['web'] },
};

function actor(id: string, groups: readonly string[] | Error = [], platform = 'slack') {
  const asked: (readonly string[])[] = [];
  const a: Actor = {
    platform,
    id,
    async memberOf(wanted) {
      asked.push(wanted);
      if (groups instanceof Error) throw groups;
      return wanted.filter((g) => groups.includes(g));
    },
  };
  return { actor: a, asked };
}

describe('authorisation', () => {
  it('reads a role’s Slack ids from its slack: lists and from its own users and groups', () => {
    expect(rolesGranting('slack', 'U0NEW', [], roles, ['responders', 'leads'])).toEqual(['responders']);
    expect(rolesGranting('slack', 'U0OLD', [], roles, ['responders'])).toEqual(['responders']);
    expect(rolesGranting('slack', 'U0X', ['S0TEAM', 'S0LEADS'], roles, ['responders', 'leads'])).toEqual([
      'responders',
      'leads',
    ]);
    // Another platform's user with the same id holds nothing: ids are per platform.
    expect(rolesGranting('matrix', 'U0NEW', ['S0TEAM'], roles, ['responders'])).toEqual([]);
  });

  it('grants by id without a group lookup, looks up only the allowed roles’ groups, and audits a refusal', async () => {
    const audit: Omit<AuditEntry, 'at'>[] = [];
    const authorizer = createAuthorizer({
      roles,
      audit: async (e) => {
        audit.push(e);
      },
      logger: silentLogger,
    });
    const direct = actor('U0NEW');
    expect(await authorizer.authorize(direct.actor, ['responders'], { action: 'incident:acknowledge' })).toEqual({
      granted: ['responders'],
    });
    expect(direct.asked).toEqual([]);
    const member = actor('U0Y', ['S0LEADS']);
    expect(await authorizer.authorize(member.actor, ['leads'], { action: 'incident:resolve' })).toEqual({
      granted: ['leads'],
    });
    expect(member.asked).toEqual([['S0LEADS']]);
    const stranger = actor('U0Z');
    expect(
      await authorizer.authorize(stranger.actor, ['leads'], { action: 'incident:resolve', incidentId: 7 }),
    ).toEqual({ outcome: 'refused', reason: 'not-allowed', allowed: ['leads'] });
    expect(audit).toEqual([
      { actor: 'U0Z', action: 'incident:resolve', incidentId: 7, data: { refused: true, allowed: ['leads'] } },
    ]);
  });

  it('refuses, and says so, when the platform cannot tell the groups', async () => {
    const audit: Omit<AuditEntry, 'at'>[] = [];
    const authorizer = createAuthorizer({
      roles,
      audit: async (e) => {
        audit.push(e);
      },
      logger: silentLogger,
    });
    const { actor: a } = actor('U0Y', new Error('ratelimited'));
    expect(await authorizer.authorize(a, ['leads'], { action: 'logs:query' })).toEqual({
      outcome: 'refused',
      reason: 'lookup-failed',
    });
    expect(await authorizer.holds(a, ['leads'])).toBe(false);
    expect(audit).toEqual([
      {
        actor: 'U0Y',
        action: 'logs:query',
        data: { refused: true, allowed: ['leads'], reason: 'group lookup failed', error: 'ratelimited' },
      },
    ]);
  });
});
