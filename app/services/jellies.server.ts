/**
 * Jellies, informal meetups: proposing one (from a published theme or a "people you should meet"
 * pair), RSVPs with a waiting list, editing and cancelling, check-in with a code, notes and the
 * ideas that came out of it, and the calendar (an .ics per jelly and a personal feed).
 *
 * Commands obtain one IMMEDIATE transaction each (`transaction`), so an RSVP's count-then-insert
 * cannot interleave with another's, in this process or another: the capacity is never exceeded.
 * Lookups and sections take the connection first, so a community page can render them later.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { calendar, type CalendarEvent } from "~/domain/ical";
import {
  CheckInInput,
  checkInCode,
  checkInWindow,
  JELLIES_PAGE,
  JELLY_HORIZON_MS,
  JellyIdeaInput,
  JellyInput,
  jellyEnd,
  jellyState,
  NotesInput,
  safeCallLink,
  utcToZonedTime,
  zonedTimeToUtc,
} from "~/domain/jellies";
import { pageWindow } from "~/domain/paging";
import { HOUR, MINUTE, type RateLimit } from "~/domain/rate-limits";
import { db, transaction, type Db } from "~db/client";
import { calendarFeeds, communities, jams, jellies, jellyIdeas, jellyRsvps, themes, users, type Community } from "~db/schema";
import { recordAudit } from "./audit.server";
import { canReadCommunity, communitiesToPostIn, communityToPostIn, mayReadCommunityContent, mayReadJamContent, notPrivateCommunitySql, readableCommunitySql } from "./community-access.server";
import { insertIdeaIn } from "./ideas.server";
import { Forbidden, Invalid, NotFound, validate } from "./errors";
import { visibleTheme } from "./follows.server";
import { awardOutsideJams, recomputeBadges } from "./gamification.server";
import { notify } from "./notifications.server";
import { countAttempt, rateLimitsEnabled } from "./rate-limiter.server";

export type Jelly = typeof jellies.$inferSelect;

/** Check-in tries per person: enough for typos, far too few to guess a code among 887 million. */
export const CHECK_IN_LIMITS: readonly RateLimit[] = [{ windowMs: 10 * MINUTE, max: 8 }];

/** Proposals per person: a busy host proposes a few a week; a script proposing hundreds (each may notify a person) is stopped. */
export const PROPOSE_LIMITS: readonly RateLimit[] = [
  { windowMs: HOUR, max: 10 },
  { windowMs: 24 * HOUR, max: 30 },
];

const IdInput = z.object({ jellyId: z.coerce.number({ error: "No such jelly." }).int().positive("No such jelly.") });

function newCode(): string {
  return checkInCode(randomBytes(32));
}

/**
 * A jelly by id, or NotFound. Every signed-in person may see every jelly (open meetups), except a
 * members-only community's: only the people the community's guard lets read it (else not found,
 * whatever is asked of it: the page, the .ics, an RSVP, a check-in).
 */
export async function findJelly(conn: Db, viewer: Pick<SessionUser, "id">, id: number): Promise<Jelly> {
  const jelly = await conn.select().from(jellies).where(eq(jellies.id, id)).get();
  if (!jelly || !await mayReadCommunityContent(conn, viewer, jelly.communityId)) throw new NotFound("No such jelly.");
  return jelly;
}

function requireHost(jelly: Jelly, actor: SessionUser) {
  if (jelly.hostId !== actor.id) throw new Forbidden("Only the host can do that.");
}

async function goingCount(conn: Db, jellyId: number): Promise<number> {
  return (await conn.select({ n: count() }).from(jellyRsvps).where(and(eq(jellyRsvps.jellyId, jellyId), eq(jellyRsvps.status, "going"))).get())?.n ?? 0;
}

async function rsvpOf(conn: Db, jellyId: number, userId: number) {
  return await conn.select().from(jellyRsvps).where(and(eq(jellyRsvps.jellyId, jellyId), eq(jellyRsvps.userId, userId))).get();
}

/** The people an update goes to: going and waiting (not the host, who made it). */
async function attendees(conn: Db, jellyId: number, statuses: ("going" | "waiting")[]): Promise<number[]> {
  return (await conn
    .select({ userId: jellyRsvps.userId })
    .from(jellyRsvps)
    .where(and(eq(jellyRsvps.jellyId, jellyId), inArray(jellyRsvps.status, statuses)))
    .all())
    .map((r) => r.userId);
}

