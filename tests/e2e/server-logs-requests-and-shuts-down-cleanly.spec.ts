import { expect, test } from "@playwright/test";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import http from "node:http";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { exited, extraServerPort } from "./fixtures";
import { databaseOfItsOwn } from "./own-database";

// The server as `npm start` starts it, on a database of its own (a SQLite file, or a database on the
// PostgreSQL run's cluster) migrated as `npm run db:migrate` migrates it.

test("the server started as npm start starts it renders with React's production build, logs one line per request and stops cleanly on SIGTERM", async ({}, testInfo) => {
  const port = extraServerPort(testInfo, 0);
  const database = await databaseOfItsOwn(testInfo, "shutdown", { migrate: false });
  // Started as `npm start` starts it: no NODE_ENV.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: database.url };
  delete (env as Record<string, string | undefined>).NODE_ENV;
  execFileSync("npx", ["tsx", "db/migrate.ts"], { env });

  const server = spawn("node", ["server.js"], { env });
  let output = "";
  server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status, { timeout: 15_000 })
      .toBe(200);
    // Pages are rendered by React's production build (its development build costs several times the CPU).
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: "ok", react: "production" });
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(login.status).toBe(200);
    // A page is compressed whole, not block by block as Remix flushes its chunks: as small as compressing it at
    // once (block by block, the gzip sign-in page came out 20 % bigger).
    const plain = await rawGet(port, "/login", {});
    for (const [encoding, whole] of [
      ["gzip", gzipSync(plain.body, { level: 6 }).length],
      ["br", brotliCompressSync(plain.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 3 } }).length],
    ] as const) {
      const packed = await rawGet(port, "/login", { "Accept-Encoding": encoding });
      expect(packed.encoding).toBe(encoding);
      expect(packed.body.length, `${encoding}: ${packed.body.length} bytes against ${whole} compressed whole`).toBeLessThanOrEqual(whole * 1.05);
    }
    expect(login.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    // Browsers ask for /favicon.ico on their own: it is served. A missing file is a quiet 404, logged as one line.
    const icon = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(Buffer.from(await icon.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    const missing = await fetch(`http://127.0.0.1:${port}/apple-touch-icon.png`);
    expect(missing.status).toBe(404);
    // So is an address that matches no page.
    expect((await fetch(`http://127.0.0.1:${port}/this-does-not-exist`)).status).toBe(404);
    // What people type travels in query strings (a draft idea to the similar-ideas lookup); the log keeps the path only.
    expect((await fetch(`http://127.0.0.1:${port}/signup?draft=my-secret-draft-idea`)).status).toBe(200);

    // A request that is half-way through arriving when SIGTERM comes still gets its answer.
    const socket = connect(port, "127.0.0.1");
    let response = "";
    socket.on("data", (chunk: Buffer) => (response += chunk.toString()));
    await once(socket, "connect");
    socket.write("GET /signup HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write("Connection: close\r\n\r\n");
    await once(socket, "close");
    expect(response.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    const [code] = server.exitCode !== null ? [server.exitCode] : await once(server, "exit");
    expect(code).toBe(0);
    expect(output).toContain("Jamboree stopped");
    expect(output).toMatch(/GET \/healthz 200/);
    expect(output).toMatch(/GET \/login 200/);
    expect(output).toMatch(/GET \/favicon.ico 200/);
    expect(output).toMatch(/GET \/apple-touch-icon.png 404/);
    expect(output).toMatch(/GET \/this-does-not-exist 404/);
    expect(output).toMatch(/GET \/signup 200/);
    expect(output).not.toContain("my-secret-draft-idea");
    expect(output, "no error or stack trace is logged").not.toMatch(/Error|\n\s+at /);
  } finally {
    if (server.exitCode === null) server.kill("SIGKILL");
    await exited(server);
    await database.drop();
  }
});

/** A page's bytes as sent (not decompressed), and its Content-Encoding. */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ body: Buffer; encoding: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ body: Buffer.concat(chunks), encoding: String(res.headers["content-encoding"] ?? "") }));
      })
      .on("error", reject);
  });
}
