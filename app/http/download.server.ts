type DownloadType = "text/csv" | "text/markdown" | "application/zip";

/** A file download: an attachment with a safe name, never cached by shared caches, never sniffed. */
export function attachment(file: { filename: string; body: string | Uint8Array }, type: DownloadType): Response {
  return new Response(file.body as BodyInit, {
    headers: {
      "Content-Type": type.startsWith("text/") ? `${type}; charset=utf-8` : type,
      "Content-Disposition": `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      ...(typeof file.body === "string" ? {} : { "Content-Length": String(file.body.length) }),
    },
  });
}
