import { SkaldError } from '@skald/contracts';
import { STAFF_ROLES, type StaffRole } from '@skald/service-kit';

/**
 * Parses a comma-separated role list (`reviewer,ops`).
 * @throws SkaldError(INVALID_ROLES) naming the unknown roles, or when the list is empty.
 */
export function parseStaffRoles(list: string): StaffRole[] {
  const roles = [...new Set(list.split(',').map((role) => role.trim()).filter((role) => role.length > 0))];
  const unknown = roles.filter((role) => !(STAFF_ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) {
    throw new SkaldError('INVALID_ROLES', `unknown role(s): ${unknown.join(', ')}; roles are ${STAFF_ROLES.join(', ')}`, {
      retryable: false,
    });
  }
  if (roles.length === 0) {
    throw new SkaldError('INVALID_ROLES', `at least one role is needed; roles are ${STAFF_ROLES.join(', ')}`, { retryable: false });
  }
  return roles as StaffRole[];
}
