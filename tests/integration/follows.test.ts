import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { Invalid, NotFound } from "~/services/errors";
import { follow, followedAmong, myFollows, peopleToMeet, setRankingPrivacy, unfollow } from "~/services/follows.server";
import { departmentBoard, jamLeaderboard } from "~/services/leaderboards.server";
import { postComment } from "~/services/comments.server";
import { db } from "~db/client";
import { auditLog, follows, notifications, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";

function noticesOf(userId: number) {
  return db().select().from(notifications).where(and(eq(notifications.userId, userId), like(notifications.dedupeKey, "follow:%"))).all();
}

function publishedTheme(jamId: number, createdBy: number, keywords: string[], ideaIds: number[] = [], label = "Meeting-free focus") {
  const version = db()
    .insert(synthesisVersions)
    .values({ jamId, number: 1, kind: "curated", createdBy, createdAt: Date.now(), publishedAt: Date.now() })
    .returning()
    .get();
  const theme = db()
    .insert(themes)
    .values({ versionId: version.id, label, keywords: JSON.stringify(keywords), representatives: JSON.stringify(ideaIds) })
    .returning()
    .get();
  for (const ideaId of ideaIds) db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id }).run();
  return theme;
}

describe("following people", () => {
  it("is idempotent, and unfollowing removes the one row", () => {
    const me = makeUser();
    const casey = makeUser();
    expect(follow(me, { targetType: "person", targetId: casey.id }).created).toBe(true);
    expect(follow(me, { targetType: "person", targetId: String(casey.id) }).created).toBe(false);
    expect(db().select().from(follows).where(eq(follows.followerId, me.id)).all()).toHaveLength(1);
    expect(followedAmong(me, "person", [casey.id])).toEqual([casey.id]);
    expect(myFollows(me).people.map((p) => p.id)).toEqual([casey.id]);
    expect(unfollow(me, { targetType: "person", targetId: casey.id }).removed).toBe(true);
    expect(unfollow(me, { targetType: "person", targetId: casey.id }).removed).toBe(false);
  });

  it("refuses to follow yourself or someone who does not exist", () => {
    const me = makeUser();
    expect(() => follow(me, { targetType: "person", targetId: me.id })).toThrow(Invalid);
    expect(() => follow(me, { targetType: "person", targetId: 99_999_999 })).toThrow(NotFound);
    expect(() => follow(me, { targetType: "planet", targetId: 1 })).toThrow(Invalid);
  });

  it("notifies followers of a person's next named idea exactly once, and never of an anonymous one", () => {
    const { challengeIds } = makeJam();
    const fan = makeUser();
    const casey = makeUser({ name: "Casey Follow" });
    follow(fan, { targetType: "person", targetId: casey.id });

    makeIdea(casey, challengeIds[0]!, { title: "Secret idea", isAnonymous: true });
    expect(noticesOf(fan.id)).toHaveLength(0);

    const idea = makeIdea(casey, challengeIds[0]!, { title: "Walking meetings" });
    const got = noticesOf(fan.id);
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toBe("Casey Follow posted a new idea: Walking meetings");
    expect(got[0]!.link).toBe(`/jams/${idea.jamSlug}/ideas/${idea.id}`);
    // Nobody else hears about it, and the author is not notified of their own idea.
    expect(noticesOf(casey.id)).toHaveLength(0);
  });
});

describe("following themes", () => {
  it("notifies when a new idea in the jam shares at least two keywords, once even when also following the author", () => {
    const { jam, challengeIds, facilitator } = makeJam();
    const fan = makeUser();
    const author = makeUser();
    const theme = publishedTheme(jam.id, facilitator.id, ["meeting", "focus", "calendar"]);
    follow(fan, { targetType: "theme", targetId: theme.id });

    makeIdea(author, challengeIds[0]!, { title: "Fewer meetings", body: "Nothing else in common." });
    expect(noticesOf(fan.id)).toHaveLength(0);

    makeIdea(author, challengeIds[0]!, { title: "Focus time", body: "Block meetings out of the calendar." });
    expect(noticesOf(fan.id)).toHaveLength(1);
    expect(noticesOf(fan.id)[0]!.body).toContain("Meeting-free focus");

    follow(fan, { targetType: "person", targetId: author.id });
    makeIdea(author, challengeIds[0]!, { title: "Calendar focus blocks", body: "" });
    expect(noticesOf(fan.id)).toHaveLength(2);

    // An idea in another jam does not match this jam's theme.
    const other = makeJam();
    makeIdea(makeUser(), other.challengeIds[0]!, { title: "Focus on the calendar", body: "meetings" });
    expect(noticesOf(fan.id)).toHaveLength(2);
  });

  it("cannot follow a theme of an unpublished synthesis as a participant", () => {
    const { jam, facilitator } = makeJam();
    const version = db()
      .insert(synthesisVersions)
      .values({ jamId: jam.id, number: 1, kind: "generated", createdBy: facilitator.id, createdAt: Date.now() })
      .returning()
      .get();
    const theme = db().insert(themes).values({ versionId: version.id, label: "Draft", keywords: "[]", representatives: "[]" }).returning().get();
    expect(() => follow(makeUser(), { targetType: "theme", targetId: theme.id })).toThrow(NotFound);
    expect(follow(facilitator, { targetType: "theme", targetId: theme.id }).created).toBe(true);
  });
});

