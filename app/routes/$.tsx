import type { LoaderFunctionArgs } from "@remix-run/node";

/**
 * Any address no other route matches: a 404 inside the normal layout (the root's loader has run,
 * so a signed-in person keeps their header), drawn by the root's error boundary.
 */
export function loader(_args: LoaderFunctionArgs): never {
  throw new Response("There is no page at this address. It may have moved, or the link may be mistyped.", { status: 404 });
}

export default function NotFoundPage() {
  return null;
}
