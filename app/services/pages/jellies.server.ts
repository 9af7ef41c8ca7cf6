import { count, and, eq, isNotNull, sql, asc, gt, or, inArray } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { type CalendarEvent, calendar } from "~/domain/ical";
import { utcToZonedTime, checkInWindow, jellyEnd, jellyState } from "~/domain/jellies";
import { MINUTE } from "~/domain/rate-limits";
import type { Jelly } from "~/services/commands/jellies.server";
import type { JelliesTab } from "~/services/lookups/jellies.server";
import { resolveOrigin, requireHost, goingCount, boxOfJelly, creditable, hashToken, calendarFeedStatus, findJelly, jellyList } from "~/services/lookups/jellies.server";
import { Invalid, NotFound } from "~/services/errors";
import { communitiesToPostIn, readableCommunitySql, mayReadJamContent } from "~/services/lookups/community-access.server";
import { visibleTheme } from "~/services/lookups/follows.server";
import { db } from "~db/client";
import { jellyRsvps, jellies, users, jams, jellyIdeas, calendarFeeds } from "~db/schema";

/**
 * The proposal form: what it grows from, a default time zone, and the communities the viewer may
 * propose it for (from a community's page, that community; a community they may not post in is not found).
 */
export async function proposeJellyPage(viewer: SessionUser, query: { theme?: string | null; with?: string | null; community?: string | null }) {
  const conn = db();
  let origin;
  try {
    origin = await resolveOrigin(conn, viewer, { themeId: query.theme, withId: query.with, communityId: query.community });
  } catch (error) {
    if (error instanceof Invalid) throw new NotFound("No such community.");
    throw error;
  }
  return { origin, communities: await communitiesToPostIn(conn, viewer.id), timeZones: Intl.supportedValuesOf("timeZone") };
}

/** The edit form's values for the host. */
export async function editJellyPage(viewer: SessionUser, id: number) {
  const conn = db();
  const jelly = await findJelly(conn, viewer, id);
  requireHost(jelly, viewer);
  const { date, time } = utcToZonedTime(jelly.startsAt, jelly.timeZone);
  return {
    jelly: { id: jelly.id, title: jelly.title, status: jelly.status },
    values: {
      title: jelly.title,
      about: jelly.about,
      date,
      time,
      timeZone: jelly.timeZone,
      durationMinutes: String(jelly.durationMinutes),
      place: jelly.place ?? "",
      callLink: jelly.callLink ?? "",
      capacity: String(jelly.capacity),
    },
    going: await goingCount(conn, jelly.id),
    timeZones: Intl.supportedValuesOf("timeZone"),
  };
}

/** The host's screen with the code in large type, while it is valid. */
export async function checkInCodePage(viewer: SessionUser, id: number, now = Date.now()) {
  const conn = db();
  const jelly = await findJelly(conn, viewer, id);
  requireHost(jelly, viewer);
  const window = jelly.status === "cancelled" ? "closed" : checkInWindow(jelly, now);
  const checkedIn =
    (await conn
      .select({ n: count() })
      .from(jellyRsvps)
      .where(and(eq(jellyRsvps.jellyId, id), isNotNull(jellyRsvps.checkedInAt)))
      .get())?.n ?? 0;
  return {
    jelly: { id: jelly.id, title: jelly.title, startsAt: jelly.startsAt, endsAt: jellyEnd(jelly), timeZone: jelly.timeZone, status: jelly.status },
    window,
    code: window === "open" ? jelly.checkInCode : null,
    opensAt: jelly.startsAt - 30 * MINUTE,
    checkedIn,
    going: await goingCount(conn, id),
  };
}

export async function jelliesPage(viewer: SessionUser, query: { tab?: string | null; page?: string | null; theme?: string | null }, now = Date.now()) {
  const tab: JelliesTab = query.tab === "mine" || query.tab === "past" ? query.tab : "upcoming";
  const conn = db();
  // Narrowed to one theme's jellies: only a published theme the viewer may see (else not found).
  const themeId = Number(query.theme);
  let theme: { id: number; label: string; jamSlug: string } | null = null;
  if (query.theme) {
    if (!Number.isInteger(themeId) || themeId <= 0) throw new NotFound("No such theme.");
    const t = await visibleTheme(conn, viewer, themeId);
    if (t.publishedAt === null) throw new NotFound("No such theme.");
    theme = { id: t.id, label: t.label, jamSlug: t.jamSlug };
  }
  return { tab, theme, ...await jellyList(conn, viewer, { tab, page: query.page, themeId: theme?.id, now }), now };
}

