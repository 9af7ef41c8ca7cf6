/**
 * What a SCIM request asks of a person or a group, read into the few fields Jamboree keeps. Pure.
 *
 * Directories differ in how they write the same change (RFC 7644 §3.5.2 and what Entra ID and Okta
 * send): operation names in any case (`"Replace"`), booleans as strings (`"False"`), a `replace`
 * with no path whose value is an object of attributes (Okta's `{"active": false}`, Entra's
 * `{"name.givenName": "Ann"}`), paths with a filter (`emails[type eq "work"].value`) and the
 * enterprise extension's URN in front of `department`. Attributes Jamboree does not keep (title,
 * phone numbers, addresses, manager…) are accepted and ignored, so a directory's default
 * attribute mapping works unchanged.
 */
import { LIMITS } from "../limits";
import { textRefusal } from "../text";
import { invalidPath, invalidSyntax, invalidValue, noTarget } from "./errors";
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER, matchesObject, parseAttrPath, parsePatchPath, type AttrPath, type PatchPath } from "./filter";

export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/** At most this many operations in one PATCH (a group's members come many to one operation). */
export const MAX_OPERATIONS = 1_000;
/** At most this many members named in one request. */
export const MAX_MEMBERS = 10_000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Json = unknown;
type Op = "add" | "replace" | "remove";

