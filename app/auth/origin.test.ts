import { describe, expect, it } from "vitest";
import { isCrossSiteStateChange } from "./origin";

const base = { host: "jams.example.com", secFetchSite: undefined, origin: undefined };

describe("isCrossSiteStateChange", () => {
  it("lets safe methods through whatever their origin", () => {
    expect(isCrossSiteStateChange({ ...base, method: "GET", secFetchSite: "cross-site" })).toBe(false);
    expect(isCrossSiteStateChange({ ...base, method: "HEAD", origin: "https://evil.test" })).toBe(false);
  });

  it("trusts Sec-Fetch-Site first", () => {
    expect(isCrossSiteStateChange({ ...base, method: "POST", secFetchSite: "same-origin" })).toBe(false);
    expect(isCrossSiteStateChange({ ...base, method: "POST", secFetchSite: "none" })).toBe(false);
    expect(isCrossSiteStateChange({ ...base, method: "POST", secFetchSite: "same-site" })).toBe(true);
    expect(isCrossSiteStateChange({ ...base, method: "POST", secFetchSite: "cross-site" })).toBe(true);
    expect(
      isCrossSiteStateChange({ ...base, method: "POST", secFetchSite: "cross-site", origin: "https://jams.example.com" }),
    ).toBe(true);
  });

  it("falls back to Origin against Host", () => {
    expect(isCrossSiteStateChange({ ...base, method: "POST", origin: "https://jams.example.com" })).toBe(false);
    expect(isCrossSiteStateChange({ ...base, method: "DELETE", origin: "https://evil.test" })).toBe(true);
    expect(isCrossSiteStateChange({ ...base, method: "POST", origin: "null" })).toBe(true);
    expect(isCrossSiteStateChange({ ...base, method: "POST", origin: "not a url" })).toBe(true);
  });

  it("lets non-browser requests without either header through", () => {
    expect(isCrossSiteStateChange({ ...base, method: "POST" })).toBe(false);
  });
});
