/**
 * A jam's live stream lasts only as long as its reader may read it (signed in, the jam visible to
 * them), and a person holds at most LIVE_STREAMS_PER_PERSON streams at once across processes.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertSession, type SessionUser } from "~/auth/session.server";
import { db } from "~db/client";
import { signOut } from "~/services/commands/accounts.server";
import { unscheduleJam } from "~/services/commands/launch.server";
import { LIVE_STREAMS_PER_PERSON } from "~/services/pages/live.server";
import { loader } from "~/routes/jams.$slug.events";
import { makeIdea, makeJam, makeUser } from "../factories";
import { raceWorkers } from "./helpers/processes";
import { sseReader } from "./helpers/sse";

const open: AbortController[] = [];
afterEach(() => open.splice(0).forEach((c) => c.abort()));
beforeEach(() => {
  delete process.env.LIVE_RECHECK_MS;
});

/** A signed-in person: their row and a session token (as the sign-in form gives one). */
async function signedIn(role: SessionUser["role"] = "participant") {
  const user = await makeUser({ role });
  return { user, token: await insertSession(db(), user.id, Date.now()) };
}

/** GET /jams/:slug/events through the route, as the browser's EventSource asks for it. */
async function openStream(slug: string, token: string): Promise<Response> {
  const controller = new AbortController();
  open.push(controller);
  const request = new Request(`http://127.0.0.1/jams/${slug}/events?lastEventId=0`, {
    headers: { Cookie: `jamboree_session=${token}` },
    signal: controller.signal,
  });
  try {
    return (await loader({ request, params: { slug }, context: { ip: null, nonce: "" } })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Reads the stream to its end: resolves null once the server closes it (fails if it stays open past `ms`). */
async function ended(response: Response, ms: number) {
  const sse = sseReader(response.body!);
  for (;;) if ((await sse.next(ms)) === null) return null;
}


describe("a live stream ends when its reader's access does", () => {
  it("signing out closes the stream at the next check", async () => {
    process.env.LIVE_RECHECK_MS = "100";
    const { jam, challengeIds } = await makeJam();
    const { user, token } = await signedIn();
    const response = await openStream(jam.slug, token);
    expect(response.status).toBe(200);
    const sse = sseReader(response.body!);
    expect((await sse.next())!.comments).toContain("connected");
    // Still open while the session lasts: checks pass, events arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    expect(JSON.parse((await sse.next())!.data!)).toMatchObject({ ideaId: idea.id });

    await signOut(token, user, { ip: null });
    // The next check (100 ms) finds no session and ends the stream.
    for (;;) if ((await sse.next(1_000)) === null) break;
  });

  it("the jam going back to draft closes a participant's stream at once (its jam.changed event), not a facilitator's", async () => {
    process.env.LIVE_RECHECK_MS = "600000"; // no periodic check within this test: the change itself must end it
    // Scheduled, not started: only then can a jam go back to draft.
    const { jam, facilitator } = await makeJam({ startsAt: Date.now() + 24 * 3_600_000, endsAt: Date.now() + 48 * 3_600_000 });
    const participant = await signedIn();
    const staff = await signedIn("facilitator");
    const participantStream = await openStream(jam.slug, participant.token);
    const staffStream = sseReader((await openStream(jam.slug, staff.token)).body!);
    await staffStream.next();

    await unscheduleJam(facilitator, jam.id, { ip: null });
    await expect(ended(participantStream, 1_000)).resolves.toBeNull();
    // A facilitator may still see a draft: their stream carries on, with the change itself.
    expect((await staffStream.next())!.event).toBe("jam.changed");
    // And the participant cannot open a new one.
    expect((await openStream(jam.slug, participant.token)).status).toBe(404);
  });
});

describe("at most LIVE_STREAMS_PER_PERSON live streams per person", () => {
  it("the 21st stream is refused with 429 and a clear message; closing one frees a place", async () => {
    expect(LIVE_STREAMS_PER_PERSON).toBe(20);
    const { jam } = await makeJam();
    const { token } = await signedIn();
    const streams: Response[] = [];
    for (let i = 0; i < 20; i++) streams.push(await openStream(jam.slug, token));
    expect(streams.map((r) => r.status)).toEqual(Array(20).fill(200));

    const refused = await openStream(jam.slug, token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("30");
    expect(await refused.text()).toBe("You already have 20 live pages open. Close some of your Jamboree tabs, then reload this page.");
    // Someone else is not affected.
    expect((await openStream(jam.slug, (await signedIn()).token)).status).toBe(200);

    open[0]!.abort(); // the browser closes one page
    expect((await openStream(jam.slug, token)).status).toBe(200);
    expect((await openStream(jam.slug, token)).status).toBe(429);
  });

  it("a stream that stays open keeps its place: it renews its registration at every check", async () => {
    process.env.LIVE_RECHECK_MS = "100"; // registrations last 300 ms unless renewed
    const { jam } = await makeJam();
    const { token } = await signedIn();
    for (let i = 0; i < 20; i++) expect((await openStream(jam.slug, token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await openStream(jam.slug, token)).status).toBe(429);
  });

  it("counts the streams other processes hold, and forgets those of a process that died once their registration expires", async () => {
    const { jam } = await makeJam();
    const { user, token } = await signedIn();
    // Another process registers 15 streams that it will never renew or close (it exits: a crash).
    // Their registrations run for 5 s from when that process makes them (it may be slow to start).
    const [other] = await raceWorkers<{ slots: (string | null)[]; expiresAt: number }>("tests/integration/helpers/shared-worker.ts", [
      { kind: "streams", userId: user.id, count: 15, ttlMs: 5_000 },
    ]);
    expect(other!.slots.every((slot) => slot !== null)).toBe(true);
    const { expiresAt } = other!;

    const here: number[] = [];
    for (let i = 0; i < 6; i++) here.push((await openStream(jam.slug, token)).status);
    // Only meaningful while the other process's registrations still hold.
    expect(Date.now(), "the six streams opened before the other process's registrations expired").toBeLessThan(expiresAt);
    expect(here).toEqual([200, 200, 200, 200, 200, 429]);

    // Once the dead process's registrations have expired, their places are free again.
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 10));
    expect((await openStream(jam.slug, token)).status).toBe(200);
  }, 30_000);
});
