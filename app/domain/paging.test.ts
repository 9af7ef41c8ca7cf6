import { describe, expect, it } from "vitest";
import { pageWindow } from "./paging";

describe("pageWindow", () => {
  it("an empty list is one empty page", () => {
    expect(pageWindow(0, "3", 20)).toEqual({ page: 1, pages: 1, offset: 0, from: 0, to: 0, total: 0 });
  });
  it("45 rows by 20: pages 1 to 3, the last one partial", () => {
    expect(pageWindow(45, undefined, 20)).toMatchObject({ page: 1, pages: 3, offset: 0, from: 1, to: 20 });
    expect(pageWindow(45, "2", 20)).toMatchObject({ page: 2, offset: 20, from: 21, to: 40 });
    expect(pageWindow(45, 3, 20)).toMatchObject({ page: 3, offset: 40, from: 41, to: 45 });
  });
  it.each([["0"], ["-1"], ["1.5"], ["abc"], [null], [""]])("a page of %j reads the first page", (asked) => {
    expect(pageWindow(45, asked, 20).page).toBe(1);
  });
  it("a page past the end reads the last page", () => {
    expect(pageWindow(45, "99", 20)).toMatchObject({ page: 3, from: 41, to: 45 });
  });
  it("exactly one full page has no second page", () => {
    expect(pageWindow(20, "2", 20)).toMatchObject({ page: 1, pages: 1, from: 1, to: 20 });
  });
});
