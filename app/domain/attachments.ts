/**
 * Attachments, the pure rules: what a file is, judged by its content alone (never its name or the
 * type the browser claims), what it may be called, and how its name travels in a header.
 * No I/O here: the store and the image scaling are app/services/effects/attachment-store.server.ts and app/services/commands/attachments.server.ts.
 */
import { unzipSync } from "fflate";
/** The types an attachment may have, as its content was checked (never the name or the browser's word). */
export const ATTACHMENT_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "text/plain",
  "text/csv",
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** What the upload form and the pages say each type is, and the extensions its names may keep. */
export const TYPE_INFO: Record<AttachmentType, { label: string; kind: "image" | "document"; extensions: string[] }> = {
  "image/png": { label: "PNG image", kind: "image", extensions: ["png"] },
  "image/jpeg": { label: "JPEG image", kind: "image", extensions: ["jpg", "jpeg"] },
  "image/gif": { label: "GIF image", kind: "image", extensions: ["gif"] },
  "image/webp": { label: "WebP image", kind: "image", extensions: ["webp"] },
  "application/pdf": { label: "PDF document", kind: "document", extensions: ["pdf"] },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { label: "Word document", kind: "document", extensions: ["docx"] },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { label: "Excel workbook", kind: "document", extensions: ["xlsx"] },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": { label: "PowerPoint presentation", kind: "document", extensions: ["pptx"] },
  "text/plain": { label: "Text file", kind: "document", extensions: ["txt", "text", "md", "log"] },
  "text/csv": { label: "CSV file", kind: "document", extensions: ["csv"] },
};

/** What the form's file picker suggests (a hint for the browser; the server checks the content). */
export const ACCEPT = ".png,.jpg,.jpeg,.gif,.webp,.pdf,.docx,.xlsx,.pptx,.txt,.csv,image/png,image/jpeg,image/gif,image/webp";

/** The sentence a refusal of a file's type says. */
export const TYPES_SENTENCE = "images (PNG, JPEG, GIF, WebP), PDF, Word, Excel and PowerPoint files (.docx, .xlsx, .pptx), and plain text or CSV";

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The Office Open XML main parts that make a zip a .docx, .xlsx or .pptx (macro-enabled ones are refused). */
const OFFICE_MAIN_PARTS: [string, AttachmentType][] = [
  ["application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
  ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  ["application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"],
];
/** The most [Content_Types].xml may unpack to (it is a few KB in real files): a bigger one is a zip bomb, not a document. */
const CONTENT_TYPES_MAX = 256 * 1024;

/** A zip's Office type from its [Content_Types].xml, or null (not Office, macro-enabled, damaged, or a bomb). */
function officeType(bytes: Uint8Array): AttachmentType | null {
  let xml: string;
  try {
    const files = unzipSync(bytes, {
      filter: (f) => f.name === "[Content_Types].xml" && f.originalSize <= CONTENT_TYPES_MAX && f.size <= CONTENT_TYPES_MAX,
    });
    const part = files["[Content_Types].xml"];
    if (!part || part.length > CONTENT_TYPES_MAX) return null;
    xml = new TextDecoder("utf-8", { fatal: true }).decode(part);
  } catch {
    return null;
  }
  // Macro-enabled documents (docm, xlsm, pptm) name a macroEnabled main part: never accepted.
  if (/macroEnabled/i.test(xml) || /vbaProject/i.test(xml)) return null;
  const found = OFFICE_MAIN_PARTS.filter(([part]) => xml.includes(`ContentType="${part}"`));
  return found.length === 1 ? found[0]![1] : null;
}

/** Markup a browser could render as a page or a picture: refused even when it is valid text. */
const MARKUP = /<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|meta|\?xml|xml|a\s|img\s|style)/i;

/** Plain text: valid UTF-8, no NUL or other control characters but tab, line breaks and form feed, and no markup. */
function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text)) return false;
  const start = text.trimStart();
  if (start.startsWith("<")) return false;
  return !MARKUP.test(text);
}

/**
 * What a file is, by its content: the type, or null for anything not accepted (SVG, HTML, scripts,
 * executables, archives, macro-enabled Office files, a `.png` that is not an image...). `name` only
 * tells a CSV from other text (both are text either way).
 */
export function sniffType(bytes: Uint8Array, name: string): AttachmentType | null {
  if (bytes.length === 0) return null;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeType(bytes);
  if (isPlainText(bytes)) return /\.csv$/i.test(name) ? "text/csv" : "text/plain";
  return null;
}

/** The type a name's extension claims (`x.png` claims a PNG image), or null for an extension of no accepted type. */
export function claimedType(name: string): AttachmentType | null {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name.trim())?.[1]?.toLowerCase();
  if (!ext) return null;
  const found = (Object.entries(TYPE_INFO) as [AttachmentType, (typeof TYPE_INFO)[AttachmentType]][]).find(([, info]) => info.extensions.includes(ext));
  return found ? found[0] : null;
}

/**
 * Whether a file's name lies about what it is: it claims an accepted type that its content is not
 * (`x.png` holding text). An image named as another image format is only misnamed (renamed as what
 * it is); a name with no accepted extension claims nothing.
 */
export function nameLies(name: string, type: AttachmentType): AttachmentType | null {
  const claimed = claimedType(name);
  if (!claimed || claimed === type) return null;
  if (TYPE_INFO[claimed].kind === "image" && TYPE_INFO[type].kind === "image") return null;
  if (claimed.startsWith("text/") && type.startsWith("text/")) return null;
  return claimed;
}

export function isImageType(type: AttachmentType): boolean {
  return TYPE_INFO[type].kind === "image";
}

/** At most this many characters of an uploaded name are kept. */
export const NAME_MAX = 120;

/**
 * The name an attachment is shown and downloaded under: the uploaded name's last path segment,
 * without control, bidi-override or path characters, at most NAME_MAX characters, ending in an
 * extension of its checked type (a PNG named `report.html` becomes `report.html.png`). It is only
 * ever a label: files on disk are named by a random id.
 */
export function cleanName(raw: string, type: AttachmentType): string {
  const base = (raw.split(/[/\\]/).pop() ?? "")
    .normalize("NFC")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200E\u200F"*:<>?|]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const { extensions } = TYPE_INFO[type];
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(base)?.[1]?.toLowerCase();
  const stem = base === "" ? "attachment" : base;
  const named = ext && extensions.includes(ext) ? stem : `${stem}.${extensions[0]}`;
  if (named.length <= NAME_MAX) return named;
  const suffix = `.${ext && extensions.includes(ext) ? ext : extensions[0]}`;
  return `${[...stem].slice(0, NAME_MAX - suffix.length - 1).join("")}…${suffix}`;
}

/**
 * A Content-Disposition header (RFC 6266) for a name: an ASCII fallback in `filename` (quotes,
 * backslashes and anything outside printable ASCII replaced) and the exact name in `filename*`
 * (RFC 5987 percent-encoding), so no name can add a header or a parameter.
 */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const fallback = name.replace(/[^\x20-\x7E]/g, "_").replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A size as people read it: 820 bytes, 14 KB, 3.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1).replace(/\.0$/, "") : Math.round(mb)} MB`;
}

/** A storage id: 32 lower-case hex characters. Anything else is not an attachment's address. */
export const STORAGE_ID = /^[0-9a-f]{32}$/;
