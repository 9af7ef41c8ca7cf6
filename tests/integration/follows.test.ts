import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { Invalid, NotFound } from "~/services/errors";
import { follow, setRankingPrivacy, unfollow } from "~/services/commands/follows.server";
import { followedAmong, myFollows, peopleToMeet } from "~/services/lookups/follows.server";
import { jamLeaderboard, overallLeaderboard } from "~/services/pages/leaderboards.server";
import { personProfile } from "~/services/pages/profiles.server";
import { castVote } from "~/services/commands/votes.server";
import { postComment } from "~/services/commands/comments.server";
import { db } from "~db/client";
import { auditLog, follows, notifications, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";

async function noticesOf(userId: number) {
  return await db().select().from(notifications).where(and(eq(notifications.userId, userId), like(notifications.dedupeKey, "follow:%"))).all();
}

async function publishedTheme(jamId: number, createdBy: number, keywords: string[], ideaIds: number[] = [], label = "Meeting-free focus") {
  const version = await db()
    .insert(synthesisVersions)
    .values({ jamId, number: 1, kind: "curated", createdBy, createdAt: Date.now(), publishedAt: Date.now() })
    .returning()
    .get();
  const theme = await db()
    .insert(themes)
    .values({ versionId: version.id, label, keywords: JSON.stringify(keywords), representatives: JSON.stringify(ideaIds) })
    .returning()
    .get();
  for (const ideaId of ideaIds) await db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id }).run();
  return theme;
}

describe("following people", () => {
  it("is idempotent, and unfollowing removes the one row", async () => {
    const me = await makeUser();
    const casey = await makeUser();
    expect((await follow(me, { targetType: "person", targetId: casey.id })).created).toBe(true);
    expect((await follow(me, { targetType: "person", targetId: String(casey.id) })).created).toBe(false);
    expect(await db().select().from(follows).where(eq(follows.followerId, me.id)).all()).toHaveLength(1);
    expect(await followedAmong(db(), me, "person", [casey.id])).toEqual([casey.id]);
    expect((await myFollows(db(), me)).people.map((p) => p.id)).toEqual([casey.id]);
    expect((await unfollow(me, { targetType: "person", targetId: casey.id })).removed).toBe(true);
    expect((await unfollow(me, { targetType: "person", targetId: casey.id })).removed).toBe(false);
  });

  it("refuses to follow yourself or someone who does not exist", async () => {
    const me = await makeUser();
    await expect(async () => await follow(me, { targetType: "person", targetId: me.id })).rejects.toThrow(Invalid);
    await expect(async () => await follow(me, { targetType: "person", targetId: 99_999_999 })).rejects.toThrow(NotFound);
    await expect(async () => await follow(me, { targetType: "planet", targetId: 1 })).rejects.toThrow(Invalid);
  });

  it("notifies followers of a person's next named idea exactly once, and never of an anonymous one", async () => {
    const { challengeIds } = await makeJam();
    const fan = await makeUser();
    const casey = await makeUser({ name: "Casey Follow" });
    await follow(fan, { targetType: "person", targetId: casey.id });

    await makeIdea(casey, challengeIds[0]!, { title: "Secret idea", isAnonymous: true });
    expect(await noticesOf(fan.id)).toHaveLength(0);

    const idea = await makeIdea(casey, challengeIds[0]!, { title: "Walking meetings" });
    const got = await noticesOf(fan.id);
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toBe("Casey Follow posted a new idea: Walking meetings");
    expect(got[0]!.link).toBe(`/jams/${idea.jamSlug}/ideas/${idea.id}`);
    // Nobody else hears about it, and the author is not notified of their own idea.
    expect(await noticesOf(casey.id)).toHaveLength(0);
  });
});

