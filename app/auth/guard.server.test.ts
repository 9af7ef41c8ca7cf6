import { describe, expect, it } from "vitest";
import { safeRedirect } from "./guard.server";

describe("safeRedirect", () => {
  it("keeps a path on this site as it is", () => {
    for (const path of ["/jams", "/jams/customer-first-2026/ideas/12?tab=comments#c-4", "/people/search?q=caf%C3%A9", "/"]) {
      expect(safeRedirect(path)).toBe(path);
    }
  });

  it("refuses every way off the site, and anything a browser or a header would change, with the fallback", () => {
    const attacks = [
      "https://evil.example/phish",
      "//evil.example/phish",
      "/\\evil.example/phish",
      "/\t/evil.example/phish", // a browser strips the tab: "//evil.example"
      "/\n/evil.example",
      "/\r\nSet-Cookie: x=1",
      "/caf\u00e9", // not Latin-1-safe in a Location header
      "/\u2028",
      "/%2F%2Fevil.example", // fine as a path, and it parses back to itself: allowed below
      "javascript:alert(1)",
      "",
      "jams",
      `/${"a".repeat(2_100)}`,
    ];
    const results = attacks.map((to) => [to, safeRedirect(to, "/home")]);
    for (const [to, result] of results) {
      if (to === "/%2F%2Fevil.example") expect(result).toBe(to); // an encoded path stays a path here
      else expect(result, JSON.stringify(to)).toBe("/home");
    }
    expect(safeRedirect(null)).toBe("/jams");
  });
});
