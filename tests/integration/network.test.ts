import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";
import type { SessionUser } from "~/auth/session.server";
import { postComment } from "~/services/commands/comments.server";
import { Forbidden } from "~/services/errors";
import { hideComment, mergeIdeas } from "~/services/commands/moderation.server";
import {
  buildInteractionGraph,
  computeNetworkNow,
  NETWORK_JOB,
  recomputeEndedJams,
} from "~/services/jobs/network.server";
import { requestNetworkRecompute } from "~/services/commands/network.server";
import {
  goToPeople,
  networkView,
  personalNetwork,
  personalNetworkCsv, searchExperts
} from "~/services/lookups/network.server";
import { pendingJob } from "~/coordination/jobs.server";
import { jamNetworkPage } from "~/services/pages/network.server";
import { castStance } from "~/services/commands/stances.server";
import { castVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { jams, networkSnapshots, synthesisVersions, themeIdeas, themes, users } from "~db/schema";
import { mapInOrder } from "~/domain/in-order";

let keys = 0;
const key = () => `net-key-${++keys}`.padEnd(10, "x");
const comment = async (actor: SessionUser, ideaId: number, parentId?: number, body = "Good point.") =>
  await postComment(actor, { ideaId, parentId, body, clientKey: key() }) as { id: number };

function edgeOf(graph: Awaited<ReturnType<typeof buildInteractionGraph>>, source: number, target: number) {
  return graph.edges.find((e) => e.source === source && e.target === target);
}

async function optOut(person: SessionUser) {
  await db().update(users).set({ hiddenFromRankings: true }).where(eq(users.id, person.id)).run();
}

describe("the interaction graph", () => {
  it("turns comments, replies, votes, agree stances and merges into weighted, directed edges", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    const [ann, ben, cat] = [await makeUser(), await makeUser(), await makeUser()];
    const idea = await makeIdea(ann, challengeIds[0]!);
    const c1 = await comment(ben, idea.id); // ben → ann (comment)
    await comment(ben, idea.id); // again
    await comment(cat, idea.id, c1.id); // cat → ben (reply)
    await castVote(ben, { ideaId: idea.id }); // ben → ann (support)
    await castVote(cat, { ideaId: idea.id }); // cat → ann (support)
    await comment(ann, idea.id); // self: no edge

    // Merge: cat's duplicate into ann's idea → cat ↔ ann.
    const duplicate = await makeIdea(cat, challengeIds[0]!);
    await mergeIdeas(facilitator, { id: duplicate.id, intoId: idea.id }, { ip: null });

    const graph = await buildInteractionGraph(db(), jam.id);
    expect(edgeOf(graph, ben.id, ann.id)).toMatchObject({ comments: 2, replies: 0, supports: 1, merges: 0, weight: 2 * 3 + 1 });
    expect(edgeOf(graph, cat.id, ben.id)).toMatchObject({ comments: 0, replies: 1, supports: 0, weight: 2 });
    expect(edgeOf(graph, cat.id, ann.id)).toMatchObject({ supports: 1, merges: 1, weight: 1 + 2 });
    expect(edgeOf(graph, ann.id, cat.id)).toMatchObject({ merges: 1, weight: 2 });
    expect(edgeOf(graph, ann.id, ben.id)).toBeUndefined();
    expect(graph.edges.some((e) => e.source === e.target)).toBe(false);
    expect(graph.people.map((p) => p.id).sort()).toEqual([ann.id, ben.id, cat.id].sort());
    // The all-jams scope sees the same edges.
    expect(edgeOf(await buildInteractionGraph(db(), 0), ben.id, ann.id)?.weight).toBe(7);

    // Stance "agree" counts as support; "disagree" does not.
    const stanceJam = await makeJam({ voteMode: "stance" });
    const dee = await makeUser();
    const stanceIdea = await makeIdea(dee, stanceJam.challengeIds[0]!);
    await castStance(ann, { ideaId: stanceIdea.id, stance: "agree" });
    await castStance(ben, { ideaId: stanceIdea.id, stance: "disagree" });
    const g2 = await buildInteractionGraph(db(), stanceJam.jam.id);
    expect(edgeOf(g2, ann.id, dee.id)).toMatchObject({ supports: 1, weight: 1 });
    expect(edgeOf(g2, ben.id, dee.id)).toBeUndefined();
  });

  it("never links anyone to the author of an anonymous idea, and skips hidden comments", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    const [secret, ben, cat] = [await makeUser(), await makeUser(), await makeUser()];
    const anon = await makeIdea(secret, challengeIds[0]!, { isAnonymous: true });
    const c = await comment(ben, anon.id);
    await castVote(ben, { ideaId: anon.id });
    const authorReply = await comment(secret, anon.id, c.id); // the author answering on their anonymous idea
    await comment(cat, anon.id, authorReply.id); // a reply to the anonymous author's comment
    // Merging into / from an anonymous idea links nobody.
    const dup = await makeIdea(cat, challengeIds[0]!);
    await mergeIdeas(facilitator, { id: dup.id, intoId: anon.id }, { ip: null });
    // A hidden comment does not count.
    const open = await makeIdea(cat, challengeIds[0]!);
    const hidden = await comment(ben, open.id);
    await hideComment(facilitator, { id: hidden.id, reason: "off-topic" }, { ip: null });

    const graph = await buildInteractionGraph(db(), jam.id);
    expect(graph.edges.filter((e) => e.target === secret.id || e.source === secret.id)).toEqual([]);
    expect(edgeOf(graph, ben.id, cat.id)).toBeUndefined();
    expect(await personalNetwork(db(), secret)).toEqual([]);
  });
});

