/**
 * What a stream needs of one turn's events: a later event that says the same thing replaces the
 * earlier ones, so a busy moment sends one update, not hundreds. `vote.changed` carries an idea's
 * counts as they now are (the latest per idea is enough); `points.changed` and
 * `moderation.changed` carry nothing but "look again" (the latest is enough). Everything else
 * (new ideas, comments, announcements, jam changes) is kept, in order.
 */
export interface Coalescible {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

function sameAs(event: Coalescible): string | null {
  if (event.type === "points.changed" || event.type === "moderation.changed") return event.type;
  if (event.type === "vote.changed" && event.data.ideaId !== undefined) return `vote.changed:${String(event.data.ideaId)}`;
  return null;
}

/** The events in order, each replaced by the last one that says the same thing (kept at its own place). */
export function coalesce<T extends Coalescible>(events: readonly T[]): readonly T[] {
  if (events.length < 2) return events;
  const last = new Map<string, number>();
  for (const [i, event] of events.entries()) {
    const key = sameAs(event);
    if (key) last.set(key, i);
  }
  if (last.size === 0) return events;
  const kept = events.filter((event, i) => {
    const key = sameAs(event);
    return key === null || last.get(key) === i;
  });
  return kept.length === events.length ? events : kept;
}
