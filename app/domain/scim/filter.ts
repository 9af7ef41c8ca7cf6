/**
 * SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2), parsed into a small tree. Pure.
 *
 *   filter    = attrPath "pr" | attrPath op value | attrPath "[" filter "]"
 *             | filter "and" filter | filter "or" filter | "not" "(" filter ")" | "(" filter ")"
 *   op        = eq ne co sw ew gt lt ge le          (any case, as are "and", "or", "not")
 *   value     = "JSON string" | number | true | false | null
 *   attrPath  = [schema URN ":"] name ["." subName]
 *   patchPath = attrPath ["[" filter "]" ["." subName]]
 *
 * "and" binds tighter than "or". Attribute names are case-insensitive, so paths are lower-cased;
 * the schema URN keeps its case. A filter is at most MAX_FILTER_LENGTH characters, nests at most
 * MAX_DEPTH deep and compares at most MAX_TERMS times: past that it is refused, never recursed.
 */
import { invalidFilter, invalidPath, type ScimError } from "./errors";

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const KNOWN_SCHEMAS = [CORE_USER, CORE_GROUP, ENTERPRISE_USER];

export const MAX_FILTER_LENGTH = 1_000;
const MAX_DEPTH = 10;
const MAX_TERMS = 50;

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le";
const COMPARE_OPS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"]);

export type FilterValue = string | number | boolean | null;

export interface AttrPath {
  /** The schema URN the path named, if it named one (as written). */
  schema?: string;
  /** The attribute, lower-cased ("" when the path is only an extension's URN). */
  attr: string;
  /** The sub-attribute, lower-cased. */
  sub?: string;
}

export type Filter =
  | { kind: "compare"; path: AttrPath; op: CompareOp; value: FilterValue }
  | { kind: "present"; path: AttrPath }
  | { kind: "and" | "or"; left: Filter; right: Filter }
  | { kind: "not"; filter: Filter }
  | { kind: "valuePath"; path: AttrPath; filter: Filter };

export interface PatchPath {
  path: AttrPath;
  /** The filter in brackets (`members[value eq "2"]`), if any. */
  filter?: Filter;
  /** The sub-attribute after the brackets (`emails[type eq "work"].value`), lower-cased. */
  sub?: string;
}

type Token =
  | { type: "word"; text: string; at: number }
  | { type: "string"; value: string; at: number }
  | { type: "number"; value: number; at: number }
  | { type: "(" | ")" | "[" | "]"; at: number };

/** Attribute paths, keywords and literals: letters, digits and `_ - $ : .` (a URN has colons and dots). */
const WORD = /[A-Za-z0-9_$:.\-]/;

function tokenize(text: string, fail: (message: string) => ScimError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "(" || c === ")" || c === "[" || c === "]") {
      tokens.push({ type: c, at: i });
      i++;
    } else if (c === '"') {
      // A JSON string: find its closing quote, skipping escaped characters.
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (end >= text.length) throw fail(`The string that starts at character ${i + 1} is never closed.`);
      let value: unknown;
      try {
        value = JSON.parse(text.slice(i, end + 1));
      } catch {
        throw fail(`The string that starts at character ${i + 1} is not a valid JSON string.`);
      }
      tokens.push({ type: "string", value: value as string, at: i });
      i = end + 1;
    } else if (WORD.test(c)) {
      let end = i;
      while (end < text.length && WORD.test(text[end]!)) end++;
      const word = text.slice(i, end);
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(word)) tokens.push({ type: "number", value: Number(word), at: i });
      else tokens.push({ type: "word", text: word, at: i });
      i = end;
    } else {
      throw fail(`Unexpected character “${c}” at character ${i + 1}.`);
    }
  }
  return tokens;
}

/** An attribute path as written (`userName`, `name.givenName`, `urn:…:User:department`). */
export function parseAttrPath(text: string, fail: (message: string) => ScimError = invalidPath): AttrPath {
  let rest = text;
  let schema: string | undefined;
  if (/^urn:/i.test(text)) {
    const known = KNOWN_SCHEMAS.filter((s) => text.toLowerCase() === s.toLowerCase() || text.toLowerCase().startsWith(`${s.toLowerCase()}:`));
    if (known.length > 0) {
      schema = known.sort((a, b) => b.length - a.length)[0]!;
      rest = text.slice(schema.length + 1);
    } else {
      const colon = text.lastIndexOf(":");
      schema = text.slice(0, colon);
      rest = text.slice(colon + 1);
    }
    if (rest === "") return { schema, attr: "" };
  }
  const parts = rest.split(".");
  if (parts.length > 2 || parts.some((p) => !/^[A-Za-z$][A-Za-z0-9_$-]*$/.test(p))) throw fail(`“${text}” is not an attribute path.`);
  return { ...(schema ? { schema } : {}), attr: parts[0]!.toLowerCase(), ...(parts[1] ? { sub: parts[1].toLowerCase() } : {}) };
}

