import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { LIVE_EVENTS_KEPT } from "~/coordination/shared.server";
import { liveBus, publish, type LiveEvent } from "~/live/bus";
import { jamEventStream } from "~/live/sse.server";
import { postComment } from "~/services/commands/comments.server";
import { Conflict, Forbidden, Invalid } from "~/services/errors";
import { postIdea } from "~/services/commands/ideas.server";
import { castVote } from "~/services/commands/votes.server";
import { db, publishAfterCommit, transaction } from "~db/client";
import { comments, ideas } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { sseReader } from "./helpers/sse";

const DAY = 24 * 3_600_000;

/** Keys that could carry who wrote something; event data must never hold them for anonymous ideas. */
const AUTHOR_KEYS = ["author", "authorId", "author_id", "userId", "user_id", "name", "email", "department", "departmentId"];

interface Received {
  event: LiveEvent;
  /** Whether the app's connection was still inside a transaction when the event arrived. */
  inTransaction: boolean;
}

const unsubscribes: (() => void)[] = [];
afterEach(() => {
  while (unsubscribes.length > 0) unsubscribes.pop()!();
});

/** Records every event of one jam, and whether it arrived while a transaction was open. */
async function listen(jamId: number): Promise<Received[]> {
  const received: Received[] = [];
  unsubscribes.push(
    await liveBus.subscribe(jamId, (events) => received.push(...events.map((event) => ({ event, inTransaction: Boolean(db().$client.inTransaction) })))),
  );
  return received;
}

const types = (received: Received[]) => received.map((r) => r.event.type);

/**
 * A process delivers its own events right after the current turn (the request answers first):
 * wait for that delivery (on PostgreSQL its reads take more than one turn).
 */
const delivered = () => liveBus.settled();

let keys = 0;
function key() {
  keys += 1;
  return `live-key-${Date.now().toString(36)}-${keys}`;
}

function ideaInput(challengeId: number, overrides: Record<string, unknown> = {}) {
  return {
    challengeId,
    title: "A quiet room on every floor",
    body: "Somewhere to think without headphones.",
    isAnonymous: false,
    clientKey: key(),
    ...overrides,
  };
}

function expectNoAuthorFields(data: Record<string, unknown>) {
  for (const k of AUTHOR_KEYS) expect(data, `event data carries "${k}"`).not.toHaveProperty(k);
}

/** The id the next published event will get (ids are global across jams). */
async function lastEventId(): Promise<number> {
  // A throwaway jam id no test uses: publishing there tells us the current id without notifying anyone.
  return (await publish(db(), -1, "jam.changed", {})).id;
}