/** Moves the first people of the waiting list into the free places; returns who moved. */
async function promoteWaiting(tx: Db, jelly: Jelly, now: number): Promise<number[]> {
  const free = jelly.capacity - await goingCount(tx, jelly.id);
  if (free <= 0) return [];
  const next = (await tx
    .select({ userId: jellyRsvps.userId })
    .from(jellyRsvps)
    .where(and(eq(jellyRsvps.jellyId, jelly.id), eq(jellyRsvps.status, "waiting")))
    .orderBy(asc(jellyRsvps.queuedAt), asc(jellyRsvps.userId))
    .limit(free)
    .all())
    .map((r) => r.userId);
  if (next.length === 0) return [];
  await tx.update(jellyRsvps)
    .set({ status: "going" })
    .where(and(eq(jellyRsvps.jellyId, jelly.id), eq(jellyRsvps.status, "waiting"), inArray(jellyRsvps.userId, next)))
    .run();
  await notify(
    tx,
    next.map((userId) => ({
      userId,
      kind: "jellies",
      body: `A place opened up: you are now going to “${jelly.title}”.`,
      link: `/jellies/${jelly.id}`,
      dedupeKey: `jelly:${jelly.id}:promoted:${now}`,
      jamId: null,
    })),
    now,
  );
  return next;
}

// ---------------------------------------------------------------------------
// Proposing, editing, cancelling

const OriginInput = z.object({
  themeId: z.coerce.number().int().positive().optional().catch(undefined),
  withId: z.coerce.number().int().positive().optional().catch(undefined),
  communityId: z.coerce.number().int().positive().optional().catch(-1),
});

/**
 * What a new jelly grows from: a published theme the viewer may see, or another person (a pair);
 * and the community it is for, if any (one the viewer is a member of: anything else is refused).
 */
async function resolveOrigin(conn: Db, actor: SessionUser, raw: { themeId?: unknown; withId?: unknown; communityId?: unknown }) {
  const origin = OriginInput.parse({ themeId: raw.themeId || undefined, withId: raw.withId || undefined, communityId: raw.communityId || undefined });
  let community: { id: number; slug: string; title: string; privacy: "open" | "members" } | null = null;
  if (origin.communityId !== undefined) {
    const found = origin.communityId > 0 ? await communityToPostIn(conn, actor.id, origin.communityId) : null;
    if (!found) throw new Invalid({ communityId: ["Choose a community you are a member of, or none."] });
    community = { id: found.id, slug: found.slug, title: found.title, privacy: found.privacy };
  }
  const theme = origin.themeId ? await visibleTheme(conn, actor, origin.themeId) : null;
  if (theme && theme.publishedAt === null) throw new NotFound("No such theme.");
  let pair: { id: number; name: string } | null = null;
  if (origin.withId && origin.withId !== actor.id) {
    const person = await conn
      .select({ id: users.id, name: users.name, erasedAt: users.erasedAt, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.id, origin.withId))
      .get();
    if (!person || person.erasedAt !== null || person.deactivatedAt !== null) throw new NotFound("No such person.");
    pair = { id: person.id, name: person.name };
  }
  return { theme: theme ? { id: theme.id, label: theme.label, jamSlug: theme.jamSlug } : null, pair, community };
}

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

function timeOf(data: JellyInput, now: number): number {
  const startsAt = zonedTimeToUtc(data.date, data.time, data.timeZone);
  if (startsAt === null) {
    throw new Invalid({ time: ["That time does not exist on that day in that time zone (the clocks skip it). Choose another."] });
  }
  if (startsAt <= now) throw new Invalid({ date: ["Choose a time in the future."] });
  if (startsAt > now + JELLY_HORIZON_MS) throw new Invalid({ date: ["Choose a time within the next year."] });
  return startsAt;
}

