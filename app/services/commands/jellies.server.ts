/**
 * Jellies, informal meetups: proposing one (from a published theme or a "people you should meet"
 * pair), RSVPs with a waiting list, editing and cancelling, check-in with a code, notes and the
 * ideas that came out of it, and the calendar (an .ics per jelly and a personal feed).
 *
 * Commands obtain one IMMEDIATE transaction each (`transaction`), so an RSVP's count-then-insert
 * cannot interleave with another's, in this process or another: the capacity is never exceeded.
 * Lookups and sections take the connection first, so a community page can render them later.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import {
  CheckInInput,
  checkInCode,
  checkInWindow,
  JELLY_HORIZON_MS,
  JellyIdeaInput,
  JellyInput,
  jellyEnd,
  NotesInput,
  safeCallLink,
  zonedTimeToUtc,
} from "~/domain/jellies";
import { HOUR, MINUTE, type RateLimit } from "~/domain/rate-limits";
import { transaction, type Db } from "~db/client";
import { calendarFeeds, communities, jams, jellies, jellyIdeas, jellyRsvps, users } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { canReadCommunity } from "~/services/lookups/community-access.server";
import { insertIdeaIn } from "~/services/commands/ideas.server";
import { Invalid, validate } from "~/services/errors";
import { awardOutsideJams, recomputeBadges } from "~/services/effects/gamification.server";
import { notify } from "~/services/effects/notifications.server";
import { countAttempt, rateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { hashToken, goingCount, creditable, boxOfJelly, resolveOrigin, requireHost, findJelly } from "~/services/lookups/jellies.server";

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
// The calendar feed

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