describe("services publish live events after commit", () => {
  it("postIdea publishes idea.created {ideaId, challengeId} (and points.changed) once the idea is committed", async () => {
    const { jam, challengeIds } = await makeJam();
    const received = await listen(jam.id);
    const author = await makeUser();
    const idea = await postIdea(author, ideaInput(challengeIds[0]!));
    await delivered();
    expect(types(received)).toEqual(["idea.created", "points.changed"]);
    expect(received[0]!.event.data).toEqual({ ideaId: idea.id, challengeId: challengeIds[0] });
    expect(received[0]!.event.jamId).toBe(jam.id);
    expect(received.every((r) => !r.inTransaction)).toBe(true);
    expectNoAuthorFields(received[0]!.event.data);
  });

  it("a double submit (same client key) publishes nothing the second time", async () => {
    const { jam, challengeIds } = await makeJam();
    const author = await makeUser();
    const input = ideaInput(challengeIds[0]!);
    await postIdea(author, input);
    const received = await listen(jam.id);
    const again = await postIdea(author, input);
    expect(again.created).toBe(false);
    await delivered();
    expect(received).toEqual([]);
  });

  it("an anonymous idea, votes on it and comments on it publish no author fields", async () => {
    const { jam, challengeIds } = await makeJam();
    const received = await listen(jam.id);
    const author = await makeUser({ name: "Ottoline Secretworth", email: "ottoline@secret.example.test" });
    const idea = await postIdea(author, ideaInput(challengeIds[0]!, { isAnonymous: true }));
    await castVote(await makeUser(), { ideaId: idea.id });
    await postComment(await makeUser(), { ideaId: idea.id, body: "Brave and right.", clientKey: key() });
    await delivered();
    expect(types(received)).toContain("idea.created");
    expect(types(received)).toContain("vote.changed");
    expect(types(received)).toContain("comment.created");
    for (const { event } of received) {
      expectNoAuthorFields(event.data);
      const json = JSON.stringify(event.data);
      expect(json).not.toContain("Ottoline");
      expect(json).not.toContain("secret.example.test");
    }
    await delivered();
    expect(received.find((r) => r.event.type === "idea.created")!.event.data).toEqual({
      ideaId: idea.id,
      challengeId: challengeIds[0],
    });
  });

  it("castVote publishes vote.changed {ideaId, voteCount} then points.changed, after commit", async () => {
    const { jam, challengeIds } = await makeJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    const received = await listen(jam.id);
    await castVote(await makeUser(), { ideaId: idea.id });
    await delivered();
    expect(types(received)).toEqual(["vote.changed", "points.changed"]);
    expect(received[0]!.event.data).toEqual({ ideaId: idea.id, voteCount: 1 });
    // Two votes delivered in one look (one commit here; on SQLite two commits in one turn do the
    // same): the streams hear the idea's latest count once, and one points ping.
    const [second, third] = [await makeUser(), await makeUser()];
    await transaction(async () => {
      await castVote(second, { ideaId: idea.id });
      await castVote(third, { ideaId: idea.id });
    });
    await delivered();
    expect(types(received)).toEqual(["vote.changed", "points.changed", "vote.changed", "points.changed"]);
    expect(received[2]!.event.data).toEqual({ ideaId: idea.id, voteCount: 3 });
    expect(received.every((r) => !r.inTransaction)).toBe(true);
  });

  it("a repeated vote (no row written) publishes nothing", async () => {
    const { jam, challengeIds } = await makeJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    const voter = await makeUser();
    await castVote(voter, { ideaId: idea.id });
    const received = await listen(jam.id);
    await castVote(voter, { ideaId: idea.id });
    await delivered();
    expect(received).toEqual([]);
  });

  it("postComment publishes comment.created {ideaId, commentId, challengeId} then points.changed, after commit", async () => {
    const { jam, challengeIds } = await makeJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    const received = await listen(jam.id);
    const comment = await postComment(await makeUser(), { ideaId: idea.id, body: "Yes, and measure it.", clientKey: key() });
    await delivered();
    expect(types(received)).toEqual(["comment.created", "points.changed"]);
    expect(received[0]!.event.data).toEqual({ ideaId: idea.id, commentId: comment.id, challengeId: challengeIds[0] });
    expect(received.every((r) => !r.inTransaction)).toBe(true);
  });

  it("events reach only the listeners of their own jam", async () => {
    const a = await makeJam();
    const b = await makeJam();
    const receivedA = await listen(a.jam.id);
    const receivedB = await listen(b.jam.id);
    await postIdea(await makeUser(), ideaInput(b.challengeIds[0]!));
    await delivered();
    expect(receivedA).toEqual([]);
    expect(types(receivedB)).toContain("idea.created");
  });

  it("a service called inside a larger transaction publishes only when the outer transaction commits", async () => {
    const { jam, challengeIds } = await makeJam();
    const received = await listen(jam.id);
    const author = await makeUser();
    let seenInside = -1;
    const idea = await transaction(async () => {
      const posted = await postIdea(author, ideaInput(challengeIds[0]!));
      seenInside = received.length;
      return posted;
    });
    expect(seenInside).toBe(0);
    await delivered();
    expect(types(received)).toEqual(["idea.created", "points.changed"]);
    expect(received[0]!.event.data).toEqual({ ideaId: idea.id, challengeId: challengeIds[0] });
  });
});

