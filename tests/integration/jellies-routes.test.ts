/**
 * Jellies at their edges: the calendar feed's address as a calendar app reads it (no session,
 * the token is the key), what an erased person leaves behind, what their data download holds,
 * and notes that only the host writes, only afterwards, as plain text.
 */
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { loader as feedLoader } from "~/routes/calendar.$token";
import { personalData } from "~/services/commands/data-export.server";
import { eraseAccount } from "~/services/commands/erasure.server";
import {
  cancelJelly,
  cancelRsvp,
  checkIn,
  postNotes,
  proposeJelly,
  resetCalendarFeed,
  rsvp,
} from "~/services/commands/jellies.server";
import { upcomingJellyCounts } from "~/services/lookups/jellies.server";
import {
  jelliesPage,
  jellyPage
} from "~/services/pages/jellies.server";
import { setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { db, transaction } from "~db/client";
import { calendarFeeds, jellies, synthesisVersions, themes } from "~db/schema";
import { makeJam, makeUser } from "../factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function makeJelly(host: SessionUser, options: { capacity?: number; inMs?: number; themeId?: number; withId?: number } = {}) {
  const at = Math.ceil((Date.now() + (options.inMs ?? DAY)) / 60_000) * 60_000;
  const iso = new Date(at).toISOString();
  return (await proposeJelly(host, {
    title: "Lunch on accessibility",
    about: "What we learned from the screen-reader audit, over lunch.",
    date: iso.slice(0, 10),
    time: iso.slice(11, 16),
    timeZone: "UTC",
    durationMinutes: "60",
    place: "Canteen",
    capacity: String(options.capacity ?? 10),
    themeId: options.themeId,
    withId: options.withId,
  })).id;
}

/** A theme of an ended jam, in a published version or a draft one. */
async function themeOf(published: boolean) {
  const facilitator = await makeUser({ role: "facilitator" });
  const { jam } = await makeJam({ facilitator, startsAt: Date.now() - 48 * HOUR, endsAt: Date.now() - HOUR });
  const version = await db()
    .insert(synthesisVersions)
    .values({ jamId: jam.id, number: 1, kind: "curated", createdBy: facilitator.id, createdAt: Date.now(), publishedAt: published ? Date.now() : null })
    .returning()
    .get();
  return await db().insert(themes).values({ versionId: version.id, label: "Quiet mornings", keywords: "[]", representatives: "[]" }).returning().get();
}

