import type { Caller, StaffRole } from '@skald/service-kit';

/** Who may use an operation: platform keys, and/or staff keys with one of the roles. */
export interface AccessRule {
  platforms: boolean;
  roles: StaffRole[];
}

/** `admin` may do everything staff may, but nothing that only platforms may. */
export function allows(rule: AccessRule, caller: Caller): boolean {
  if (caller.kind === 'platform') return rule.platforms;
  if (rule.roles.length === 0) return false;
  return caller.roles.includes('admin') || caller.roles.some((role) => rule.roles.includes(role));
}

/** For the API documentation: who may call. */
export function describeRule(rule: AccessRule): string {
  const who: string[] = [];
  if (rule.platforms) who.push('platform keys');
  if (rule.roles.length > 0) who.push(`staff keys with role ${[...new Set([...rule.roles, 'admin'])].join(', ')}`);
  return who.join('; ');
}