/** Proposes a jelly. A double submit (same client key) proposes one. */
export async function proposeJelly(
  actor: SessionUser,
  input: Record<string, unknown>,
  meta: { now?: number; ip?: string | null } = {},
): Promise<{ id: number; created: boolean }> {
  const now = meta.now ?? Date.now();
  const data = validate(JellyInput, input);
  const startsAt = timeOf(data, now);
  const clientKey = typeof input.clientKey === "string" && /^[\w-]{8,64}$/.test(input.clientKey) ? input.clientKey : null;
  if (rateLimitsEnabled()) {
    await countAttempt(
      [{ key: `jelly-propose:${actor.id}`, limits: PROPOSE_LIMITS, message: (s) => `You have proposed many jellies lately. Try again in ${Math.ceil(s / 60)} minutes.` }],
      now,
    );
  }
  return await transaction(async (tx) => {
    const origin = await resolveOrigin(tx, actor, { themeId: input.themeId, withId: input.withId, communityId: input.communityId });
    if (clientKey) {
      const earlier = await tx.select({ id: jellies.id }).from(jellies).where(and(eq(jellies.hostId, actor.id), eq(jellies.clientKey, clientKey))).get();
      if (earlier) return { id: earlier.id, created: false };
    }
    const row = await tx
      .insert(jellies)
      .values({
        hostId: actor.id,
        title: data.title,
        about: data.about,
        startsAt,
        timeZone: data.timeZone,
        durationMinutes: data.durationMinutes,
        place: data.place || null,
        callLink: data.callLink ? safeCallLink(data.callLink) : null,
        capacity: data.capacity,
        themeId: origin.theme?.id ?? null,
        pairWithId: origin.pair?.id ?? null,
        communityId: origin.community?.id ?? null,
        checkInCode: newCode(),
        clientKey,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: jellies.id })
      .get();
    if (origin.pair) {
      await notify(
        tx,
        [
          {
            userId: origin.pair.id,
            kind: "jellies",
            body: `${actor.name} proposed a jelly for the two of you to meet: “${data.title}”.`,
            link: `/jellies/${row.id}`,
            dedupeKey: `jelly:${row.id}:pair`,
            jamId: null,
          },
        ],
        now,
      );
    }
    await recordAudit(tx, { action: "jelly_proposed", actorId: actor.id, subject: `jelly:${row.id}`, ip: meta.ip ?? null, at: now, detail: origin.community ? { communityId: origin.community.id } : undefined });
    return { id: row.id, created: true };
  });
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

/**
 * The host changes a jelly: its SEQUENCE rises (calendars replace the event) and the people going
 * or waiting are told. A larger capacity moves people up from the waiting list; a capacity below
 * the number going is refused (nobody is turned away by an edit).
 */
export async function editJelly(actor: SessionUser, id: number, input: Record<string, unknown>, meta: { now?: number; ip?: string | null } = {}) {
  const now = meta.now ?? Date.now();
  const data = validate(JellyInput, input);
  const startsAt = timeOf(data, now);
  return await transaction(async (tx) => {
    const jelly = await findJelly(tx, actor, id);
    requireHost(jelly, actor);
    if (jelly.status === "cancelled") throw new Invalid({ form: ["This jelly was cancelled: it can no longer be changed."] });
    const going = await goingCount(tx, id);
    if (data.capacity < going) {
      throw new Invalid({ capacity: [`${going} people are going: the capacity cannot be less than that.`] });
    }
    await tx.update(jellies)
      .set({
        title: data.title,
        about: data.about,
        startsAt,
        timeZone: data.timeZone,
        durationMinutes: data.durationMinutes,
        place: data.place || null,
        callLink: data.callLink ? safeCallLink(data.callLink) : null,
        capacity: data.capacity,
        sequence: sql`${jellies.sequence} + 1`,
        updatedAt: now,
      })
      .where(eq(jellies.id, id))
      .run();
    const updated = await findJelly(tx, actor, id);
    const promoted = new Set(await promoteWaiting(tx, updated, now));
    const told = (await attendees(tx, id, ["going", "waiting"])).filter((u) => !promoted.has(u));
    await notify(
      tx,
      told.map((userId) => ({
        userId,
        kind: "jellies",
        body: `The host changed “${updated.title}”: check the time and place.`,
        link: `/jellies/${id}`,
        dedupeKey: `jelly:${id}:changed:${updated.sequence}`,
        jamId: null,
      })),
      now,
    );
    await recordAudit(tx, { action: "jelly_updated", actorId: actor.id, subject: `jelly:${id}`, ip: meta.ip ?? null, at: now });
    return { id };
  });
}

/** The host cancels: the jelly stays, marked cancelled; everyone going or waiting is told. Cancelling twice changes nothing. */
export async function cancelJelly(actor: SessionUser, id: number, meta: { now?: number; ip?: string | null } = {}) {
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const jelly = await findJelly(tx, actor, id);
    requireHost(jelly, actor);
    if (jelly.status === "scheduled" && now >= jellyEnd(jelly)) throw new Invalid({ form: ["This jelly has ended: it can no longer be cancelled."] });
    const changed = (await tx
      .update(jellies)
      .set({ status: "cancelled", sequence: sql`${jellies.sequence} + 1`, updatedAt: now })
      .where(and(eq(jellies.id, id), eq(jellies.status, "scheduled")))
      .run()).changes;
    if (changed === 0) return { cancelled: false };
    await notify(
      tx,
      (await attendees(tx, id, ["going", "waiting"])).map((userId) => ({
        userId,
        kind: "jellies",
        body: `“${jelly.title}” was cancelled by its host.`,
        link: `/jellies/${id}`,
        dedupeKey: `jelly:${id}:cancelled`,
        jamId: null,
      })),
      now,
    );
    await recordAudit(tx, { action: "jelly_cancelled", actorId: actor.id, subject: `jelly:${id}`, ip: meta.ip ?? null, at: now });
    return { cancelled: true };
  });
}

