/**
 * The demo company's jellies, made through the services: a past one about a published theme
 * (people checked in, notes, an idea with credit), an upcoming one that is full with a waiting
 * list, and a pair's meetup next week, so a first look at /jellies is not empty.
 */
import type { SessionUser } from "~/auth/session.server";
import { addJellyIdea, checkIn, postNotes, proposeJelly, rsvp } from "~/services/commands/jellies.server";
import { db } from "~db/client";
import { jellies } from "~db/schema";
import { eq } from "drizzle-orm";
import { forEachInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function wall(at: number, zone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { date: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}` };
}

/** A whole hour `days` from `now`, at `hour` o'clock UTC. */
function slot(now: number, days: number, hour: number) {
  const day = Math.floor((now + days * DAY) / DAY) * DAY;
  return day + hour * HOUR;
}

export async function seedJellies(people: SessionUser[], options: { now: number; themeId: number | null; themeLabel: string | null }) {
  const { now } = options;
  const participant = people.find((p) => p.email.startsWith("participant@"))!;
  const facilitator = people.find((p) => p.role === "facilitator")!;
  const others = people.filter((p) => p.id !== participant.id && p.id !== facilitator.id && p.role === "participant");

  // A past jelly about the published theme, planned 10 days before it happened.
  const pastAt = slot(now, -6, 12);
  const planned = pastAt - 10 * DAY;
  const past = (await proposeJelly(
    facilitator,
    {
      title: options.themeLabel ? `Lunch on “${options.themeLabel}”` : "Lunch on what the jam found",
      about: "An hour to turn the theme's top ideas into something we can try next month. Bring your lunch and one example from your team.",
      ...wall(pastAt, "Europe/London"),
      timeZone: "Europe/London",
      durationMinutes: "60",
      place: "Atrium, ground floor",
      capacity: "8",
      themeId: options.themeId ?? undefined,
      clientKey: "demo-jelly-past",
    },
    { now: planned, ip: "seed" },
  )).id;
  const pastGuests = [participant, ...others.slice(0, 5)];
  await forEachInOrder(pastGuests, async (p, i) => await rsvp(p, { jellyId: past }, { now: planned + (i + 1) * HOUR }));
  const code = (await db().select({ c: jellies.checkInCode }).from(jellies).where(eq(jellies.id, past)).get())!.c;
  await forEachInOrder(pastGuests.slice(0, 5), async (p, i) => await checkIn(p, { jellyId: past, code }, { now: pastAt + i * 60_000 }));
  await postNotes(
    facilitator,
    past,
    {
      notes:
        "Six of us, four departments.\n\nWhat we agreed: start with the two ideas that need no budget, and ask each team for one volunteer.\n\nNext: a short write-up in the next jam's challenge.",
    },
    { now: pastAt + 2 * HOUR },
  );
  await addJellyIdea(
    facilitator,
    past,
    { title: "A volunteer per team for the first trial", body: "One person per team tries it for a month and reports back.", creditedId: participant.id, clientKey: "seed-jelly-idea-1" },
    { now: pastAt + 2 * HOUR },
  );
  await addJellyIdea(facilitator, past, { title: "Share the checklist in the team channel", creditedId: pastGuests[2]!.id, clientKey: "seed-jelly-idea-2" }, { now: pastAt + 2 * HOUR + 60_000 });

  // An upcoming jelly that is full, with people waiting.
  const soonAt = slot(now, 3, 15);
  const soon = (await proposeJelly(
    others[6] ?? facilitator,
    {
      title: "Coffee: onboarding buddies",
      about: "How do your teams welcome new people? Let us swap what works, in half an hour over coffee.",
      ...wall(soonAt, "Europe/Berlin"),
      timeZone: "Europe/Berlin",
      durationMinutes: "30",
      place: "Café on the 4th floor",
      callLink: "https://meet.example.com/onboarding-buddies",
      capacity: "4",
      clientKey: "demo-jelly-soon",
    },
    { now: now - DAY, ip: "seed" },
  )).id;
  await forEachInOrder(others.slice(7, 13), async (p, i) => await rsvp(p, { jellyId: soon }, { now: now - DAY + (i + 1) * HOUR }));

  // A meetup for a "people you should meet" pair, that the participant hosts.
  const pairAt = slot(now, 8, 9);
  const pair = (await proposeJelly(
    participant,
    {
      title: "Walk and talk: meeting notes that people read",
      about: "We both wrote about meeting notes in the jam. A walk round the block to compare notes, anyone curious is welcome.",
      ...wall(pairAt, "America/New_York"),
      timeZone: "America/New_York",
      durationMinutes: "45",
      place: "Main entrance",
      capacity: "5",
      withId: others[13]?.id ?? facilitator.id,
      clientKey: "demo-jelly-pair",
    },
    { now: now - 2 * HOUR, ip: "seed" },
  )).id;
  await rsvp(others[13] ?? facilitator, { jellyId: pair }, { now: now - HOUR });
  return { jellies: 3 };
}
