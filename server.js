// The production (and development) HTTP server: Express in front of the Remix
// request handler. Everything app-specific it needs (the origin check, the audit
// of refused requests, the health check, closing the database) comes from the
// Remix server build, so the app keeps one database connection per process.
//
// In production it runs one server process per core (WEB_CONCURRENCY overrides; 1 keeps one):
// this file's first process only starts the others, restarts one that dies, and passes a
// SIGTERM or SIGINT on to them. They share the port and the database (an SQLite file, or PostgreSQL,
// where several such servers may run behind a proxy); what they must share besides goes through
// app/coordination/shared.server.ts.
import "./app/http/node-env.js";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
// The adapter's own request and response helpers (its index exports only its handler, which reads the body itself).
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import crypto from "node:crypto";
import http from "node:http";
import zlib from "node:zlib";
import { readBody } from "./app/http/body-limit.js";
import { servePrecompressed } from "./app/http/precompressed.js";
import { admissionControl, isStaticFile, isStream } from "./app/http/admission.js";
import { databaseUnreachable } from "./db/engine.js";

// On PostgreSQL, a database that does not answer stops the server here, before any server process
// starts, with one line that says which (without its password) and why.
if (cluster.isPrimary) {
  const unreachable = await databaseUnreachable();
  if (unreachable) {
    console.error(unreachable);
    process.exit(1);
  }
}

const isProduction = process.env.NODE_ENV !== "development";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const processes = isProduction ? Math.max(1, Number(process.env.WEB_CONCURRENCY ?? availableParallelism()) || 1) : 1;

if (cluster.isPrimary && processes > 1) runPrimary();
else await serve();

