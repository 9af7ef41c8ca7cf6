/**
 * Decision 021, step 4: every query is awaited. A missing `await` type-checks in many places (a
 * Promise is truthy: `if (isMember(tx, …))` is always true; `{ count: countOf(tx) }` is an
 * object), so this asks the TypeScript checker for every call in app/, db/ and seeds/ that
 * returns a Promise, and fails on one whose promise is dropped or used as a value. A promise may be
 * - awaited, or marked `void` (fire and forget, on purpose);
 * - returned (the caller awaits it), or handled (`.then`, `.catch`, `.finally`);
 * - handed on as an argument (Promise.all, a function that takes a promise) or an array element;
 * - kept in a variable or property declared with a Promise type (`const done: Promise<…> = …`);
 * - ended by a handler of its rejection (`.catch(…)`, `.then(ok, failed)`).
 */
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const SCANNED = /^(app|db|seeds)\//;

function isPromise(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some(isPromise);
  const name = (type.getSymbol() ?? type.aliasSymbol)?.getName();
  return name === "Promise";
}

function hasPromiseAnnotation(node: ts.Node | undefined) {
  return !!node && /^Promise\s*</.test(node.getText());
}

/** Whether the promise `call` makes is used the way a promise must be. */
function handled(call: ts.Expression): boolean {
  let node: ts.Node = call;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isNonNullExpression(parent)) {
    node = parent;
    parent = parent.parent;
  }
  if (ts.isAwaitExpression(parent) || ts.isVoidExpression(parent) || ts.isReturnStatement(parent) || ts.isExportAssignment(parent)) return true;
  // The tail of a chain that handles the rejection: p.catch(…), p.then(ok, failed), p.catch(…).finally(…).
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) {
    const method = call.expression.name.text;
    if (method === "catch" || (method === "then" && call.arguments.length >= 2)) return true;
    if (method === "finally" && ts.isCallExpression(call.expression.expression) && handled(call.expression.expression)) return true;
  }
  if (ts.isArrowFunction(parent) && parent.body === node) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return ["then", "catch", "finally"].includes(parent.name.text);
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node as ts.Expression)) return true;
  if (ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent)) return true;
  if (ts.isVariableDeclaration(parent)) return hasPromiseAnnotation(parent.type);
  if (ts.isPropertyDeclaration(parent)) return hasPromiseAnnotation(parent.type);
  if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return handled(parent);
  if (ts.isBinaryExpression(parent) && parent.right === node && [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken].includes(parent.operatorToken.kind)) return true;
  if (ts.isConditionalExpression(parent) && parent.condition !== node) return handled(parent);
  return false;
}

/** Every promise in app/, db/ and seeds/ that is dropped or used as a value, as "file:line call". */
function unhandledPromises(): string[] {
  const config = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const names = parsed.fileNames.filter((f) => SCANNED.test(relative(ROOT, f)) && !/\.test\.tsx?$/.test(f) && !/\/migrations\//.test(f));
  const program = ts.createProgram({ rootNames: names, options: { ...parsed.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const file of program.getSourceFiles()) {
    const path = relative(ROOT, file.fileName);
    if (!SCANNED.test(path) || /\.test\.tsx?$/.test(path)) continue;
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && isPromise(checker.getTypeAtLocation(node)) && !handled(node)) {
        const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push(`${path}:${line} ${node.getText().split("\n")[0]!.slice(0, 80)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

describe("every promise is awaited (decision 021, step 4)", () => {
  it("app/, db/ and seeds/ drop no promise and use none as a value", { timeout: 180_000 }, () => {
    expect(unhandledPromises()).toEqual([]);
  });

  it("the check sees a dropped promise and one used as a value", () => {
    const source = `
      async function f() { return 1; }
      async function g() {
        f();
        if (f()) return;
        const kept = f();
        void f();
        await f();
        return f();
      }`;
    const host = ts.createCompilerHost({ strict: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"] });
    const original = host.getSourceFile;
    host.getSourceFile = (name, version) =>
      name === "probe.ts" ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022, true) : original.call(host, name, version);
    const program = ts.createProgram({ rootNames: ["probe.ts"], options: { strict: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], noEmit: true }, host });
    const checker = program.getTypeChecker();
    const lines: number[] = [];
    const file = program.getSourceFile("probe.ts")!;
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && isPromise(checker.getTypeAtLocation(node)) && !handled(node)) lines.push(file.getLineAndCharacterOfPosition(node.getStart()).line);
      ts.forEachChild(node, visit);
    };
    visit(file);
    expect(lines).toEqual([3, 4, 5]);
  });
});
