import { useFetcher, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { Theme } from "~/domain/appearance";

/**
 * One button that switches between light and dark (the choice is kept in a cookie, so the page is
 * drawn in it from the first byte). Which one it offers depends on what shows now: the chosen
 * theme, or the system's when nothing was chosen (known only in the browser; light before).
 */
export function ThemeToggle({ theme }: { theme: Theme }) {
  const fetcher = useFetcher();
  const location = useLocation();
  const [systemDark, setSystemDark] = useState(false);
  useEffect(() => {
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    setSystemDark(query.matches);
    const changed = () => setSystemDark(query.matches);
    query.addEventListener("change", changed);
    return () => query.removeEventListener("change", changed);
  }, []);
  const pending = fetcher.formData?.get("theme") as Theme | undefined;
  const showing = pending ?? theme;
  const dark = showing === "dark" || (showing === "system" && systemDark);
  const next = dark ? "light" : "dark";
  return (
    <fetcher.Form method="post" action="/appearance" className="theme-toggle">
      <input type="hidden" name="theme" value={next} />
      <input type="hidden" name="returnTo" value={location.pathname + location.search} />
      <button type="submit" className="icon-button" aria-label={`Use the ${next} theme`} title={`Use the ${next} theme`}>
        {dark ? (
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="4.5" fill="currentColor" />
            <path
              d="M12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
            />
          </svg>
        ) : (
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5Z" fill="currentColor" />
          </svg>
        )}
      </button>
    </fetcher.Form>
  );
}
