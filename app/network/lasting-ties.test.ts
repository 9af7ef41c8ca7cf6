import { describe, expect, it } from "vitest";
import { LASTING_DAYS, lastingTies, type PairHistory } from "./lasting-ties";

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
