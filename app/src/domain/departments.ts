/**
 * Which department a HubSpot team belongs to (docs/product.md §8): the admin's explicit
 * team-id map first, then the team's name. Names are tested Inside Sales → Marketing
 * → Sales, first match wins, because "インサイドセールス部" also contains "セールス".
 */
import { DEPARTMENTS, type PortalSettings } from '@tossup/shared/settings-schema';
import type { Department, Owner, OwnerTeam, PortalDirectory } from './types';
import { firstMatchingWord } from './text-match';

export function departmentOfTeam(team: Pick<OwnerTeam, 'id' | 'name'>, departments: PortalSettings['departments']): Department | null {
  const mapped = departments.teamMap[team.id];
  if (mapped) return mapped === 'none' ? null : mapped;
  for (const dept of DEPARTMENTS) {
    if (firstMatchingWord(team.name, departments.namePatterns[dept]) !== undefined) return dept;
  }
  return null;
}

/** Every department the owner works in, through any of their teams. */
export function departmentsOfOwner(owner: Owner, departments: PortalSettings['departments']): Set<Department> {
  const out = new Set<Department>();
  for (const team of owner.teams) {
    const d = departmentOfTeam(team, departments);
    if (d) out.add(d);
  }
  return out;
}

/** Active (not archived) owner with this id, or undefined. Archived owners never receive work. */
export function activeOwner(directory: PortalDirectory, ownerId: string | null | undefined): Owner | undefined {
  if (!ownerId) return undefined;
  return directory.owners.find((o) => o.id === ownerId && !o.archived);
}

export function isActiveIn(directory: PortalDirectory, ownerId: string | null | undefined, dept: Department, departments: PortalSettings['departments']): boolean {
  const owner = activeOwner(directory, ownerId);
  return owner !== undefined && departmentsOfOwner(owner, departments).has(dept);
}

/** Active owners of a department, ordered by owner id (numeric ids compare as numbers). */
export function activeOwnersIn(directory: PortalDirectory, dept: Department, departments: PortalSettings['departments']): Owner[] {
  return directory.owners
    .filter((o) => !o.archived && departmentsOfOwner(o, departments).has(dept))
    .sort((a, b) => compareOwnerIds(a.id, b.id));
}

export function compareOwnerIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The portal's teams with the department the engine assigns them (for the settings page). */
export function teamDepartments(directory: PortalDirectory, departments: PortalSettings['departments']): { id: string; name: string; department: Department | null }[] {
  const teams = new Map<string, OwnerTeam>();
  for (const o of directory.owners) for (const t of o.teams) teams.set(t.id, t);
  return [...teams.values()]
    .sort((a, b) => compareOwnerIds(a.id, b.id))
    .map((t) => ({ id: t.id, name: t.name, department: departmentOfTeam(t, departments) }));
}
