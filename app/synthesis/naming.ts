/**
 * Names a leader reads: a theme's title is what one of its people actually wrote (the
 * title of the representative idea that carries most of the theme's keywords, so the
 * title says what the keywords say), and its summary is one sentence drawn from the
 * representative ideas. The keywords stay beside them as chips. Pure; no model.
 */
import { porterStem } from "./stem";
import { tokenize } from "./tokenize";

export interface NamedIdea {
  /** The idea's title (its first line). */
  title: string;
  /** The rest of what was written. */
  body: string;
}

export interface ThemeName {
  title: string;
  summary: string;
}

const MAX_TITLE = 80;
const MAX_SUMMARY = 200;

/** Cuts text at a word boundary to at most `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.!?-]+$/, "")}…`;
}

/** The first sentence of a text (up to . ! or ? followed by a space or the end), or the text itself. */
export function firstSentence(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const match = clean.match(/^.+?[.!?](?=\s|$)/);
  return match ? match[0] : clean;
}

const stems = (text: string) => new Set(tokenize(text).map(porterStem));

/** "Suggestion: let customers…" reads as "Let customers…" in a theme's title. */
const LEAD_IN = /^(?:suggestion|proposal|idea|request|question|feedback|thought|proposed)s?\s*[:\-–—]\s*/i;

/** A title without a lead-in label, starting with a capital. */
export function withoutLeadIn(title: string): string {
  const rest = title.trim().replace(LEAD_IN, "");
  return rest === "" ? title.trim() : rest.charAt(0).toUpperCase() + rest.slice(1);
}

/**
 * Title and summary for a theme from its representative ideas (most representative first)
 * and its keywords (strongest first). The title is a representative's own title: the one
 * that mentions most of the top keywords (the earlier one on a tie). The summary is the
 * first sentence of that idea's description, or, without one, the next representative's
 * title; "" when there is nothing else to say. A title in `taken` (another theme's, say the
 * top-level theme above this one) is passed over while another representative is left.
 */
export function nameTheme(
  representatives: readonly NamedIdea[],
  keywords: readonly string[],
  fallback: string,
  taken: ReadonlySet<string> = new Set(),
): ThemeName {
  const written = representatives.slice(0, 5).filter((r) => r.title.trim() !== "");
  const fresh = written.filter((r) => !taken.has(clip(withoutLeadIn(r.title), MAX_TITLE)));
  const candidates = fresh.length > 0 ? fresh : written;
  if (candidates.length === 0) return { title: clip(fallback, MAX_TITLE), summary: "" };
  const top = keywords.slice(0, 4).map((k) => stems(k));
  const coverage = (r: NamedIdea) => {
    const words = stems(r.title);
    return top.filter((k) => [...k].every((w) => words.has(w))).length;
  };
  let best = candidates[0]!;
  let bestScore = coverage(best);
  for (const r of candidates.slice(1)) {
    const score = coverage(r);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  const title = clip(withoutLeadIn(best.title), MAX_TITLE);
  const sentence = firstSentence(best.body);
  const other = candidates.find((r) => r !== best && clip(withoutLeadIn(r.title), MAX_TITLE) !== title);
  const summary = sentence !== "" ? sentence : other ? `Also: “${clip(withoutLeadIn(other.title), MAX_TITLE)}”.` : "";
  return { title, summary: clip(summary, MAX_SUMMARY) };
}

/**
 * A top-level theme that holds sub-themes is named for what they share, not after one idea (its
 * sub-themes are): its two strongest keywords as people wrote them, "Onboarding and pricing".
 * Falls back to nameTheme's choice when there are no keywords.
 */
export function nameGroup(representatives: readonly NamedIdea[], keywords: readonly string[], fallback: string): ThemeName {
  const named = nameTheme(representatives, keywords, fallback);
  const words = keywords.slice(0, 2).filter((k) => k.trim() !== "");
  if (words.length === 0) return named;
  const phrase = words.join(" and ");
  return { title: clip(phrase.charAt(0).toUpperCase() + phrase.slice(1), MAX_TITLE), summary: named.summary };
}
