/**
 * Decision 021, step 1: the connection is passed, never reached for. This scans the app's
 * sources (app/, db/, seeds/) with the TypeScript parser and fails on
 * - a function that takes a connection (a parameter typed `Db`) and still calls `db()`: it must
 *   use the connection it was given;
 * - a `db()` call inside the callback of `transaction(...)`: use the transaction it hands you;
 * - a parameter that defaults to `db()` or an optional `Db` parameter (`conn?: Db`): the caller passes it;
 * - `onCommit` (the one after-commit mechanism is `publishAfterCommit`);
 * - `db()` in a route module (app/routes, app/root.tsx): the service function a route calls obtains it.
 * At run time `db()` also throws when called inside a transaction (outside production), which
 * catches the calls this scan cannot see (a helper without a `Db` parameter called from inside one).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const SCANNED = ["app", "db", "seeds"];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

function isDbType(type: ts.TypeNode | undefined): boolean {
  return type !== undefined && ts.isTypeReferenceNode(type) && type.typeName.getText() === "Db";
}

function isCallTo(node: ts.Node, name: string): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name;
}

/** Every breach of the rule in one file, as "file:line what". */
function breaches(path: string, text = readFileSync(path, "utf8")): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (node: ts.Node) => `${relative(ROOT, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

  const visit = (node: ts.Node, takesConnection: boolean, inTransaction: boolean) => {
    if (ts.isParameter(node)) {
      if (isDbType(node.type) && node.questionToken) found.push(`${where(node)} optional Db parameter: the caller passes it`);
      if (node.initializer && isCallTo(node.initializer, "db")) found.push(`${where(node)} a parameter defaulting to db(): the caller passes it`);
    }
    if (ts.isFunctionLike(node)) {
      takesConnection ||= node.parameters.some((p) => isDbType(p.type));
    }
    if (isCallTo(node, "db") && node.arguments.length === 0 && !ts.isParameter(node.parent)) {
      if (takesConnection) found.push(`${where(node)} db() in a function that was given a connection: use it`);
      else if (inTransaction) found.push(`${where(node)} db() inside transaction(): use the transaction it hands you`);
    }
    if (ts.isIdentifier(node) && node.text === "onCommit") found.push(`${where(node)} onCommit: use publishAfterCommit`);
    if (isCallTo(node, "transaction")) {
      ts.forEachChild(node, (child) => visit(child, takesConnection, true));
      return;
    }
    ts.forEachChild(node, (child) => visit(child, takesConnection, inTransaction));
  };
  visit(file, false, false);
  return found;
}

describe("connections are passed, never reached for (decision 021)", () => {
  it("no function reaches for db() when it was given a connection, inside a transaction, or as a default", () => {
    const files = SCANNED.flatMap((dir) => sources(join(ROOT, dir))).filter((path) => !path.endsWith(join("db", "client.ts")));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((path) => breaches(path))).toEqual([]);
  });

  it("routes never obtain a connection: they call one service function, which does", () => {
    const routes = [...sources(join(ROOT, "app/routes")), join(ROOT, "app/root.tsx")];
    const reaching = routes.filter((path) => /\bdb\(\)/.test(readFileSync(path, "utf8"))).map((path) => relative(ROOT, path));
    expect(reaching).toEqual([]);
  });

  it("the scan sees each kind of breach", () => {
    const sample = `
      export function a(conn: Db, id: number) { return db().select(); }
      export function b(id: number, conn: Db = db()) { return conn; }
      export function c(conn?: Db) { return conn; }
      export function d() { return transaction((tx) => helper(db())); }
      export function e() { onCommit(() => {}); }
      export function fine() { const conn = db(); return transaction((tx) => helper(tx)); }
      export const inner = (tx: Db) => [1].map(() => db());
    `;
    expect(breaches(join(ROOT, "app/sample.ts"), sample).map((b) => b.replace(/^\S+ /, ""))).toEqual([
      "db() in a function that was given a connection: use it",
      "a parameter defaulting to db(): the caller passes it",
      "optional Db parameter: the caller passes it",
      "db() inside transaction(): use the transaction it hands you",
      "onCommit: use publishAfterCommit",
      "db() in a function that was given a connection: use it",
    ]);
  });
});