describe("following themes", () => {
  it("notifies when a new idea in the jam shares at least two keywords, once even when also following the author", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    const fan = await makeUser();
    const author = await makeUser();
    const theme = await publishedTheme(jam.id, facilitator.id, ["meeting", "focus", "calendar"]);
    await follow(fan, { targetType: "theme", targetId: theme.id });

    await makeIdea(author, challengeIds[0]!, { title: "Fewer meetings", body: "Nothing else in common." });
    expect(await noticesOf(fan.id)).toHaveLength(0);

    await makeIdea(author, challengeIds[0]!, { title: "Focus time", body: "Block meetings out of the calendar." });
    expect(await noticesOf(fan.id)).toHaveLength(1);
    expect((await noticesOf(fan.id))[0]!.body).toContain("Meeting-free focus");

    await follow(fan, { targetType: "person", targetId: author.id });
    await makeIdea(author, challengeIds[0]!, { title: "Calendar focus blocks", body: "" });
    expect(await noticesOf(fan.id)).toHaveLength(2);

    // An idea in another jam does not match this jam's theme.
    const other = await makeJam();
    await makeIdea(await makeUser(), other.challengeIds[0]!, { title: "Focus on the calendar", body: "meetings" });
    expect(await noticesOf(fan.id)).toHaveLength(2);
  });

  it("cannot follow a theme of an unpublished synthesis as a participant", async () => {
    const { jam, facilitator } = await makeJam();
    const version = await db()
      .insert(synthesisVersions)
      .values({ jamId: jam.id, number: 1, kind: "generated", createdBy: facilitator.id, createdAt: Date.now() })
      .returning()
      .get();
    const theme = await db().insert(themes).values({ versionId: version.id, label: "Draft", keywords: "[]", representatives: "[]" }).returning().get();
    await expect(async () => await follow(await makeUser(), { targetType: "theme", targetId: theme.id })).rejects.toThrow(NotFound);
    expect((await follow(facilitator, { targetType: "theme", targetId: theme.id })).created).toBe(true);
  });
});

