import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";
import type { SessionUser } from "~/auth/session.server";
import { postComment } from "~/services/comments.server";
import { Forbidden } from "~/services/errors";
import { hideComment, mergeIdeas } from "~/services/moderation.server";
import {
  buildInteractionGraph,
  computeNetworkNow,
  goToPeople,
  networkView,
  personalNetwork,
  personalNetworkCsv,
  recomputeEndedJams,
  requestNetworkRecompute,
  searchExperts,
} from "~/services/network.server";
import { jamNetworkPage } from "~/services/network-pages.server";
import { castStance } from "~/services/stances.server";
import { castVote } from "~/services/votes.server";
import { db } from "~db/client";
import { jams, networkSnapshots, synthesisVersions, themeIdeas, themes, users } from "~db/schema";

let keys = 0;
const key = () => `net-key-${++keys}`.padEnd(10, "x");
const comment = (actor: SessionUser, ideaId: number, parentId?: number, body = "Good point.") =>
  postComment(actor, { ideaId, parentId, body, clientKey: key() }) as { id: number };

function edgeOf(graph: ReturnType<typeof buildInteractionGraph>, source: number, target: number) {
  return graph.edges.find((e) => e.source === source && e.target === target);
}

function optOut(person: SessionUser) {
  db().update(users).set({ hiddenFromRankings: true }).where(eq(users.id, person.id)).run();
}

describe("the interaction graph", () => {
  it("turns comments, replies, votes, agree stances and merges into weighted, directed edges", () => {
    const { jam, challengeIds, facilitator } = makeJam();
    const [ann, ben, cat] = [makeUser(), makeUser(), makeUser()];
    const idea = makeIdea(ann, challengeIds[0]!);
    const c1 = comment(ben, idea.id); // ben → ann (comment)
    comment(ben, idea.id); // again
    comment(cat, idea.id, c1.id); // cat → ben (reply)
    castVote(ben, { ideaId: idea.id }); // ben → ann (support)
    castVote(cat, { ideaId: idea.id }); // cat → ann (support)
    comment(ann, idea.id); // self: no edge

    // Merge: cat's duplicate into ann's idea → cat ↔ ann.
    const duplicate = makeIdea(cat, challengeIds[0]!);
    mergeIdeas(facilitator, { id: duplicate.id, intoId: idea.id }, { ip: null });

    const graph = buildInteractionGraph(db(), jam.id);
    expect(edgeOf(graph, ben.id, ann.id)).toMatchObject({ comments: 2, replies: 0, supports: 1, merges: 0, weight: 2 * 3 + 1 });
    expect(edgeOf(graph, cat.id, ben.id)).toMatchObject({ comments: 0, replies: 1, supports: 0, weight: 2 });
    expect(edgeOf(graph, cat.id, ann.id)).toMatchObject({ supports: 1, merges: 1, weight: 1 + 2 });
    expect(edgeOf(graph, ann.id, cat.id)).toMatchObject({ merges: 1, weight: 2 });
    expect(edgeOf(graph, ann.id, ben.id)).toBeUndefined();
    expect(graph.edges.some((e) => e.source === e.target)).toBe(false);
    expect(graph.people.map((p) => p.id).sort()).toEqual([ann.id, ben.id, cat.id].sort());
    // The all-jams scope sees the same edges.
    expect(edgeOf(buildInteractionGraph(db(), 0), ben.id, ann.id)?.weight).toBe(7);

    // Stance "agree" counts as support; "disagree" does not.
    const stanceJam = makeJam({ voteMode: "stance" });
    const dee = makeUser();
    const stanceIdea = makeIdea(dee, stanceJam.challengeIds[0]!);
    castStance(ann, { ideaId: stanceIdea.id, stance: "agree" });
    castStance(ben, { ideaId: stanceIdea.id, stance: "disagree" });
    const g2 = buildInteractionGraph(db(), stanceJam.jam.id);
    expect(edgeOf(g2, ann.id, dee.id)).toMatchObject({ supports: 1, weight: 1 });
    expect(edgeOf(g2, ben.id, dee.id)).toBeUndefined();
  });

  it("never links anyone to the author of an anonymous idea, and skips hidden comments", () => {
    const { jam, challengeIds, facilitator } = makeJam();
    const [secret, ben, cat] = [makeUser(), makeUser(), makeUser()];
    const anon = makeIdea(secret, challengeIds[0]!, { isAnonymous: true });
    const c = comment(ben, anon.id);
    castVote(ben, { ideaId: anon.id });
    const authorReply = comment(secret, anon.id, c.id); // the author answering on their anonymous idea
    comment(cat, anon.id, authorReply.id); // a reply to the anonymous author's comment
    // Merging into / from an anonymous idea links nobody.
    const dup = makeIdea(cat, challengeIds[0]!);
    mergeIdeas(facilitator, { id: dup.id, intoId: anon.id }, { ip: null });
    // A hidden comment does not count.
    const open = makeIdea(cat, challengeIds[0]!);
    const hidden = comment(ben, open.id);
    hideComment(facilitator, { id: hidden.id, reason: "off-topic" }, { ip: null });

    const graph = buildInteractionGraph(db(), jam.id);
    expect(graph.edges.filter((e) => e.target === secret.id || e.source === secret.id)).toEqual([]);
    expect(edgeOf(graph, ben.id, cat.id)).toBeUndefined();
    expect(personalNetwork(db(), secret)).toEqual([]);
  });
});