describe("snapshots and the network page", () => {
  it("ranks the hub first, names nobody who opted out, and refuses participants", async () => {
    const sales = await makeDepartment();
    const ops = await makeDepartment();
    const { jam, challengeIds, facilitator } = await makeJam();
    const hub = await makeUser({ departmentId: sales.id });
    const shy = await makeUser({ departmentId: ops.id });
    const others = await mapInOrder(Array.from({ length: 4 }), async (_, i) => await makeUser({ departmentId: i % 2 ? sales.id : ops.id }));
    const hubIdea = await makeIdea(hub, challengeIds[0]!);
    const shyIdea = await makeIdea(shy, challengeIds[0]!);
    for (const o of others) {
      await castVote(o, { ideaId: hubIdea.id });
      await comment(o, hubIdea.id);
    }
    await comment(others[0]!, shyIdea.id);
    await optOut(shy);

    const { data } = await computeNetworkNow(jam.id);
    expect(data.people[0]!.id).toBe(hub.id);
    const view = await networkView(db(), facilitator, jam.slug);
    expect(view.snapshot?.status).toBe("done");
    expect(view.findings.influencers[0]).toMatchObject({ id: hub.id, name: hub.name, reach: 100 });
    const shyRow = view.findings.influencers.find((p) => p.id === null)!;
    expect(shyRow).toMatchObject({ name: null, displayName: "A participant" });
    expect(shyRow.reach).toBeLessThan(100);
    expect(JSON.stringify(view)).not.toContain(shy.name);
    // Still counted: their department's row in the matrix has their ties.
    expect(view.departments.map((d) => d.id).sort()).toEqual([sales.id, ops.id].sort());
    // The default drawing: one mark per department, one tie between the two.
    expect(view.drawing.kind).toBe("departments");
    expect(view.drawing.nodes.map((n) => n.label).sort()).toEqual([sales.name, ops.name].sort());
    expect(view.drawing.edges).toHaveLength(1);
    // The people drawing on request: the shy person unnamed, but drawn with their ties.
    const people = await networkView(db(), facilitator, jam.slug, { drawing: "people" });
    const drawnShy = people.drawing.nodes.find((n) => n.id === null)!;
    expect(drawnShy).toMatchObject({ label: "A participant", named: false });
    expect(people.drawing.edges.some((e) => e.source === drawnShy.key || e.target === drawnShy.key)).toBe(true);
    for (const n of people.drawing.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(1);
    }
    expect(JSON.stringify(people)).not.toContain(shy.name);
    // Filtered to one department: only its people.
    const onlySales = await networkView(db(), facilitator, jam.slug, { drawing: "people", department: sales.id });
    expect(onlySales.drawing.nodes.every((n) => n.departmentId === sales.id)).toBe(true);
    // hub ties to 4 others, two of them in the other department.
    expect(view.findings.brokers.find((p) => p.id === hub.id)).toMatchObject({ ties: 4, departmentsReached: 1, crossPeople: 2, crossInteractions: 4 });
    // Both departments met: nothing never met; the one pair is the least met, with every interaction counted.
    expect(view.findings.neverMet).toEqual([]);
    const interactions = data.edges.reduce((a, e) => a + e.comments + e.replies + e.supports + e.merges, 0);
    expect(view.matrix.flat().reduce((a, b) => a + b, 0)).toBe(interactions);

    await expect(async () => await networkView(db(), await makeUser(), jam.slug)).rejects.toThrow(Forbidden);
    await expect(async () => await requestNetworkRecompute(await makeUser(), null)).rejects.toThrow(Forbidden);
  });

  it("recomputes in a worker thread, writing a done snapshot", async () => {
    const { jam, challengeIds } = await makeJam();
    const leader = await makeUser({ role: "leader" });
    const [a, b] = [await makeUser(), await makeUser()];
    const idea = await makeIdea(a, challengeIds[0]!);
    await comment(b, idea.id);
    const handle = await requestNetworkRecompute(leader, jam.slug);
    expect(handle.started).toBe(true);
    // Returned at once: the row says running.
    const row = (await db().select().from(networkSnapshots).where(eq(networkSnapshots.id, handle.snapshotId)).get())!;
    expect(["running", "done"]).toContain(row.status);
    // A second request while it runs joins it.
    const again = await requestNetworkRecompute(leader, jam.slug);
    if (!again.started) expect(again.snapshotId).toBe(handle.snapshotId);
    expect(await handle.done).toBe("done");
    await again.done;
    const done = (await db().select().from(networkSnapshots).where(eq(networkSnapshots.id, handle.snapshotId)).get())!;
    expect(done.status).toBe("done");
    const data = JSON.parse(done.data!);
    expect(data.edges).toEqual([{ source: b.id, target: a.id, weight: 3, comments: 1, replies: 0, supports: 0, merges: 0 }]);
    expect((await networkView(db(), leader, jam.slug)).findings.influencers[0]!.id).toBe(a.id);
  }, 60_000);

  it("reading a scope with no snapshot starts nothing; asking for one (POST) computes it", async () => {
    const admin = await makeUser({ role: "admin" });
    const { jam } = await makeJam();
    expect((await networkView(db(), admin, jam.slug)).snapshot).toBeNull();
    expect((await networkView(db(), admin, jam.slug)).snapshot).toBeNull();
    const handle = await requestNetworkRecompute(admin, jam.slug);
    expect((await networkView(db(), admin, jam.slug)).snapshot?.status).toBe("running");
    expect(await handle.done).toBe("done");
    expect((await networkView(db(), admin, jam.slug)).snapshot?.status).toBe("done");
  }, 60_000);
});