class Parser {
  private i = 0;
  private terms = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly fail: (message: string) => ScimError,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private keyword(token: Token | undefined, word: string) {
    return token?.type === "word" && token.text.toLowerCase() === word;
  }

  atEnd() {
    return this.i >= this.tokens.length;
  }

  filter(depth: number): Filter {
    if (depth > MAX_DEPTH) throw this.fail(`The filter nests more than ${MAX_DEPTH} deep.`);
    let left = this.conjunction(depth);
    while (this.keyword(this.peek(), "or")) {
      this.i++;
      left = { kind: "or", left, right: this.conjunction(depth) };
    }
    return left;
  }

  private conjunction(depth: number): Filter {
    let left = this.unary(depth);
    while (this.keyword(this.peek(), "and")) {
      this.i++;
      left = { kind: "and", left, right: this.unary(depth) };
    }
    return left;
  }

  private expect(type: "(" | ")" | "[" | "]") {
    const token = this.peek();
    if (token?.type !== type) throw this.fail(`Expected “${type}”${token ? ` at character ${token.at + 1}` : " at the end"}.`);
    this.i++;
  }

  private unary(depth: number): Filter {
    const token = this.peek();
    if (!token) throw this.fail("The filter ends where a comparison was expected.");
    if (this.keyword(token, "not")) {
      this.i++;
      this.expect("(");
      const filter = this.filter(depth + 1);
      this.expect(")");
      return { kind: "not", filter };
    }
    if (token.type === "(") {
      this.i++;
      const filter = this.filter(depth + 1);
      this.expect(")");
      return filter;
    }
    if (token.type !== "word") throw this.fail(`Expected an attribute at character ${token.at + 1}.`);
    this.i++;
    const path = parseAttrPath(token.text, this.fail);
    if (this.peek()?.type === "[") {
      this.i++;
      const filter = this.filter(depth + 1);
      this.expect("]");
      // `emails[type eq "work"].value eq "a@x.test"` (as Entra ID writes it): the element's
      // sub-attribute compared, read as `emails[type eq "work" and value eq "a@x.test"]`.
      const after = this.peek();
      if (after?.type === "word" && /^\.[A-Za-z$][A-Za-z0-9_$-]*$/.test(after.text)) {
        this.i++;
        const sub = this.comparison({ attr: after.text.slice(1).toLowerCase() }, after.text);
        return { kind: "valuePath", path, filter: { kind: "and", left: filter, right: sub } };
      }
      return { kind: "valuePath", path, filter };
    }
    return this.comparison(path, token.text);
  }

  private comparison(path: AttrPath, written: string): Filter {
    if (++this.terms > MAX_TERMS) throw this.fail(`The filter has more than ${MAX_TERMS} comparisons.`);
    const opToken = this.peek();
    if (opToken?.type !== "word") throw this.fail(`Expected an operator after “${written}”.`);
    const op = opToken.text.toLowerCase();
    this.i++;
    if (op === "pr") return { kind: "present", path };
    if (!COMPARE_OPS.has(op)) throw this.fail(`“${opToken.text}” is not an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr).`);
    const valueToken = this.peek();
    this.i++;
    let value: FilterValue;
    if (valueToken?.type === "string" || valueToken?.type === "number") value = valueToken.value;
    else if (valueToken?.type === "word" && ["true", "false", "null"].includes(valueToken.text.toLowerCase())) {
      value = valueToken.text.toLowerCase() === "null" ? null : valueToken.text.toLowerCase() === "true";
    } else throw this.fail(`Expected a value (a "quoted string", a number, true, false or null) after “${opToken.text}”.`);
    return { kind: "compare", path, op: op as CompareOp, value };
  }
}

