/**
 * Which cross-department ties a jam formed and which of them lasted (pure; the SQL that gathers
 * each pair's first and last interaction is app/services/lookups/learning.server.ts).
 *
 * - A tie is two people of different departments who interacted (a comment, a reply, support)
 *   in the jam. It was **formed** by the jam when the two had never interacted before the jam
 *   started.
 * - It was **kept up** when they interacted again after the jam ended (anywhere).
 * - It **lasted 90 days** when they still interacted 90 days or more after the jam ended. Until
 *   that day has come the figure is not known yet (null), never a premature zero.
 */

export const LASTING_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PairHistory {
  /** The two people, and their departments (null when a person has none). */
  a: number;
  b: number;
  departmentA: number | null;
  departmentB: number | null;
  /** Their first and last interaction anywhere (epoch ms). */
  firstAt: number;
  lastAt: number;
}

export interface DepartmentPairTies {
  departments: [number, number];
  formed: number;
  keptUp: number;
}

export interface LastingTies {
  /** Cross-department pairs that interacted in the jam (new or not). */
  crossDepartment: number;
  formed: number;
  keptUp: number;
  /** Null until LASTING_DAYS have passed since the jam ended. */
  lasted: number | null;
  /** When the 90-day figure is (or was) known. */
  lastingKnownAt: number;
  /** Formed ties per pair of departments, most first (ties broken by the departments' ids). */
  byDepartments: DepartmentPairTies[];
}

export function lastingTies(pairs: readonly PairHistory[], jam: { startsAt: number; endsAt: number }, now: number): LastingTies {
  const lastingKnownAt = jam.endsAt + LASTING_DAYS * DAY_MS;
  const known = now >= lastingKnownAt;
  let crossDepartment = 0;
  let formed = 0;
  let keptUp = 0;
  let lasted = 0;
  const byDepartments = new Map<string, DepartmentPairTies>();
  for (const pair of pairs) {
    if (pair.a === pair.b || pair.departmentA === null || pair.departmentB === null || pair.departmentA === pair.departmentB) continue;
    crossDepartment++;
    if (pair.firstAt < jam.startsAt) continue;
    formed++;
    const kept = pair.lastAt > jam.endsAt;
    if (kept) keptUp++;
    if (known && pair.lastAt >= lastingKnownAt) lasted++;
    const departments: [number, number] = pair.departmentA < pair.departmentB ? [pair.departmentA, pair.departmentB] : [pair.departmentB, pair.departmentA];
    const key = departments.join(":");
    const entry = byDepartments.get(key) ?? { departments, formed: 0, keptUp: 0 };
    entry.formed++;
    if (kept) entry.keptUp++;
    byDepartments.set(key, entry);
  }
  return {
    crossDepartment,
    formed,
    keptUp,
    lasted: known ? lasted : null,
    lastingKnownAt,
    byDepartments: [...byDepartments.values()].sort(
      (x, y) => y.formed - x.formed || x.departments[0] - y.departments[0] || x.departments[1] - y.departments[1],
    ),
  };
}

/** How long after a first interaction a personal tie counts as kept up: they interacted again at least this late. */
export const KEPT_UP_DAYS = 30;
export const YEAR_DAYS = 365;

export interface PersonalYear {
  /** The window: the last YEAR_DAYS up to now. */
  from: number;
  to: number;
  /** People of other departments the person first interacted with in the window. */
  formed: number;
  /** Of those, the ones they interacted with again KEPT_UP_DAYS or more after the first time. */
  keptUp: number;
  /** New ties per other department, most first (ties broken by the department's id). */
  byDepartment: { department: number; formed: number }[];
  /** Other departments the person has never interacted with (of those given), by id. */
  notYetMet: number[];
}

/**
 * A person's year across departments: the ties to other departments they formed in the last year
 * and kept up. `pairs` are the person's own pairs (a or b is `person.id`); `departments` are the
 * company's departments that have people.
 */
export function personalYear(
  pairs: readonly PairHistory[],
  person: { id: number; departmentId: number | null },
  departments: readonly number[],
  now: number,
): PersonalYear {
  const from = now - YEAR_DAYS * DAY_MS;
  const met = new Set<number>();
  const byDepartment = new Map<number, number>();
  let formed = 0;
  let keptUp = 0;
  for (const pair of pairs) {
    if (pair.a === pair.b || (pair.a !== person.id && pair.b !== person.id)) continue;
    const other = pair.a === person.id ? pair.departmentB : pair.departmentA;
    if (other === null || other === person.departmentId) continue;
    met.add(other);
    if (pair.firstAt < from || pair.firstAt > now) continue;
    formed++;
    if (pair.lastAt - pair.firstAt >= KEPT_UP_DAYS * DAY_MS) keptUp++;
    byDepartment.set(other, (byDepartment.get(other) ?? 0) + 1);
  }
  return {
    from,
    to: now,
    formed,
    keptUp,
    byDepartment: [...byDepartment].map(([department, n]) => ({ department, formed: n })).sort((x, y) => y.formed - x.formed || x.department - y.department),
    notYetMet: departments.filter((d) => d !== person.departmentId && !met.has(d)).sort((x, y) => x - y),
  };
}

/** The median of some numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
