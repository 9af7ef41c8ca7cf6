import type { LoaderFunctionArgs } from "@remix-run/node";
import { NotFound } from "~/services/errors";
import { calendarFeed } from "~/services/pages/jellies.server";

/**
 * A person's calendar feed, `/calendar/<token>.ics`: no session (calendar apps have none), the
 * secret token is the key. Anything wrong is the same plain 404, so a guess learns nothing.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const raw = params.token ?? "";
  const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  if (!raw.endsWith(".ics")) return notFound();
  try {
    const body = await calendarFeed(raw.slice(0, -4), new URL(request.url).origin);
    return new Response(body, {
      headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" },
    });
  } catch (error) {
    if (error instanceof NotFound) return notFound();
    throw error;
  }
}
