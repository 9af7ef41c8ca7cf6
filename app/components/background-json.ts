import { useEffect, useState } from "react";

/**
 * Background reads for pages where people type (similar ideas, a run's progress).
 *
 * They go straight to a resource route with `fetch`, never through the router: a
 * router fetcher's failure goes to the route's error boundary and replaces the whole
 * page, and a fetcher whose route was still being discovered when a form was posted
 * fails with "No route matches URL" on the revalidation that follows (the page, and
 * what the person was typing, were lost that way). Here a failure is only a value.
 */

/** GET `url` as JSON; `null` when the request fails, answers an error status or is not JSON. Never throws, except when aborted. */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T | null> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { Accept: "application/json" }, credentials: "same-origin" });
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
  if (!response.ok) return null;
  try {
    return (await response.json()) as T;
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
}

export type BackgroundJson<T> = { state: "idle" } | { state: "loading"; data: T | null } | { state: "done"; data: T } | { state: "failed" };

/**
 * The JSON at `url`, read `delayMs` after the url last changed (so typing does not
 * send a request per key). A new url aborts the previous request; `null` reads nothing.
 */
export function useBackgroundJson<T>(url: string | null, delayMs = 0): BackgroundJson<T> {
  const [result, setResult] = useState<BackgroundJson<T>>({ state: "idle" });
  useEffect(() => {
    if (!url) {
      setResult({ state: "idle" });
      return;
    }
    const controller = new AbortController();
    // Keep what was shown while the next answer comes, so a list does not blink on every key.
    setResult((previous) => ({ state: "loading", data: previous.state === "done" || previous.state === "loading" ? previous.data : null }));
    const timer = setTimeout(() => {
      fetchJson<T>(url, controller.signal).then(
        (data) => setResult(data === null ? { state: "failed" } : { state: "done", data }),
        () => undefined, // aborted: a newer url took over
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [url, delayMs]);
  return result;
}