// ---------------------------------------------------------------------------
// RSVPs

/**
 * Going, or on the waiting list when it is full. Repeating it changes nothing. Refused for the
 * host (who is going anyway), for a cancelled jelly and once the jelly has started.
 */
export async function rsvp(actor: SessionUser, input: unknown, meta: { now?: number } = {}): Promise<{ status: "going" | "waiting"; created: boolean }> {
  const now = meta.now ?? Date.now();
  const { jellyId } = validate(IdInput, input);
  return await transaction(async (tx) => {
    const jelly = await findJelly(tx, actor, jellyId);
    if (jelly.status === "cancelled") throw new Invalid({ form: ["This jelly was cancelled."] });
    if (now >= jelly.startsAt) throw new Invalid({ form: ["This jelly has started: RSVPs are closed."] });
    if (jelly.hostId === actor.id) throw new Invalid({ form: ["You are the host: you are going anyway."] });
    const existing = await rsvpOf(tx, jellyId, actor.id);
    if (existing) return { status: existing.status, created: false };
    const status = await goingCount(tx, jellyId) < jelly.capacity ? "going" : "waiting";
    await tx.insert(jellyRsvps).values({ jellyId, userId: actor.id, status, queuedAt: now }).onConflictDoNothing().run();
    return { status, created: true };
  });
}

/** Not going after all (or off the waiting list). A place freed goes to the first person waiting, who is told. */
export async function cancelRsvp(actor: SessionUser, input: unknown, meta: { now?: number } = {}): Promise<{ removed: boolean; promoted: number[] }> {
  const now = meta.now ?? Date.now();
  const { jellyId } = validate(IdInput, input);
  return await transaction(async (tx) => {
    const jelly = await findJelly(tx, actor, jellyId);
    const existing = await rsvpOf(tx, jellyId, actor.id);
    if (!existing) return { removed: false, promoted: [] };
    if (existing.checkedInAt !== null) throw new Invalid({ form: ["You checked in at this jelly: your place stays."] });
    if (existing.status === "going" && jelly.status === "scheduled" && now >= jelly.startsAt) {
      throw new Invalid({ form: ["This jelly has started: your place stays."] });
    }
    await tx.delete(jellyRsvps).where(and(eq(jellyRsvps.jellyId, jellyId), eq(jellyRsvps.userId, actor.id))).run();
    const promoted = existing.status === "going" && jelly.status === "scheduled" && now < jelly.startsAt ? await promoteWaiting(tx, jelly, now) : [];
    return { removed: true, promoted };
  });
}

// ---------------------------------------------------------------------------
// Check-in

function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a person in with the code shown at the meetup: only someone going, only while the code
 * is valid, and points once (a second check-in scores nothing). Tries are throttled per person.
 */
