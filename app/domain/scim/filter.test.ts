import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { ENTERPRISE_USER, matchesObject, parseFilter, parsePatchPath } from "./filter";

const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
};

describe("SCIM filters", () => {
  it("reads the lookups Entra ID and Okta make", () => {
    expect(parseFilter('userName eq "Ann@Example.com"')).toEqual({ kind: "compare", path: { attr: "username" }, op: "eq", value: "Ann@Example.com" });
    expect(parseFilter('externalId eq "0a21f0f2-8d2a"')).toMatchObject({ path: { attr: "externalid" }, op: "eq" });
    expect(parseFilter('emails[type eq "work"].value eq "a@x.test"')).toEqual({
      kind: "valuePath",
      path: { attr: "emails" },
      filter: {
        kind: "and",
        left: { kind: "compare", path: { attr: "type" }, op: "eq", value: "work" },
        right: { kind: "compare", path: { attr: "value" }, op: "eq", value: "a@x.test" },
      },
    });
    expect(parseFilter('emails.value eq "a@x.test"')).toMatchObject({ path: { attr: "emails", sub: "value" } });
    expect(parseFilter('displayName eq "Sales"')).toMatchObject({ path: { attr: "displayname" } });
    expect(parseFilter('id eq "7" and members[value eq "12"]')).toEqual({
      kind: "and",
      left: { kind: "compare", path: { attr: "id" }, op: "eq", value: "7" },
      right: { kind: "valuePath", path: { attr: "members" }, filter: { kind: "compare", path: { attr: "value" }, op: "eq", value: "12" } },
    });
  });

  it("binds and tighter than or, honours parentheses and not, and reads operators in any case", () => {
    expect(parseFilter('a eq "1" OR b eq "2" And c pr')).toMatchObject({ kind: "or", right: { kind: "and" } });
    expect(parseFilter('(a eq "1" or b eq "2") and c pr')).toMatchObject({ kind: "and", left: { kind: "or" } });
    expect(parseFilter('not (active eq true)')).toEqual({ kind: "not", filter: { kind: "compare", path: { attr: "active" }, op: "eq", value: true } });
    expect(parseFilter("meta.lastModified GT \"2024-01-01T00:00:00Z\"")).toMatchObject({ op: "gt", path: { attr: "meta", sub: "lastmodified" } });
  });

  it("reads a schema URN in front of an attribute", () => {
    expect(parseFilter(`${ENTERPRISE_USER}:department eq "Sales"`)).toMatchObject({ path: { schema: ENTERPRISE_USER, attr: "department" } });
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a@x.test"')).toMatchObject({ path: { attr: "username" } });
  });

  it("refuses what is not a filter with invalidFilter", () => {
    for (const bad of ['userName = "a"', 'userName eq', 'userName eq "a" extra', 'userName eq "open', '(userName eq "a"', 'userName eq bare', "", 'a eq "1" and', "userName eq 'single'"]) {
      const error = refusal(() => parseFilter(bad));
      expect(error, bad).toBeInstanceOf(ScimError);
      expect((error as ScimError).scimType, bad).toBe("invalidFilter");
      expect((error as ScimError).status).toBe(400);
    }
  });

  it("refuses a filter too long, too deep or with too many terms, without recursing into it", () => {
    expect((refusal(() => parseFilter(`a eq "${"x".repeat(1_000)}"`)) as ScimError).scimType).toBe("invalidFilter");
    expect((refusal(() => parseFilter(`${"(".repeat(200)}a pr${")".repeat(200)}`)) as ScimError).detail).toMatch(/nests more than/);
    expect((refusal(() => parseFilter(Array.from({ length: 60 }, () => "a pr").join(" or "))) as ScimError).detail).toMatch(/more than 50/);
  });

  it("never throws anything but a SCIM error, whatever the text", () => {
    const unit = fc.constantFrom("a", " ", "eq", "(", ")", "[", "]", '"', "\\", "and", "or", "not", "pr", ".", ":", "1", "true");
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (parts) => {
        try {
          parseFilter(parts.join(" "));
        } catch (error) {
          expect(error).toBeInstanceOf(ScimError);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("SCIM PATCH paths", () => {
  it("reads plain, filtered and extension paths", () => {
    expect(parsePatchPath("name.givenName")).toEqual({ path: { attr: "name", sub: "givenname" } });
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      path: { attr: "emails" },
      filter: { kind: "compare", path: { attr: "type" }, op: "eq", value: "work" },
      sub: "value",
    });
    expect(parsePatchPath('members[value eq "2819c223"]')).toMatchObject({ path: { attr: "members" }, filter: { value: "2819c223" } });
    expect(parsePatchPath(`${ENTERPRISE_USER}:department`)).toEqual({ path: { schema: ENTERPRISE_USER, attr: "department" } });
    expect(parsePatchPath(ENTERPRISE_USER)).toEqual({ path: { schema: ENTERPRISE_USER, attr: "" } });
  });

  it("refuses what is not a path with invalidPath", () => {
    for (const bad of ["a b", "members[value eq", 'members[value eq "1"]x', "a.b.c", "1abc"]) {
      expect((refusal(() => parsePatchPath(bad)) as ScimError).scimType, bad).toBe("invalidPath");
    }
  });

  it("matches members by a filter", () => {
    const { filter } = parsePatchPath('members[value eq "12" or value eq "13"]');
    expect(matchesObject(filter!, { value: "12" })).toBe(true);
    expect(matchesObject(filter!, { value: "13" })).toBe(true);
    expect(matchesObject(filter!, { value: "14" })).toBe(false);
  });
});
