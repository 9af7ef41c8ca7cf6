import type { SessionUser } from "~/auth/session.server";
import { jamEventStream } from "~/live/sse.server";
import { findVisibleJam } from "./jams.server";

/** The live event stream of a jam the viewer may see. */
export function openJamEvents(viewer: SessionUser, slug: string, request: Request): Response {
  const jam = findVisibleJam(viewer, slug);
  return jamEventStream(request, jam.id);
}
