/**
 * Compression benchmark: `npm run bench:compression`.
 *
 * What a browser's Accept-Encoding costs a page. Seeds the demo company into a throwaway
 * database, starts the server as `npm start` runs it (`node server.js`, no NODE_ENV) but as one
 * server process (WEB_CONCURRENCY=1, so the CPU read from /proc is all of it), signs in
 * as the demo participant and asks for the live jam's first challenge page again and again, one
 * request at a time: with no Accept-Encoding, with gzip and with brotli. For each it prints the
 * server process's CPU per page (user + system from /proc, after a warm-up) and the bytes sent,
 * beside the same page compressed whole at once in this process (gzip level 6 and brotli quality
 * 3, as the server's compressor uses them): the size a compressor that does not flush every
 * chunk gets.
 *
 * Figures, not assertions. Linux only (/proc).
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import http from "node:http";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { removeDatabaseFiles } from "../../db/client";
import { DEMO_PASSWORD } from "../../seeds/demo";
import { childEnv, ensureBuild, fmt, freePort, killAllNow, log, startJamboree, stop } from "./load-common";

const TMP = resolve("tests/.tmp/bench/compression");
const PAGES = Number(process.env.PAGES ?? 300);

function get(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  return new Promise((done, fail) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on("error", fail);
    req.end();
  });
}

/** The server process's CPU time so far, in ms (user + system, from /proc/<pid>/stat). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function main() {
  ensureBuild();
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  const file = resolve(TMP, "demo.db");
  removeDatabaseFiles(file);
  // The demo company, as `npm start` makes it: migrate, then seed an empty database.
  const env = childEnv({ DATABASE_URL: file });
  execFileSync(process.execPath, ["--import", "tsx", "db/migrate.ts"], { env, stdio: "ignore" });
  execFileSync(process.execPath, ["--import", "tsx", "seeds/run.ts", "--if-empty"], { env, stdio: "ignore" });
  const facts = new Database(file, { readonly: true });
  const live = facts.prepare("SELECT j.slug, c.id FROM jams j JOIN challenges c ON c.jam_id = j.id WHERE j.starts_at < ? AND j.ends_at > ? ORDER BY c.id LIMIT 1").get(Date.now(), Date.now()) as { slug: string; id: number };
  facts.close();

  const port = await freePort(3470);
  const server = await startJamboree(file, port);
  try {
    const login = await new Promise<http.IncomingMessage>((done, fail) => {
      const body = new URLSearchParams({ email: "participant@jamboree.test", password: DEMO_PASSWORD, redirectTo: "/jams" }).toString();
      const req = http.request(
        { host: "127.0.0.1", port, path: "/login", method: "POST", headers: { Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" } },
        done,
      );
      req.on("error", fail);
      req.end(body);
    });
    login.resume();
    const cookie = [login.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("jamboree_session="))?.split(";")[0];
    if (!cookie) throw new Error(`sign-in failed: ${login.statusCode}`);
    const path = `/jams/${live.slug}/challenges/${live.id}`;
    log(`Compression benchmark — the demo's live challenge page (${path}), signed in as the participant, ${PAGES} pages one at a time per encoding`);
    log(`Server: node server.js as npm start runs it, one server process (pid ${server.child.pid}).`);
    log("");
    log("encoding   CPU per page   bytes sent   the page compressed whole   sent / whole");
    const encodings = [
      ["none", ""],
      ["gzip", "gzip"],
      ["br", "br"],
    ] as const;
    // Warm-up (the JIT, the statement cache), then two rounds of each encoding in turn.
    for (let i = 0; i < 100; i++) await get(port, path, { Cookie: cookie, "Accept-Encoding": encodings[i % 3]![1] });
    const cpu: Record<string, number[]> = { none: [], gzip: [], br: [] };
    const sent: Record<string, number> = {};
    let identity: Buffer = Buffer.alloc(0);
    for (let round = 0; round < 2; round++) {
      for (const [name, accept] of encodings) {
        const headers: Record<string, string> = { Cookie: cookie, ...(accept ? { "Accept-Encoding": accept } : {}) };
        const before = cpuMs(server.child.pid!);
        let bytes = 0;
        for (let i = 0; i < PAGES; i++) {
          const res = await get(port, path, headers);
          if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          if ((res.headers["content-encoding"] ?? "") !== accept) throw new Error(`asked for ${accept || "none"}, got ${res.headers["content-encoding"] ?? "none"}`);
          bytes += res.body.length;
          if (name === "none") identity = res.body;
        }
        cpu[name]!.push((cpuMs(server.child.pid!) - before) / PAGES);
        sent[name] = bytes / PAGES;
      }
    }
    const whole: Record<string, number> = {
      gzip: gzipSync(identity, { level: 6 }).length,
      br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 3 } }).length,
    };
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    for (const [name] of encodings) {
      const w = whole[name];
      log(
        `${name.padEnd(9)}  ${`${mean(cpu[name]!).toFixed(2)} ms`.padStart(12)}   ${fmt(sent[name]!).padStart(10)}   ${w === undefined ? "".padStart(25) : fmt(w).padStart(25)}   ${w === undefined ? "" : `${((100 * sent[name]!) / w).toFixed(0)} %`}`,
      );
    }
    const none = mean(cpu.none!);
    const more = (name: string) => `${Math.round((100 * (mean(cpu[name]!) - none)) / none)} %`;
    log("");
    log(`CPU per page against none: gzip ${more("gzip")}, brotli ${more("br")} (each the mean of two rounds of ${PAGES} pages).`);
    log("(CPU is counted in ticks of 10 ms over a whole round; compare runs on an otherwise idle machine.)");
  } finally {
    await stop(server.child);
    rmSync(TMP, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  killAllNow();
  process.exit(1);
});
