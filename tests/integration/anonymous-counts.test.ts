/**
 * The facilitator's attack on an anonymous idea: put it in one theme with a named idea by a
 * suspect, turn the theme into an action, approve it, and read every number the product shows
 * (people notified, the theme's reach and departments, contributors, go-to people, ties...). If
 * any number differs between "the suspect wrote the anonymous idea" and "someone else did", the
 * product names the author. Each world below is built the same way except for that one fact.
 */
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { createAction, updateAction } from "~/services/commands/actions.server";
import { acceptAmendment, leaveAmendmentStanding, postAmendmentAsIdea, proposeAmendment } from "~/services/commands/amendments.server";
import { learnedFrom, learnedFromMe } from "~/services/lookups/my-learning.server";
import { activePeople } from "~/services/pages/command-centre.server";
import { postComment } from "~/services/commands/comments.server";
import { peopleToMeet } from "~/services/lookups/follows.server";
import { jamHome } from "~/services/pages/jams.server";
import { buildInteractionGraph } from "~/services/jobs/network.server";
import { goToPeople, personalNetwork } from "~/services/lookups/network.server";
import { listNotifications } from "~/services/pages/notifications.server";
import { personProfile } from "~/services/pages/profiles.server";
import { synthesisPage } from "~/services/pages/synthesis.server";
import { castVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";
import { flatMapInOrder } from "~/domain/in-order";

const meta = { ip: "203.0.113.7" };
let keys = 0;
const comment = async (actor: SessionUser, ideaId: number, parentId?: number) =>
  await postComment(actor, { ideaId, parentId, body: "Good point.", clientKey: `anon-counts-${++keys}`.padEnd(12, "x") }) as { id: number };

/** Everything anyone is shown in one world, people named by their part in the story. */
async function world(anonymousBySuspect: boolean) {
  const { jam, challengeIds, facilitator } = await makeJam();
  const challengeId = challengeIds[0]!;
  const person = async (part: string) => await makeUser({ name: `${part} ${Math.random().toString(36).slice(2, 8)}`, departmentId: (await makeDepartment()).id });
  const suspect = await person("Suspect");
  const other = await person("Other");
  const commenter = await person("Commenter");
  const replier = await person("Replier");
  const voter = await person("Voter");
  const participant = await person("Reader");
  const part = new Map<number, string>([
    [suspect.id, "suspect"],
    [other.id, "other"],
    [commenter.id, "commenter"],
    [replier.id, "replier"],
    [voter.id, "voter"],
    [participant.id, "reader"],
    [facilitator.id, "facilitator"],
  ]);
  const who = (id: number | null) => (id === null ? null : (part.get(id) ?? `unknown ${id}`));

  const named = await makeIdea(suspect, challengeId, { title: "Named: rotate the on-call rota" });
  const anonymous = await makeIdea(anonymousBySuspect ? suspect : other, challengeId, { title: "Anonymous: the rota burns people out", isAnonymous: true });
  // People talk under the anonymous idea by name, the suspect too; someone replies to the suspect.
  await comment(commenter, anonymous.id);
  const suspectsComment = await comment(suspect, anonymous.id);
  await comment(replier, anonymous.id, suspectsComment.id);
  await comment(commenter, named.id);
  await castVote(voter, { ideaId: named.id });
  await castVote(voter, { ideaId: anonymous.id });

  const version = await db()
    .insert(synthesisVersions)
    .values({ jamId: jam.id, number: 1, kind: "curated", createdBy: facilitator.id, createdAt: Date.now(), publishedAt: Date.now() })
    .returning()
    .get();
  const theme = await db()
    .insert(themes)
    .values({ versionId: version.id, label: "On-call", keywords: '["rota","call"]', representatives: JSON.stringify([named.id, anonymous.id]) })
    .returning()
    .get();
  for (const idea of [named, anonymous]) await db().insert(themeIdeas).values({ versionId: version.id, ideaId: idea.id, themeId: theme.id }).run();

  const created = await createAction(facilitator, { themeId: theme.id, title: "Fix the rota", ownerId: facilitator.id }, meta);
  const approved = await updateAction(facilitator, created.id, { status: "approved" }, meta);

  // Colleagues improve the anonymous idea: one change taken in by its author, one posted as an idea built on it.
  const writer = anonymousBySuspect ? suspect : other;
  const taken = await proposeAmendment(commenter, { ideaId: anonymous.id, title: "Anonymous: the rota burns people out", body: "Rotate weekly, and pay for the nights.", baseVersion: 1, clientKey: `anon-counts-${++keys}`.padEnd(12, "x") });
  await acceptAmendment(writer, { amendmentId: taken.amendmentId, baseVersion: 1 });
  const standing = await proposeAmendment(replier, { ideaId: anonymous.id, title: "A rota people choose", body: "Let people swap shifts freely.", baseVersion: 2, clientKey: `anon-counts-${++keys}`.padEnd(12, "x") });
  await leaveAmendmentStanding(writer, { amendmentId: standing.amendmentId });
  await postAmendmentAsIdea(replier, { amendmentId: standing.amendmentId, clientKey: `anon-counts-${++keys}`.padEnd(12, "x") });
  const learned = (list: { people: { person: { id: number } | null; items: { kind: string }[] }[]; total: number }) => ({
    total: list.total,
    people: list.people.map((p) => ({ who: who(p.person?.id ?? null), kinds: p.items.map((i) => i.kind) })),
  });

  const reach = async (viewer: SessionUser) => {
    const page = await synthesisPage(viewer, jam.slug);
    return {
      theme: page.themes.map((t) => ({ people: t.people, departments: t.departments })),
      contributed: page.contributed,
      tookPart: page.tookPart,
    };
  };
  const counts = (c: { comments: number; replies: number; supports: number; merges: number }) => ({ ...c });
  return {
    notifiedOnCreate: created.notified,
    notifiedOnApproval: approved.notified,
    reachForStaff: await reach(facilitator),
    reachForParticipants: await reach(participant),
    contributors: (await jamHome(participant, jam.slug)).stats.contributors,
    activeNow: await activePeople(db(), jam.id, Date.now()),
    goToPeople: (await goToPeople(db(), participant, theme.id)).map((p) => ({ who: who(p.id), votes: p.votes, comments: p.comments, replies: p.replies, ideas: p.ideas })),
    edges: (await buildInteractionGraph(db(), jam.id))
      .edges.map((e) => ({ from: who(e.source), to: who(e.target), weight: e.weight, comments: e.comments, replies: e.replies, supports: e.supports }))
      .sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`)),
    repliersTies: (await personalNetwork(db(), replier)).map((t) => ({ who: who(t.id), given: counts(t.given), received: counts(t.received) })),
    suspectsTies: (await personalNetwork(db(), suspect)).map((t) => ({ who: who(t.id), given: counts(t.given), received: counts(t.received) })),
    commenterShouldMeet: (await peopleToMeet(db(), commenter)).map((p) => ({ who: who(p.id), sharedIdeas: p.sharedIdeas, sharedThemes: p.sharedThemes })),
    learning: Object.fromEntries(
      await flatMapInOrder([suspect, other, commenter, replier], async (p) => [
        [`${who(p.id)} learned from`, learned(await learnedFrom(db(), p))],
        [`learned from ${who(p.id)}`, learned(await learnedFromMe(db(), p))],
      ]),
    ),
    suspectsProfile: await (async () => {
      const p = await personProfile(participant, suspect.id);
      // The overall rank is left out: both worlds share one database, so it counts the other world too.
      return { ideas: p.ideas.length, comments: p.comments.length, overall: p.overall?.total ?? null, byJam: p.byJam.map((j) => ({ total: j.total, rank: j.rank })) };
    })(),
    /** Not shown to anyone but the people themselves: used below to check the author is still told. */
    privately: {
      suspect: (await listNotifications(suspect)).notifications.map((n) => ({ kind: n.kind, body: n.body })),
      other: (await listNotifications(other)).notifications.map((n) => ({ kind: n.kind, body: n.body })),
    },
  };
}

describe("an anonymous idea's author cannot be inferred from any count", async () => {
  const bySuspect = await world(true);
  const byOther = await world(false);

  it("people notified of an action's creation and approval", () => {
    expect(bySuspect.notifiedOnCreate).toBe(byOther.notifiedOnCreate);
    expect(bySuspect.notifiedOnApproval).toBe(byOther.notifiedOnApproval);
    // An anonymous idea counts as a contributor of its own: the named author and the anonymous idea.
    expect(bySuspect.notifiedOnApproval).toBe(2);
  });

  it("the anonymous author is still told, privately, about the anonymous idea", () => {
    const title = "Anonymous: the rota burns people out";
    // The action's two notices (created, approved), each of its own for the anonymous idea.
    expect(bySuspect.privately.suspect.filter((n) => n.kind === "actions" && n.body.includes(title))).toHaveLength(2);
    expect(byOther.privately.other.filter((n) => n.kind === "actions" && n.body.includes(title))).toHaveLength(2);
    // Told as its author (comments, support, actions): as much whoever wrote it...
    const asAuthor = (list: { body: string }[]) => list.filter((n) => n.body.includes(title) && /your (anonymous )?idea/i.test(n.body)).length;
    expect(asAuthor(bySuspect.privately.suspect)).toBe(asAuthor(byOther.privately.other));
    expect(asAuthor(bySuspect.privately.suspect)).toBeGreaterThanOrEqual(3);
    // ...and never to someone who did not write it (the suspect hears of the reply to their comment, as any commenter does).
    expect(asAuthor(byOther.privately.suspect)).toBe(0);
    expect(byOther.privately.suspect.filter((n) => n.body.includes(title)).map((n) => n.kind)).toEqual(["comments"]);
  });

  it("the people one learned from, and who learned from one, on My network", () => {
    expect(bySuspect.learning).toEqual(byOther.learning);
    // A change taken into an anonymous idea and an idea built on one name nobody, either way.
    for (const list of Object.values(bySuspect.learning)) expect(list).toEqual({ total: 0, people: [] });
  });

  it("a theme's reach, its departments, and the people who took part, for staff and participants", () => {
    expect(bySuspect.reachForStaff).toEqual(byOther.reachForStaff);
    expect(bySuspect.reachForParticipants).toEqual(byOther.reachForParticipants);
  });

  it("the jam's contributors and the people active now", () => {
    expect(bySuspect.contributors).toBe(byOther.contributors);
    expect(bySuspect.activeNow).toBe(byOther.activeNow);
  });

  it("go-to people, the interaction graph, people's ties and the people to meet", () => {
    expect(bySuspect.goToPeople).toEqual(byOther.goToPeople);
    expect(bySuspect.edges).toEqual(byOther.edges);
    expect(bySuspect.repliersTies).toEqual(byOther.repliersTies);
    expect(bySuspect.suspectsTies).toEqual(byOther.suspectsTies);
    expect(bySuspect.commenterShouldMeet).toEqual(byOther.commenterShouldMeet);
  });

  it("the suspect's profile", () => {
    expect(bySuspect.suspectsProfile).toEqual(byOther.suspectsProfile);
  });
});
