// Who may do what, in one place for every chat platform: roles name each platform's user and group ids; an Actor is
// granted the roles (of those allowed) that name them, directly or through a group, and a refusal is audited here.
// Groups are asked of the platform only when no role names the user, and only those of the allowed roles; a lookup
// that fails refuses (authorisation fails closed).
import type { Config } from '../config/schema.js';
import type { Actor, Refusal } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import type { AuditEntry } from '../core/types.js';

export type Roles = Config['roles'];

/** The user and group ids a role names on a platform (Slack's also under the role's own users and groups). */
export function idsOf(role: Roles[string], platform: string): { users: readonly string[]; groups: readonly string[] } {
  if (platform !== 'slack') return { users: [], groups: [] };
  return {
    users: [...role.users, ...(role.slack?.users ?? [])],
    groups: [...role.groups, ...(role.slack?.groups ?? [])],
  };
}

/** The roles (of those allowed) that name the user, directly or through one of the groups they are in. */
export function rolesGranting(
  platform: string,
  user: string,
  userGroups: readonly string[],
  roles: Roles,
  allowed: readonly string[],
): string[] {
  return allowed.filter((name) => {
    const role = roles[name];
    if (!role) return false;
    const ids = idsOf(role, platform);
    return ids.users.includes(user) || ids.groups.some((g) => userGroups.includes(g));
  });
}

/** What was refused, for the audit row. */
export interface Refused {
  action: string;
  incidentId?: number;
  data?: Record<string, unknown>;
}

export interface Authorizer {
  /** The roles (of those allowed) the actor holds; a Refusal, audited, when none. */
  authorize(actor: Actor, allowed: readonly string[], refused: Refused): Promise<{ granted: string[] } | Refusal>;
  /** Whether the actor holds one of the roles, asking nothing of the audit log. */
  holds(actor: Actor, allowed: readonly string[]): Promise<boolean>;
}

export function createAuthorizer(deps: {
  roles: Roles;
  audit(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  logger: Logger;
}): Authorizer {
  const { roles } = deps;
  const check = async (
    actor: Actor,
    allowed: readonly string[],
  ): Promise<{ granted: string[] } | { failed: string }> => {
    const direct = rolesGranting(actor.platform, actor.id, [], roles, allowed);
    if (direct.length > 0) return { granted: direct };
    const groups = [
      ...new Set(allowed.flatMap((name) => (roles[name] ? idsOf(roles[name], actor.platform).groups : []))),
    ];
    if (groups.length === 0) return { granted: [] };
    try {
      const memberOf = await actor.memberOf(groups);
      return { granted: rolesGranting(actor.platform, actor.id, memberOf, roles, allowed) };
    } catch (error) {
      const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
      deps.logger.warn({ platform: actor.platform, err: reason }, 'a user-group lookup failed: the request is refused');
      return { failed: String(reason).slice(0, 200) };
    }
  };
  return {
    async authorize(actor, allowed, refused) {
      const result = await check(actor, allowed);
      if ('granted' in result && result.granted.length > 0) return result;
      const failed = 'failed' in result ? result.failed : undefined;
      await deps.audit({
        actor: actor.id,
        action: refused.action,
        ...(refused.incidentId === undefined ? {} : { incidentId: refused.incidentId }),
        data: {
          ...refused.data,
          refused: true,
          allowed,
          ...(failed ? { reason: 'group lookup failed', error: failed } : {}),
        },
      });
      return failed
        ? { outcome: 'refused', reason: 'lookup-failed' }
        : { outcome: 'refused', reason: 'not-allowed', allowed };
    },
    async holds(actor, allowed) {
      const result = await check(actor, allowed);
      return 'granted' in result && result.granted.length > 0;
    },
  };
}
