import { readSessionToken, validateSessionToken, type SessionUser } from "~/auth/session.server";
import { closeStreamSlot, openStreamSlot, renewStreamSlot } from "~/coordination/shared.server";
import { jamEventStream } from "~/live/sse.server";
import { TooManyRequests } from "~/services/errors";
import { canSeeJam, findVisibleJam } from "~/services/lookups/visibility.server";
import { db } from "~db/client";

/** At most this many live streams open at once per person, across every server process. */
export const LIVE_STREAMS_PER_PERSON = 20;

/**
 * How often an open stream checks that its reader is still signed in and may still see the jam
 * (it also checks on every change to the jam): LIVE_RECHECK_MS, 30 s unless set.
 */
export function liveRecheckMs(): number {
  return Number(process.env.LIVE_RECHECK_MS) || 30_000;
}

/**
 * The live event stream of a jam the viewer may see, for as long as they may: it ends once their
 * session ends (signed out, expired) or the jam is no longer theirs to see (back to draft, say).
 * Each stream holds one of the person's LIVE_STREAMS_PER_PERSON places, renewed at every check;
 * the place of a stream whose process died frees itself after three missed checks.
 */
export async function openJamEvents(viewer: SessionUser, slug: string, request: Request): Promise<Response> {
  const conn = db();
  const jam = await findVisibleJam(conn, viewer, slug, { communityBox: true });
  const token = readSessionToken(request);
  const everyMs = liveRecheckMs();
  const ttlMs = 3 * everyMs;
  const slot = await openStreamSlot(viewer.id, LIVE_STREAMS_PER_PERSON, ttlMs);
  if (!slot) {
    throw new TooManyRequests(
      `You already have ${LIVE_STREAMS_PER_PERSON} live pages open. Close some of your Jamboree tabs, then reload this page.`,
      Math.ceil(everyMs / 1000),
    );
  }
  return jamEventStream(request, jam.id, {
    everyMs,
    async stillAllowed() {
      const current = token ? await validateSessionToken(token) : null;
      if (current?.id !== viewer.id || !await canSeeJam(conn, current, jam.id)) return false;
      await renewStreamSlot(conn, slot, viewer.id, ttlMs);
      return true;
    },
    onEnd: () => void closeStreamSlot(conn, slot).catch((error: unknown) => console.error("could not close a live stream's registration", error)),
  });
}
