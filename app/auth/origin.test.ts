import { describe, expect, it } from "vitest";
import { originRefusal } from "./origin";

const base = { host: "jams.example.com", secFetchSite: undefined, origin: undefined };
const strict = { allowWithoutOrigin: false };

describe("originRefusal", () => {
  it("lets safe methods through whatever their origin", () => {
    expect(originRefusal({ ...base, method: "GET", secFetchSite: "cross-site" }, strict)).toBeNull();
    expect(originRefusal({ ...base, method: "HEAD", origin: "https://evil.test" }, strict)).toBeNull();
    expect(originRefusal({ ...base, method: "GET" }, strict)).toBeNull();
  });

  it("trusts Sec-Fetch-Site first", () => {
    expect(originRefusal({ ...base, method: "POST", secFetchSite: "same-origin" }, strict)).toBeNull();
    expect(originRefusal({ ...base, method: "POST", secFetchSite: "none" }, strict)).toBeNull();
    expect(originRefusal({ ...base, method: "POST", secFetchSite: "same-site" }, strict)).toBe("cross-site");
    expect(originRefusal({ ...base, method: "POST", secFetchSite: "cross-site" }, strict)).toBe("cross-site");
    expect(
      originRefusal({ ...base, method: "POST", secFetchSite: "cross-site", origin: "https://jams.example.com" }, strict),
    ).toBe("cross-site");
  });

  it("falls back to Origin against Host", () => {
    expect(originRefusal({ ...base, method: "POST", origin: "https://jams.example.com" }, strict)).toBeNull();
    expect(originRefusal({ ...base, method: "DELETE", origin: "https://evil.test" }, strict)).toBe("cross-site");
    expect(originRefusal({ ...base, method: "POST", origin: "null" }, strict)).toBe("cross-site");
    expect(originRefusal({ ...base, method: "POST", origin: "not a url" }, strict)).toBe("cross-site");
  });

  it("refuses a state change with neither header, unless the setting lets old clients through", () => {
    expect(originRefusal({ ...base, method: "POST" }, strict)).toBe("no-origin");
    expect(originRefusal({ ...base, method: "POST" }, { allowWithoutOrigin: true })).toBeNull();
    // The setting never lets a request that says it is cross-site through.
    expect(originRefusal({ ...base, method: "POST", origin: "https://evil.test" }, { allowWithoutOrigin: true })).toBe("cross-site");
  });

  it("lets only the one-click unsubscribe post through without an origin (mail clients send none)", () => {
    expect(originRefusal({ ...base, method: "POST", path: "/mail/unsubscribe" }, strict)).toBeNull();
    expect(originRefusal({ ...base, method: "POST", path: "/mail/unsubscribe", secFetchSite: "cross-site" }, strict)).toBeNull();
    expect(originRefusal({ ...base, method: "POST", path: "/mail/unsubscribe.data" }, strict)).toBe("no-origin");
    expect(originRefusal({ ...base, method: "POST", path: "/mail/unsubscribe/" }, strict)).toBe("no-origin");
    expect(originRefusal({ ...base, method: "DELETE", path: "/mail/unsubscribe" }, strict)).toBe("no-origin");
    expect(originRefusal({ ...base, method: "POST", path: "/notifications/settings" }, strict)).toBe("no-origin");
  });
});
