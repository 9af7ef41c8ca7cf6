import compression from "compression";
import express from "express";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseEncoding, compressAssets, servePrecompressed } from "./precompressed.js";

describe("choosing a stored encoding", () => {
  const accepts = (header: string) => (list: string[]) => list.find((e) => e === "identity" || header.split(/,\s*/).includes(e)) ?? false;
  it("prefers brotli, then gzip, and only what the browser accepts", () => {
    expect(chooseEncoding(accepts("gzip, deflate, br"), new Set(["br", "gzip"]))).toBe("br");
    expect(chooseEncoding(accepts("gzip"), new Set(["br", "gzip"]))).toBe("gzip");
    expect(chooseEncoding(accepts("br"), new Set(["gzip"]))).toBeNull();
    expect(chooseEncoding(accepts(""), new Set(["br", "gzip"]))).toBeNull();
  });
});

describe("assets compressed at build time", () => {
  const dir = mkdtempSync(join(tmpdir(), "jamboree-assets-"));
  const script = `export const words = ${JSON.stringify("jam session ".repeat(500))};\n`;
  let base = "";
  let close = () => {};

  beforeAll(async () => {
    writeFileSync(join(dir, "entry-abc123.js"), script);
    writeFileSync(join(dir, "tiny-abc123.js"), "export {};\n");
    writeFileSync(join(dir, "gone-abc123.js"), script);
    expect(compressAssets(dir)).toBe(2); // files under 1 KB are left as they are
    expect(compressAssets(dir)).toBe(0); // copies that are up to date are not written again
    const app = express();
    const assets = servePrecompressed(dir);
    // As in server.js: compression for everything else, in front.
    app.use(compression());
    app.use("/assets", assets.choose, express.static(dir, { setHeaders: assets.setHeaders }));
    // A copy that disappeared after the server started (a rebuild).
    unlinkSync(join(dir, "gone-abc123.js.br"));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/assets`;
    close = () => server.close();
  });
  afterAll(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** node's fetch decodes bodies itself; ask with raw headers through http instead. */
  async function get(path: string, acceptEncoding: string, method = "GET") {
    const http = await import("node:http");
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      http
        .request(`${base}${path}`, { method, headers: { "Accept-Encoding": acceptEncoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on("error", reject)
        .end();
    });
  }

  it("serves the brotli copy to a browser that takes brotli, as JavaScript", async () => {
    const res = await get("/entry-abc123.js", "gzip, deflate, br");
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toMatch(/javascript/);
    expect(res.headers["vary"]).toMatch(/Accept-Encoding/);
    expect(res.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it("serves the gzip copy to a browser that takes only gzip, and the file itself to one that takes neither", async () => {
    const gzip = await get("/entry-abc123.js", "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).toString()).toBe(script);
    const plain = await get("/entry-abc123.js", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it("answers HEAD like GET, without a body", async () => {
    const res = await get("/entry-abc123.js", "br", "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.body.length).toBe(0);
  });

  it("never marks an answer as encoded when the copy is not what is sent", async () => {
    const post = await get("/entry-abc123.js", "br", "POST");
    expect(post.status).toBe(404);
    expect(post.headers["content-encoding"]).toBeUndefined();
    // The brotli copy vanished after start: the next choice is not made up; the file is not found as .br.
    const gone = await get("/gone-abc123.js", "br");
    expect(gone.headers["content-encoding"]).not.toBe("br");
  });

  it("serves a file without copies as it is", async () => {
    const res = await get("/tiny-abc123.js", "br");
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.toString()).toBe("export {};\n");
  });
});