export interface Operation {
  op: Op;
  path?: PatchPath;
  /** The path as written, for messages. */
  rawPath?: string;
  value?: Json;
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A key of `object` whatever its case (SCIM attribute names are case-insensitive). */
function field(object: Record<string, Json>, name: string): Json {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

/** A PatchOp body's operations, checked for form (not yet for what they change). */
export function readOperations(body: Json): Operation[] {
  if (!isObject(body)) throw invalidSyntax("The body must be a JSON object (a PatchOp).");
  const schemas = field(body, "schemas");
  if (Array.isArray(schemas) && !schemas.includes(PATCH_SCHEMA)) throw invalidSyntax(`A PATCH body's schemas must include ${PATCH_SCHEMA}.`);
  const operations = field(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax("A PATCH body needs an “Operations” list with at least one operation.");
  if (operations.length > MAX_OPERATIONS) throw tooManyOperations();
  return operations.map((raw, index) => {
    if (!isObject(raw)) throw invalidSyntax(`Operation ${index + 1} is not an object.`);
    const op = field(raw, "op");
    const name = typeof op === "string" ? op.toLowerCase() : "";
    if (name !== "add" && name !== "replace" && name !== "remove") throw invalidSyntax(`Operation ${index + 1}: “op” must be add, replace or remove.`);
    const path = field(raw, "path");
    if (path !== undefined && path !== null && typeof path !== "string") throw invalidPath(`Operation ${index + 1}: “path” must be a string.`);
    const value = field(raw, "value");
    if (name === "remove" && (path === undefined || path === null || path === "")) {
      throw noTarget(`Operation ${index + 1}: a remove needs a path.`);
    }
    if (name !== "remove" && value === undefined) throw invalidValue(`Operation ${index + 1}: an ${name} needs a value.`);
    return {
      op: name,
      ...(typeof path === "string" && path !== "" ? { path: parsePatchPath(path), rawPath: path } : {}),
      value,
    };
  });
}

function tooManyOperations() {
  return invalidValue(`A PATCH may have at most ${MAX_OPERATIONS.toLocaleString("en")} operations.`);
}

/** `true`/`false`, or the strings Entra ID sends ("True", "False"), in any case. */
export function readBoolean(value: Json, what: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw invalidValue(`${what} must be true or false.`);
}

/** A user name: the person's e-mail address, lower-cased. */
export function readUserName(value: Json): string {
  if (typeof value !== "string") throw invalidValue("userName must be a string: the person's e-mail address.");
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw invalidValue("userName must be the person's e-mail address (name@company.com).");
  return email;
}

/** One line of text from the directory (a name, a department): trimmed, readable, cut to `max`. */
export function readLine(value: Json, what: string, max: number): string {
  if (typeof value !== "string") throw invalidValue(`${what} must be a string.`);
  const text = value.trim();
  const refusal = textRefusal(text);
  if (refusal) throw invalidValue(`${what}: ${refusal}`);
  return [...text].slice(0, max).join("").trim();
}

export function readExternalId(value: Json): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw invalidValue("externalId must be a string.");
  const id = value.trim();
  if (id.length > 255 || textRefusal(id)) throw invalidValue("externalId must be at most 255 visible characters.");
  return id === "" ? null : id;
}

/** The parts of a name a request gave; which wins is `resolveName`'s rule. */
export interface NameParts {
  formatted?: string;
  givenName?: string;
  familyName?: string;
  displayName?: string;
}

function readNameObject(value: Json, parts: NameParts) {
  if (!isObject(value)) throw invalidValue("name must be an object (formatted, givenName, familyName).");
  for (const [key, sub] of Object.entries(value)) readNamePart(key.toLowerCase(), sub, parts);
}

function readNamePart(sub: string, value: Json, parts: NameParts) {
  if (value === null || value === undefined) return;
  if (sub === "formatted") parts.formatted = readLine(value, "name.formatted", LIMITS.personName);
  else if (sub === "givenname") parts.givenName = readLine(value, "name.givenName", LIMITS.personName);
  else if (sub === "familyname") parts.familyName = readLine(value, "name.familyName", LIMITS.personName);
  // middleName, honorificPrefix…: not kept.
}

/**
 * The one name Jamboree keeps, from what a request gave: `name.formatted`, else given and family
 * name together, else `displayName`. A request that gives only one of given and family name keeps
 * the other part of `current` (its first word is taken as the given name, the rest as the family
 * name). Undefined when the request gave no name at all.
 */
export function resolveName(parts: NameParts, current?: string): string | undefined {
  if (parts.formatted) return parts.formatted;
  if (parts.givenName !== undefined || parts.familyName !== undefined) {
    const [first = "", ...rest] = (current ?? "").split(/\s+/).filter(Boolean);
    const given = parts.givenName ?? first;
    const family = parts.familyName ?? rest.join(" ");
    const joined = [given, family].filter(Boolean).join(" ");
    if (joined) return [...joined].slice(0, LIMITS.personName).join("").trim();
  }
  if (parts.displayName) return parts.displayName;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Users

/** A person as a SCIM create or replace (POST, PUT) gives them. */
export interface UserResourceInput {
  userName: string;
  /** From the name parts or displayName; the part of the e-mail before "@" when there is none. */
  name: string;
  externalId: string | null;
  /** Undefined when the request did not say. */
  active?: boolean;
  /** The enterprise extension's department, when the request gave one (null: given empty). */
  department?: string | null;
}

function readDepartment(value: Json): string | null {
  if (value === null || value === "") return null;
  return readLine(value, "department", 80) || null;
}

/** Reads a User resource (POST or PUT body). */
export function readUserResource(body: Json): UserResourceInput {
  if (!isObject(body)) throw invalidSyntax("The body must be a JSON object (a User).");
  const userName = readUserName(field(body, "userName"));
  const parts: NameParts = {};
  const name = field(body, "name");
  if (name !== undefined && name !== null) readNameObject(name, parts);
  const displayName = field(body, "displayName");
  if (typeof displayName === "string" && displayName.trim()) parts.displayName = readLine(displayName, "displayName", LIMITS.personName);
  const externalId = field(body, "externalId");
  const active = field(body, "active");
  const enterprise = field(body, ENTERPRISE_USER);
  const department = isObject(enterprise) ? field(enterprise, "department") : undefined;
  return {
    userName,
    name: resolveName(parts) || userName.split("@")[0]!,
    externalId: externalId === undefined ? null : readExternalId(externalId),
    ...(active === undefined || active === null ? {} : { active: readBoolean(active, "active") }),
    ...(department === undefined ? {} : { department: readDepartment(department) }),
  };
}

/** What a PATCH of a person changes: only the fields it touched. */
export interface UserChanges {
  userName?: string;
  name?: string;
  externalId?: string | null;
  active?: boolean;
  department?: string | null;
  /** Attribute paths the request set that Jamboree does not keep (accepted, ignored). */
  ignored: string[];
}

const IGNORED_ALWAYS = new Set(["id", "meta", "schemas", "groups", "password"]);

/** Applies a PATCH's operations, in order, to a person's current name; returns what changed. */
export function readUserPatch(operations: Operation[], currentName: string): UserChanges {
  const changes: UserChanges = { ignored: [] };
  const parts: NameParts = {};

  const apply = (op: Op, target: PatchPath, raw: string, value: Json) => {
    const { path } = target;
    if (path.schema && path.schema.toLowerCase() === ENTERPRISE_USER.toLowerCase()) {
      if (path.attr === "") {
        if (op === "remove") return void (changes.department = null);
        if (!isObject(value)) throw invalidValue(`${raw} must be an object.`);
        const department = field(value, "department");
        if (department !== undefined) changes.department = readDepartment(department);
        return;
      }
      if (path.attr === "department" && !path.sub && !target.filter) {
        changes.department = op === "remove" ? null : readDepartment(value);
        return;
      }
      changes.ignored.push(raw);
      return;
    }
    if (path.schema && path.schema !== CORE_USER) return void changes.ignored.push(raw);
    const sub = target.sub ?? path.sub;
    switch (path.attr) {
      case "active":
        if (op === "remove") throw invalidValue("active cannot be removed; replace it with false to deactivate the person.");
        changes.active = readBoolean(value, "active");
        return;
      case "username":
        if (op === "remove") throw invalidValue("userName cannot be removed.");
        changes.userName = readUserName(value);
        return;
      case "externalid":
        changes.externalId = op === "remove" ? null : readExternalId(value);
        return;
      case "displayname":
        if (op !== "remove" && typeof value === "string" && value.trim()) parts.displayName = readLine(value, "displayName", LIMITS.personName);
        return;
      case "name":
        if (op === "remove") return; // a person always has a name: removing a part keeps it
        if (sub) readNamePart(sub, value, parts);
        else readNameObject(value, parts);
        return;
      default:
        if (!IGNORED_ALWAYS.has(path.attr)) changes.ignored.push(raw);
    }
  };

  for (const operation of operations) {
    if (operation.path) {
      apply(operation.op, operation.path, operation.rawPath!, operation.value);
      continue;
    }
    // No path: the value is an object of attributes, each set as if it were the path.
    if (!isObject(operation.value)) throw invalidValue("An add or replace without a path needs an object of attributes as its value.");
    for (const [key, value] of Object.entries(operation.value)) {
      if (key.toLowerCase() === ENTERPRISE_USER.toLowerCase() || key.toLowerCase() === "name") {
        apply(operation.op, { path: parseAttrPath(key) }, key, value);
      } else if (key.toLowerCase() === CORE_USER.toLowerCase()) {
        if (!isObject(value)) throw invalidValue(`${key} must be an object.`);
        for (const [inner, innerValue] of Object.entries(value)) apply(operation.op, safePath(inner), inner, innerValue);
      } else {
        apply(operation.op, safePath(key), key, value);
      }
    }
  }
  const name = resolveName(parts, currentName);
  if (name !== undefined) changes.name = name;
  return changes;
}

/** A key of a no-path value object read as a path; one that is not a path is ignored, never an error. */
function safePath(key: string): PatchPath {
  try {
    return parsePatchPath(key);
  } catch {
    return { path: { schema: "urn:unknown", attr: key.toLowerCase() } };
  }
}

// ---------------------------------------------------------------------------------------------
// Groups

export interface GroupResourceInput {
  displayName: string;
  externalId: string | null;
  /** Member ids (Jamboree's user ids as strings), when the request listed members. */
  members?: string[];
}

function readMembers(value: Json): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_MEMBERS) throw invalidValue(`At most ${MAX_MEMBERS.toLocaleString("en")} members in one request.`);
  return list.map((member) => {
    const id = isObject(member) ? field(member, "value") : member;
    if (typeof id === "number" && Number.isInteger(id)) return String(id);
    if (typeof id !== "string" || id.trim() === "") throw invalidValue("Each member needs a “value”: the id of a User.");
    return id.trim();
  });
}

function readDisplayName(value: Json): string {
  const name = readLine(value, "displayName", 80);
  if (!name) throw invalidValue("displayName must not be empty.");
  return name;
}

export function readGroupResource(body: Json): GroupResourceInput {
  if (!isObject(body)) throw invalidSyntax("The body must be a JSON object (a Group).");
  const displayName = field(body, "displayName");
  if (displayName === undefined) throw invalidValue("A group needs a displayName.");
  const externalId = field(body, "externalId");
  const members = field(body, "members");
  return {
    displayName: readDisplayName(displayName),
    externalId: externalId === undefined ? null : readExternalId(externalId),
    ...(members === undefined || members === null ? {} : { members: readMembers(members) }),
  };
}

export interface GroupState {
  displayName: string;
  externalId: string | null;
  members: string[];
}

export interface GroupChanges {
  displayName?: string;
  externalId?: string | null;
  /** The members after the PATCH, in no particular order. */
  members: Set<string>;
  ignored: string[];
}

/** Applies a PATCH's operations, in order, to a group; returns its name, id and members after them. */
export function readGroupPatch(operations: Operation[], current: GroupState): GroupChanges {
  const members = new Set(current.members);
  const changes: GroupChanges = { members, ignored: [] };

  const apply = (op: Op, target: PatchPath, raw: string, value: Json) => {
    const { path } = target;
    if (path.schema && path.schema !== CORE_GROUP) return void changes.ignored.push(raw);
    if (path.attr === "members") {
      if (target.filter || path.sub || target.sub) {
        if (op !== "remove") throw invalidPath(`${raw}: only a remove may name members by a filter.`);
        const filter = target.filter;
        if (!filter) throw invalidPath(`${raw} is not a path to members.`);
        for (const id of [...members]) if (matchesObject(filter, { value: id, type: "User" })) members.delete(id);
        return;
      }
      if (op === "replace") {
        members.clear();
        for (const id of readMembers(value ?? [])) members.add(id);
      } else if (op === "add") {
        for (const id of readMembers(value)) members.add(id);
      } else if (value === undefined || value === null) {
        members.clear();
      } else {
        // Entra ID removes members with a value list rather than a filter.
        for (const id of readMembers(value)) members.delete(id);
      }
      return;
    }
    if (path.attr === "displayname") {
      if (op === "remove") throw invalidValue("displayName cannot be removed.");
      changes.displayName = readDisplayName(value);
      return;
    }
    if (path.attr === "externalid") {
      changes.externalId = op === "remove" ? null : readExternalId(value);
      return;
    }
    if (!IGNORED_ALWAYS.has(path.attr)) changes.ignored.push(raw);
  };

  for (const operation of operations) {
    if (operation.path) {
      apply(operation.op, operation.path, operation.rawPath!, operation.value);
      continue;
    }
    if (!isObject(operation.value)) throw invalidValue("An add or replace without a path needs an object of attributes as its value.");
    for (const [key, value] of Object.entries(operation.value)) apply(operation.op, safePath(key), key, value);
  }
  return changes;
}

export type { AttrPath };
