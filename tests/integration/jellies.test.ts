/**
 * Jellies: proposing, the waiting list (capacity under concurrent RSVPs from separate processes,
 * promotion), check-in once with points and a badge, and the attacks on them.
 */
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { totalPoints } from "~/services/effects/gamification.server";
import {
  addJellyIdea,
  cancelJelly,
  cancelRsvp,
  checkIn,
  editJelly,
  proposeJelly,
  rsvp,
} from "~/services/commands/jellies.server";
import { checkInCodePage, jellyPage } from "~/services/pages/jellies.server";
import { LEARNING_POINTS } from "~/domain/points";
import { db } from "~db/client";
import { jellies, jellyRsvps, notifications, pointEntries, userBadges } from "~db/schema";
import { makeUser } from "../factories";
import { raceWorkers } from "./helpers/processes";
import { mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function wallTime(at: number) {
  const iso = new Date(at).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** A jelly starting `inMs` from now (UTC wall time), `capacity` places. */
async function makeJelly(host: SessionUser, options: { capacity?: number; inMs?: number; callLink?: string; now?: number } = {}) {
  const now = options.now ?? Date.now();
  const at = Math.ceil((now + (options.inMs ?? DAY)) / 60_000) * 60_000;
  return (await proposeJelly(host, {
    title: "Coffee on onboarding",
    about: "Let us compare what the first week looks like in each team.",
    ...wallTime(at),
    timeZone: "UTC",
    durationMinutes: "60",
    place: "Kitchen, 3rd floor",
    callLink: options.callLink ?? "",
    capacity: String(options.capacity ?? 10),
  }, { now })).id;
}

async function code(jellyId: number) {
  return (await db().select({ c: jellies.checkInCode }).from(jellies).where(eq(jellies.id, jellyId)).get())!.c;
}

async function startOf(jellyId: number) {
  return (await db().select({ s: jellies.startsAt }).from(jellies).where(eq(jellies.id, jellyId)).get())!.s;
}

describe("proposing a jelly", () => {
  it("stores the moment in UTC with the zone it was planned in, and a double submit proposes one", async () => {
    const host = await makeUser();
    const now = Date.UTC(2026, 2, 1, 12);
    const input = {
      title: "Spring meetup",
      about: "After the clocks change: what did the jam teach us?",
      date: "2026-03-30",
      time: "10:00",
      timeZone: "Europe/Berlin",
      durationMinutes: "90",
      place: "Room 4",
      capacity: "8",
      clientKey: "key-12345678",
    };
    const a = await proposeJelly(host, input, { now });
    const b = await proposeJelly(host, input, { now });
    expect(b).toEqual({ id: a.id, created: false });
    const row = (await db().select().from(jellies).where(eq(jellies.id, a.id)).get())!;
    // 30 March 2026 is after Berlin moved to summer time (UTC+2): 10:00 there is 08:00 UTC.
    expect(row.startsAt).toBe(Date.UTC(2026, 2, 30, 8, 0));
    expect(row.timeZone).toBe("Europe/Berlin");
    expect(row.checkInCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  });

  it("refuses a time the clocks skip, a time in the past, and a call link that is not http(s)", async () => {
    const host = await makeUser();
    const now = Date.UTC(2026, 2, 1, 12);
    const base = { title: "Gap", about: "A meetup in the spring-forward gap.", timeZone: "Europe/Berlin", durationMinutes: "30", place: "Here", capacity: "3" };
    await expect(async () => await proposeJelly(host, { ...base, date: "2026-03-29", time: "02:30" }, { now })).rejects.toThrow(/Please correct/);
    await expect(async () => await proposeJelly(host, { ...base, date: "2026-02-01", time: "10:00" }, { now })).rejects.toThrow(/Please correct/);
    for (const callLink of ["javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "data:text/html,<script>1</script>", "ftp://x.test/", "https://user:pw@x.test/"]) {
      try {
        await proposeJelly(host, { ...base, date: "2026-04-01", time: "10:00", callLink }, { now });
        expect.unreachable(callLink);
      } catch (error) {
        expect((error as { fieldErrors: Record<string, string[]> }).fieldErrors.callLink?.[0]).toMatch(/https:\/\//);
      }
    }
    const ok = await proposeJelly(host, { ...base, date: "2026-04-01", time: "10:00", place: "", callLink: "https://meet.example.com/abc" }, { now });
    expect((await db().select({ l: jellies.callLink }).from(jellies).where(eq(jellies.id, ok.id)).get())!.l).toBe("https://meet.example.com/abc");
  });
});

describe("the waiting list", () => {
  it("puts people on the waiting list when full, never twice, and promotes the first one waiting when someone cancels", async () => {
    const host = await makeUser();
    const [a, b, c, d] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const id = await makeJelly(host, { capacity: 2 });
    expect(await rsvp(a, { jellyId: id })).toEqual({ status: "going", created: true });
    expect(await rsvp(a, { jellyId: id })).toEqual({ status: "going", created: false });
    expect((await rsvp(b, { jellyId: id })).status).toBe("going");
    expect((await rsvp(c, { jellyId: id, }, { now: Date.now() + 1 })).status).toBe("waiting");
    expect((await rsvp(d, { jellyId: id }, { now: Date.now() + 2 })).status).toBe("waiting");
    expect((await rsvp(c, { jellyId: id })).created).toBe(false);
    expect(await db().select().from(jellyRsvps).where(eq(jellyRsvps.jellyId, id)).all()).toHaveLength(4);

    const page = await jellyPage(d, id);
    expect(page.myWaitingPosition).toBe(2);

    const out = await cancelRsvp(a, { jellyId: id });
    expect(out.promoted).toEqual([c.id]);
    expect((await jellyPage(c, id)).mine?.status).toBe("going");
    expect((await jellyPage(d, id)).myWaitingPosition).toBe(1);
    const told = await db().select().from(notifications).where(and(eq(notifications.userId, c.id), eq(notifications.kind, "jellies"))).all();
    expect(told.map((n) => n.body)).toEqual([expect.stringMatching(/A place opened up/)]);
    // Someone leaving the waiting list frees no place.
    expect((await cancelRsvp(d, { jellyId: id })).promoted).toEqual([]);
    expect((await cancelRsvp(d, { jellyId: id })).removed).toBe(false);
  });

  it("a larger capacity moves people up; a capacity below the number going is refused", async () => {
    const host = await makeUser();
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const id = await makeJelly(host, { capacity: 1 });
    await rsvp(a, { jellyId: id });
    await rsvp(b, { jellyId: id });
    await rsvp(c, { jellyId: id });
    const at = await startOf(id);
    const edit = async (capacity: number) =>
      await editJelly(host, id, { title: "Coffee on onboarding", about: "Let us compare what the first week looks like.", ...wallTime(at), timeZone: "UTC", durationMinutes: "60", place: "Kitchen", capacity: String(capacity) });
    await edit(2);
    expect((await jellyPage(b, id)).mine?.status).toBe("going");
    expect((await jellyPage(c, id)).mine?.status).toBe("waiting");
    await expect(async () => await edit(1)).rejects.toThrow(/Please correct/);
    expect((await db().select({ s: jellies.sequence }).from(jellies).where(eq(jellies.id, id)).get())!.s).toBe(1);
    // Those going were told of the change (the one promoted heard that instead).
    const bodies = (await db().select().from(notifications).where(eq(notifications.userId, a.id)).all()).map((n) => n.body);
    expect(bodies).toEqual([expect.stringMatching(/The host changed/)]);
  });

  it("concurrent RSVPs from separate processes never exceed the capacity", async () => {
    const host = await makeUser();
    const id = await makeJelly(host, { capacity: 5 });
    const groups = await mapInOrder(Array.from({ length: 4 }), async () => await mapInOrder(Array.from({ length: 5 }), async () => await makeUser()));
    const results = (await raceWorkers<string[]>("tests/integration/helpers/jelly-worker.ts", groups.map((users) => ({ jellyId: id, users })))).flat();
    expect(results.filter((r) => r === "going")).toHaveLength(5);
    expect(results.filter((r) => r === "waiting")).toHaveLength(15);
    const rows = await db().select().from(jellyRsvps).where(eq(jellyRsvps.jellyId, id)).all();
    expect(rows.filter((r) => r.status === "going")).toHaveLength(5);
    expect(rows).toHaveLength(20);
  }, 60_000);
});

describe("checking in", () => {
  it("scores the points once and counts toward the Meetup Regular badge", async () => {
    const host = await makeUser();
    const guest = await makeUser();
    const id = await makeJelly(host, { inMs: HOUR });
    await rsvp(guest, { jellyId: id });
    const at = await startOf(id) + 5 * 60_000;
    const before = await totalPoints(db(), guest.id);
    const first = await checkIn(guest, { jellyId: id, code: (await code(id)).toLowerCase() }, { now: at });
    expect(first).toEqual({ points: LEARNING_POINTS.jelly_checked_in, alreadyCheckedIn: false });
    expect(await checkIn(guest, { jellyId: id, code: await code(id) }, { now: at + 1000 })).toEqual({ points: 0, alreadyCheckedIn: true });
    expect(await totalPoints(db(), guest.id)).toBe(before + LEARNING_POINTS.jelly_checked_in);
    expect(await db().select().from(pointEntries).where(eq(pointEntries.userId, guest.id)).all()).toEqual([
      expect.objectContaining({ jamId: null, reason: "jelly_checked_in", source: `jelly:${id}` }),
    ]);
    expect((await db().select().from(userBadges).where(and(eq(userBadges.userId, guest.id), eq(userBadges.badgeKey, "meetup-regular"))).get())?.level).toBe(1);
    expect((await checkInCodePage(host, id, at)).checkedIn).toBe(1);
  });

  it("shows the code to the host only while it is valid, and never to anyone else", async () => {
    const host = await makeUser();
    const other = await makeUser();
    const id = await makeJelly(host, { inMs: 2 * HOUR });
    const start = await startOf(id);
    expect((await checkInCodePage(host, id, start - HOUR)).code).toBeNull();
    expect((await checkInCodePage(host, id, start - 10 * 60_000)).code).toBe(await code(id));
    expect((await checkInCodePage(host, id, start + 3 * HOUR)).code).toBeNull();
    await expect(async () => await checkInCodePage(other, id, start)).rejects.toThrow(/Only the host/);
    expect(JSON.stringify(await jellyPage(other, id, start))).not.toContain(await code(id));
  });
});

describe("attacks", () => {
  it("checking in without an RSVP, on the waiting list, or for someone else is refused", async () => {
    const host = await makeUser();
    const [going, waiting, stranger] = [await makeUser(), await makeUser(), await makeUser()];
    const id = await makeJelly(host, { capacity: 1, inMs: HOUR });
    await rsvp(going, { jellyId: id });
    await rsvp(waiting, { jellyId: id });
    const at = await startOf(id);
    await expect(async () => await checkIn(stranger, { jellyId: id, code: await code(id) }, { now: at })).rejects.toThrow(/Please correct/);
    await expect(async () => await checkIn(waiting, { jellyId: id, code: await code(id) }, { now: at })).rejects.toThrow(/Please correct/);
    // The input names no person: a check-in is always the signed-in person's own.
    await expect(async () => await checkIn(stranger, { jellyId: id, code: await code(id), userId: going.id }, { now: at })).rejects.toThrow(/Please correct/);
    expect((await jellyPage(going, id, at)).mine).toEqual({ status: "going", checkedIn: false });
  });

  it("guessing the code is throttled per person", async () => {
    const host = await makeUser();
    const guesser = await makeUser();
    const id = await makeJelly(host, { inMs: HOUR });
    await rsvp(guesser, { jellyId: id });
    const at = await startOf(id);
    let refusedFast = 0;
    for (let i = 0; i < 12; i++) {
      try {
        await checkIn(guesser, { jellyId: id, code: "AAAAAA" }, { now: at + i });
      } catch (error) {
        if ((error as Error).name === "TooManyRequests") refusedFast++;
      }
    }
    expect(refusedFast).toBe(4);
    // Even the right code waits now.
    await expect(async () => await checkIn(guesser, { jellyId: id, code: await code(id) }, { now: at + 20 })).rejects.toThrow(/Too many tries/);
  });

  it("RSVPs to a cancelled or past jelly are refused; the cancelled jelly stays, and everyone is told once", async () => {
    const host = await makeUser();
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const past = await makeJelly(host, { inMs: HOUR });
    await expect(async () => await rsvp(a, { jellyId: past }, { now: await startOf(past) + 1 })).rejects.toThrow(/Please correct/);
    const id = await makeJelly(host, { capacity: 1 });
    await rsvp(a, { jellyId: id });
    await rsvp(b, { jellyId: id });
    await expect(async () => await cancelJelly(a, id)).rejects.toThrow(/Only the host/);
    expect(await cancelJelly(host, id)).toEqual({ cancelled: true });
    expect(await cancelJelly(host, id)).toEqual({ cancelled: false });
    await expect(async () => await rsvp(c, { jellyId: id })).rejects.toThrow(/Please correct/);
    expect((await jellyPage(c, id)).state).toBe("cancelled");
    for (const person of [a, b]) {
      const told = await db().select().from(notifications).where(and(eq(notifications.userId, person.id), eq(notifications.kind, "jellies"))).all();
      expect(told.filter((n) => /cancelled/.test(n.body))).toHaveLength(1);
    }
    // Cancelling one's RSVP to a cancelled jelly promotes nobody.
    expect((await cancelRsvp(a, { jellyId: id })).promoted).toEqual([]);
  });

  it("only the host edits, and ideas from the notes credit only people who were there", async () => {
    const host = await makeUser();
    const guest = await makeUser();
    const stranger = await makeUser();
    const id = await makeJelly(host, { inMs: HOUR });
    await rsvp(guest, { jellyId: id });
    const after = await startOf(id) + 2 * HOUR;
    await expect(async () => await addJellyIdea(guest, id, { title: "Buddy system", creditedId: guest.id }, { now: after })).rejects.toThrow(/Only the host/);
    await expect(async () => await addJellyIdea(host, id, { title: "Buddy system", creditedId: stranger.id, clientKey: "attack-key-1" }, { now: after })).rejects.toThrow(/Please correct/);
    await addJellyIdea(host, id, { title: "Buddy system", body: "Pair each newcomer with someone from another team.", creditedId: guest.id, clientKey: "attack-key-2" }, { now: after });
    const page = await jellyPage(stranger, id, after);
    expect(page.ideas.map((i) => [i.title, i.creditedName])).toEqual([["Buddy system", guest.name]]);
    expect(page.creditable).toEqual([]);
  });
});
