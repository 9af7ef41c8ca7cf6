/**
 * Two builds of the app in ONE process, their pages rendered in turn, to measure a change whose
 * effect is smaller than what other work on the machine does to an HTTP benchmark:
 *
 *   npx tsx tests/bench/page-ab.ts --a DIR --b DIR --db FILE [--pages challenge,jam] [--requests 1500]
 *
 * DIR is a tree with a production build (`bench:pages -- --save DIR` makes one of the working
 * tree; `git archive COMMIT | tar -x -C DIR`, a node_modules link and `npm run build` make one of
 * a commit). Each build's Remix request handler (the app without server.js's Express layer) is
 * loaded here; the demo participant signs in through build A's /login; then requests go to A and B
 * in pairs, one at a time, each read to its last byte, and this process's
 * CPU time (`process.cpuUsage`, microseconds) is taken around each; each pair goes in a random
 * order. Load from other processes
 * then falls on A and B alike, a request apart. Prints per page the mean and median CPU per
 * request of each, B − A, and a 95 % interval of the difference of means (normal approximation).
 *
 * FILE is a demo database (`DATABASE_URL=FILE npm run -s db:migrate && npm run -s db:seed-if-empty`);
 * it is copied, and the copy deleted at the end. Figures, not assertions.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseFlags } from "./seed";

const flags = parseFlags(process.argv.slice(2), { a: "", b: "", db: "", pages: "challenge,jam,idea,leaderboard,jams,me", requests: 1500 });
if (!flags.a || !flags.b || !flags.db) {
  console.error("usage: page-ab.ts --a DIR --b DIR --db FILE [--pages LIST] [--requests N]");
  process.exit(2);
}

const TMP = resolve("tests/.tmp/bench/page-ab");
rmSync(TMP, { recursive: true, force: true });
mkdirSync(TMP, { recursive: true });
const file = resolve(TMP, "demo.db");
copyFileSync(resolve(String(flags.db)), file);
process.env.DATABASE_URL = file;
// As server.js runs it: React's and Remix's production builds.
process.env.NODE_ENV = "production";

type Handler = (request: Request, context: { ip: string | null; nonce: string }) => Promise<Response>;

async function load(dir: string): Promise<Handler> {
  const { createRequestHandler } = await import("@remix-run/node");
  const build = await import(pathToFileURL(resolve(dir, "build/server/index.js")).href);
  return createRequestHandler(build, "production") as unknown as Handler;
}

const ORIGIN = "http://localhost:3000";

async function main() {
  const a = await load(String(flags.a));
  const b = await load(String(flags.b));
  const login = await a(
    new Request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Host: "localhost:3000", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ email: "participant@jamboree.test", password: "jamboree-demo", redirectTo: "/jams" }),
    }),
    { ip: "127.0.0.1", nonce: "n" },
  );
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  if (!cookie.startsWith("jamboree_session=")) throw new Error(`sign-in failed: ${login.status}`);

  const { default: Database } = await import("better-sqlite3");
  const facts = new Database(file, { readonly: true });
  const now = Date.now();
  const live = facts
    .prepare("SELECT j.slug, c.id AS challengeId FROM jams j JOIN challenges c ON c.jam_id = j.id WHERE j.starts_at < ? AND j.ends_at > ? AND j.is_draft = FALSE ORDER BY c.id LIMIT 1")
    .get(now, now) as { slug: string; challengeId: number };
  const idea = facts.prepare("SELECT id FROM ideas WHERE challenge_id = ? AND hidden_at IS NULL ORDER BY vote_count DESC, id LIMIT 1").get(live.challengeId) as { id: number };
  facts.close();
  const paths: Record<string, string> = {
    challenge: `/jams/${live.slug}/challenges/${live.challengeId}`,
    jam: `/jams/${live.slug}`,
    idea: `/jams/${live.slug}/ideas/${idea.id}`,
    leaderboard: `/jams/${live.slug}/leaderboard`,
    jams: "/jams",
    me: "/me",
  };

  const one = async (handler: Handler, path: string) => {
    const before = process.cpuUsage();
    const response = await handler(new Request(ORIGIN + path, { headers: { Cookie: cookie } }), { ip: "127.0.0.1", nonce: "n" });
    const body = await response.arrayBuffer();
    const used = process.cpuUsage(before);
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return { us: used.user + used.system, bytes: body.byteLength };
  };

  console.log(`In-process A/B: A = ${flags.a}, B = ${flags.b}; ${flags.requests} requests each, alternating, one at a time`);
  console.log(`${"page".padEnd(12)} ${"A mean".padStart(8)} ${"B mean".padStart(8)} ${"A median".padStart(9)} ${"B median".padStart(9)}   B − A (95 %)`);
  for (const name of String(flags.pages).split(",")) {
    const path = paths[name];
    if (!path) throw new Error(`unknown page ${name}`);
    for (let i = 0; i < 300; i++) await one(i % 2 ? b : a, path); // warm-up: the JIT, the statement caches
    const us: [number[], number[]] = [[], []];
    const bytes = [0, 0];
    for (let i = 0; i < Number(flags.requests); i++) {
      // A pair at a time, in a random order, so neither side always follows the other.
      const order = Math.random() < 0.5 ? [0, 1] : [1, 0];
      for (const side of order) {
        const r = await one(side ? b : a, path);
        us[side as 0 | 1].push(r.us);
        bytes[side] = r.bytes;
      }
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
    const variance = (v: number[]) => {
      const m = mean(v);
      return v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1);
    };
    const diff = mean(us[1]) - mean(us[0]);
    const half = 1.96 * Math.sqrt(variance(us[0]) / us[0].length + variance(us[1]) / us[1].length);
    console.log(
      `${name.padEnd(12)} ${mean(us[0]).toFixed(0).padStart(8)} ${mean(us[1]).toFixed(0).padStart(8)} ${String(median(us[0])).padStart(9)} ${String(median(us[1])).padStart(9)}   ${diff >= 0 ? "+" : ""}${diff.toFixed(0)} ± ${half.toFixed(0)} µs (${((100 * diff) / mean(us[0])).toFixed(1)} %)   bytes ${bytes[0]} / ${bytes[1]}`,
    );
  }
}

main()
  .then(() => {
    rmSync(TMP, { recursive: true, force: true });
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    rmSync(TMP, { recursive: true, force: true });
    process.exit(1);
  });