export async function checkIn(
  actor: SessionUser,
  input: unknown,
  meta: { now?: number } = {},
): Promise<{ points: number; alreadyCheckedIn: boolean }> {
  const now = meta.now ?? Date.now();
  const { jellyId } = validate(IdInput, input);
  const { code } = validate(CheckInInput, input);
  // Counted whatever the outcome, before any work: guessing is slow however it is done.
  await countAttempt(
    [
      {
        key: `jelly-check-in:${actor.id}`,
        limits: CHECK_IN_LIMITS,
        message: (s) => `Too many tries. Try the code again in ${s} second${s === 1 ? "" : "s"}.`,
      },
    ],
    now,
  );
  return await transaction(async (tx) => {
    const jelly = await findJelly(tx, actor, jellyId);
    if (jelly.status === "cancelled") throw new Invalid({ form: ["This jelly was cancelled."] });
    const window = checkInWindow(jelly, now);
    if (window === "early") throw new Invalid({ form: ["Check-in opens 30 minutes before the start."] });
    if (window === "closed") throw new Invalid({ form: ["Check-in for this jelly has closed."] });
    const mine = await rsvpOf(tx, jellyId, actor.id);
    if (!mine || mine.status !== "going") throw new Invalid({ form: ["Only people going to this jelly can check in."] });
    if (mine.checkedInAt !== null) return { points: 0, alreadyCheckedIn: true };
    if (!sameCode(code, jelly.checkInCode)) throw new Invalid({ code: ["That is not the code. Check it on the host’s screen."] });
    const stamped = (await tx
      .update(jellyRsvps)
      .set({ checkedInAt: now })
      .where(and(eq(jellyRsvps.jellyId, jellyId), eq(jellyRsvps.userId, actor.id), isNull(jellyRsvps.checkedInAt)))
      .run()).changes;
    if (stamped === 0) return { points: 0, alreadyCheckedIn: true };
    const points = await awardOutsideJams(tx, { earnerId: actor.id, reason: "jelly_checked_in", source: `jelly:${jellyId}`, subject: `jelly:${jellyId}`, now });
    await recomputeBadges(tx, [actor.id], now, ["jelliesAttended"]);
    return { points, alreadyCheckedIn: false };
  });
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

// ---------------------------------------------------------------------------
// Notes and ideas

export async function postNotes(actor: SessionUser, id: number, input: unknown, meta: { now?: number } = {}) {
  const now = meta.now ?? Date.now();
  const { notes } = validate(NotesInput, input);
  return await transaction(async (tx) => {
    const jelly = await findJelly(tx, actor, id);
    requireHost(jelly, actor);
    if (jelly.status === "cancelled") throw new Invalid({ form: ["This jelly was cancelled."] });
    if (now < jelly.startsAt) throw new Invalid({ form: ["Notes come after the jelly has started."] });
    await tx.update(jellies).set({ notes, notesAt: now, updatedAt: now }).where(eq(jellies.id, id)).run();
    return { saved: true };
  });
}

/** Who an idea from this jelly can be credited to: the host and everyone who was going. */
async function creditable(conn: Db, jelly: Jelly) {
  const people = await conn
    .select({ id: users.id, name: users.name, erasedAt: users.erasedAt })
    .from(users)
    .where(
      or(
        eq(users.id, jelly.hostId),
        inArray(users.id, conn.select({ id: jellyRsvps.userId }).from(jellyRsvps).where(and(eq(jellyRsvps.jellyId, jelly.id), eq(jellyRsvps.status, "going")))),
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .all();
  return people.filter((p) => p.erasedAt === null).map((p) => ({ id: p.id, name: p.name }));
}

/**
 * The community whose idea box a jelly's ideas go into: the jelly's own community, else the
 * community kept alive from the jelly's theme; only an active one with a box. Null: none.
 */
export async function boxOfJelly(conn: Db, jelly: Pick<Jelly, "communityId" | "themeId">): Promise<Community | null> {
  const where = jelly.communityId !== null ? eq(communities.id, jelly.communityId) : jelly.themeId !== null ? eq(communities.themeId, jelly.themeId) : null;
  if (!where) return null;
  const community = await conn.select().from(communities).where(and(where, eq(communities.status, "active"))).get();
  return community && community.boxJamId !== null && community.boxChallengeId !== null ? community : null;
}

const JellyIdeaKey = z.object({ clientKey: z.string({ error: "Reload the page and try again." }).regex(/^[\w-]{8,64}$/, "Reload the page and try again.") });

/**
 * The host writes down an idea from the jelly, credited to the person it came from. When the jelly
 * belongs to a community (or to a theme a community keeps alive), the idea is also posted in that
 * community's idea box as the credited person's idea (they are its author and earn its points; the
 * host is recorded as who added it), unless that person may not read a members-only community.
 * Once: the form's key is unique per host, so a double or concurrent submit notes one idea and
 * posts one (the box idea's own key is derived from the noted idea).
 */
export async function addJellyIdea(actor: SessionUser, id: number, input: unknown, meta: { now?: number } = {}) {
  const now = meta.now ?? Date.now();
  const data = validate(JellyIdeaInput, input);
  return await transaction(async (tx) => {
    const jelly = await findJelly(tx, actor, id);
    requireHost(jelly, actor);
    const { clientKey } = validate(JellyIdeaKey, input);
    const earlier = await tx
      .select({ id: jellyIdeas.id, ideaId: jellyIdeas.ideaId })
      .from(jellyIdeas)
      .where(and(eq(jellyIdeas.addedById, actor.id), eq(jellyIdeas.clientKey, clientKey)))
      .get();
    if (earlier) return { id: earlier.id, ideaId: earlier.ideaId, created: false };
    if (jelly.status === "cancelled") throw new Invalid({ form: ["This jelly was cancelled."] });
    if (now < jelly.startsAt) throw new Invalid({ form: ["Ideas from the jelly come after it has started."] });
    if (!(await creditable(tx, jelly)).some((p) => p.id === data.creditedId)) {
      throw new Invalid({ creditedId: ["Credit the host or someone who was going."] });
    }
    const inserted = await tx
      .insert(jellyIdeas)
      .values({ jellyId: id, creditedId: data.creditedId, addedById: actor.id, title: data.title, body: data.body, clientKey, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: jellyIdeas.id })
      .get();
    if (!inserted) throw new Invalid({ form: ["That idea was just noted. Reload the page."] });
    const row = inserted;
    const credited = (await tx.select().from(users).where(eq(users.id, data.creditedId)).get())!;
    const community = await boxOfJelly(tx, jelly);
    let posted: { ideaId: number; link: string; community: string } | null = null;
    if (community && await canReadCommunity(tx, credited, community)) {
      const jam = (await tx.select().from(jams).where(eq(jams.id, community.boxJamId!)).get())!;
      const author: SessionUser = { id: credited.id, name: credited.name, email: credited.email, role: credited.role, departmentId: credited.departmentId };
      const idea = await insertIdeaIn(
        tx,
        author,
        { challenge: { id: community.boxChallengeId! }, jam, title: data.title, body: data.body || data.title, isAnonymous: false, clientKey: `jelly-idea-${row.id}`, builtOnId: null },
        now,
      );
      await tx.update(jellyIdeas).set({ ideaId: idea.id }).where(eq(jellyIdeas.id, row.id)).run();
      posted = { ideaId: idea.id, link: `/jams/${jam.slug}/ideas/${idea.id}`, community: community.title };
      await recordAudit(tx, { action: "jelly_idea_posted", actorId: actor.id, subject: `idea:${idea.id}`, at: now, detail: { jellyId: id, creditedId: credited.id, communityId: community.id } });
    }
    if (data.creditedId !== actor.id || posted) {
      await notify(
        tx,
        [
          {
            userId: data.creditedId,
            kind: "jellies",
            body: posted
              ? data.creditedId === actor.id
                ? `Your idea “${data.title}” from “${jelly.title}” is in the idea box of ${posted.community}.`
                : `${actor.name} noted your idea “${data.title}” from “${jelly.title}” and posted it in the idea box of ${posted.community}, as yours.`
              : `${actor.name} noted your idea “${data.title}” from “${jelly.title}”.`,
            link: posted ? posted.link : `/jellies/${id}#ideas`,
            dedupeKey: `jelly-idea:${row.id}`,
            jamId: posted ? community!.boxJamId : null,
          },
        ],
        now,
      );
    }
    return { id: row.id, ideaId: posted?.ideaId ?? null, created: true };
  });
}

// ---------------------------------------------------------------------------
// Pages and sections

export type JelliesTab = "upcoming" | "mine" | "past";

const cardColumns = {
  id: jellies.id,
  title: jellies.title,
  startsAt: jellies.startsAt,
  durationMinutes: jellies.durationMinutes,
  timeZone: jellies.timeZone,
  place: jellies.place,
  hasCallLink: sql<number>`${jellies.callLink} IS NOT NULL`,
  capacity: jellies.capacity,
  status: jellies.status,
  hostId: jellies.hostId,
  hostName: users.name,
  going: sql<number>`(SELECT count(*) FROM jelly_rsvps r WHERE r.jelly_id = ${jellies.id} AND r.status = 'going')`,
  waiting: sql<number>`(SELECT count(*) FROM jelly_rsvps r WHERE r.jelly_id = ${jellies.id} AND r.status = 'waiting')`,
};

/**
 * A page of jelly cards: upcoming (not yet ended, soonest first), mine (hosting or RSVPed, newest
 * first) or past (ended, latest first). `themeId` narrows to one theme's jellies (a theme or,
 * later, a community section).
 */
export async function jellyList(conn: Db, viewer: SessionUser, options: { tab: JelliesTab; page?: unknown; themeId?: number; communityId?: number; now: number }) {
  const { tab, now } = options;
  const endExpr = sql`(${jellies.startsAt} + ${jellies.durationMinutes} * 60000)`;
  const mine = sql`(${jellies.hostId} = ${viewer.id} OR EXISTS (SELECT 1 FROM jelly_rsvps r WHERE r.jelly_id = ${jellies.id} AND r.user_id = ${viewer.id}))`;
  const where = and(
    tab === "upcoming" ? sql`${endExpr} > ${now}` : tab === "past" ? sql`${endExpr} <= ${now}` : mine,
    options.themeId ? eq(jellies.themeId, options.themeId) : undefined,
    options.communityId ? eq(jellies.communityId, options.communityId) : undefined,
    // A members-only community's jellies: only to the people who may read that community.
    readableCommunitySql(sql`${jellies.communityId}`, viewer.id),
  );
  const total = (await conn.select({ n: count() }).from(jellies).where(where).get())?.n ?? 0;
  const window = pageWindow(total, options.page, JELLIES_PAGE);
  const rows = await conn
    .select({ ...cardColumns, myStatus: sql<string | null>`(SELECT r.status FROM jelly_rsvps r WHERE r.jelly_id = ${jellies.id} AND r.user_id = ${viewer.id})` })
    .from(jellies)
    .innerJoin(users, eq(users.id, jellies.hostId))
    .where(where)
    .orderBy(tab === "upcoming" ? asc(jellies.startsAt) : desc(jellies.startsAt), tab === "upcoming" ? asc(jellies.id) : desc(jellies.id))
    .limit(JELLIES_PAGE)
    .offset(window.offset)
    .all();
  return {
    window,
    jellies: rows.map((r) => ({
      ...r,
      hasCallLink: Boolean(r.hasCallLink),
      isHost: r.hostId === viewer.id,
      myStatus: r.hostId === viewer.id ? ("hosting" as const) : (r.myStatus as "going" | "waiting" | null),
      state: jellyState(r, now),
    })),
  };
}
export type JellyCardData = Awaited<ReturnType<typeof jellyList>>["jellies"][number];

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

/** How many jellies still to come grew from each of these themes (for the theme cards of a synthesis). */
export async function upcomingJellyCounts(conn: Db, themeIds: number[], now: number): Promise<Record<number, number>> {
  if (themeIds.length === 0) return {};
  const rows = await conn
    .select({ themeId: jellies.themeId, n: count() })
    .from(jellies)
    .where(
      and(
        inArray(jellies.themeId, themeIds),
        eq(jellies.status, "scheduled"),
        sql`(${jellies.startsAt} + ${jellies.durationMinutes} * 60000) > ${now}`,
        notPrivateCommunitySql("jellies.community_id"),
      ),
    )
    .groupBy(jellies.themeId)
    .all();
  return Object.fromEntries(rows.filter((r) => r.themeId !== null).map((r) => [r.themeId!, r.n]));
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

/** A theme's jellies (for the synthesis page or a community page): upcoming first. */
export async function jelliesOfTheme(conn: Db, viewer: SessionUser, themeId: number, now: number) {
  return (await jellyList(conn, viewer, { tab: "upcoming", themeId, now })).jellies;
}

/** A community's own coming jellies (for its page): upcoming first. */
export async function jelliesOfCommunity(conn: Db, viewer: SessionUser, communityId: number, now: number) {
  return (await jellyList(conn, viewer, { tab: "upcoming", communityId, now })).jellies;
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

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Whether the person has a calendar feed (its address cannot be shown again: only its hash is kept). */
export async function calendarFeedStatus(conn: Db, viewer: Pick<SessionUser, "id">) {
  const row = await conn.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, viewer.id)).get();
  return { exists: Boolean(row), createdAt: row?.createdAt ?? null };
}

/** The profile's calendar feed section. */
export async function myCalendarFeed(viewer: SessionUser) {
  return await calendarFeedStatus(db(), viewer);
}

/** A new secret feed address; the old one stops working at once. The token is returned once, never stored. */
export async function resetCalendarFeed(actor: SessionUser, meta: { now?: number; ip?: string | null } = {}): Promise<{ token: string }> {
  const now = meta.now ?? Date.now();
  const token = randomBytes(32).toString("base64url");
  await transaction(async (tx) => {
    await tx.insert(calendarFeeds)
      .values({ userId: actor.id, tokenHash: hashToken(token), createdAt: now })
      .onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash: hashToken(token), createdAt: now } })
      .run();
    await recordAudit(tx, { action: "calendar_feed_reset", actorId: actor.id, subject: `user:${actor.id}`, ip: meta.ip ?? null, at: now });
  });
  return { token };
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

// ---------------------------------------------------------------------------
// Erasure and the data download

/**
 * An erased person leaves the jellies: their calendar feed goes; their places at jellies that
 * have not started are given up (the first person waiting moves up, as on a cancellation); the
 * jellies they host that have not started are cancelled (everyone is told). What has happened
 * stays, under "A former participant".
 */
export async function forgetInJellies(tx: Db, personId: number, now: number) {
  await tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, personId)).run();
  const upcoming = await tx
    .select({ jelly: jellies })
    .from(jellyRsvps)
    .innerJoin(jellies, eq(jellies.id, jellyRsvps.jellyId))
    .where(and(eq(jellyRsvps.userId, personId), gt(jellies.startsAt, now)))
    .all();
  for (const { jelly } of upcoming) {
    await tx.delete(jellyRsvps).where(and(eq(jellyRsvps.jellyId, jelly.id), eq(jellyRsvps.userId, personId))).run();
    if (jelly.status === "scheduled") await promoteWaiting(tx, jelly, now);
  }
  const hosted = await tx
    .select()
    .from(jellies)
    .where(and(eq(jellies.hostId, personId), eq(jellies.status, "scheduled"), gt(jellies.startsAt, now)))
    .all();
  for (const jelly of hosted) {
    await tx.update(jellies).set({ status: "cancelled", sequence: sql`${jellies.sequence} + 1`, updatedAt: now }).where(eq(jellies.id, jelly.id)).run();
    await notify(
      tx,
      (await attendees(tx, jelly.id, ["going", "waiting"])).map((userId) => ({
        userId,
        kind: "jellies",
        body: `“${jelly.title}” was cancelled: its host left.`,
        link: `/jellies/${jelly.id}`,
        dedupeKey: `jelly:${jelly.id}:cancelled`,
        jamId: null,
      })),
      now,
    );
  }
  return { placesGivenUp: upcoming.length, jelliesCancelled: hosted.length };
}