/** The first process of several: starts one server process per core and looks after them. */
function runPrimary() {
  console.log(`Jamboree: starting ${processes} server processes on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
  for (let i = 0; i < processes; i++) cluster.fork();
  let stopping = false;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        console.log("Jamboree stopped (every server process)");
        process.exit(0);
      }
      return;
    }
    console.error(`server process ${worker.process.pid} stopped (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => {
      console.error("Server processes did not stop in 12 s; stopping anyway");
      process.exit(1);
    }, 12_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/**
 * Remix's Request for an Express request whose body readBody() has already read into `req.body`
 * (@remix-run/express would read the body from `req` itself, with no limit). Seen as a bodiless
 * GET, createRemixRequest takes from `req` only the address (as TRUST_PROXY resolves it), the
 * headers and the abort signal; the method and the body read are put back.
 */
function remixRequest(req, res) {
  const request = createRemixRequest(Object.create(req, { method: { value: "GET" } }), res);
  if (req.method === "GET") return request;
  return new Request(request, { method: req.method, body: req.method === "HEAD" ? null : (req.body ?? null) });
}

/** One server process: the whole app. */
async function serve() {

  const vite = isProduction
    ? undefined
    : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));

  async function loadBuild() {
    return vite
      ? vite.ssrLoadModule("virtual:remix/server-build")
      : import(new URL("./build/server/index.js", import.meta.url).href);
  }

  /** The app's own server-side helpers, exported by app/entry.server.tsx (loaded once in production). */
  const productionHooks = vite ? undefined : (await loadBuild()).entry.module;
  async function appHooks() {
    return productionHooks ?? (await loadBuild()).entry.module;
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "1" ? 1 : false);

  // A few requests run at a time, the others wait their turn in a queue whose wait is bounded;
  // what would wait longer gets 503 + Retry-After at once (app/http/admission.js). Page reads
  // take their turn in front of Express (see the server below), so a refusal costs next to
  // nothing; writes once their body is read. Never /healthz, static files or live streams.
  const admission = admissionControl();

  // One log line per request (page reads refused above are counted in one line a second instead):
  // method, path, status, size and time. The path only: a query string
  // can carry what people type (the similar-ideas lookup sends an idea being drafted, searches
  // send names), and a log is no place for it.
  morgan.token("path", (req) => (req.originalUrl ?? req.url ?? "").split("?")[0]);
  // The time a request waited for its turn (admission control) comes after its own time.
  morgan.token("queued", (req) => (req.queuedMs > 0 ? ` (queued ${Math.round(req.queuedMs)} ms)` : ""));
  app.use(morgan(":remote-addr :method :path :status :res[content-length] - :response-time ms:queued"));
  // Server-Sent Events must reach the browser as they are written: they skip compression entirely.
  // Pages are compressed whole: Remix flushes after every chunk it writes, and through a compressor
  // each flush closes a block early, which costs CPU and makes the page bigger (a gzip page came out
  // twice the size of the page compressed at once). No page streams on purpose (no deferred data),
  // so a flush is a no-op for them. Behind a proxy
  // that compresses, COMPRESSION=off leaves it to the proxy.
  // Brotli at quality 3: measured (npm run bench:compression) about as cheap as gzip level 6 and as small;
  // quality 4, compression's default, cost a page about 40 % more CPU than sending it uncompressed.
  const compress = compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 3 } } });
  const noFlush = () => {};
  app.use((req, res, next) => {
    if (isStream(req.path) || process.env.COMPRESSION === "off") return next();
    compress(req, res, (error) => {
      res.flush = noFlush;
      next(error);
    });
  });

  // Signing in with a company account posts a form whose answer redirects to the company's
  // provider: form-action must allow the provider's origin, which Chromium checks on redirects too.
  const formActions = ["'self'", ...signOnOrigin()].join(" ");
  app.use((req, res, next) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    // Vite's development client injects its own scripts, so only production gets script-src.
    const scripts = vite ? [] : [`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`];
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        ...scripts,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        `connect-src 'self'${vite ? " ws:" : ""}`,
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        `form-action ${formActions}`,
      ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    // Over HTTPS (directly, or through the proxy TRUST_PROXY trusts), browsers never try plain http again.
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  });

  app.get("/healthz", async (_req, res) => {
    try {
      const hooks = await appHooks();
      await hooks.healthCheck();
      res.set("Cache-Control", "no-store").json({ status: "ok", react: hooks.reactBuild() });
    } catch (error) {
      // What went wrong goes to the log; whoever asks only learns that the database does not answer.
      console.error("health check failed:", error);
      res.status(503).set("Cache-Control", "no-store").json({ status: "unavailable", error: "The database is unavailable." });
    }
  });

  // Cross-site state changes are refused before any route runs (CSRF protection), and so are
  // state changes that say nothing of where they come from (neither Sec-Fetch-Site nor Origin),
  // unless ALLOW_POSTS_WITHOUT_ORIGIN=1 lets clients that cannot send either through. Two exceptions:
  // the company directory (SCIM under /scim/v2) sends no Origin, and its requests pass with the right
  // bearer token only (they never act on a cookie, so no other site can make a browser send one);
  // and a mail client's one-click unsubscribe (POST /mail/unsubscribe, app/auth/origin.ts).
  const allowWithoutOrigin = process.env.ALLOW_POSTS_WITHOUT_ORIGIN === "1";
  const originRefusals = {
    "cross-site": "Cross-site request refused.",
    "no-origin":
      "Request refused: it says neither where it comes from (Origin) nor how it was made (Sec-Fetch-Site). Browsers send these; other clients must send an Origin header naming this site.",
  };
  app.use(async (req, res, next) => {
    const hooks = await appHooks();
    if (hooks.isDirectorySyncRequest(req.path, req.get("authorization"))) return next();
    const refusal = hooks.originRefusal(
      { method: req.method, path: req.path, host: req.headers.host, secFetchSite: req.get("sec-fetch-site"), origin: req.get("origin") },
      { allowWithoutOrigin },
    );
    if (!refusal) return next();
    await hooks.recordOriginRefusal(req.originalUrl, req.ip ?? null, refusal);
    res.status(403).type("text/plain").send(originRefusals[refusal]);
  });

  // Bodies are read here, within their limit (64 KB for a form, more for the few routes in
  // app/http/body-limit.js), before any route runs: 413 when too big, 415 when not a form.
  app.use(readBody());
  app.use(admission.writes);

  if (vite) {
    app.use(vite.middlewares);
  } else {
    // Assets carry their hash in their name: cached for a year, and served from the brotli or
    // gzip copy written at build time when the browser accepts it (no compression per request).
    const assets = servePrecompressed("build/client/assets");
    app.use("/assets", assets.choose, express.static("build/client/assets", { immutable: true, maxAge: "1y", setHeaders: assets.setHeaders }));
    // The other public files (favicon, robots.txt, badge art) all have an extension; pages
    // never do, so a page request goes straight to Remix without a file-system lookup, and a
    // missing file is a quiet 404 here rather than a route error logged with its stack.
    const publicFiles = express.static("build/client", { maxAge: "1h" });
    const missingFile = (res, next) => (error) => (error && (error.status ?? 500) >= 500 ? next(error) : res.status(404).type("text/plain").send("Not found."));
    app.use((req, res, next) => (isStaticFile(req.path) ? publicFiles(req, res, missingFile(res, next)) : next()));
  }

  const handleRequest = createRequestHandler(vite ? () => loadBuild() : await loadBuild(), process.env.NODE_ENV);
  app.all("*", async (req, res, next) => {
    try {
      const response = await handleRequest(remixRequest(req, res), { ip: req.ip ?? null, nonce: res.locals.nonce });
      // A response with a policy of its own (an attachment's sandbox) replaces the site-wide one rather than
      // going out beside it as a second header.
      for (const name of ["Content-Security-Policy", "X-Content-Type-Options"]) if (response.headers.has(name)) res.removeHeader(name);
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  });

  const server = http.createServer((req, res) => admission.pages(req, res, () => app(req, res)));
  server.listen(port, host, () => {
    console.log(`Jamboree listening on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
  });

  let stopping = false;
  async function shutdown(signal) {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing open requests, then closing the database`);
    server.close(async () => {
      const hooks = await appHooks();
      await hooks.closeDb();
      await vite?.close();
      console.log("Jamboree stopped");
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      console.error("Open requests did not finish in 10 s; stopping anyway");
      process.exit(1);
    }, 10_000).unref();
  }
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // A server process whose first process is gone (killed outright) stops too, rather than linger.
  if (cluster.isWorker) process.on("disconnect", () => process.exit(1));
}

/** The company sign-on provider's origin (OIDC_ISSUER), when one is set and is an address. */
function signOnOrigin() {
  try {
    const issuer = process.env.OIDC_ISSUER?.trim();
    return issuer ? [new URL(issuer).origin] : [];
  } catch {
    return [];
  }
}