/** Parses a `filter` query parameter; throws ScimError (400 invalidFilter) when it is not one. */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`A filter is at most ${MAX_FILTER_LENGTH} characters.`);
  const parser = new Parser(tokenize(text, invalidFilter), invalidFilter);
  const filter = parser.filter(0);
  if (!parser.atEnd()) throw invalidFilter("The filter goes on after a complete expression; join comparisons with “and” or “or”.");
  return filter;
}

/** Parses a PATCH operation's `path`; throws ScimError (400 invalidPath) when it is not one. */
export function parsePatchPath(text: string): PatchPath {
  if (text.length > MAX_FILTER_LENGTH) throw invalidPath(`A path is at most ${MAX_FILTER_LENGTH} characters.`);
  const bracket = text.indexOf("[");
  if (bracket === -1) return { path: parseAttrPath(text.trim()) };
  const close = text.lastIndexOf("]");
  if (close < bracket) throw invalidPath(`“${text}” opens a “[” it never closes.`);
  const path = parseAttrPath(text.slice(0, bracket).trim());
  const parser = new Parser(tokenize(text.slice(bracket + 1, close), invalidPath), invalidPath);
  const filter = parser.filter(1);
  if (!parser.atEnd()) throw invalidPath(`The filter in “${text}” goes on after a complete expression.`);
  const after = text.slice(close + 1);
  if (after === "") return { path, filter };
  if (!/^\.[A-Za-z$][A-Za-z0-9_$-]*$/.test(after)) throw invalidPath(`“${text}” has something after its “]” that is not “.subAttribute”.`);
  return { path, filter, sub: after.slice(1).toLowerCase() };
}

/** Whether `path` names `attr` (and `sub`) of the resource, with or without the core schema URN in front. */
export function pathIs(path: AttrPath, attr: string, sub?: string): boolean {
  return path.attr === attr && path.sub === sub && (path.schema === undefined || path.schema === CORE_USER || path.schema === CORE_GROUP);
}

/**
 * Evaluates a filter against one plain object (a group member `{ value, display, type }`, say):
 * attribute names are matched case-insensitively, strings compared case-insensitively.
 */
export function matchesObject(filter: Filter, object: Record<string, unknown>): boolean {
  const get = (path: AttrPath) => {
    const key = Object.keys(object).find((k) => k.toLowerCase() === path.attr);
    const value = key === undefined ? undefined : object[key];
    if (path.sub === undefined) return value;
    if (value && typeof value === "object") {
      const subKey = Object.keys(value).find((k) => k.toLowerCase() === path.sub);
      return subKey === undefined ? undefined : (value as Record<string, unknown>)[subKey];
    }
    return undefined;
  };
  switch (filter.kind) {
    case "and":
      return matchesObject(filter.left, object) && matchesObject(filter.right, object);
    case "or":
      return matchesObject(filter.left, object) || matchesObject(filter.right, object);
    case "not":
      return !matchesObject(filter.filter, object);
    case "present": {
      const value = get(filter.path);
      return value !== undefined && value !== null && value !== "";
    }
    case "valuePath": {
      const value = get(filter.path);
      const items = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
      return items.some((item) => item && typeof item === "object" && matchesObject(filter.filter, item as Record<string, unknown>));
    }
    case "compare":
      return compareValues(get(filter.path), filter.op, filter.value);
  }
}

function compareValues(actual: unknown, op: CompareOp, expected: FilterValue): boolean {
  if (op === "eq" && expected === null) return actual === undefined || actual === null;
  if (op === "ne" && expected === null) return actual !== undefined && actual !== null;
  if (actual === undefined || actual === null) return op === "ne";
  const a = typeof actual === "string" ? actual.toLowerCase() : actual;
  const b = typeof expected === "string" ? expected.toLowerCase() : expected;
  switch (op) {
    case "eq":
      return a === b || String(a) === String(b);
    case "ne":
      return !(a === b || String(a) === String(b));
    case "co":
      return String(a).includes(String(b));
    case "sw":
      return String(a).startsWith(String(b));
    case "ew":
      return String(a).endsWith(String(b));
    case "gt":
      return (a as string | number) > (b as string | number);
    case "ge":
      return (a as string | number) >= (b as string | number);
    case "lt":
      return (a as string | number) < (b as string | number);
    case "le":
      return (a as string | number) <= (b as string | number);
  }
}
