// Who is signed in and what they may see: the rules every route asks before it reads or writes.
import type { OrganisationType } from '../../organisations/organisation.table.js';
import type { Role } from './user.table.js';

export interface Grant {
  role: Role;
  organisationId: number;
  organisationCode: string;
  organisationType: OrganisationType;
  organisationName: string;
}

export interface Principal {
  userId: number;
  email: string;
  displayName: string;
  grants: Grant[];
}

/**
 * May this user see a group's private pages? Yes if they hold any role in the group itself, or an
 * oversight role for England or for an organisation the group is part of (its ICB or region).
 */
export function canReadGroup(
  principal: Principal | undefined,
  groupId: number,
  ancestorIds: readonly number[],
): boolean {
  if (!principal) return false;
  return principal.grants.some(
    (g) =>
      g.organisationId === groupId ||
      (g.role === 'oversight' &&
        (g.organisationType === 'nation' || ancestorIds.includes(g.organisationId))),
  );
}

/** Organisations whose audit log this user administers; undefined means all (national admin). */
export function adminScope(principal: Principal | undefined): number[] | undefined | null {
  if (!principal) return null;
  const admin = principal.grants.filter((g) => g.role === 'admin');
  if (admin.length === 0) return null;
  if (admin.some((g) => g.organisationType === 'nation')) return undefined;
  return admin.map((g) => g.organisationId);
}

/** Groups the user belongs to directly, for navigation. */
export const homeGroups = (principal: Principal | undefined) =>
  (principal?.grants ?? []).filter((g) => g.organisationType === 'group');