/**
 * Someone who is no longer a member of a members-only community (removed, or left) gives up their
 * places at its jellies still to come: they may no longer read them, so they must not hold a place
 * (the first person waiting moves up, as on a cancellation). An open community's jellies stay theirs.
 */
export async function leaveCommunityJellies(tx: Db, communityId: number, userId: number, now: number): Promise<number> {
  const community = await tx.select({ privacy: communities.privacy }).from(communities).where(eq(communities.id, communityId)).get();
  if (!community || community.privacy !== "members") return 0;
  const upcoming = await tx
    .select({ jelly: jellies })
    .from(jellyRsvps)
    .innerJoin(jellies, eq(jellies.id, jellyRsvps.jellyId))
    .where(and(eq(jellyRsvps.userId, userId), eq(jellies.communityId, communityId), gt(jellies.startsAt, now)))
    .all();
  for (const { jelly } of upcoming) {
    await tx.delete(jellyRsvps).where(and(eq(jellyRsvps.jellyId, jelly.id), eq(jellyRsvps.userId, userId))).run();
    if (jelly.status === "scheduled") await promoteWaiting(tx, jelly, now);
  }
  return upcoming.length;
}

/** A person's jellies for their data download: hosted, RSVPs, ideas credited to them, whether they have a feed. */
export async function personalJellies(conn: Db, userId: number) {
  return {
    jelliesHosted: await conn
      .select({
        id: jellies.id,
        title: jellies.title,
        about: jellies.about,
        startsAt: jellies.startsAt,
        timeZone: jellies.timeZone,
        durationMinutes: jellies.durationMinutes,
        place: jellies.place,
        callLink: jellies.callLink,
        capacity: jellies.capacity,
        status: jellies.status,
        notes: jellies.notes,
        createdAt: jellies.createdAt,
      })
      .from(jellies)
      .where(eq(jellies.hostId, userId))
      .orderBy(asc(jellies.id))
      .all(),
    jellyRsvps: await conn
      .select({ jelly: jellies.id, title: jellies.title, startsAt: jellies.startsAt, status: jellyRsvps.status, since: jellyRsvps.queuedAt, checkedInAt: jellyRsvps.checkedInAt })
      .from(jellyRsvps)
      .innerJoin(jellies, eq(jellies.id, jellyRsvps.jellyId))
      .where(eq(jellyRsvps.userId, userId))
      .orderBy(asc(jellies.startsAt), asc(jellies.id))
      .all(),
    jellyIdeasCreditedToYou: await conn
      .select({ jelly: jellies.title, title: jellyIdeas.title, body: jellyIdeas.body, createdAt: jellyIdeas.createdAt })
      .from(jellyIdeas)
      .innerJoin(jellies, eq(jellies.id, jellyIdeas.jellyId))
      .where(eq(jellyIdeas.creditedId, userId))
      .orderBy(asc(jellyIdeas.id))
      .all(),
    calendarFeed: await calendarFeedStatus(conn, { id: userId }),
  };
}

// Kept for the lead's later joins (communities, command centre): jellies that grew from a jam's themes.
export async function jelliesFromJamThemes(conn: Db, jamId: number) {
  return await conn
    .select({ id: jellies.id, title: jellies.title, startsAt: jellies.startsAt, status: jellies.status })
    .from(jellies)
    .innerJoin(themes, eq(themes.id, jellies.themeId))
    .where(sql`${themes.versionId} IN (SELECT id FROM synthesis_versions WHERE jam_id = ${jamId})`)
    .orderBy(asc(jellies.startsAt), asc(jellies.id))
    .all();
}