describe("ranking privacy", () => {
  it("hides an opted-out name on leaderboards (but not from themselves) and keeps the points in department totals", () => {
    const { jam, challengeIds } = makeJam();
    const team = makeDepartment();
    const shy = makeUser({ name: "Shy Person", departmentId: team.id });
    const viewer = makeUser();
    makeIdea(shy, challengeIds[0]!);
    const before = departmentBoard(jam.id).find((d) => d.id === team.id)!.total;
    expect(before).toBeGreaterThan(0);

    setRankingPrivacy(shy, { hiddenFromRankings: "on" }, { ip: "203.0.113.1" });
    const seen = jamLeaderboard(viewer, jam.slug, {});
    if (seen.hidden) throw new Error("leaderboard unexpectedly hidden");
    const row = seen.list.find((r) => r.name === "A participant")!;
    expect(row).toBeDefined();
    expect(row.named).toBe(false);
    expect(row.userId).toBe(0);
    expect(JSON.stringify(seen.list)).not.toContain("Shy Person");
    expect(departmentBoard(jam.id).find((d) => d.id === team.id)!.total).toBe(before);

    const own = jamLeaderboard(shy, jam.slug, {});
    if (own.hidden) throw new Error("leaderboard unexpectedly hidden");
    expect(own.list.find((r) => r.isMe)!.name).toBe("Shy Person");

    const audit = db().select().from(auditLog).where(eq(auditLog.action, "rankings_visibility_changed")).all();
    expect(audit.filter((a) => a.actorId === shy.id)).toHaveLength(1);
    // Saving the same choice again changes nothing and is not audited twice.
    expect(setRankingPrivacy(shy, { hiddenFromRankings: "on" }).changed).toBe(false);
  });
});

describe("people you should meet", () => {
  it("suggests people from other departments on the same themes or comment threads, leaving out opted-out people", () => {
    const { jam, challengeIds, facilitator } = makeJam();
    const myTeam = makeDepartment();
    const me = makeUser({ departmentId: myTeam.id });
    const teammate = makeUser({ departmentId: myTeam.id });
    const themeMate = makeUser({ name: "Theme Mate" });
    const commenter = makeUser({ name: "Comment Mate" });
    const shy = makeUser();
    const mine = makeIdea(me, challengeIds[0]!);
    const theirs = makeIdea(themeMate, challengeIds[0]!);
    const team = makeIdea(teammate, challengeIds[0]!);
    const hiddenOne = makeIdea(shy, challengeIds[0]!);
    publishedTheme(jam.id, facilitator.id, ["x"], [mine.id, theirs.id, team.id, hiddenOne.id], "Shared theme");
    setRankingPrivacy(shy, { hiddenFromRankings: true });
    postComment(me, { ideaId: theirs.id, body: "Nice", clientKey: "meet-comment-1" });
    postComment(commenter, { ideaId: theirs.id, body: "Agreed", clientKey: "meet-comment-2" });

    const suggestions = peopleToMeet(me);
    const names = suggestions.map((s) => s.name);
    expect(names).toContain("Theme Mate");
    expect(names).toContain("Comment Mate");
    expect(names[0]).toBe("Theme Mate");
    expect(suggestions.find((s) => s.name === "Theme Mate")!.sharedThemes).toEqual(["Shared theme"]);
    expect(suggestions.some((s) => s.id === teammate.id || s.id === shy.id || s.id === me.id)).toBe(false);
  });
});
