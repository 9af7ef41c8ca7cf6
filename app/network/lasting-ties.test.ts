import { describe, expect, it } from "vitest";
import { KEPT_UP_DAYS, LASTING_DAYS, YEAR_DAYS, lastingTies, median, personalYear, type PairHistory } from "./lasting-ties";

const DAY = 24 * 60 * 60 * 1000;
const jam = { startsAt: 100 * DAY, endsAt: 103 * DAY };
const pair = (over: Partial<PairHistory>): PairHistory => ({
  a: 1,
  b: 2,
  departmentA: 10,
  departmentB: 20,
  firstAt: jam.startsAt + DAY,
  lastAt: jam.startsAt + DAY,
  ...over,
});

describe("lastingTies", () => {
  it("counts a tie as formed only when the two never interacted before the jam started", () => {
    const result = lastingTies([pair({}), pair({ a: 3, b: 4, firstAt: jam.startsAt - 1 })], jam, jam.endsAt);
    expect(result.crossDepartment).toBe(2);
    expect(result.formed).toBe(1);
  });

  it("leaves out people of the same department and people with no department", () => {
    const result = lastingTies(
      [pair({ departmentB: 10 }), pair({ a: 5, b: 6, departmentA: null }), pair({ a: 7, b: 7 })],
      jam,
      jam.endsAt,
    );
    expect(result).toMatchObject({ crossDepartment: 0, formed: 0, keptUp: 0 });
    expect(result.byDepartments).toEqual([]);
  });

  it("kept up means an interaction after the jam ended; lasted means one 90 days or more after it", () => {
    const pairs = [
      pair({ a: 1, b: 2, lastAt: jam.endsAt }), // the last moment of the jam: not after it
      pair({ a: 1, b: 3, lastAt: jam.endsAt + 1 }),
      pair({ a: 1, b: 4, lastAt: jam.endsAt + LASTING_DAYS * DAY - 1 }),
      pair({ a: 1, b: 5, lastAt: jam.endsAt + LASTING_DAYS * DAY }),
    ];
    const later = lastingTies(pairs, jam, jam.endsAt + 200 * DAY);
    expect(later).toMatchObject({ formed: 4, keptUp: 3, lasted: 1 });
  });

  it("does not say how many lasted before 90 days have passed since the end", () => {
    const pairs = [pair({ lastAt: jam.endsAt + 10 * DAY })];
    const early = lastingTies(pairs, jam, jam.endsAt + 10 * DAY);
    expect(early.lasted).toBeNull();
    expect(early.keptUp).toBe(1);
    expect(early.lastingKnownAt).toBe(jam.endsAt + LASTING_DAYS * DAY);
    expect(lastingTies(pairs, jam, early.lastingKnownAt).lasted).toBe(0);
  });

  it("groups formed ties by pair of departments, whichever way round, most first", () => {
    const result = lastingTies(
      [
        pair({ a: 1, b: 2, departmentA: 10, departmentB: 20 }),
        pair({ a: 3, b: 4, departmentA: 20, departmentB: 10, lastAt: jam.endsAt + DAY }),
        pair({ a: 5, b: 6, departmentA: 30, departmentB: 10 }),
      ],
      jam,
      jam.endsAt + DAY,
    );
    expect(result.byDepartments).toEqual([
      { departments: [10, 20], formed: 2, keptUp: 1 },
      { departments: [10, 30], formed: 1, keptUp: 0 },
    ]);
  });
});

describe("personalYear", () => {
  const now = 1000 * DAY;
  const me = { id: 1, departmentId: 10 };
  const mine = (over: Partial<PairHistory>): PairHistory => ({ a: 1, b: 2, departmentA: 10, departmentB: 20, firstAt: now - 10 * DAY, lastAt: now - 10 * DAY, ...over });

  it("counts the people of other departments first met in the last year, per department", () => {
    const year = personalYear(
      [
        mine({ b: 2, departmentB: 20 }),
        mine({ b: 3, departmentB: 20 }),
        mine({ b: 4, departmentB: 30 }),
        mine({ b: 5, departmentB: 10 }), // my own department
        mine({ b: 6, departmentB: 40, firstAt: now - 400 * DAY }), // met before the year
        mine({ a: 7, b: 8, departmentA: 30, departmentB: 50 }), // not mine
      ],
      me,
      [10, 20, 30, 40, 50, 60],
      now,
    );
    expect(year).toMatchObject({ formed: 3, from: now - YEAR_DAYS * DAY, to: now });
    expect(year.byDepartment).toEqual([
      { department: 20, formed: 2 },
      { department: 30, formed: 1 },
    ]);
    // 40 was met before the year; 50 only by others; 60 never.
    expect(year.notYetMet).toEqual([50, 60]);
  });

  it("keeps up a tie only when the two interacted again a month or more after they met", () => {
    const year = personalYear(
      [mine({ b: 2, lastAt: now - 10 * DAY + KEPT_UP_DAYS * DAY - 1 }), mine({ b: 3, firstAt: now - 100 * DAY, lastAt: now - 100 * DAY + KEPT_UP_DAYS * DAY })],
      me,
      [10, 20],
      now,
    );
    expect(year).toMatchObject({ formed: 2, keptUp: 1 });
  });

  it("reads the pair from either side, and a person with no department meets every department", () => {
    const year = personalYear([mine({ a: 9, b: 1, departmentA: 20, departmentB: null })], { id: 1, departmentId: null }, [20, 30], now);
    expect(year.formed).toBe(1);
    expect(year.notYetMet).toEqual([30]);
  });
});

describe("median", () => {
  it("takes the middle value, the mean of the middle two for an even count, and null for none", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