describe("the findings", () => {
  it("leave out the author of an anonymous idea, everyone commenting under it, and draft jams", async () => {
    const [sales, legal, ops] = [await makeDepartment(), await makeDepartment(), await makeDepartment()];
    const { jam, challengeIds, facilitator } = await makeJam();
    const secret = await makeUser({ departmentId: legal.id });
    const ben = await makeUser({ departmentId: sales.id });
    const cat = await makeUser({ departmentId: ops.id });
    // Under the anonymous idea: ben (Sales) comments and votes, cat (Ops) replies to ben, the author answers.
    const anon = await makeIdea(secret, challengeIds[0]!, { isAnonymous: true, title: "Say it anonymously" });
    const c = await comment(ben, anon.id);
    await castVote(ben, { ideaId: anon.id });
    await comment(cat, anon.id, c.id);
    await comment(secret, anon.id, c.id);
    // In the open: cat supports ben's named idea (Ops → Sales).
    const named = await makeIdea(ben, challengeIds[0]!);
    await castVote(cat, { ideaId: named.id });
    // A jam taken back to draft: Legal and Ops talked a lot there.
    const draft = await makeJam();
    const legalIdea = await makeIdea(secret, draft.challengeIds[0]!);
    for (let i = 0; i < 3; i++) await comment(cat, legalIdea.id);
    await castVote(cat, { ideaId: legalIdea.id });
    await db().update(jams).set({ isDraft: true }).where(eq(jams.id, draft.jam.id)).run();
    // A published theme holding both ideas: only ben can lead it.
    const version = await db()
      .insert(synthesisVersions)
      .values({ jamId: jam.id, number: 1, kind: "generated", createdBy: facilitator.id, createdAt: Date.now(), publishedAt: Date.now() })
      .returning()
      .get();
    const theme = await db().insert(themes).values({ versionId: version.id, label: "Speaking up", keywords: "[]", representatives: "[]" }).returning().get();
    for (const idea of [anon, named]) await db().insert(themeIdeas).values({ versionId: version.id, ideaId: idea.id, themeId: theme.id }).run();

    const pair = (a: { name: string }, b: { name: string }) => [a.name, b.name].sort().join(" & ");
    for (const scope of [jam, null]) {
      await computeNetworkNow(scope ? scope.id : 0);
      const view = await networkView(db(), facilitator, scope ? scope.slug : null);
      const neverMet = view.findings.neverMet.map((p) => [p.a, p.b].sort().join(" & "));
      // Legal met nobody: the anonymous idea's comments, replies and votes tie nobody, and the draft jam does not count.
      expect(view.findings.silent).toContain(legal.name);
      expect(view.findings.silent).not.toContain(ops.name);
      expect(view.findings.silent).not.toContain(sales.name);
      expect(neverMet.some((p) => p.includes(legal.name))).toBe(false);
      expect(neverMet).not.toContain(pair(ops, sales));
      expect(view.findings.brokers.map((b) => b.id)).not.toContain(secret.id);
      for (const drawing of ["departments", "people"] as const) {
        const seen = await networkView(db(), facilitator, scope ? scope.slug : null, { drawing });
        expect(JSON.stringify(seen)).not.toContain(secret.name);
      }
    }
    // The draft jam's own network is empty.
    expect((await computeNetworkNow(draft.jam.id)).data.people).toEqual([]);
    // Per theme: ben led "Speaking up" (cat's vote); the anonymous idea's support credits nobody.
    const page = await jamNetworkPage(facilitator, jam.slug, {});
    expect(page.themeInfluencers).toEqual([
      { id: theme.id, label: "Speaking up", people: [expect.objectContaining({ id: ben.id, support: 1, replies: 0 })] },
    ]);
    expect(JSON.stringify(page)).not.toContain(secret.name);
    // A synthesis not yet published names nobody.
    await db().update(synthesisVersions).set({ publishedAt: null }).where(eq(synthesisVersions.id, version.id)).run();
    expect((await jamNetworkPage(facilitator, jam.slug, {})).themeInfluencers).toEqual([]);
  });
});

