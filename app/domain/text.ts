import type { z } from "zod";

/** Control characters other than tab and line breaks (NUL among them). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;
/** Line breaks and tabs: allowed in long text only. */
const LINE_CONTROL = /[\t\n\r]/u;
/**
 * Bidirectional embeddings, overrides and isolates: they reorder what a reader sees ("Trojan
 * Source"), so a title could show one thing and say another. The plain marks (U+200E, U+200F)
 * that right-to-left writing uses stay allowed.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** Text that is nothing but spaces, format characters (zero-width and the like) and separators. */
const INVISIBLE_ONLY = /^[\s\p{Cf}\p{Z}\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/**
 * Why a person's text is refused, or null: control characters (NUL), text-direction overrides,
 * or, when it is not empty, nothing a reader can see. `multiline` allows tabs and line breaks.
 */
export function textRefusal(text: string, { multiline = false } = {}): string | null {
  if (CONTROL.test(text) || (!multiline && LINE_CONTROL.test(text))) return "Remove the control characters (such as NUL or line breaks) from the text.";
  if (BIDI_CONTROL.test(text)) return "Remove the invisible text-direction characters: they can make text read differently from what it says.";
  if (text.length > 0 && INVISIBLE_ONLY.test(text)) return "Write something a reader can see: this is only invisible characters.";
  return null;
}

/** A zod string that also refuses what `textRefusal` refuses (one line unless `multiline`). */
export function readableText<T extends z.ZodString>(schema: T, options: { multiline?: boolean } = {}) {
  return schema.superRefine((text, ctx) => {
    const refusal = textRefusal(text, options);
    if (refusal) ctx.addIssue({ code: "custom", message: refusal });
  });
}

/**
 * `text` cut to at most `max` characters for a preview: at the end of a sentence or a word when
 * one is near, never inside one, and marked with "…" when anything was left out.
 */
export function shorten(text: string, max: number): string {
  const clean = text.trim();
  if (clean.length <= max) return clean;
  const room = clean.slice(0, max - 1);
  // A sentence that ends in the last third of the room reads best; else the last whole word.
  const sentence = Math.max(room.lastIndexOf(". "), room.lastIndexOf("! "), room.lastIndexOf("? "));
  if (sentence >= max * 0.66) return `${room.slice(0, sentence + 1)} …`;
  const space = room.search(/\s\S*$/);
  const cut = space >= max * 0.5 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.–—-]+$/u, "")}…`;
}