describe("nothing is published for a transaction that rolls back", () => {
  it("a publishAfterCommit callback inside a transaction that throws never runs", async () => {
    const { jam } = await makeJam();
    const received = await listen(jam.id);
    const before = await lastEventId();
    await expect(async () =>
      await transaction(async () => {
        publishAfterCommit(() => void publish(db(), jam.id, "jam.changed", { rolledBack: true }));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await delivered();
    expect(received).toEqual([]);
    // Not in the replay buffer either: a reconnecting client will not see it.
    expect((await liveBus.since(jam.id, before))).toEqual([]);
  });

  it("a service's events inside an outer transaction that then throws are never published, and its writes are gone", async () => {
    const { jam, challengeIds } = await makeJam();
    const received = await listen(jam.id);
    const author = await makeUser();
    const input = ideaInput(challengeIds[0]!, { title: "Rolled back with its transaction" });
    let ideaId = 0;
    await expect(async () =>
      await transaction(async () => {
        ideaId = (await postIdea(author, input)).id;
        throw new Error("the caller changed its mind");
      }),
    ).rejects.toThrow("changed its mind");
    expect(ideaId).toBeGreaterThan(0);
    await delivered();
    expect(received).toEqual([]);
    expect(await db().select().from(ideas).where(eq(ideas.id, ideaId)).get()).toBeUndefined();
  });

  it("after a rollback the next transaction publishes normally (no callback leaks across transactions)", async () => {
    const { jam, challengeIds } = await makeJam();
    const received = await listen(jam.id);
    await expect(async () =>
      await transaction(async () => {
        publishAfterCommit(() => void publish(db(), jam.id, "jam.changed", { leaked: true }));
        throw new Error("boom");
      }),
    ).rejects.toThrow();
    const idea = await postIdea(await makeUser(), ideaInput(challengeIds[0]!));
    await delivered();
    expect(types(received)).toEqual(["idea.created", "points.changed"]);
    expect(received[0]!.event.data).toEqual({ ideaId: idea.id, challengeId: challengeIds[0] });
    expect(received.some((r) => r.event.data.leaked)).toBe(false);
  });

  it("outside a transaction publishAfterCommit runs at once", async () => {
    const { jam } = await makeJam();
    const received = await listen(jam.id);
    const published: Promise<unknown>[] = [];
    publishAfterCommit(() => published.push(publish(db(), jam.id, "jam.changed", { now: true })));
    expect(published).toHaveLength(1);
    await Promise.all(published);
    await delivered();
    expect(received.map((r) => r.event.data)).toEqual([{ now: true }]);
  });
});

describe("a service call refused inside its transaction publishes nothing", () => {
  it("a reply to a comment that is not on the idea (Invalid, thrown inside the transaction)", async () => {
    const { jam, challengeIds } = await makeJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    const other = await makeIdea(await makeUser(), challengeIds[0]!);
    const elsewhere = await postComment(await makeUser(), { ideaId: other.id, body: "On the other idea.", clientKey: key() });
    const received = await listen(jam.id);
    const commenter = await makeUser();
    const clientKey = key();
    await expect(async () =>
      await postComment(commenter, { ideaId: idea.id, parentId: elsewhere.id, body: "A reply.", clientKey }),
    ).rejects.toThrow(Invalid);
    await delivered();
    expect(received).toEqual([]);
    expect(await db().select().from(comments).where(eq(comments.clientKey, clientKey)).get()).toBeUndefined();
  });

  it("a vote on one's own idea (Forbidden)", async () => {
    const { jam, challengeIds } = await makeJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!);
    const received = await listen(jam.id);
    await expect(async () => await castVote(author, { ideaId: idea.id })).rejects.toThrow(Forbidden);
    await delivered();
    expect(received).toEqual([]);
  });

  it("an idea, a vote or a comment after the jam has ended (Conflict)", async () => {
    const now = Date.now();
    const { jam, challengeIds } = await makeJam({ startsAt: now - 2 * DAY, endsAt: now + DAY });
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    const received = await listen(jam.id);
    const later = { now: now + 2 * DAY };
    await expect(async () => await postIdea(await makeUser(), ideaInput(challengeIds[0]!), later)).rejects.toThrow(Conflict);
    await expect(async () => await castVote(await makeUser(), { ideaId: idea.id }, later)).rejects.toThrow(Conflict);
    await expect(async () => await postComment(await makeUser(), { ideaId: idea.id, body: "Too late.", clientKey: key() }, later)).rejects.toThrow(
      Conflict,
    );
    await delivered();
    expect(received).toEqual([]);
  });

  it("input refused before the transaction starts (an empty title)", async () => {
    const { jam, challengeIds } = await makeJam();
    const received = await listen(jam.id);
    await expect(async () => await postIdea(await makeUser(), ideaInput(challengeIds[0]!, { title: "  " }))).rejects.toThrow(Invalid);
    await delivered();
    expect(received).toEqual([]);
  });
});

describe("liveBus.since replays what a client missed", () => {
  it("returns exactly the jam's events after the last id, in order, and none of other jams'", async () => {
    const a = await makeJam();
    const b = await makeJam();
    const seen = (await publish(db(), a.jam.id, "jam.changed", { n: 0 })).id;
    const published: LiveEvent[] = [];
    for (let n = 1; n <= 6; n++) {
      published.push((await publish(db(), a.jam.id, "jam.changed", { n })));
      await publish(db(), b.jam.id, "jam.changed", { n });
    }
    const idea = await postIdea(await makeUser(), ideaInput(a.challengeIds[0]!));
    const replay = (await liveBus.since(a.jam.id, seen))!;
    expect(replay).not.toBeNull();
    expect(replay.every((e) => e.jamId === a.jam.id)).toBe(true);
    expect(replay.map((e) => e.id)).toEqual([...replay.map((e) => e.id)].sort((x, y) => x - y));
    expect(replay.slice(0, 6)).toEqual(published);
    expect(replay.slice(6).map((e) => [e.type, e.data])).toEqual([
      ["idea.created", { ideaId: idea.id, challengeId: a.challengeIds[0] }],
      ["points.changed", {}],
    ]);
    // From the middle: only what came after.
    expect((await liveBus.since(a.jam.id, published[3]!.id))!.slice(0, 2)).toEqual(published.slice(4, 6));
    // Up to date: nothing to replay.
    expect((await liveBus.since(a.jam.id, replay.at(-1)!.id))).toEqual([]);
  });

  it("returns null for an id the bus has not issued yet (the server restarted)", async () => {
    const { jam } = await makeJam();
    const last = (await publish(db(), jam.id, "jam.changed", {})).id;
    expect((await liveBus.since(jam.id, last + 1000))).toBeNull();
  });

  it("returns null once the missed events are no longer all kept", async () => {
    const { jam } = await makeJam();
    const first = (await publish(db(), jam.id, "jam.changed", { n: 0 }));
    const ids = [first.id];
    // Far more than are kept.
    for (let n = 1; n < LIVE_EVENTS_KEPT + 3000; n++) ids.push((await publish(db(), jam.id, "jam.changed", { n })).id);
    const last = ids.at(-1)!;
    expect((await liveBus.since(jam.id, first.id - 1))).toBeNull();
    expect((await liveBus.since(jam.id, first.id))).toBeNull();
    // The last few are still there.
    expect((await liveBus.since(jam.id, last - 10))!.map((e) => e.id)).toEqual(ids.slice(-10));
    // Find the oldest replayable id: everything after it comes back, one before it is null.
    let lo = first.id;
    let hi = last;
    while (lo + 1 < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await liveBus.since(jam.id, mid)) === null) lo = mid;
      else hi = mid;
    }
    expect((await liveBus.since(jam.id, hi - 1))).toBeNull();
    expect((await liveBus.since(jam.id, hi))!.map((e) => e.id)).toEqual(ids.filter((id) => id > hi));
  });
});