/** Everything the jelly page shows, for this viewer. */
export async function jellyPage(viewer: SessionUser, id: number, now = Date.now()) {
  const conn = db();
  const jelly = await findJelly(conn, viewer, id);
  const host = (await conn.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, jelly.hostId)).get())!;
  const isHost = viewer.id === jelly.hostId;
  const rsvps = await conn
    .select({ userId: jellyRsvps.userId, status: jellyRsvps.status, checkedInAt: jellyRsvps.checkedInAt, name: users.name, erasedAt: users.erasedAt })
    .from(jellyRsvps)
    .innerJoin(users, eq(users.id, jellyRsvps.userId))
    .where(eq(jellyRsvps.jellyId, id))
    .orderBy(asc(jellyRsvps.queuedAt), asc(jellyRsvps.userId))
    .all();
  const going = rsvps.filter((r) => r.status === "going");
  const waiting = rsvps.filter((r) => r.status === "waiting");
  const mine = rsvps.find((r) => r.userId === viewer.id) ?? null;
  const theme = jelly.themeId
    ? await (async () => {
        try {
          const t = await visibleTheme(conn, viewer, jelly.themeId!);
          return { id: t.id, label: t.label, jamSlug: t.jamSlug };
        } catch {
          return null;
        }
      })()
    : null;
  const pair = jelly.pairWithId ? await conn.select({ id: users.id, name: users.name, erasedAt: users.erasedAt }).from(users).where(eq(users.id, jelly.pairWithId)).get() : null;
  const box = await boxOfJelly(conn, jelly);
  const boxJam = box ? await conn.select({ id: jams.id, slug: jams.slug, kind: jams.kind }).from(jams).where(eq(jams.id, box.boxJamId!)).get() : undefined;
  // The ideas' links into the box: only for a viewer who may read that box.
  const boxSlug = boxJam && await mayReadJamContent(conn, viewer, boxJam) ? boxJam.slug : null;
  const community = jelly.communityId !== null && box ? { slug: box.slug, title: box.title, privacy: box.privacy } : null;
  const ideas = await conn
    .select({
      id: jellyIdeas.id,
      title: jellyIdeas.title,
      body: jellyIdeas.body,
      createdAt: jellyIdeas.createdAt,
      creditedId: jellyIdeas.creditedId,
      creditedName: users.name,
      erasedAt: users.erasedAt,
      ideaId: jellyIdeas.ideaId,
    })
    .from(jellyIdeas)
    .innerJoin(users, eq(users.id, jellyIdeas.creditedId))
    .where(eq(jellyIdeas.jellyId, id))
    .orderBy(asc(jellyIdeas.id))
    .all();
  const state = jellyState(jelly, now);
  const formerly = "A former participant";
  return {
    now,
    jelly: {
      id: jelly.id,
      title: jelly.title,
      about: jelly.about,
      startsAt: jelly.startsAt,
      endsAt: jellyEnd(jelly),
      durationMinutes: jelly.durationMinutes,
      timeZone: jelly.timeZone,
      place: jelly.place,
      callLink: jelly.callLink,
      capacity: jelly.capacity,
      status: jelly.status,
      notes: jelly.notes,
      notesAt: jelly.notesAt,
    },
    state,
    host,
    isHost,
    theme,
    pair: pair && pair.erasedAt === null ? { id: pair.id, name: pair.name } : null,
    going: going.map((r) => ({ id: r.userId, name: r.erasedAt === null ? r.name : formerly, checkedIn: isHost || r.userId === viewer.id ? r.checkedInAt !== null : null })),
    waitingCount: waiting.length,
    myWaitingPosition: mine?.status === "waiting" ? waiting.findIndex((r) => r.userId === viewer.id) + 1 : null,
    mine: mine ? { status: mine.status, checkedIn: mine.checkedInAt !== null } : null,
    canRsvp: state === "upcoming" && !isHost,
    checkInWindow: jelly.status === "cancelled" ? ("closed" as const) : checkInWindow(jelly, now),
    ideas: ideas.map((i) => ({
      ...i,
      creditedName: i.erasedAt === null ? i.creditedName : formerly,
      erasedAt: undefined,
      ideaId: undefined,
      ideaHref: i.ideaId !== null && boxSlug ? `/jams/${boxSlug}/ideas/${i.ideaId}` : null,
    })),
    community,
    // Where the host's ideas from the notes go (for the form's words).
    box: isHost && box ? { title: box.title, slug: box.slug } : null,
    creditable: isHost ? await creditable(conn, jelly) : [],
  };
}