describe("go-to people and experts", () => {
  it("ranks a theme's go-to people by engagement, leaving out anonymous ideas and opted-out people", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    const [star, second, anonAuthor, shy] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const fans = await mapInOrder(Array.from({ length: 5 }), async () => await makeUser());
    const starIdea = await makeIdea(star, challengeIds[0]!);
    const secondIdea = await makeIdea(second, challengeIds[0]!);
    const anonIdea = await makeIdea(anonAuthor, challengeIds[0]!, { isAnonymous: true });
    const shyIdea = await makeIdea(shy, challengeIds[0]!);
    for (const f of fans) {
      await castVote(f, { ideaId: starIdea.id });
      await castVote(f, { ideaId: anonIdea.id });
      await castVote(f, { ideaId: shyIdea.id });
      await comment(f, shyIdea.id);
    }
    await castVote(fans[0]!, { ideaId: secondIdea.id });
    // A reply to second's comment on the theme's idea counts for second.
    const secondsComment = await comment(second, starIdea.id);
    await comment(fans[1]!, starIdea.id, secondsComment.id);
    await optOut(shy);

    const version = await db()
      .insert(synthesisVersions)
      .values({ jamId: jam.id, number: 1, kind: "generated", createdBy: facilitator.id, createdAt: Date.now(), publishedAt: Date.now() })
      .returning()
      .get();
    const theme = await db().insert(themes).values({ versionId: version.id, label: "Onboarding", keywords: "[]", representatives: "[]" }).returning().get();
    for (const idea of [starIdea, secondIdea, anonIdea, shyIdea]) {
      await db().insert(themeIdeas).values({ versionId: version.id, ideaId: idea.id, themeId: theme.id }).run();
    }
    const people = await goToPeople(db(), await makeUser(), theme.id);
    expect(people.map((p) => p.id)).toEqual([star.id, second.id]);
    // Comments on star's idea: second's comment and the reply to it.
    expect(people[0]).toMatchObject({ votes: 5, comments: 2, replies: 0, engagement: 7 });
    expect(people[1]).toMatchObject({ votes: 1, comments: 0, replies: 1, engagement: 2 });
  });

  it("finds experts by what their ideas say, ranked by engagement", async () => {
    const { challengeIds } = await makeJam();
    const [expert, novice, anon] = [await makeUser(), await makeUser(), await makeUser()];
    const a = await makeIdea(expert, challengeIds[0]!, { title: "Buddy system for onboarding", body: "Pair every new joiner with a buddy." });
    await makeIdea(novice, challengeIds[0]!, { title: "Onboarding checklist", body: "A checklist." });
    await makeIdea(anon, challengeIds[0]!, { title: "Onboarding is broken", body: "Say it anonymously.", isAnonymous: true });
    await makeIdea(novice, challengeIds[0]!, { title: "Cheaper coffee", body: "Unrelated." });
    for (let i = 0; i < 3; i++) await castVote(await makeUser(), { ideaId: a.id });
    const found = await searchExperts(db(), await makeUser(), "Who knows about onboarding?");
    expect(found.map((p) => p.id)).toEqual([expert.id, novice.id]);
    expect(found[0]).toMatchObject({ engagement: 3, ideas: 1 });
    expect(await searchExperts(db(), await makeUser(), "??")).toEqual([]);
  });
});

