import { afterEach, describe, expect, it } from "vitest";
import { isDirectorySyncRequest, tokenMatches } from "./scim.server";

const TOKEN = "a-long-enough-directory-sync-token-0123456789";
afterEach(() => {
  delete process.env.SCIM_TOKEN;
});

describe("the origin check's exception for directory sync", () => {
  it("lets through /scim/v2 with the right bearer token only", () => {
    process.env.SCIM_TOKEN = TOKEN;
    expect(isDirectorySyncRequest("/scim/v2/Users/7", `Bearer ${TOKEN}`)).toBe(true);
    expect(isDirectorySyncRequest("/scim/v2", `bearer ${TOKEN}`)).toBe(true);
    expect(isDirectorySyncRequest("/scim/v2/Users", `Bearer ${TOKEN}x`)).toBe(false);
    expect(isDirectorySyncRequest("/scim/v2/Users", `Bearer ${TOKEN.slice(0, -1)}`)).toBe(false);
    expect(isDirectorySyncRequest("/scim/v2/Users", undefined)).toBe(false);
    expect(isDirectorySyncRequest("/scim/v2/Users", TOKEN)).toBe(false);
    // The token opens nothing else.
    expect(isDirectorySyncRequest("/admin/people", `Bearer ${TOKEN}`)).toBe(false);
    expect(isDirectorySyncRequest("/scim/v20/Users", `Bearer ${TOKEN}`)).toBe(false);
  });

  it("lets nothing through while SCIM_TOKEN is unset or too short", () => {
    expect(isDirectorySyncRequest("/scim/v2/Users", "Bearer ")).toBe(false);
    expect(tokenMatches("Bearer undefined")).toBe(false);
    process.env.SCIM_TOKEN = "short";
    expect(tokenMatches("Bearer short")).toBe(false);
  });
});
