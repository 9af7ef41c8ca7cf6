// Request bodies for server.js (plain JS so the server imports it without a build). Every body is
// read here, before any route runs, and never past its limit:
//   - over the limit by its Content-Length: 413 at once, nothing read;
//   - a chunked body (no Content-Length): read until it passes the limit, then 413 and no more read;
//   - a body that is not a form (every route takes application/x-www-form-urlencoded or
//     multipart/form-data; directory sync under /scim/v2 takes JSON instead), or a compressed
//     one: 415, nothing read.
// A refusal closes the connection (after a moment, see refuse()), so the rest of the body is never read.

import { attachmentBodyLimit } from "./attachment-limits.js";

const KB = 1024;

/** A form's limit, unless a route below needs more. */
export const DEFAULT_BODY_LIMIT = 64 * KB;

/**
 * The routes whose forms can be bigger than DEFAULT_BODY_LIMIT (the form's own limits say how
 * big: app/domain/limits.ts), with room for percent-encoding (a character can take 12 bytes).
 */
export const BODY_LIMITS = [
  // A jam with 12 challenges: description 4,000 + 12 × (120 + 500) characters, up to 140 KB encoded.
  { path: /^\/jams\/new(\.data)?$/, bytes: 256 * KB },
  { path: /^\/jams\/[^/]+\/edit(\.data)?$/, bytes: 256 * KB },
  // Moving or excluding up to 5,000 ticked ideas at once (`ideaIds=123456&` each: about 80 KB).
  { path: /^\/jams\/[^/]+\/synthesis(\.data)?$/, bytes: 256 * KB },
  // The People page takes a CSV import of up to 5 MB (app/domain/people-import.ts), as a file or pasted, in a multipart form.
  { path: /^\/admin\/people(\.data)?$/, bytes: 5 * 1024 * KB + 64 * KB },
];

/** Directory sync (SCIM, RFC 7644) under /scim/v2: JSON bodies, and refusals in SCIM's error format. */
export const SCIM_PATH = /^\/scim\/v2(\/|$)/i;
/** The most a directory sync request body may have: a group's PATCH names many members, 1 MB holds about 40,000. */
export const SCIM_BODY_LIMIT = 1024 * KB;
const JSON_TYPES = new Set(["application/scim+json", "application/json"]);

/** Whether a Content-Type header names JSON as SCIM clients send it. */
export function isScimJsonType(contentType) {
  return JSON_TYPES.has(String(contentType ?? "").split(";")[0].trim().toLowerCase());
}

/**
 * The forms that carry attachments (posting an idea on a challenge page, adding files to an idea):
 * every file at its limit plus the form's text (app/http/attachment-limits.js). Each file's own
 * limit is enforced again while the form is parsed (app/http/uploads.server.ts).
 */
export const ATTACHMENT_PATHS = [/^\/jams\/[^/]+\/challenges\/\d+(\.data)?$/, /^\/jams\/[^/]+\/ideas\/\d+\/attachments(\.data)?$/];

/** The most bytes a request body to `path` may have. */
export function bodyLimitFor(path) {
  if (SCIM_PATH.test(path)) return SCIM_BODY_LIMIT;
  if (ATTACHMENT_PATHS.some((p) => p.test(path))) return attachmentBodyLimit();
  return BODY_LIMITS.find((entry) => entry.path.test(path))?.bytes ?? DEFAULT_BODY_LIMIT;
}

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** Whether a Content-Type header names a form. */
export function isFormType(contentType) {
  return FORM_TYPES.has(String(contentType ?? "").split(";")[0].trim().toLowerCase());
}

/** How long a refused connection stays open after the answer, throwing away what still arrives. */
const LINGER_MS = 1_000;

/**
 * Answers and closes the connection, so the rest of the body is never read into anything. The
 * close lingers (as Apache's and nginx's do): for at most LINGER_MS, what the client still sends is
 * read off the wire and thrown away, and the connection ends with a FIN after the answer. Closing
 * at once with the client's bytes unread makes the kernel send a reset, which can reach the client
 * before it has read the answer: it would see "connection reset" instead of 413 or 415.
 */
function refuse(req, res, status, message) {
  const scim = SCIM_PATH.test(req.path);
  const socket = req.socket;
  // Node calls destroySoon once a `Connection: close` answer is written: end our side, destroy later.
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
  req.resume();
  res.status(status).set("Connection", "close").set("Cache-Control", "no-store");
  if (scim) {
    const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail: message };
    res.type("application/scim+json").send(JSON.stringify(body));
  } else res.type("text/plain").send(message);
}

const tooLarge = (limit) =>
  `Request body too large: this address takes at most ${limit >= 1024 * KB ? `${Math.round(limit / (1024 * KB))} MB` : `${limit / KB} KB`}.`;

/**
 * Express middleware: reads the request's body, within its limit, into `req.body` (a Buffer);
 * a request without a body passes with `req.body` undefined.
 */
export function readBody() {
  return (req, res, next) => {
    const declared = req.headers["content-length"];
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (!chunked && (declared === undefined || Number(declared) === 0)) return next();
    if (SCIM_PATH.test(req.path)) {
      if (!isScimJsonType(req.headers["content-type"])) {
        return refuse(req, res, 415, "Unsupported body: directory sync takes JSON (application/scim+json or application/json).");
      }
    } else if (!isFormType(req.headers["content-type"])) {
      return refuse(req, res, 415, "Unsupported body: this address takes form posts (application/x-www-form-urlencoded or multipart/form-data).");
    }
    const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity") return refuse(req, res, 415, `Unsupported body: compressed bodies (${encoding}) are not accepted.`);
    const limit = bodyLimitFor(req.path);
    if (!chunked && Number(declared) > limit) return refuse(req, res, 413, tooLarge(limit));

    const chunks = [];
    let received = 0;
    let settled = false;
    const stop = () => {
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
    };
    function onData(chunk) {
      received += chunk.length;
      if (received > limit) {
        stop();
        refuse(req, res, 413, tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd() {
      if (settled) return;
      stop();
      req.body = Buffer.concat(chunks, received);
      next();
    }
    // The client went away before sending it all: there is nobody left to answer.
    function onGone() {
      if (!settled) stop();
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
  };
}
