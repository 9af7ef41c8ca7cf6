import { describe, expect, it } from "vitest";
import { formatNumber } from "./numbers";

describe("formatNumber", () => {
  it("writes what toLocaleString('en') writes", () => {
    for (const n of [0, 1, 12, 999, 1_000, 12_345, 1_234_567, -4_200, 0.5, 1234.5678]) expect(formatNumber(n)).toBe(n.toLocaleString("en"));
  });
});