// ---------------------------------------------------------------------------
// Calendar

function eventOf(jelly: Jelly, hostName: string, origin: string): CalendarEvent {
  const where = [jelly.place, jelly.callLink].filter(Boolean).join(" · ");
  return {
    uid: `jelly-${jelly.id}@jamboree`,
    sequence: jelly.sequence,
    stamp: jelly.updatedAt,
    start: jelly.startsAt,
    end: jellyEnd(jelly),
    summary: jelly.title,
    description: `${jelly.about}\n\nHosted by ${hostName}.\n${origin}/jellies/${jelly.id}`,
    location: where || null,
    url: `${origin}/jellies/${jelly.id}`,
    cancelled: jelly.status === "cancelled",
    organizerName: hostName,
  };
}

/** One jelly as an .ics file (METHOD:CANCEL once cancelled). Any signed-in person may download it. */
export async function jellyIcs(viewer: SessionUser, id: number, origin: string): Promise<{ filename: string; body: string }> {
  const conn = db();
  const jelly = await findJelly(conn, viewer, id);
  const host = await conn.select({ name: users.name }).from(users).where(eq(users.id, jelly.hostId)).get();
  const body = calendar([eventOf(jelly, host?.name ?? "Jamboree", origin)], {
    name: jelly.title,
    method: jelly.status === "cancelled" ? "CANCEL" : "PUBLISH",
  });
  return { filename: `jelly-${jelly.id}.ics`, body };
}

/** The profile's calendar feed section. */
export async function myCalendarFeed(viewer: SessionUser) {
  return await calendarFeedStatus(db(), viewer);
}

/** How far back a feed reaches, and how many events it holds at most. */
const FEED_PAST_MS = 60 * 86_400_000;

const FEED_MAX = 300;

/**
 * The personal feed: the jellies this person is going to or hosts (cancelled ones too, so
 * calendars drop them), from 60 days back. A wrong token, or the token of an erased or
 * deactivated account, is NotFound.
 */
export async function calendarFeed(token: string, origin: string, now = Date.now()): Promise<string> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new NotFound();
  const conn = db();
  const owner = await conn
    .select({ id: users.id, erasedAt: users.erasedAt, deactivatedAt: users.deactivatedAt })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(eq(calendarFeeds.tokenHash, hashToken(token)))
    .get();
  if (!owner || owner.erasedAt !== null || owner.deactivatedAt !== null) throw new NotFound();
  const rows = await conn
    .select({ jelly: jellies, hostName: users.name })
    .from(jellies)
    .innerJoin(users, eq(users.id, jellies.hostId))
    .where(
      and(
        gt(sql`(${jellies.startsAt} + ${jellies.durationMinutes} * 60000)`, now - FEED_PAST_MS),
        // A members-only community's jellies leave the feed of someone who is no longer a member.
        readableCommunitySql(sql`${jellies.communityId}`, owner.id),
        or(
          eq(jellies.hostId, owner.id),
          inArray(jellies.id, conn.select({ id: jellyRsvps.jellyId }).from(jellyRsvps).where(and(eq(jellyRsvps.userId, owner.id), eq(jellyRsvps.status, "going")))),
        ),
      ),
    )
    .orderBy(asc(jellies.startsAt), asc(jellies.id))
    .limit(FEED_MAX)
    .all();
  return calendar(
    rows.map((r) => eventOf(r.jelly, r.hostName, origin)),
    { name: "Jamboree jellies", method: "PUBLISH" },
  );
}
