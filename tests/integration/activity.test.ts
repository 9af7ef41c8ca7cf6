import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createAction } from "~/services/commands/actions.server";
import { myActivity } from "~/services/pages/activity.server";
import { postComment } from "~/services/commands/comments.server";
import { follow } from "~/services/commands/follows.server";
import { myNetworkPage } from "~/services/pages/network.server";
import { listNotifications } from "~/services/pages/notifications.server";
import { castVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { jams, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { mapInOrder } from "~/domain/in-order";

describe("a person's own pages and a jam that went back to draft", () => {
  it("/me, /network/me and /notifications show nothing of a draft jam to someone who cannot open it", async () => {
    const jamTitle = "Project Falcon: the merger";
    const { jam, challengeIds, facilitator } = await makeJam({ title: jamTitle });
    const me = await makeUser();
    const someone = await makeUser();
    const mine = await makeIdea(me, challengeIds[0]!, { title: "My idea for the merger" });
    const theirs = await makeIdea(someone, challengeIds[0]!, { title: "Close the Leeds office" });
    await postComment(me, { ideaId: theirs.id, body: "Which teams move?", clientKey: "activity-comment-1" });
    await castVote(me, { ideaId: theirs.id });
    const version = await db()
      .insert(synthesisVersions)
      .values({ jamId: jam.id, number: 1, kind: "curated", createdBy: facilitator.id, createdAt: Date.now(), publishedAt: Date.now() })
      .returning()
      .get();
    const theme = await db().insert(themes).values({ versionId: version.id, label: "Offices", keywords: "[]", representatives: "[]" }).returning().get();
    await db().insert(themeIdeas).values({ versionId: version.id, ideaId: theirs.id, themeId: theme.id }).run();
    await follow(me, { targetType: "theme", targetId: theme.id });
    await createAction(facilitator, { ideaId: mine.id, title: "Plan the move", ownerId: facilitator.id }, { ip: null });
    // Following someone: their next idea (in this jam) reaches me with a link into the jam.
    await follow(me, { targetType: "person", targetId: someone.id });
    await makeIdea(someone, challengeIds[0]!, { title: "Merge the two finance teams" });
    await makeIdea(facilitator, challengeIds[0]!, { title: "Staff idea" });

    const pages = async () => JSON.stringify({ activity: await mapInOrder(["ideas", "comments", "votes"], async (tab) => await myActivity(me, { tab })), network: await myNetworkPage(me), notifications: await listNotifications(me) });
    // While the jam is open, these pages name it (so the check below can fail).
    expect(await pages()).toContain(jamTitle);

    await db().update(jams).set({ isDraft: true }).where(eq(jams.id, jam.id)).run();
    const text = await pages();
    for (const secret of [jamTitle, "Challenge 1", "Close the Leeds office", "Merge the two finance teams", jam.slug]) {
      expect(text).not.toContain(secret);
    }
    expect((await listNotifications(me)).unread).toBe(0);
    // Facilitators can open draft jams: their own pages keep them.
    expect(JSON.stringify(await myActivity(facilitator))).toContain(jamTitle);
    // Back out of draft, everything is there again.
    await db().update(jams).set({ isDraft: false }).where(eq(jams.id, jam.id)).run();
    expect(await pages()).toContain("Merge the two finance teams");
    expect((await listNotifications(me)).unread).toBe(2);
  });

  it("/me comes one tab and 20 rows at a time, with every tab's count", async () => {
    const { challengeIds } = await makeJam();
    const me = await makeUser();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!, { title: "Lots to say about this" });
    for (let i = 1; i <= 25; i++) await postComment(me, { ideaId: idea.id, body: `Thought number ${i}`, clientKey: `activity-page-${i}` });
    await castVote(me, { ideaId: idea.id });

    const first = await myActivity(me, { tab: "comments" });
    expect(first.tab).toBe("comments");
    expect(first.counts).toEqual({ ideas: 0, comments: 25, votes: 1, hidden: 0 });
    expect(first.comments.map((c) => c.body)).toHaveLength(20);
    expect(first.comments[0]!.body).toBe("Thought number 25");
    expect(first.window).toMatchObject({ page: 1, pages: 2, from: 1, to: 20, total: 25 });
    // Only the chosen tab's rows are read.
    expect(first.ideas).toEqual([]);
    expect(first.votes).toEqual([]);

    const second = await myActivity(me, { tab: "comments", page: "2" });
    expect(second.comments.map((c) => c.body)).toEqual([5, 4, 3, 2, 1].map((n) => `Thought number ${n}`));
    expect(second.window).toMatchObject({ page: 2, from: 21, to: 25 });
    // An unknown tab is the ideas tab.
    expect((await myActivity(me, { tab: "secrets" })).tab).toBe("ideas");
  });
});