describe("personal network", () => {
  it("lists whom I interacted with both ways, and downloads as CSV", async () => {
    const { challengeIds } = await makeJam();
    const me = await makeUser();
    const tricky = await makeUser({ name: '=Evil, "Quoted" Name' });
    const mine = await makeIdea(me, challengeIds[0]!);
    const theirs = await makeIdea(tricky, challengeIds[0]!);
    await comment(tricky, mine.id);
    await castVote(tricky, { ideaId: mine.id });
    await castVote(me, { ideaId: theirs.id });
    const ties = await personalNetwork(db(), me);
    expect(ties).toHaveLength(1);
    expect(ties[0]).toMatchObject({
      id: tricky.id,
      given: { comments: 0, replies: 0, supports: 1, merges: 0 },
      received: { comments: 1, replies: 0, supports: 1, merges: 0 },
      weight: 5,
      interactions: 3,
    });
    const csv = await personalNetworkCsv(me);
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe("Person,Department,Comments given,Replies given,Support given,Merges,Comments received,Replies received,Support received,Interactions");
    expect(lines[1]).toMatch(/^"'=Evil, ""Quoted"" Name",[^,]*,0,0,1,0,1,0,1,3$/);
  });
});

describe("recomputing when a jam ends", () => {
  it("computes the network of a jam that ended since its last snapshot, once", async () => {
    const now = Date.now();
    const { jam } = await makeJam({ startsAt: now - 3 * 3_600_000, endsAt: now - 60_000 });
    const started = (await recomputeEndedJams(now)).filter((h) => h.scope === jam.id);
    expect(started).toHaveLength(1);
    expect(await started[0]!.done).toBe("done");
    // It ran as a job, now done: asking again enqueues nothing and starts nothing.
    expect(await pendingJob(db(), NETWORK_JOB, String(jam.id))).toBeUndefined();
    expect((await recomputeEndedJams(now)).some((h) => h.scope === jam.id)).toBe(false);
    expect(await pendingJob(db(), NETWORK_JOB, String(jam.id))).toBeUndefined();
  }, 60_000);
});
