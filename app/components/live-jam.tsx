import { AnimatePresence, motion, useReducedMotion } from "framer-motion";
import { useEffect, useState } from "react";
import { useJamEvents, type LiveHandler } from "~/components/live";
import { useHydrated } from "~/components/motion";

interface Announcement {
  id: number;
  body: string;
  challengeId: number | null;
}

/**
 * Connects a jam page to the live stream (from the page's position) and pops up announcements as they are
 * posted (only those for the whole jam or for `challengeId`). Other events go to
 * `onEvent`.
 */
export function LiveJam({
  slug,
  from,
  challengeId,
  onEvent,
}: {
  slug: string;
  /** The stream position the page's loader read first (`livePosition`). */
  from: number;
  challengeId?: number;
  onEvent?: LiveHandler;
}) {
  const reduceMotion = useReducedMotion();
  const hydrated = useHydrated();
  const [shown, setShown] = useState<Announcement[]>([]);
  useJamEvents(slug, from, (type, data) => {
    if (type === "announcement.created") {
      const a = { id: Number(data.id), body: String(data.body ?? ""), challengeId: (data.challengeId as number | null) ?? null };
      if (a.challengeId === null || challengeId === undefined || a.challengeId === challengeId) {
        setShown((s) => [...s.filter((x) => x.id !== a.id), a]);
      }
    }
    onEvent?.(type, data);
  });
  useEffect(() => {
    if (shown.length === 0) return;
    const timer = setTimeout(() => setShown((s) => s.slice(1)), 12_000);
    return () => clearTimeout(timer);
  }, [shown]);
  return (
    <div className="toasts toasts--top" aria-live="assertive">
      {/* Nothing to show until the stream brings an announcement: no AnimatePresence to render on the server. */}
      {hydrated ? (
        <AnimatePresence>
          {shown.map((a) => (
            <motion.div
              key={a.id}
              className="toast toast--announcement"
              role="alert"
              initial={reduceMotion ? false : { opacity: 0, y: -16 }}
              animate={{ opacity: 1, y: 0 }}
              exit={{ opacity: 0 }}
            >
              <div className="row" style={{ justifyContent: "space-between", flexWrap: "nowrap" }}>
                <div>
                  <strong>Announcement</strong>
                  <div className="user-text">{a.body}</div>
                </div>
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  aria-label="Dismiss announcement"
                  onClick={() => setShown((s) => s.filter((x) => x.id !== a.id))}
                >
                  ✕
                </button>
              </div>
            </motion.div>
          ))}
        </AnimatePresence>
      ) : null}
    </div>
  );
}