// ---------------------------------------------------------------- the SSE stream

function eventsRequest(headers: Record<string, string>, signal: AbortSignal, query = "") {
  return new Request(`http://127.0.0.1/jams/some-jam/events${query}`, { headers, signal });
}

describe("jamEventStream", () => {
  it("replays the missed events after Last-Event-ID, then streams new ones, and unsubscribes on abort", async () => {
    const { jam, challengeIds } = await makeJam();
    const other = await makeJam();
    const seen = (await publish(db(), jam.id, "jam.changed", { n: 0 })).id;
    const missed = [(await publish(db(), jam.id, "jam.changed", { n: 1 }))];
    await publish(db(), other.jam.id, "jam.changed", { n: 1 });
    const missedIdea = await postIdea(await makeUser(), ideaInput(challengeIds[0]!, { isAnonymous: true }));
    missed.push(...(await liveBus.since(jam.id, missed[0]!.id))!);
    // An anonymous idea earns no points, so no points.changed.
    expect(missed.map((e) => e.type)).toEqual(["jam.changed", "idea.created"]);

    const subscribersBefore = liveBus.subscriberCount();
    const controller = new AbortController();
    const response = jamEventStream(eventsRequest({ "Last-Event-ID": String(seen) }, controller.signal), jam.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toContain("no-transform");
    // The stream listens before it sends its first bytes.
    await expect.poll(() => liveBus.subscriberCount()).toBe(subscribersBefore + 1);

    const sse = sseReader(response.body!);
    const preamble = (await sse.next())!;
    expect(preamble.retry).toBe("3000");
    expect(preamble.comments).toContain("connected");

    // First what was missed, in order, with their ids, and nothing from the other jam.
    for (const event of missed) {
      const frame = (await sse.next())!;
      expect(frame.id).toBe(String(event.id));
      expect(frame.event).toBe(event.type);
      expect(JSON.parse(frame.data!)).toEqual(event.data);
    }

    // Then what happens now.
    const idea = await postIdea(await makeUser(), ideaInput(challengeIds[0]!));
    await publish(db(), other.jam.id, "jam.changed", { n: 2 });
    const created = (await sse.next())!;
    expect(created.event).toBe("idea.created");
    expect(JSON.parse(created.data!)).toEqual({ ideaId: idea.id, challengeId: challengeIds[0] });
    expect(Number(created.id)).toBeGreaterThan(missed.at(-1)!.id);
    expect((await sse.next())!.event).toBe("points.changed");
    expect(missedIdea.id).toBeLessThan(idea.id);

    // A rolled-back transaction sends nothing down the stream.
    await expect(async () =>
      await transaction(async () => {
        publishAfterCommit(() => void publish(db(), jam.id, "jam.changed", { rolledBack: true }));
        throw new Error("boom");
      }),
    ).rejects.toThrow();
    const marker = (await publish(db(), jam.id, "jam.changed", { marker: true }));
    const next = (await sse.next())!;
    expect(next.id).toBe(String(marker.id));
    expect(JSON.parse(next.data!)).toEqual({ marker: true });

    // The client goes away: the listener is removed and the stream ends.
    controller.abort();
    expect(liveBus.subscriberCount()).toBe(subscribersBefore);
    expect(await sse.next()).toBeNull();
    await publish(db(), jam.id, "jam.changed", { afterAbort: true });
    expect(liveBus.subscriberCount()).toBe(subscribersBefore);
  });

  it("without Last-Event-ID it replays nothing and starts with what happens next", async () => {
    const { jam } = await makeJam();
    await publish(db(), jam.id, "jam.changed", { before: true });
    const controller = new AbortController();
    const sse = sseReader(jamEventStream(eventsRequest({}, controller.signal), jam.id).body!);
    expect((await sse.next())!.comments).toContain("connected");
    const event = (await publish(db(), jam.id, "jam.changed", { after: true }));
    const frame = (await sse.next())!;
    expect(frame.id).toBe(String(event.id));
    expect(JSON.parse(frame.data!)).toEqual({ after: true });
    controller.abort();
  });

  it("accepts the last id as ?lastEventId= too", async () => {
    const { jam } = await makeJam();
    const seen = (await publish(db(), jam.id, "jam.changed", { n: 0 })).id;
    const missed = (await publish(db(), jam.id, "jam.changed", { n: 1 }));
    const controller = new AbortController();
    const sse = sseReader(jamEventStream(eventsRequest({}, controller.signal, `?lastEventId=${seen}`), jam.id).body!);
    await sse.next();
    expect((await sse.next())!.id).toBe(String(missed.id));
    controller.abort();
  });

  it("says `reset` when it can no longer replay (an id from before a restart)", async () => {
    const { jam } = await makeJam();
    const last = (await publish(db(), jam.id, "jam.changed", {})).id;
    const controller = new AbortController();
    const sse = sseReader(
      jamEventStream(eventsRequest({ "Last-Event-ID": String(last + 10_000) }, controller.signal), jam.id).body!,
    );
    await sse.next();
    const reset = (await sse.next())!;
    expect(reset.event).toBe("reset");
    expect(reset.id).toBeUndefined();
    controller.abort();
  });

  it("a client that cancels its reader is unsubscribed too", async () => {
    const { jam } = await makeJam();
    const before = liveBus.subscriberCount();
    const controller = new AbortController();
    const sse = sseReader(jamEventStream(eventsRequest({}, controller.signal), jam.id).body!);
    await sse.next();
    expect(liveBus.subscriberCount()).toBe(before + 1);
    await sse.reader.cancel();
    expect(liveBus.subscriberCount()).toBe(before);
    controller.abort();
  });
});