describe("ranking privacy", () => {
  it("an opted-out person cannot be joined to a ranking row by anything other people receive; they alone see their rank and total", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    const team = await makeDepartment();
    const solo = await makeDepartment(); // a one-person department: its total would be the person's
    const lead = await makeUser({ name: "Lead Person", departmentId: team.id });
    const mid = await makeUser({ name: "Mid Person", departmentId: team.id });
    const shy = await makeUser({ name: "Shy Person", departmentId: solo.id });
    // Distinct totals: lead 15 + 3 supports, shy 15 + 2, mid 15.
    const ideaOf = async (person: typeof lead) => await makeIdea(person, challengeIds[0]!);
    const [leadIdea, shyIdea] = [await ideaOf(lead), await ideaOf(shy), await ideaOf(mid)];
    for (let i = 0; i < 3; i++) await castVote(await makeUser(), { ideaId: leadIdea.id });
    for (let i = 0; i < 2; i++) await castVote(await makeUser(), { ideaId: shyIdea.id });
    await setRankingPrivacy(shy, { hiddenFromRankings: "on" }, { ip: "203.0.113.1" });
    const shyTotal = 19;

    for (const viewer of [await makeUser(), facilitator]) {
      const board = await jamLeaderboard(viewer, jam.slug, {});
      if (board.hidden) throw new Error("leaderboard unexpectedly hidden");
      // Left out, and the others renumbered: no row, named or not, with shy's rank, total or department.
      expect(board.list.map((r) => [r.userId, r.rank, r.total, r.department])).toEqual([
        [lead.id, 1, 21, team.name],
        [mid.id, 2, 15, team.name],
      ]);
      expect(board.departments.find((d) => d.id === solo.id)).toMatchObject({ total: 0, headcount: 0 });
      expect(board.departments.find((d) => d.id === team.id)).toMatchObject({ total: 36, headcount: 2 });
      expect(board.departments.some((d) => d.total === shyTotal)).toBe(false);

      const overall = await overallLeaderboard(viewer, {});
      expect(overall.list.some((r) => r.userId === shy.id || r.name === "Shy Person" || r.userId === 0)).toBe(false);
      expect(overall.departments.find((d) => d.id === solo.id)).toMatchObject({ total: 0, headcount: 0 });

      // Their profile shows no rank or total to anyone else.
      const profile = await personProfile(viewer, shy.id);
      expect(profile.overall).toBeNull();
      expect(profile.byJam).toEqual([]);
      expect(profile.inRankings).toBe(false);
    }

    // They see their own rank (where they would stand) and total beside the board, not in it.
    const own = await jamLeaderboard(shy, jam.slug, {});
    if (own.hidden) throw new Error("leaderboard unexpectedly hidden");
    expect(own.me).toEqual({ rank: 2, total: shyTotal });
    expect(own.optedOut).toBe(true);
    expect(own.list.map((r) => r.userId)).toEqual([lead.id, mid.id]);
    const ownProfile = await personProfile(shy, shy.id);
    expect(ownProfile.byJam).toEqual([{ jamId: jam.id, slug: jam.slug, title: jam.title, total: shyTotal, rank: 2 }]);
    expect(ownProfile.overall?.total).toBe(shyTotal);

    const audit = await db().select().from(auditLog).where(eq(auditLog.action, "rankings_visibility_changed")).all();
    expect(audit.filter((a) => a.actorId === shy.id)).toHaveLength(1);
    // Saving the same choice again changes nothing and is not audited twice.
    expect((await setRankingPrivacy(shy, { hiddenFromRankings: "on" })).changed).toBe(false);

    // Opting back in puts them (and their points) back.
    await setRankingPrivacy(shy, { hiddenFromRankings: false });
    const back = await jamLeaderboard(await makeUser(), jam.slug, {});
    if (back.hidden) throw new Error("leaderboard unexpectedly hidden");
    expect(back.list.map((r) => [r.userId, r.rank, r.total])).toEqual([
      [lead.id, 1, 21],
      [shy.id, 2, shyTotal],
      [mid.id, 3, 15],
    ]);
    expect(back.departments.find((d) => d.id === solo.id)).toMatchObject({ total: shyTotal, headcount: 1 });
  });
});

describe("people you should meet", () => {
  it("suggests people from other departments on the same themes or comment threads, leaving out opted-out people", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    const myTeam = await makeDepartment();
    const me = await makeUser({ departmentId: myTeam.id });
    const teammate = await makeUser({ departmentId: myTeam.id });
    const themeMate = await makeUser({ name: "Theme Mate" });
    const commenter = await makeUser({ name: "Comment Mate" });
    const shy = await makeUser();
    const mine = await makeIdea(me, challengeIds[0]!);
    const theirs = await makeIdea(themeMate, challengeIds[0]!);
    const team = await makeIdea(teammate, challengeIds[0]!);
    const hiddenOne = await makeIdea(shy, challengeIds[0]!);
    await publishedTheme(jam.id, facilitator.id, ["x"], [mine.id, theirs.id, team.id, hiddenOne.id], "Shared theme");
    await setRankingPrivacy(shy, { hiddenFromRankings: true });
    await postComment(me, { ideaId: theirs.id, body: "Nice", clientKey: "meet-comment-1" });
    await postComment(commenter, { ideaId: theirs.id, body: "Agreed", clientKey: "meet-comment-2" });

    const suggestions = await peopleToMeet(db(), me);
    const names = suggestions.map((s) => s.name);
    expect(names).toContain("Theme Mate");
    expect(names).toContain("Comment Mate");
    expect(names[0]).toBe("Theme Mate");
    expect(suggestions.find((s) => s.name === "Theme Mate")!.sharedThemes).toEqual(["Shared theme"]);
    expect(suggestions.some((s) => s.id === teammate.id || s.id === shy.id || s.id === me.id)).toBe(false);
  });
});
