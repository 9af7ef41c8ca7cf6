import { POINT_REASONS } from "~/domain/points";

/**
 * Turns the jam form's fields into the service's input. Times arrive as
 * `datetime-local` values plus the browser's offset from UTC in minutes.
 * Challenge rows are named `challenges.N.title` / `.question` / `.id` (and
 * `.voteMode`, `.dotBudget`, `.dotMaxPerIdea`); a row whose title, question and
 * id are blank is ignored (its voting choices always have a value).
 */
export function localToEpoch(value: string | undefined, tzOffsetMinutes: number): number | undefined {
  const m = value?.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(utc) ? undefined : utc + tzOffsetMinutes * 60_000;
}

export function jamInputFromForm(values: Record<string, string>) {
  const offset = Number.parseInt(values.tzOffset ?? "0", 10);
  const tz = Number.isFinite(offset) && Math.abs(offset) <= 14 * 60 ? offset : 0;
  type RowField = "id" | "title" | "question" | "voteMode" | "dotBudget" | "dotMaxPerIdea";
  const rows = new Map<number, Partial<Record<RowField, string>>>();
  for (const [key, value] of Object.entries(values)) {
    const m = key.match(/^challenges\.(\d{1,2})\.(id|title|question|voteMode|dotBudget|dotMaxPerIdea)$/);
    if (!m) continue;
    const index = Number(m[1]);
    const row = rows.get(index) ?? {};
    row[m[2] as RowField] = value;
    rows.set(index, row);
  }
  const kept = [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, r]) => (r.title ?? "").trim() !== "" || (r.question ?? "").trim() !== "" || r.id);
  // An empty number box is reported (NaN), not read as 0; dot settings count only for a dots challenge.
  const dotNumber = (r: Partial<Record<RowField, string>>, v: string | undefined) =>
    r.voteMode !== "dots" || v === undefined ? undefined : v.trim() === "" ? Number.NaN : Number(v);
  const challenges = kept.map(([, r]) => ({
    id: r.id || undefined,
    title: r.title ?? "",
    question: r.question ?? "",
    voteMode: r.voteMode || undefined,
    dotBudget: dotNumber(r, r.dotBudget),
    dotMaxPerIdea: dotNumber(r, r.dotMaxPerIdea),
  }));
  // Whether a jam is a draft is never the form's to say: new jams are drafts, scheduling is its own step.
  return {
    title: values.title,
    slug: values.slug,
    description: values.description,
    startsAt: localToEpoch(values.startsAt, tz),
    endsAt: localToEpoch(values.endsAt, tz),
    challenges,
    points: pointsFromForm(values),
  };
}

/** The jam form's "Points and leaderboards" fields (`points.<rule>`), or undefined when the form has none. */
function pointsFromForm(values: Record<string, string>) {
  if (values["points.dailyCap"] === undefined) return undefined;
  const prefixed = Object.fromEntries(
    Object.entries(values).flatMap(([k, v]) => (k.startsWith("points.") ? [[k.slice("points.".length), v]] : [])),
  );
  return gamificationInputFromForm(prefixed);
}

/** Field errors name challenges by their place among the kept rows; the form names them by row. */
export function errorsByFormRow(fieldErrors: Record<string, string[]>, values: Record<string, string>) {
  const formRows = [
    ...new Set(
      Object.keys(values).flatMap((k) => {
        const m = k.match(/^challenges\.(\d{1,2})\.(id|title|question)$/);
        const v = m ? values[k]!.trim() : "";
        return m && v !== "" ? [Number(m[1])] : [];
      }),
    ),
  ].sort((a, b) => a - b);
  return Object.fromEntries(
    Object.entries(fieldErrors).map(([key, messages]) => {
      const m = key.match(/^challenges\.(\d+)\.(.+)$/);
      return m ? [`challenges.${formRows[Number(m[1])] ?? m[1]}.${m[2]}`, messages] : [key, messages];
    }),
  );
}

/** The point-rules form: numbers per rule (an empty box stays empty, so it is reported, not read as 0). */
export function gamificationInputFromForm(values: Record<string, string>) {
  const number = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : Number(v));
  return {
    ...Object.fromEntries(POINT_REASONS.map((r) => [r, number(values[r])])),
    dailyCap: number(values.dailyCap),
    leaderboardsHidden: values.leaderboardsHidden === "on",
  };
}