async function fetchFeed(path: string) {
  const token = path.replace(/^\/calendar\//, "");
  const request = new Request(`http://localhost${path}`);
  const response = (await feedLoader({ request, params: { token }, context: {} } as never)) as Response;
  return { status: response.status, type: response.headers.get("Content-Type"), body: await response.text() };
}

describe("the calendar feed address", () => {
  it("serves the owner's jellies to a calendar app without a session, and any wrong address is the same plain 404", async () => {
    const owner = await makeUser();
    const other = await makeUser();
    const host = await makeUser();
    const id = await makeJelly(host);
    await rsvp(owner, { jellyId: id });
    const { token } = await resetCalendarFeed(owner);
    const { token: othersToken } = await resetCalendarFeed(other);

    const ok = await fetchFeed(`/calendar/${token}.ics`);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe("text/calendar; charset=utf-8");
    expect(ok.body).toContain(`UID:jelly-${id}@jamboree`);

    const notFound = [
      `/calendar/${token}`, // no .ics
      `/calendar/${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}.ics`, // one character off (a random token may end in A)
      `/calendar/${token.toUpperCase()}.ics`,
      `/calendar/${"A".repeat(43)}.ics`,
      `/calendar/../${token}.ics`,
      `/calendar/${"x".repeat(5000)}.ics`,
    ];
    for (const path of notFound) {
      const r = await fetchFeed(path);
      expect([path, r.status, r.body]).toEqual([path, 404, "Not found"]);
    }
    // Another person's feed holds nothing of the owner's RSVPs.
    const theirs = await fetchFeed(`/calendar/${othersToken}.ics`);
    expect(theirs.status).toBe(200);
    expect(theirs.body).not.toContain(`jelly-${id}@`);
  });

  it("only a hash of the token is stored", async () => {
    const owner = await makeUser();
    const { token } = await resetCalendarFeed(owner);
    const row = (await db().select().from(calendarFeeds).where(eq(calendarFeeds.userId, owner.id)).get())!;
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
  });
});

describe("an erased person", () => {
  it("loses their feed, gives up their places (the first waiting moves up), and their upcoming jellies are cancelled", async () => {
    const leaver = await makeUser();
    const host = await makeUser();
    const waiting = await makeUser();
    const guest = await makeUser();
    const theirs = await makeJelly(host, { capacity: 1 });
    await rsvp(leaver, { jellyId: theirs });
    await rsvp(waiting, { jellyId: theirs });
    const hosted = await makeJelly(leaver);
    await rsvp(guest, { jellyId: hosted });
    const { token } = await resetCalendarFeed(leaver);

    await transaction(async (tx) => await eraseAccount(tx, leaver.id, { actor: leaver, removeContent: false, ip: null, now: Date.now() }));

    expect((await fetchFeed(`/calendar/${token}.ics`)).status).toBe(404);
    expect((await jellyPage(waiting, theirs)).mine).toEqual({ status: "going", checkedIn: false });
    expect((await jellyPage(guest, hosted)).state).toBe("cancelled");
    expect((await jellyPage(guest, hosted)).host.name).not.toBe(leaver.name);
    expect((await db().select({ s: jellies.sequence }).from(jellies).where(eq(jellies.id, hosted)).get())!.s).toBe(1);
  });
});

describe("the data download", () => {
  it("holds the jellies a person hosts, their RSVPs and check-ins, and never the feed token", async () => {
    const host = await makeUser();
    const guest = await makeUser();
    const id = await makeJelly(host, { inMs: HOUR });
    await rsvp(guest, { jellyId: id });
    const start = (await db().select({ s: jellies.startsAt }).from(jellies).where(eq(jellies.id, id)).get())!.s;
    const theCode = (await db().select({ c: jellies.checkInCode }).from(jellies).where(eq(jellies.id, id)).get())!.c;
    await checkIn(guest, { jellyId: id, code: theCode }, { now: start });
    const { token } = await resetCalendarFeed(guest);
    const mine = await personalData(db(), guest.id);
    expect(mine.jellyRsvps).toEqual([expect.objectContaining({ jelly: id, status: "going", checkedInAt: start })]);
    expect(mine.calendarFeed.exists).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(token);
    expect((await personalData(db(), host.id)).jelliesHosted.map((j) => j.id)).toEqual([id]);
    // The host's export does not carry the check-in code.
    expect(JSON.stringify(await personalData(db(), host.id))).not.toContain(theCode);
  });
});

describe("notes", () => {
  it("only the host writes them, only once it has started, kept as plain text and limited in size", async () => {
    const host = await makeUser();
    const guest = await makeUser();
    const id = await makeJelly(host, { inMs: HOUR });
    await rsvp(guest, { jellyId: id });
    const start = (await db().select({ s: jellies.startsAt }).from(jellies).where(eq(jellies.id, id)).get())!.s;
    await expect(async () => await postNotes(host, id, { notes: "Too early" }, { now: start - 1 })).rejects.toThrow(/Please correct/);
    await expect(async () => await postNotes(guest, id, { notes: "Not mine to write" }, { now: start + 1 })).rejects.toThrow(/Only the host/);
    await expect(async () => await postNotes(host, id, { notes: "x".repeat(10_001) }, { now: start + 1 })).rejects.toThrow(/Please correct/);
    await postNotes(host, id, { notes: "<script>alert(1)</script>\nWe agreed on a buddy list." }, { now: start + HOUR });
    expect((await jellyPage(guest, id, start + HOUR)).jelly.notes).toBe("<script>alert(1)</script>\nWe agreed on a buddy list.");
  });
});

describe("repeated and late requests", () => {
  it("proposing is throttled per person: a script cannot flood the list (or the people it names)", async () => {
    const host = await makeUser();
    setRateLimitsEnabled(true);
    try {
      const ids = new Set<number>();
      for (let i = 0; i < 10; i++) ids.add(await makeJelly(host));
      expect(ids.size).toBe(10);
      await expect(async () => await makeJelly(host)).rejects.toThrow(/proposed many jellies/);
      // Someone else is not held up by it.
      expect(await makeJelly(await makeUser())).toBeGreaterThan(0);
    } finally {
      setRateLimitsEnabled(false);
    }
  });

  it("a jelly that has ended cannot be cancelled, and a place cannot be given up once it has started", async () => {
    const host = await makeUser();
    const guest = await makeUser();
    const id = await makeJelly(host, { inMs: HOUR });
    await rsvp(guest, { jellyId: id });
    const start = (await db().select({ s: jellies.startsAt }).from(jellies).where(eq(jellies.id, id)).get())!.s;
    await expect(async () => await cancelRsvp(guest, { jellyId: id }, { now: start + 1 })).rejects.toThrow(/Please correct/);
    await expect(async () => await cancelJelly(host, id, { now: start + 2 * HOUR })).rejects.toThrow(/Please correct/);
    expect(await jellyPage(guest, id, start + 2 * HOUR)).toMatchObject({ state: "past", mine: { status: "going" } });
  });
});

describe("where a jelly grows from", () => {
  it("a published theme lists its jellies and counts those to come; a draft theme is not found, to propose from or to list", async () => {
    const theme = await themeOf(true);
    const draft = await themeOf(false);
    const host = await makeUser();
    const viewer = await makeUser();
    const id = await makeJelly(host, { themeId: theme.id });
    await makeJelly(host); // another, about nothing in particular
    expect((await db().select({ t: jellies.themeId }).from(jellies).where(eq(jellies.id, id)).get())!.t).toBe(theme.id);
    const listed = await jelliesPage(viewer, { theme: String(theme.id) });
    expect(listed.theme?.label).toBe("Quiet mornings");
    expect(listed.jellies.map((j) => j.id)).toEqual([id]);
    expect(await upcomingJellyCounts(db(), [theme.id, draft.id], Date.now())).toEqual({ [theme.id]: 1 });
    await expect(async () => await makeJelly(host, { themeId: draft.id })).rejects.toThrow(/No such theme/);
    await expect(async () => await jelliesPage(viewer, { theme: String(draft.id) })).rejects.toThrow(/No such theme/);
    await expect(async () => await jelliesPage(viewer, { theme: "1 OR 1=1" })).rejects.toThrow(/No such theme/);
  });

  it("a pair names a real, active person, who is told; nobody else is", async () => {
    const host = await makeUser();
    const other = await makeUser();
    await expect(async () => await makeJelly(host, { withId: 987_654 })).rejects.toThrow(/No such person/);
    const id = await makeJelly(host, { withId: other.id });
    expect((await jellyPage(other, id)).pair).toEqual({ id: other.id, name: other.name });
  });
});