describe("snapshots and the network page", () => {
  it("ranks the hub first, names nobody who opted out, and refuses participants", () => {
    const sales = makeDepartment();
    const ops = makeDepartment();
    const { jam, challengeIds, facilitator } = makeJam();
    const hub = makeUser({ departmentId: sales.id });
    const shy = makeUser({ departmentId: ops.id });
    const others = Array.from({ length: 4 }, (_, i) => makeUser({ departmentId: i % 2 ? sales.id : ops.id }));
    const hubIdea = makeIdea(hub, challengeIds[0]!);
    const shyIdea = makeIdea(shy, challengeIds[0]!);
    for (const o of others) {
      castVote(o, { ideaId: hubIdea.id });
      comment(o, hubIdea.id);
    }
    comment(others[0]!, shyIdea.id);
    optOut(shy);

    const { data } = computeNetworkNow(jam.id);
    expect(data.people[0]!.id).toBe(hub.id);
    const view = networkView(db(), facilitator, jam.slug);
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
    const people = networkView(db(), facilitator, jam.slug, { drawing: "people" });
    const drawnShy = people.drawing.nodes.find((n) => n.id === null)!;
    expect(drawnShy).toMatchObject({ label: "A participant", named: false });
    expect(people.drawing.edges.some((e) => e.source === drawnShy.key || e.target === drawnShy.key)).toBe(true);
    for (const n of people.drawing.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(1);
    }
    expect(JSON.stringify(people)).not.toContain(shy.name);
    // Filtered to one department: only its people.
    const onlySales = networkView(db(), facilitator, jam.slug, { drawing: "people", department: sales.id });
    expect(onlySales.drawing.nodes.every((n) => n.departmentId === sales.id)).toBe(true);
    // hub ties to 4 others, two of them in the other department.
    expect(view.findings.brokers.find((p) => p.id === hub.id)).toMatchObject({ ties: 4, departmentsReached: 1, crossPeople: 2, crossInteractions: 4 });
    // Both departments met: nothing never met; the one pair is the least met, with every interaction counted.
    expect(view.findings.neverMet).toEqual([]);
    const interactions = data.edges.reduce((a, e) => a + e.comments + e.replies + e.supports + e.merges, 0);
    expect(view.matrix.flat().reduce((a, b) => a + b, 0)).toBe(interactions);

    expect(() => networkView(db(), makeUser(), jam.slug)).toThrow(Forbidden);
    expect(() => requestNetworkRecompute(makeUser(), null)).toThrow(Forbidden);
  });

  it("recomputes in a worker thread, writing a done snapshot", async () => {
    const { jam, challengeIds } = makeJam();
    const leader = makeUser({ role: "leader" });
    const [a, b] = [makeUser(), makeUser()];
    const idea = makeIdea(a, challengeIds[0]!);
    comment(b, idea.id);
    const handle = requestNetworkRecompute(leader, jam.slug);
    expect(handle.started).toBe(true);
    // Returned at once: the row says running.
    const row = db().select().from(networkSnapshots).where(eq(networkSnapshots.id, handle.snapshotId)).get()!;
    expect(["running", "done"]).toContain(row.status);
    // A second request while it runs joins it.
    const again = requestNetworkRecompute(leader, jam.slug);
    if (!again.started) expect(again.snapshotId).toBe(handle.snapshotId);
    expect(await handle.done).toBe("done");
    await again.done;
    const done = db().select().from(networkSnapshots).where(eq(networkSnapshots.id, handle.snapshotId)).get()!;
    expect(done.status).toBe("done");
    const data = JSON.parse(done.data!);
    expect(data.edges).toEqual([{ source: b.id, target: a.id, weight: 3, comments: 1, replies: 0, supports: 0, merges: 0 }]);
    expect(networkView(db(), leader, jam.slug).findings.influencers[0]!.id).toBe(a.id);
  }, 60_000);

  it("reading a scope with no snapshot starts nothing; asking for one (POST) computes it", async () => {
    const admin = makeUser({ role: "admin" });
    const { jam } = makeJam();
    expect(networkView(db(), admin, jam.slug).snapshot).toBeNull();
    expect(networkView(db(), admin, jam.slug).snapshot).toBeNull();
    const handle = requestNetworkRecompute(admin, jam.slug);
    expect(networkView(db(), admin, jam.slug).snapshot?.status).toBe("running");
    expect(await handle.done).toBe("done");
    expect(networkView(db(), admin, jam.slug).snapshot?.status).toBe("done");
  }, 60_000);
});

