import { Form, Link, useFetcher, useLocation } from "@remix-run/react";
import { AnimatePresence, motion, useReducedMotion } from "framer-motion";
import { useEffect, useRef, useState } from "react";
import { useHydrated } from "~/components/motion";
import { formatNumber } from "~/domain/numbers";

/**
 * The signed-in person's points. When the total grows (since the last page they
 * saw), a "+N" rises into place just below it (inside the viewport on any screen,
 * the pill being at the top of the page): points earned feel earned.
 */
export function PointsPill({ userId, points }: { userId: number; points: number }) {
  const reduceMotion = useReducedMotion();
  const hydrated = useHydrated();
  const [gain, setGain] = useState(0);
  const key = `jamboree-points-${userId}`;
  const previous = useRef<number | null>(null);
  useEffect(() => {
    const stored = previous.current ?? Number(window.sessionStorage.getItem(key) ?? Number.NaN);
    if (Number.isFinite(stored) && points > stored) setGain(points - stored);
    previous.current = points;
    window.sessionStorage.setItem(key, String(points));
  }, [points, key]);
  useEffect(() => {
    if (gain === 0) return;
    const timer = setTimeout(() => setGain(0), 2500);
    return () => clearTimeout(timer);
  }, [gain]);
  return (
    <span style={{ position: "relative" }}>
      <Link to={`/people/${userId}`} className="points-pill" aria-label={`Your profile: ${formatNumber(points)} points`}>
        <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
          <path d="M12 2l3 6.9 7.5.7-5.7 5 1.7 7.4L12 18.3 5.5 22l1.7-7.4-5.7-5 7.5-.7z" />
        </svg>
        {formatNumber(points)}
      </Link>
      {/* The gain is known only in the browser (from the last total it saw): no AnimatePresence on the server. */}
      {hydrated ? (
        <AnimatePresence>
          {gain > 0 ? (
            <motion.span
              key={`${points}`}
              className="points-gain"
              role="status"
              initial={reduceMotion ? { opacity: 1 } : { opacity: 0, y: 10 }}
              animate={{ opacity: 1, y: 0 }}
              exit={{ opacity: 0 }}
              transition={{ duration: 0.5 }}
            >
              +{gain} points
            </motion.span>
          ) : null}
        </AnimatePresence>
      ) : null}
    </span>
  );
}

export interface UnseenBadge {
  key: string;
  name: string;
  level: number;
  levelName: string;
}

/** More badges than this at once are one toast. */
const MAX_SEPARATE_TOASTS = 2;

/**
 * Toasts for badge levels reached since the person last saw one. Once shown they
 * are marked seen (a POST), so a reload does not repeat them.
 */
export function BadgeToasts({ badges }: { badges: UnseenBadge[] }) {
  const fetcher = useFetcher();
  const location = useLocation();
  const reduceMotion = useReducedMotion();
  const [shown, setShown] = useState<UnseenBadge[]>(badges);
  const acknowledged = useRef(new Set<string>());
  useEffect(() => {
    const fresh = badges.filter((b) => !acknowledged.current.has(`${b.key}:${b.level}`));
    if (fresh.length === 0) return;
    for (const b of fresh) acknowledged.current.add(`${b.key}:${b.level}`);
    setShown((current) => [...current.filter((c) => !fresh.some((f) => f.key === c.key)), ...fresh]);
    fetcher.submit(null, { method: "post", action: "/badges/seen" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [badges]);
  useEffect(() => {
    if (shown.length === 0) return;
    const timer = setTimeout(() => setShown([]), 8000);
    return () => clearTimeout(timer);
  }, [shown]);
  // Many at once (a first sign-in after a busy jam): one toast that names them all, not a stack
  // covering half the page.
  if (shown.length > MAX_SEPARATE_TOASTS) {
    const names = shown.map((b) => `${b.name} (${b.levelName})`);
    return (
      <div className="toasts" aria-live="polite">
        <div className="toast toast--badge toast--badges" role="status">
          <div>
            <strong>{shown.length} badges unlocked</strong>
            <div className="small">{names.join(", ")}</div>
          </div>
          <Form method="post" action="/badges/seen" onSubmit={() => setShown([])}>
            <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
            <button type="submit" className="btn btn--ghost btn--small" aria-label="Dismiss the badges">
              ✕
            </button>
          </Form>
        </div>
      </div>
    );
  }
  return (
    <div className="toasts" aria-live="polite">
      <AnimatePresence>
        {shown.map((b) => (
          <motion.div
            key={`${b.key}:${b.level}`}
            className="toast toast--badge"
            role="status"
            initial={reduceMotion ? false : { opacity: 0, y: 24, scale: 0.9 }}
            animate={{ opacity: 1, y: 0, scale: 1 }}
            exit={reduceMotion ? { opacity: 0 } : { opacity: 0, y: 12 }}
            transition={{ type: "spring", stiffness: 400, damping: 28 }}
          >
            <motion.img
              src={`/badges/${b.key}.svg`}
              alt=""
              width={48}
              height={48}
              initial={reduceMotion ? false : { rotate: -20, scale: 0.6 }}
              animate={{ rotate: 0, scale: 1 }}
              transition={{ type: "spring", stiffness: 300, damping: 12, delay: 0.1 }}
            />
            <div>
              <strong>Badge unlocked: {b.name}</strong>
              <div className="small">{b.levelName}</div>
            </div>
            <Form method="post" action="/badges/seen" onSubmit={() => setShown((s) => s.filter((x) => x !== b))}>
              <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
              <button type="submit" className="btn btn--ghost btn--small" aria-label={`Dismiss ${b.name}`}>
                ✕
              </button>
            </Form>
          </motion.div>
        ))}
      </AnimatePresence>
    </div>
  );
}
