/**
 * The review forms' fields as the review services take them: criteria come as numbered rows
 * (`criterion-0-name`, `criterion-0-weight`, …; a row with no name is left out), picked ideas as
 * one checkbox each (`pick-12`), and scores as one choice per criterion (`score-7`).
 */
import { MAX_CRITERIA } from "~/domain/evaluation";

const PICK = /^pick-(\d{1,12})$/;
const SCORE = /^score-(.{1,20})$/;

export function openReviewInputFromForm(values: Record<string, string>) {
  const criteria: { name: string; description: string; weight: string }[] = [];
  // One more than allowed, so a forged extra row is reported rather than dropped.
  for (let i = 0; i <= MAX_CRITERIA; i++) {
    const name = values[`criterion-${i}-name`];
    if (name === undefined || name.trim() === "") continue;
    criteria.push({ name, description: values[`criterion-${i}-description`] ?? "", weight: values[`criterion-${i}-weight`] ?? "" });
  }
  const picked = Object.keys(values)
    .map((k) => k.match(PICK)?.[1])
    .filter((id): id is string => id !== undefined && values[`pick-${id}`] === "on");
  return { ...values, criteria, picked };
}

/** Criterion rows' errors ("criteria.1.weight") back on the form's own fields ("criterion-1-weight"). */
export function criterionFieldErrors(fieldErrors: Record<string, string[]>, values: Record<string, string>) {
  const rows: number[] = [];
  for (let i = 0; i <= MAX_CRITERIA; i++) if ((values[`criterion-${i}-name`] ?? "").trim() !== "") rows.push(i);
  return Object.fromEntries(
    Object.entries(fieldErrors).map(([key, messages]) => {
      const m = key.match(/^criteria\.(\d+)\.(name|description|weight)$/);
      return m ? [`criterion-${rows[Number(m[1])] ?? m[1]}-${m[2]}`, messages] : [key, messages];
    }),
  );
}

export function scoresFromForm(values: Record<string, string>) {
  const scores: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const m = key.match(SCORE);
    if (m) scores[m[1]!] = value;
  }
  return { scores, comment: values.comment ?? "" };
}
