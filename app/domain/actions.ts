/**
 * Follow-up actions: their statuses, how a due date is read from a form, and
 * what contributors are told when an action their idea fed moves on. Pure.
 */
export const ACTION_STATUSES = ["proposed", "approved", "in_progress", "done", "declined"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  proposed: "Proposed",
  approved: "Approved",
  in_progress: "In progress",
  done: "Done",
  declined: "Declined",
};

/** What people who cannot see a theme's synthesis version read instead of its label. */
export const UNPUBLISHED_THEME_LABEL = "A theme from this jam's synthesis (not published)";

/** Statuses after which nothing is due any more. */
export function isClosed(status: ActionStatus) {
  return status === "done" || status === "declined";
}

export function isOverdue(action: { status: ActionStatus; dueDate: number | null }, now: number) {
  return action.dueDate !== null && !isClosed(action.status) && action.dueDate + 86_400_000 <= now;
}

/**
 * A due date is a calendar day: a `date` input's `YYYY-MM-DD` is stored as that
 * day's UTC midnight, and shown in UTC, so it is the same day for everyone.
 * Returns null for an empty value, undefined for one that is not a date.
 */
export function parseDueDate(value: unknown): number | null | undefined {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number") return Number.isFinite(value) ? Math.floor(value / 86_400_000) * 86_400_000 : undefined;
  if (typeof value !== "string") return undefined;
  const m = value.trim().match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(y, mo - 1, d);
  const check = new Date(at);
  // 2025-02-31 is not a day.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return at;
}

/** `YYYY-MM-DD` of a stored due date (the value a `date` input takes). */
export function dueDateInputValue(dueDate: number | null): string {
  return dueDate === null ? "" : new Date(dueDate).toISOString().slice(0, 10);
}

/** A due date for people: "12 Jun 2025" (the stored UTC day, whatever the viewer's zone). */
export function formatDueDate(dueDate: number): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(dueDate);
}

/** The in-app message an idea's author gets when an action it fed is created or changes status. */
export function actionNotice(input: {
  status: ActionStatus;
  actionTitle: string;
  ideaTitles: string[];
  declineReason?: string | null;
  /** The one anonymous idea this notice is about (each anonymous idea is told on its own). */
  anonymous?: boolean;
}): string {
  const [first = "", ...rest] = input.ideaTitles;
  const yourIdeas =
    rest.length === 0 ? `your ${input.anonymous ? "anonymous idea" : "idea"} “${first}”` : `your ideas “${first}” and ${rest.length} more`;
  const Your = yourIdeas.charAt(0).toUpperCase() + yourIdeas.slice(1);
  const title = input.actionTitle;
  switch (input.status) {
    case "proposed":
      return `${Your} fed a proposed action: ${title}`;
    case "approved":
      return `${Your} ${rest.length === 0 ? "is" : "are"} now part of an approved action: ${title}`;
    case "in_progress":
      return `Work has started on an action ${yourIdeas} fed: ${title}`;
    case "done":
      return `An action ${yourIdeas} fed is done: ${title}`;
    case "declined":
      return `An action ${yourIdeas} fed was declined: ${title}${input.declineReason ? `. Reason: ${input.declineReason}` : ""}`;
  }
}
