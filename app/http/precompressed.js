// Built assets compressed once, at build time, instead of on every request (plain JS:
// server.js and vite.config.ts import it without a build). A browser's first visit
// fetches thirty-odd files; compressing them on the fly was the longest stretch of
// main-thread work the server did in a profile of the end-to-end suite.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";

const COMPRESSIBLE = new Set([".js", ".css", ".svg", ".json", ".map", ".txt", ".webmanifest"]);
const MIN_BYTES = 1024;
/** What each stored encoding is called on disk, best first. */
export const ENCODINGS = /** @type {const} */ ([
  ["br", ".br"],
  ["gzip", ".gz"],
]);

/** Writes NAME.br and NAME.gz beside every compressible file of at least 1 KB in `dir`; returns how many files. */
export function compressAssets(dir) {
  let count = 0;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!COMPRESSIBLE.has(extname(name)) || !statSync(file).isFile() || statSync(file).size < MIN_BYTES) continue;
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
 * Express middleware for the folder `dir` is served from: a request for a file that has
 * a stored compressed copy the browser accepts is pointed at that copy, with the
 * original's content type and `Content-Encoding` (the `compression` middleware leaves an
 * encoded answer alone). The folder is read once, at start.
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
  return (req, res, next) => {
    const name = req.path.slice(1);
    const encodings = stored.get(name);
    if (!encodings) return next();
    res.vary("Accept-Encoding");
    const encoding = chooseEncoding((list) => req.acceptsEncodings(list), encodings);
    if (!encoding) return next();
    res.type(extname(name));
    res.set("Content-Encoding", encoding);
    req.url = `/${name}${ENCODINGS.find(([e]) => e === encoding)[1]}`;
    next();
  };
}
