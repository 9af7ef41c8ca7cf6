/** A file download: an attachment with a safe name, never cached by shared caches, never sniffed. */
export function attachment(file: { filename: string; body: string }, type: "text/csv" | "text/markdown"): Response {
  return new Response(file.body, {
    headers: {
      "Content-Type": `${type}; charset=utf-8`,
      "Content-Disposition": `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
