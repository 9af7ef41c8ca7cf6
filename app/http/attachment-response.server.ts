/**
 * The answer to a request for an attachment's file: the file from disk with headers that keep it
 * a file (never a page of this site), or one plain 404 for anything the viewer may not read, a
 * malformed address, a removed or erased file and an id that never existed alike (so ids cannot be
 * probed).
 */
import { createReadStream, statSync } from "node:fs";
import { createReadableStreamFromReadable } from "@remix-run/node";
import type { SessionUser } from "~/auth/session.server";
import { attachmentFile } from "~/services/pages/attachments.server";
import { NotFound } from "~/services/errors";

/** A sandbox for whatever a browser does with the file: no scripts, no plugins, no requests, no framing. */
export const ATTACHMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

const COMMON = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": ATTACHMENT_CSP,
  "Cross-Origin-Resource-Policy": "same-origin",
  "Referrer-Policy": "no-referrer",
};

export function notFoundResponse() {
  return new Response("Not found.", {
    status: 404,
    headers: { ...COMMON, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}

export async function attachmentResponse(viewer: SessionUser, params: { id?: string; variant?: string }): Promise<Response> {
  let file;
  try {
    file = await attachmentFile(viewer, { storageId: params.id ?? "", variant: params.variant });
  } catch (error) {
    if (error instanceof NotFound) return notFoundResponse();
    throw error;
  }
  let size: number;
  try {
    size = statSync(file.path).size;
  } catch {
    return notFoundResponse();
  }
  return new Response(createReadableStreamFromReadable(createReadStream(file.path)), {
    status: 200,
    headers: {
      ...COMMON,
      "Content-Type": file.contentType,
      "Content-Length": String(size),
      "Content-Disposition": file.disposition,
      // The viewer's own copy for a while (it follows their access), never a shared cache's.
      "Cache-Control": "private, max-age=600",
    },
  });
}
