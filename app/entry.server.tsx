import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import * as React from "react";
import { renderToPipeableStream } from "react-dom/server";
import { readSessionToken, staleSessionCookie } from "~/auth/session.server";
import { NonceProvider } from "~/components/nonce";
import { startMailSender } from "~/mail/sender.server";
import { startBackgroundWork, startJobRunner } from "~/services/jobs/background.server";

// Server-side helpers for server.js, which reaches them through the build.
export { originRefusal } from "~/auth/origin";
export { isDirectorySyncRequest } from "~/http/scim.server";
export { recordOriginRefusal } from "~/services/commands/access-refusals.server";
export { healthCheck } from "~/services/pages/system.server";
export { closeDb } from "~db/client";

/**
 * Which React build renders the pages: its development build keeps debugging state (among it
 * `ReactDebugCurrentFrame`) that the production build leaves out, and costs several times the CPU.
 * The health check reports it, so a test can see what `npm start` serves.
 */
export function reactBuild(): "production" | "development" {
  const internals = (React as unknown as Record<string, Record<string, unknown> | undefined>).__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED;
  return internals && "ReactDebugCurrentFrame" in internals ? "development" : "production";
}

const ABORT_DELAY = 5_000;

/**
 * Pages and data requested with a session are that person's alone: no cache (the browser's
 * back-forward and disk caches, a shared proxy) keeps them. Over HTTPS, a session cookie left under
 * the old plain name is removed (app/auth/session.server.ts, staleSessionCookie).
 */
function personalHeaders(request: Request, headers: Headers) {
  if (readSessionToken(request)) headers.set("Cache-Control", "private, no-store");
  const stale = staleSessionCookie(request);
  if (stale) headers.append("Set-Cookie", stale);
}

/** Data requests (`.data`: client navigations, fetchers and form posts) get the same headers as pages. */
export function handleDataRequest(response: Response, { request }: { request: Request }) {
  personalHeaders(request, response.headers);
  return response;
}

/**
 * Server errors are logged with their stack; an address that matches no route is the
 * visitor's mistake (a 404 page), not the server's, and a request the browser
 * abandoned is nobody's: neither is logged beyond its request line.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status === 404) return;
  // A route error response wraps the thrown error (Remix's own handler logs the inner one too).
  const inner = isRouteErrorResponse(error) ? (error as { error?: unknown }).error : undefined;
  console.error(inner ?? error);
};

// Every minute, in whichever server process holds the lease: networks of ended jams, stalled syntheses.
if (process.env.NODE_ENV !== "test") startBackgroundWork();
// In every server process: runs the due jobs it claims (syntheses, network recomputes; app/coordination/jobs.server.ts).
if (process.env.NODE_ENV !== "test") startJobRunner();
// In every server process: sends what the mail outbox holds (app/mail/sender.server.ts).
if (process.env.NODE_ENV !== "test") startMailSender();

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // A form refused with 429 (orFormFailure) renders the page again: no route exports
  // `headers`, so carry the action's Retry-After onto the document response here.
  if (responseStatusCode === 429 && !responseHeaders.has("Retry-After")) {
    for (const headers of Object.values(remixContext.staticHandlerContext.actionHeaders ?? {})) {
      const retryAfter = headers.get("Retry-After");
      if (retryAfter) responseHeaders.set("Retry-After", retryAfter);
    }
  }
  personalHeaders(request, responseHeaders);
  const nonce = loadContext.nonce ?? "";
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Stops a render still going after ABORT_DELAY. Cleared once everything is rendered: a pending
    // timer would keep the whole render (the page's tree and data) alive for those 5 s, and at a
    // few hundred pages a second that is what the garbage collector then has to carry.
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
          );
          pipe(body);
          if (waitForAll) clearTimeout(timer);
        },
        ...(waitForAll ? {} : { onAllReady: () => clearTimeout(timer) }),
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}
