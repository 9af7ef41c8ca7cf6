/**
 * Raw baseline for load.ts: a bare node:http server with better-sqlite3 on the
 * same database file and the app's pragmas (db/pragmas.ts), no framework, no
 * session, no React.
 *
 *   GET  /challenge/<id>   the challenge page's 20 newest visible ideas (+ one to
 *                          know there is a next page) joined to their authors, as JSON;
 *                          `?rows=N` (1 to 100): the N newest instead (page-cost.bench.ts asks for 50)
 *   POST /challenge/<id>   urlencoded title, body, clientKey, author: inserts one idea
 *                          row (the FTS trigger fires) in an IMMEDIATE transaction, 302
 *   GET  /healthz
 *
 * Env: DATABASE_URL (required), PORT, HOST (127.0.0.1).
 */
import Database from "better-sqlite3";
import http from "node:http";
import { applyPragmas } from "../../db/pragmas";
import { RAW_CHALLENGE_PAGE, RAW_CHALLENGE_ROWS, RAW_IDEA_INSERT } from "./raw-queries";

const file = process.env.DATABASE_URL!;
const db = new Database(file);
applyPragmas(db);

const page = db.prepare(RAW_CHALLENGE_PAGE);
const rowsPage = db.prepare(RAW_CHALLENGE_ROWS);
const challenge = db.prepare("SELECT c.id, c.jam_id AS jamId FROM challenges c WHERE c.id = ?");
const insert = db.prepare(RAW_IDEA_INSERT);
const post = db.transaction((c: { id: number; jamId: number }, author: number, title: string, body: string, key: string) =>
  insert.get(c.id, c.jamId, author, title, body, key, Date.now()) as { id: number } | undefined,
);

const server = http.createServer((req, res) => {
  const url = req.url ?? "/";
  if (url === "/healthz") return void res.end("ok");
  const match = /^\/challenge\/(\d+)(?:\?rows=(\d+))?$/.exec(url);
  const c = match ? (challenge.get(Number(match[1])) as { id: number; jamId: number } | undefined) : undefined;
  if (!c) {
    res.statusCode = 404;
    return void res.end("not found");
  }
  if (req.method === "GET" && match![2]) {
    const body = JSON.stringify({ ideas: rowsPage.all(c.id, Math.min(100, Math.max(1, Number(match![2])))) });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    return void res.end(body);
  }
  if (req.method === "GET") {
    const rows = page.all(c.id);
    const body = JSON.stringify({ ideas: rows.slice(0, 20), more: rows.length > 20 });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    return void res.end(body);
  }
  let raw = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (raw += chunk));
  req.on("end", () => {
    const f = new URLSearchParams(raw);
    const created = post.immediate(c, Number(f.get("author") ?? 1), f.get("title") ?? "", f.get("body") ?? "", f.get("clientKey") ?? "");
    res.writeHead(302, { Location: `/ideas/${created?.id ?? 0}`, "Content-Length": 0 });
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 3499), process.env.HOST ?? "127.0.0.1", () => console.log("raw load server listening"));
process.on("SIGTERM", () => server.close(() => (db.close(), process.exit(0))));
