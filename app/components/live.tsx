import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useSyncExternalStore } from "react";

export type LiveHandler = (type: string, data: Record<string, unknown>) => void;

const EVENT_TYPES = [
  "idea.created",
  "idea.changed",
  "comment.created",
  "vote.changed",
  "points.changed",
  "announcement.created",
  "jam.changed",
  "moderation.changed",
] as const;

/**
 * Subscribes the page to its jam's Server-Sent Events from `from`, the stream position its
 * loader read before its data (`livePosition`): what happened between the page's data and the
 * stream opening is replayed, not lost. EventSource reconnects by itself and sends
 * Last-Event-ID, so nothing is missed; if the server can no longer replay (it restarted), it
 * says `reset` and the page reloads its data.
 */
export function useJamEvents(slug: string, from: number, handler: LiveHandler) {
  const latest = useRef(handler);
  latest.current = handler;
  const position = useRef(from);
  position.current = from;
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    // The page's data is as of its position: counts heard on an earlier page are older (the replay brings anything newer).
    liveVotes.clear();
    liveTallies.clear();
    const source = new EventSource(`/jams/${slug}/events?lastEventId=${position.current}`);
    const listeners = EVENT_TYPES.map((type) => {
      const listener = (event: MessageEvent<string>) => {
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse(event.data) as Record<string, unknown>;
        } catch {
          return;
        }
        if (type === "vote.changed") {
          liveVotes.set(Number(data.ideaId), Number(data.voteCount));
          liveTallies.set(Number(data.ideaId), data);
        }
        latest.current(type, data);
      };
      source.addEventListener(type, listener);
      return [type, listener] as const;
    });
    const reset = () => revalidate.current();
    source.addEventListener("reset", reset);
    return () => {
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      source.removeEventListener("reset", reset);
      source.close();
    };
  }, [slug]);
}

/** Revalidates the page's data at most once per `ms`, however many events arrive. */
export function useThrottledRevalidate(ms = 2000) {
  const revalidator = useRevalidator();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      revalidate.current();
    }, ms);
  };
}

/** Vote counts as the live stream last reported them, shared by every vote button. */
const liveVotes = (() => {
  const counts = new Map<number, number>();
  const listeners = new Set<() => void>();
  return {
    set(ideaId: number, count: number) {
      if (!Number.isFinite(ideaId) || !Number.isFinite(count)) return;
      counts.set(ideaId, count);
      for (const l of listeners) l();
    },
    get: (ideaId: number) => counts.get(ideaId),
    clear() {
      counts.clear();
      for (const l of listeners) l();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
})();

export function useLiveVoteCount(ideaId: number): number | undefined {
  return useSyncExternalStore(
    liveVotes.subscribe,
    () => liveVotes.get(ideaId),
    () => undefined,
  );
}

/** Stance and dot tallies as the live stream last reported them (vote.changed in stance and dots challenges). */
export interface LiveTally {
  agreeCount?: number;
  disagreeCount?: number;
  passCount?: number;
  dotCount?: number;
}

const liveTallies = (() => {
  const tallies = new Map<number, LiveTally>();
  const listeners = new Set<() => void>();
  return {
    set(ideaId: number, data: Record<string, unknown>) {
      const tally: LiveTally = {};
      for (const key of ["agreeCount", "disagreeCount", "passCount", "dotCount"] as const) {
        if (typeof data[key] === "number") tally[key] = data[key];
      }
      if (!Number.isFinite(ideaId) || Object.keys(tally).length === 0) return;
      tallies.set(ideaId, { ...tallies.get(ideaId), ...tally });
      for (const l of listeners) l();
    },
    get: (ideaId: number) => tallies.get(ideaId),
    clear() {
      tallies.clear();
      for (const l of listeners) l();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
})();

export function useLiveTally(ideaId: number): LiveTally | undefined {
  return useSyncExternalStore(
    liveTallies.subscribe,
    () => liveTallies.get(ideaId),
    () => undefined,
  );
}
