/**
 * The HTTP side of directory sync (SCIM 2.0) under /scim/v2: the bearer token, JSON bodies within
 * their limit, SCIM responses and errors. The routes in app/routes/scim.v2.* use `scimEndpoint`.
 *
 * The token is SCIM_TOKEN (at least 32 characters); without one, every SCIM address answers 404,
 * as if there were none. The token is compared in constant time (both sides hashed first, so the
 * comparison takes as long whatever the length of what was sent). A session cookie counts for
 * nothing here: only the token does.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { errorBody, invalidSyntax, ScimError } from "~/domain/scim/errors";
import { SCIM_BODY_LIMIT, SCIM_PATH } from "./body-limit.js";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";
export const MIN_TOKEN_LENGTH = 32;

let warned = false;

/** The configured token, or null when directory sync is off (unset, or too short to be safe). */
export function scimToken(): string | null {
  const token = process.env.SCIM_TOKEN?.trim();
  if (!token) return null;
  if (token.length < MIN_TOKEN_LENGTH) {
    if (!warned) {
      warned = true;
      console.error(`SCIM_TOKEN is shorter than ${MIN_TOKEN_LENGTH} characters: directory sync stays off until it is longer.`);
    }
    return null;
  }
  return token;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Whether an Authorization header carries the configured token (`Bearer <token>`). */
export function tokenMatches(authorization: string | null | undefined): boolean {
  const token = scimToken();
  if (!token || !authorization) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * For the server's origin check (server.js): a request to /scim/v2 with the right token comes from
 * the directory, which sends no Origin; it passes. Any other request is checked as usual.
 */
export function isDirectorySyncRequest(path: string, authorization: string | undefined): boolean {
  return SCIM_PATH.test(path) && tokenMatches(authorization);
}

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": SCIM_CONTENT_TYPE, "Cache-Control": "no-store", ...headers },
  });
}

export function scimErrorResponse(error: ScimError, headers: Record<string, string> = {}): Response {
  return scimJson(errorBody(error), error.status, headers);
}

/**
 * Runs a SCIM endpoint: 404 when directory sync is off, 401 without the right token, then `work`;
 * a ScimError becomes its SCIM error response, anything else a logged 500.
 */
export async function scimEndpoint(request: Request, work: () => Response | Promise<Response>): Promise<Response> {
  if (!scimToken()) return scimErrorResponse(new ScimError(404, "Directory sync is not configured on this server."));
  if (!tokenMatches(request.headers.get("authorization"))) {
    return scimErrorResponse(new ScimError(401, "A valid bearer token is required."), { "WWW-Authenticate": 'Bearer realm="SCIM"' });
  }
  try {
    return await work();
  } catch (error) {
    if (error instanceof ScimError) return scimErrorResponse(error);
    console.error("directory sync request failed", error);
    return scimErrorResponse(new ScimError(500, "The request could not be completed."));
  }
}

/**
 * The request's JSON body, at most SCIM_BODY_LIMIT bytes (413 past it; the server refuses a bigger
 * one before it is read, this holds for any other caller), 400 invalidSyntax when it is not JSON.
 */
export async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > SCIM_BODY_LIMIT) throw tooLarge();
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > SCIM_BODY_LIMIT) throw tooLarge();
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (text.trim() === "") throw invalidSyntax("The request needs a JSON body.");
  try {
    return JSON.parse(text);
  } catch {
    throw invalidSyntax("The body is not valid JSON.");
  }
}

function tooLarge() {
  return new ScimError(413, `The request body is larger than ${SCIM_BODY_LIMIT / 1024 / 1024} MB.`);
}

/** The base of every SCIM address on this server, as the request reached it. */
export function scimBase(request: Request): string {
  return `${new URL(request.url).origin}/scim/v2`;
}

/** A weak ETag of a resource (its content without `meta`). */
export function versionOf(resource: Record<string, unknown>): string {
  const { meta: _meta, ...content } = resource;
  return `W/"${createHash("sha256").update(JSON.stringify(content)).digest("base64url").slice(0, 22)}"`;
}

/** With an If-Match header, the resource must still be at one of the versions it names (412 otherwise). */
export function checkIfMatch(request: Request, version: string) {
  const header = request.headers.get("if-match");
  if (!header || header.trim() === "*") return;
  const wanted = header.split(",").map((v) => v.trim());
  if (!wanted.includes(version)) throw new ScimError(412, "The resource changed since that version was read; read it again.");
}

/** A list's query: filter, paging, and which attributes to return. */
export function listQuery(request: Request) {
  const params = new URL(request.url).searchParams;
  const list = (name: string) => {
    const value = params.get(name);
    return value ? value.split(",").map((v) => v.trim()).filter(Boolean) : null;
  };
  return {
    filter: params.get("filter"),
    startIndex: params.get("startIndex"),
    count: params.get("count"),
    attributes: list("attributes"),
    excludedAttributes: list("excludedAttributes"),
  };
}

/** Whether a group's members are to be returned, by `attributes` and `excludedAttributes`. */
export function wantsMembers(query: { attributes: string[] | null; excludedAttributes: string[] | null }): boolean {
  if (query.attributes) return query.attributes.some((a) => a.toLowerCase().split(".")[0] === "members");
  if (query.excludedAttributes) return !query.excludedAttributes.some((a) => a.toLowerCase() === "members");
  return true;
}

/** The answer to a method an endpoint does not take. */
export function methodNotAllowed(request: Request) {
  return scimEndpoint(request, () => {
    throw new ScimError(405, `${request.method} is not supported here.`);
  });
}