describe("the findings", () => {
  it("leave out the author of an anonymous idea, everyone commenting under it, and draft jams", () => {
    const [sales, legal, ops] = [makeDepartment(), makeDepartment(), makeDepartment()];
    const { jam, challengeIds, facilitator } = makeJam();
    const secret = makeUser({ departmentId: legal.id });
    const ben = makeUser({ departmentId: sales.id });
    const cat = makeUser({ departmentId: ops.id });
    // Under the anonymous idea: ben (Sales) comments and votes, cat (Ops) replies to ben, the author answers.
    const anon = makeIdea(secret, challengeIds[0]!, { isAnonymous: true, title: "Say it anonymously" });
    const c = comment(ben, anon.id);
    castVote(ben, { ideaId: anon.id });
    comment(cat, anon.id, c.id);
    comment(secret, anon.id, c.id);
    // In the open: cat supports ben's named idea (Ops → Sales).
    const named = makeIdea(ben, challengeIds[0]!);
    castVote(cat, { ideaId: named.id });
    // A jam taken back to draft: Legal and Ops talked a lot there.
    const draft = makeJam();
    const legalIdea = makeIdea(secret, draft.challengeIds[0]!);
    for (let i = 0; i < 3; i++) comment(cat, legalIdea.id);
    castVote(cat, { ideaId: legalIdea.id });
    db().update(jams).set({ isDraft: true }).where(eq(jams.id, draft.jam.id)).run();
    // A published theme holding both ideas: only ben can lead it.
    const version = db()
      .insert(synthesisVersions)
      .values({ jamId: jam.id, number: 1, kind: "generated", createdBy: facilitator.id, createdAt: Date.now(), publishedAt: Date.now() })
      .returning()
      .get();
    const theme = db().insert(themes).values({ versionId: version.id, label: "Speaking up", keywords: "[]", representatives: "[]" }).returning().get();
    for (const idea of [anon, named]) db().insert(themeIdeas).values({ versionId: version.id, ideaId: idea.id, themeId: theme.id }).run();

    const pair = (a: { name: string }, b: { name: string }) => [a.name, b.name].sort().join(" & ");
    for (const scope of [jam, null]) {
      computeNetworkNow(scope ? scope.id : 0);
      const view = networkView(db(), facilitator, scope ? scope.slug : null);
      const neverMet = view.findings.neverMet.map((p) => [p.a, p.b].sort().join(" & "));
      // Legal met nobody: the anonymous idea's comments, replies and votes tie nobody, and the draft jam does not count.
      expect(view.findings.silent).toContain(legal.name);
      expect(view.findings.silent).not.toContain(ops.name);
      expect(view.findings.silent).not.toContain(sales.name);
      expect(neverMet.some((p) => p.includes(legal.name))).toBe(false);
      expect(neverMet).not.toContain(pair(ops, sales));
      expect(view.findings.brokers.map((b) => b.id)).not.toContain(secret.id);
      for (const drawing of ["departments", "people"] as const) {
        const seen = networkView(db(), facilitator, scope ? scope.slug : null, { drawing });
        expect(JSON.stringify(seen)).not.toContain(secret.name);
      }
    }
    // The draft jam's own network is empty.
    expect(computeNetworkNow(draft.jam.id).data.people).toEqual([]);
    // Per theme: ben led "Speaking up" (cat's vote); the anonymous idea's support credits nobody.
    const page = jamNetworkPage(facilitator, jam.slug, {});
    expect(page.themeInfluencers).toEqual([
      { id: theme.id, label: "Speaking up", people: [expect.objectContaining({ id: ben.id, support: 1, replies: 0 })] },
    ]);
    expect(JSON.stringify(page)).not.toContain(secret.name);
    // A synthesis not yet published names nobody.
    db().update(synthesisVersions).set({ publishedAt: null }).where(eq(synthesisVersions.id, version.id)).run();
    expect(jamNetworkPage(facilitator, jam.slug, {}).themeInfluencers).toEqual([]);
  });
});

