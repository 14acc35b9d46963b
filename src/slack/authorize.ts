// Who may press which button: roles from the config name Slack users and user groups. Pure: group membership is
// looked up at the edge and passed in.
import type { Config } from '../config/schema.js';

export type Roles = Config['roles'];

/** The roles (of those allowed) that the user holds, directly or through one of their groups. */
export function rolesGranting(
  user: string,
  userGroups: readonly string[],
  roles: Roles,
  allowed: readonly string[],
): string[] {
  return allowed.filter((name) => {
    const role = roles[name];
    return role !== undefined && (role.users.includes(user) || role.groups.some((g) => userGroups.includes(g)));
  });
}

/** Every user-group id the roles mention, to look up members of. */
export function groupsNamedBy(roles: Roles): string[] {
  return [...new Set(Object.values(roles).flatMap((r) => r.groups))];
}
