import { describe, expect, it } from "vitest";
import {
  fallbackName,
  identityKey,
  isLocalHttpIssuer,
  isSignOnRefusal,
  parseAllowedTenants,
  profileFromClaims,
  tenantAllowed,
  type Claims,
} from "./sign-on";

const ENTRA = "https://login.microsoftonline.com/0b6f1c3e-7d0a-4b7e-9a55-2f1f0c1d2e3f/v2.0";
const TID = "0b6f1c3e-7d0a-4b7e-9a55-2f1f0c1d2e3f";
const OID = "5c2a7e1d-3b4f-4a6c-8d9e-0f1a2b3c4d5e";

const claims = (extra: Record<string, unknown> = {}): Claims => ({ iss: "https://idp.example.com", sub: "abc123", ...extra });

describe("identityKey", () => {
  it("is the issuer and sub for a generic provider", () => {
    expect(identityKey(claims())).toEqual({ issuer: "https://idp.example.com", subject: "abc123" });
  });

  it("is the tenant and object id on Entra ID, whatever the app-specific sub", () => {
    const one = identityKey({ iss: ENTRA, sub: "pairwise-for-app-one", tid: TID, oid: OID });
    const other = identityKey({ iss: ENTRA, sub: "pairwise-for-app-two", tid: TID.toUpperCase(), oid: OID });
    expect(one).toEqual({ issuer: ENTRA, subject: `${TID}:${OID}` });
    expect(other).toEqual(one);
  });

  it("falls back to sub when only one of tid and oid is there", () => {
    expect(identityKey(claims({ tid: TID })).subject).toBe("abc123");
    expect(identityKey(claims({ oid: OID })).subject).toBe("abc123");
    expect(identityKey(claims({ tid: "", oid: OID })).subject).toBe("abc123");
  });

  it("never uses the e-mail: two accounts with one e-mail are two keys", () => {
    const a = identityKey(claims({ sub: "a", email: "same@example.com" }));
    const b = identityKey(claims({ sub: "b", email: "same@example.com" }));
    expect(a).not.toEqual(b);
  });

  it("keeps the same subject apart under different issuers", () => {
    expect(identityKey(claims({ iss: "https://other.example.com" }))).not.toEqual(identityKey(claims()));
  });
});

describe("tenants", () => {
  it("parses a comma-separated list, ignoring spaces, case and blanks", () => {
    expect(parseAllowedTenants(undefined)).toBeNull();
    expect(parseAllowedTenants(" , ")).toBeNull();
    expect(parseAllowedTenants(` ${TID.toUpperCase()} ,, other-tenant,${TID}`)).toEqual([TID, "other-tenant"]);
  });

  it("allows any organisation when no list is set", () => {
    expect(tenantAllowed(claims(), null)).toBe(true);
  });

  it("allows a listed tenant and refuses another, and refuses an answer without a tenant", () => {
    const allowed = parseAllowedTenants(TID);
    expect(tenantAllowed(claims({ tid: TID.toUpperCase() }), allowed)).toBe(true);
    expect(tenantAllowed(claims({ tid: "9999" }), allowed)).toBe(false);
    expect(tenantAllowed(claims(), allowed)).toBe(false);
    expect(tenantAllowed(claims({ tid: ["x", TID] }), allowed)).toBe(false);
  });
});

describe("profileFromClaims", () => {
  it("takes name, e-mail and the department claim", () => {
    expect(profileFromClaims({ name: " Maya  Lind ", email: "Maya.Lind@Example.COM", department: "Customer Success" })).toEqual({
      name: "Maya Lind",
      email: "maya.lind@example.com",
      department: "Customer Success",
    });
  });

  it("builds the name from given and family names when there is no name", () => {
    expect(profileFromClaims({ given_name: "Ola", family_name: "Nordmann" }).name).toBe("Ola Nordmann");
    expect(profileFromClaims({ given_name: "Ola" }).name).toBe("Ola");
    expect(profileFromClaims({}).name).toBeNull();
  });

  it("reads the department from the claim it is told to, a string or the first string of a list", () => {
    expect(profileFromClaims({ dept: "Finance", department: "Wrong" }, "dept").department).toBe("Finance");
    expect(profileFromClaims({ groups: [42, "Legal", "Ops"] }, "groups").department).toBe("Legal");
    expect(profileFromClaims({ department: 12 }).department).toBeNull();
    expect(profileFromClaims({ department: "   " }).department).toBeNull();
  });

  it("falls back to an e-mail-shaped preferred_username (Entra accounts without a mailbox)", () => {
    expect(profileFromClaims({ preferred_username: "Kai@Contoso.onmicrosoft.com" }).email).toBe("kai@contoso.onmicrosoft.com");
    expect(profileFromClaims({ preferred_username: "kai" }).email).toBeNull();
    expect(profileFromClaims({ email: "not an address", preferred_username: "kai@contoso.com" }).email).toBe("kai@contoso.com");
  });

  it("refuses text that hides what it says, and cuts long values", () => {
    const profile = profileFromClaims({ name: "Eve\u202Eevil", department: "Ops\u0000", email: "a\u0000@b.co" });
    expect(profile).toEqual({ name: null, email: null, department: null });
    const long = profileFromClaims({ name: "N".repeat(500), department: "D".repeat(500) });
    expect(long.name).toHaveLength(80);
    expect(long.department).toHaveLength(80);
  });

  it("names a person without a name after their e-mail", () => {
    expect(fallbackName("kai.berg@example.com")).toBe("kai.berg");
  });
});

describe("small rules", () => {
  it("allows plain http only for a provider on this machine", () => {
    expect(isLocalHttpIssuer(new URL("http://localhost:4000"))).toBe(true);
    expect(isLocalHttpIssuer(new URL("http://127.0.0.1:4000/oidc"))).toBe(true);
    expect(isLocalHttpIssuer(new URL("http://[::1]:4000"))).toBe(true);
    expect(isLocalHttpIssuer(new URL("http://idp.example.com"))).toBe(false);
    expect(isLocalHttpIssuer(new URL("http://localhost.example.com"))).toBe(false);
    expect(isLocalHttpIssuer(new URL("https://localhost"))).toBe(false);
  });

  it("knows its own refusal codes only", () => {
    expect(isSignOnRefusal("state_mismatch")).toBe(true);
    expect(isSignOnRefusal("toString")).toBe(false);
    expect(isSignOnRefusal("<script>")).toBe(false);
  });
});