describe("go-to people and experts", () => {
  it("ranks a theme's go-to people by engagement, leaving out anonymous ideas and opted-out people", () => {
    const { jam, challengeIds, facilitator } = makeJam();
    const [star, second, anonAuthor, shy] = [makeUser(), makeUser(), makeUser(), makeUser()];
    const fans = Array.from({ length: 5 }, () => makeUser());
    const starIdea = makeIdea(star, challengeIds[0]!);
    const secondIdea = makeIdea(second, challengeIds[0]!);
    const anonIdea = makeIdea(anonAuthor, challengeIds[0]!, { isAnonymous: true });
    const shyIdea = makeIdea(shy, challengeIds[0]!);
    for (const f of fans) {
      castVote(f, { ideaId: starIdea.id });
      castVote(f, { ideaId: anonIdea.id });
      castVote(f, { ideaId: shyIdea.id });
      comment(f, shyIdea.id);
    }
    castVote(fans[0]!, { ideaId: secondIdea.id });
    // A reply to second's comment on the theme's idea counts for second.
    const secondsComment = comment(second, starIdea.id);
    comment(fans[1]!, starIdea.id, secondsComment.id);
    optOut(shy);

    const version = db()
      .insert(synthesisVersions)
      .values({ jamId: jam.id, number: 1, kind: "generated", createdBy: facilitator.id, createdAt: Date.now(), publishedAt: Date.now() })
      .returning()
      .get();
    const theme = db().insert(themes).values({ versionId: version.id, label: "Onboarding", keywords: "[]", representatives: "[]" }).returning().get();
    for (const idea of [starIdea, secondIdea, anonIdea, shyIdea]) {
      db().insert(themeIdeas).values({ versionId: version.id, ideaId: idea.id, themeId: theme.id }).run();
    }
    const people = goToPeople(db(), makeUser(), theme.id);
    expect(people.map((p) => p.id)).toEqual([star.id, second.id]);
    // Comments on star's idea: second's comment and the reply to it.
    expect(people[0]).toMatchObject({ votes: 5, comments: 2, replies: 0, engagement: 7 });
    expect(people[1]).toMatchObject({ votes: 1, comments: 0, replies: 1, engagement: 2 });
  });

  it("finds experts by what their ideas say, ranked by engagement", () => {
    const { challengeIds } = makeJam();
    const [expert, novice, anon] = [makeUser(), makeUser(), makeUser()];
    const a = makeIdea(expert, challengeIds[0]!, { title: "Buddy system for onboarding", body: "Pair every new joiner with a buddy." });
    makeIdea(novice, challengeIds[0]!, { title: "Onboarding checklist", body: "A checklist." });
    makeIdea(anon, challengeIds[0]!, { title: "Onboarding is broken", body: "Say it anonymously.", isAnonymous: true });
    makeIdea(novice, challengeIds[0]!, { title: "Cheaper coffee", body: "Unrelated." });
    for (let i = 0; i < 3; i++) castVote(makeUser(), { ideaId: a.id });
    const found = searchExperts(db(), makeUser(), "Who knows about onboarding?");
    expect(found.map((p) => p.id)).toEqual([expert.id, novice.id]);
    expect(found[0]).toMatchObject({ engagement: 3, ideas: 1 });
    expect(searchExperts(db(), makeUser(), "??")).toEqual([]);
  });
});

describe("personal network", () => {
  it("lists whom I interacted with both ways, and downloads as CSV", () => {
    const { challengeIds } = makeJam();
    const me = makeUser();
    const tricky = makeUser({ name: '=Evil, "Quoted" Name' });
    const mine = makeIdea(me, challengeIds[0]!);
    const theirs = makeIdea(tricky, challengeIds[0]!);
    comment(tricky, mine.id);
    castVote(tricky, { ideaId: mine.id });
    castVote(me, { ideaId: theirs.id });
    const ties = personalNetwork(db(), me);
    expect(ties).toHaveLength(1);
    expect(ties[0]).toMatchObject({
      id: tricky.id,
      given: { comments: 0, replies: 0, supports: 1, merges: 0 },
      received: { comments: 1, replies: 0, supports: 1, merges: 0 },
      weight: 5,
      interactions: 3,
    });
    const csv = personalNetworkCsv(me);
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe("Person,Department,Comments given,Replies given,Support given,Merges,Comments received,Replies received,Support received,Interactions");
    expect(lines[1]).toMatch(/^"'=Evil, ""Quoted"" Name",[^,]*,0,0,1,0,1,0,1,3$/);
  });
});

describe("recomputing when a jam ends", () => {
  it("computes the network of a jam that ended since its last snapshot, once", async () => {
    const now = Date.now();
    const { jam } = makeJam({ startsAt: now - 3 * 3_600_000, endsAt: now - 60_000 });
    const started = recomputeEndedJams(now).filter((h) => h.scope === jam.id);
    expect(started).toHaveLength(1);
    expect(await started[0]!.done).toBe("done");
    expect(recomputeEndedJams(now).some((h) => h.scope === jam.id)).toBe(false);
  }, 60_000);
});
