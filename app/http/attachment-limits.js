// The limits of attachments (plain JS: server.js's body limits read them before any build), from
// the settings ATTACHMENT_MAX_MB, ATTACHMENT_MAX_FILES, ATTACHMENT_DAILY_MB and ATTACHMENT_MAX_PIXELS.
// Read at each call, so a test can set them; a value that is not a positive number is the default.

const MB = 1024 * 1024;

function positive(raw, fallback, max) {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(n) && n > 0 ? Math.min(n, max) : fallback;
}

/** The limits in force now. */
export function attachmentLimits(env = process.env) {
  return {
    /** The most bytes one file may have (default 10 MB, at most 100 MB). */
    fileBytes: Math.floor(positive(env.ATTACHMENT_MAX_MB, 10, 100) * MB),
    /** The most files an idea may carry (default 5, at most 20). */
    filesPerIdea: Math.floor(positive(env.ATTACHMENT_MAX_FILES, 5, 20)),
    /** The most bytes one person may upload in 24 hours (default 50 MB). */
    dailyBytes: Math.floor(positive(env.ATTACHMENT_DAILY_MB, 50, 10_000) * MB),
    /** The most pixels an image may decode to (default 40 million, a 7,000 × 5,700 photo): past it, a decompression bomb. */
    pixels: Math.floor(positive(env.ATTACHMENT_MAX_PIXELS, 40_000_000, 268_000_000)),
  };
}

/** The most a form that carries attachments may send: every file at its limit, plus 64 KB of text and multipart framing. */
export function attachmentBodyLimit(env = process.env) {
  const limits = attachmentLimits(env);
  return limits.filesPerIdea * limits.fileBytes + 64 * 1024;
}
