import { useEffect, useState } from "react";

/**
 * A moment shown in the viewer's time zone. The server renders UTC; after
 * hydration the browser re-renders it in local time.
 */
// Building an Intl.DateTimeFormat costs far more than formatting with one: a page
// of idea cards shares a formatter per (with time, zone).
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(withTime: boolean, zone: string | undefined): Intl.DateTimeFormat {
  const key = `${withTime}|${zone ?? ""}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", ...(withTime ? { timeStyle: "short" } : {}), timeZone: zone });
    formats.set(key, format);
  }
  return format;
}

export function LocalTime({ at, withTime = true }: { at: number; withTime?: boolean }) {
  const [zone, setZone] = useState<string | undefined>("UTC");
  useEffect(() => setZone(undefined), []);
  const text = dateFormat(withTime, zone).format(at);
  return (
    <time dateTime={new Date(at).toISOString()} suppressHydrationWarning>
      {text}
      {zone === "UTC" && withTime ? " UTC" : ""}
    </time>
  );
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return "0s";
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m ${sec}s`;
  return `${m}m ${sec}s`;
}

/** Counts down to `to`; when it passes, calls onEnd once (the page reloads its data). */
export function Countdown({ to, now, onEnd }: { to: number; now: number; onEnd?: () => void }) {
  const [current, setCurrent] = useState(now);
  useEffect(() => {
    setCurrent(Date.now());
    const timer = setInterval(() => setCurrent(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = to - current;
  useEffect(() => {
    if (left <= 0) onEnd?.();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [left <= 0]);
  return (
    <span className="countdown" role="timer" aria-live="off" suppressHydrationWarning>
      {formatDuration(left)}
    </span>
  );
}
