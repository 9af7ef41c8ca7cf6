// Built assets compressed once, at build time, instead of on every request (plain JS:
// server.js and vite.config.ts import it without a build). A browser's first visit
// fetches thirty-odd files; compressing them on the fly was the longest stretch of
// main-thread work the server did in a profile of the end-to-end suite.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";

/** The files worth compressing, with the content type their compressed copies are served as. */
const CONTENT_TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
};
const COMPRESSIBLE = new Set(Object.keys(CONTENT_TYPES));
const MIN_BYTES = 1024;
/** What each stored encoding is called on disk, best first. */
const ENCODINGS = /** @type {const} */ ([
  ["br", ".br"],
  ["gzip", ".gz"],
]);

/**
 * Writes NAME.br and NAME.gz beside every compressible file of at least 1 KB in `dir` whose
 * copies are missing or older than it; returns how many files it compressed.
 */
export function compressAssets(dir) {
  let count = 0;
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const file = join(dir, name);
    if (!COMPRESSIBLE.has(extname(name))) continue;
    const stat = statSync(file);
    if (!stat.isFile() || stat.size < MIN_BYTES) continue;
    const fresh = ENCODINGS.every(([, suffix]) => names.includes(`${name}${suffix}`) && statSync(`${file}${suffix}`).mtimeMs >= stat.mtimeMs);
    if (fresh) continue;
    const content = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
    writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
    count++;
  }
  return count;
}

/**
 * The encoding to answer with: the first of `stored` (best first) that the browser accepts.
 * @param {(encodings: string[]) => string | false} accepts Express's req.acceptsEncodings
 * @param {Set<string>} stored
 */
export function chooseEncoding(accepts, stored) {
  for (const [encoding] of ENCODINGS) {
    if (stored.has(encoding) && accepts([encoding, "identity"]) === encoding) return encoding;
  }
  return null;
}

/**
 * For the folder `dir` is served from: `choose` (middleware before express.static) points
 * a GET or HEAD for a file that has a stored compressed copy the browser accepts at that
 * copy; `setHeaders` (express.static's option) marks the copy, once it is really being
 * sent, with the original's content type and its `Content-Encoding` (the `compression`
 * middleware leaves an encoded answer alone). The folder is read once, at start.
 */
export function servePrecompressed(dir) {
  /** @type {Map<string, Set<string>>} */
  const stored = new Map();
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    // No build yet: nothing to serve compressed.
  }
  const present = new Set(names);
  for (const name of names) {
    const found = new Set(ENCODINGS.filter(([, suffix]) => present.has(`${name}${suffix}`)).map(([encoding]) => encoding));
    if (found.size > 0) stored.set(name, found);
  }
  /** @type {import("express").RequestHandler} */
  const choose = (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const name = req.path.slice(1);
    const encodings = stored.get(name);
    if (!encodings) return next();
    res.vary("Accept-Encoding");
    const encoding = chooseEncoding((list) => req.acceptsEncodings(list), encodings);
    if (encoding) req.url = `/${name}${ENCODINGS.find(([e]) => e === encoding)[1]}`;
    next();
  };
  /** @param {import("http").ServerResponse} res @param {string} path */
  const setHeaders = (res, path) => {
    const match = ENCODINGS.find(([, suffix]) => path.endsWith(suffix));
    if (!match) return;
    const original = path.slice(0, -match[1].length);
    res.setHeader("Content-Type", `${CONTENT_TYPES[extname(original)] ?? "application/octet-stream"}`);
    res.setHeader("Content-Encoding", match[0]);
  };
  return { choose, setHeaders };
}
