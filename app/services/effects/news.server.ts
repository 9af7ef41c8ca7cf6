/**
 * What participants are told about their own contributions: replies and comments, support,
 * moderation, the themes their ideas joined (a jam's results: jobs/jam-results.server.ts; what
 * an idea fed, on /me: lookups/idea-outcomes.server.ts). Each `tell*` runs inside the
 * transaction of the change it tells about (the caller's), writing through `notify` or
 * `notifyGrouped`. Nobody is told about what they did themselves, and every notice goes only to
 * the author of what it is about: an anonymous idea's author hears privately and no one else's
 * notice names, counts or hints at them.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import {
  commentNotice,
  hiddenNotice,
  mergedNotice,
  pinnedNotice,
  replyNotice,
  restoredNotice,
  supportNotice,
  taggedNotice,
  themesNotice,
} from "~/domain/notifications";
import type { Db } from "~db/client";
import {
  challenges,
  comments,
  ideas,
  jams,
  themeIdeas,
  themes,
  users,
  type Idea,
} from "~db/schema";
import { notify, notifyGrouped, type GroupedNotice, type Notice } from "~/services/effects/notifications.server";

interface JamRef {
  id: number;
  slug: string;
}

const ideaLink = (jam: JamRef, ideaId: number) => `/jams/${jam.slug}/ideas/${ideaId}`;

// ---------------------------------------------------------------- conversation and support

/**
 * A new comment (or reply): the author of the comment replied to hears of it, and the idea's
 * author hears of a comment on their idea (not both when they are the same person: the reply
 * says it). Several before the person reads them become one ("3 new comments on your idea").
 */
export async function tellAboutComment(
  tx: Db,
  input: { actor: Pick<SessionUser, "id" | "name">; jam: JamRef; idea: Pick<Idea, "id" | "title" | "authorId">; commentId: number; parent?: { id: number; authorId: number } },
  now: number,
) {
  const { actor, jam, idea, parent } = input;
  const notices: GroupedNotice[] = [];
  if (parent && parent.authorId !== actor.id) {
    notices.push({
      userId: parent.authorId,
      kind: "comments",
      dedupeKey: `reply:comment:${parent.id}`,
      jamId: jam.id,
      ideaId: idea.id,
      count: "add",
      render: (n) => ({
        body: replyNotice(n, actor.name, idea.title),
        link: `${ideaLink(jam, idea.id)}#comment-${n <= 1 ? input.commentId : parent.id}`,
      }),
    });
  }
  if (idea.authorId !== actor.id && !(parent && parent.authorId === idea.authorId)) {
    notices.push({
      userId: idea.authorId,
      kind: "comments",
      dedupeKey: `comments:idea:${idea.id}`,
      jamId: jam.id,
      ideaId: idea.id,
      count: "add",
      render: (n) => ({
        body: commentNotice(n, actor.name, idea.title),
        link: n <= 1 ? `${ideaLink(jam, idea.id)}#comment-${input.commentId}` : `${ideaLink(jam, idea.id)}#comments-heading`,
      }),
    });
  }
  return await notifyGrouped(tx, notices, now);
}

/** A new supporter: the idea's one support notification now reads its supporters in all, unread again. */
export async function tellAboutSupport(tx: Db, input: { jam: JamRef; idea: Pick<Idea, "id" | "title" | "authorId">; voteCount: number }, now: number) {
  const { jam, idea } = input;
  return await notifyGrouped(
    tx,
    [
      {
        userId: idea.authorId,
        kind: "support",
        dedupeKey: `support:idea:${idea.id}`,
        jamId: jam.id,
        ideaId: idea.id,
        count: input.voteCount,
        render: (n) => ({ body: supportNotice(n, idea.title), link: ideaLink(jam, idea.id) }),
      },
    ],
    now,
  );
}

// ---------------------------------------------------------------- moderation

async function jamOf(tx: Db, jamId: number) {
  return (await tx
    .select({ id: jams.id, slug: jams.slug, title: jams.title, contact: users.name })
    .from(jams)
    // An erased facilitator is nobody to write to: the notice then names the jam's facilitators.
    .leftJoin(users, and(eq(users.id, jams.createdBy), isNull(users.erasedAt)))
    .where(eq(jams.id, jamId))
    .get())!;
}

async function ideaRow(tx: Db, ideaId: number) {
  return (await tx.select().from(ideas).where(eq(ideas.id, ideaId)).get())!;
}

/** Tells an idea's author (never the actor themself) one piece of moderation news about it, once per key. */
async function tellIdeaAuthor(tx: Db, actor: Pick<SessionUser, "id">, idea: Idea, news: { body: string; dedupeKey: string }, now: number) {
  if (idea.authorId === actor.id) return [];
  const jam = await jamOf(tx, idea.jamId);
  return await notify(
    tx,
    [{ userId: idea.authorId, kind: "moderation", body: news.body, link: ideaLink(jam, idea.id), dedupeKey: news.dedupeKey, jamId: jam.id, ideaId: idea.id }],
    now,
  );
}

/** A facilitator pinned the idea (told once, however often it is pinned again). */
export async function tellPinned(tx: Db, actor: Pick<SessionUser, "id">, ideaId: number, now: number) {
  const idea = await ideaRow(tx, ideaId);
  if (idea.authorId === actor.id) return [];
  const challenge = (await tx.select({ title: challenges.title }).from(challenges).where(eq(challenges.id, idea.challengeId)).get())!;
  return await tellIdeaAuthor(tx, actor, idea, { body: pinnedNotice(idea.title, challenge.title), dedupeKey: `pinned:idea:${idea.id}` }, now);
}

/** A facilitator tagged the idea "emerging" or "best" (once per tag). */
export async function tellTagged(tx: Db, actor: Pick<SessionUser, "id">, ideaId: number, tag: "emerging" | "best", now: number) {
  const idea = await ideaRow(tx, ideaId);
  return await tellIdeaAuthor(tx, actor, idea, { body: taggedNotice(idea.title, tag), dedupeKey: `tagged:idea:${idea.id}:${tag}` }, now);
}

/**
 * A moderator hid (or restored) an idea or a comment: its author is told, with the reason and whom
 * to ask (the person who runs the jam). Always sent, whatever the person's settings: once per hide
 * (each hide has its own number). The link leads to the idea page, where the author still sees it.
 */
export async function tellModerated(
  tx: Db,
  actor: Pick<SessionUser, "id">,
  input: { what: "idea" | "comment"; id: number; change: "hidden" | "restored"; reason?: string },
  now: number,
) {
  const target =
    input.what === "idea"
      ? await (async () => {
          const idea = await ideaRow(tx, input.id);
          return { authorId: idea.authorId, idea, hideCount: idea.hideCount, anchor: "" };
        })()
      : await (async () => {
          const row = (await tx
            .select({ authorId: comments.authorId, ideaId: comments.ideaId, hideCount: comments.hideCount })
            .from(comments)
            .where(eq(comments.id, input.id))
            .get())!;
          return { authorId: row.authorId, idea: await ideaRow(tx, row.ideaId), hideCount: row.hideCount, anchor: `#comment-${input.id}` };
        })();
  if (target.authorId === actor.id) return [];
  const jam = await jamOf(tx, target.idea.jamId);
  const body =
    input.change === "hidden"
      ? hiddenNotice({ what: input.what, ideaTitle: target.idea.title, reason: input.reason ?? "", contact: jam.contact, jamTitle: jam.title })
      : restoredNotice(input.what, target.idea.title);
  const notice: Notice = {
    userId: target.authorId,
    kind: "hidden",
    body,
    link: `${ideaLink(jam, target.idea.id)}${target.anchor}`,
    dedupeKey: `${input.change}:${input.what}:${input.id}:${target.hideCount}`,
    jamId: jam.id,
    ideaId: target.idea.id,
  };
  return await notify(tx, [notice], now);
}

/** A duplicate was merged: its author is told where it went (always sent), with a link there. */
export async function tellMerged(tx: Db, actor: Pick<SessionUser, "id">, duplicate: Pick<Idea, "id" | "title" | "authorId" | "jamId">, kept: Pick<Idea, "id" | "title">, now: number) {
  if (duplicate.authorId === actor.id) return [];
  const jam = await jamOf(tx, duplicate.jamId);
  return await notify(
    tx,
    [
      {
        userId: duplicate.authorId,
        kind: "hidden",
        body: mergedNotice(duplicate.title, kept.title),
        link: ideaLink(jam, kept.id),
        dedupeKey: `merged:idea:${duplicate.id}`,
        jamId: jam.id,
        // About the idea it went to: hidden with it if that one is hidden later.
        ideaId: kept.id,
      },
    ],
    now,
  );
}

// ---------------------------------------------------------------- themes, and who took part in a jam (read by the jam mail and the results job)

/**
 * A synthesis version was published: every contributor of a theme in it (Other left out, ideas
 * excluded by curation or hidden left out) hears which theme their idea is part of, with the
 * synthesis page. One notice per person and jam for their named ideas (the most supported one
 * named, and how many more), and one per anonymous idea, privately; publishing another version
 * later updates them in place and marks them unread.
 */
export async function tellThemesPublished(tx: Db, jam: JamRef, versionId: number, now: number) {
  const rows = await tx
    .select({
      ideaId: ideas.id,
      title: ideas.title,
      authorId: ideas.authorId,
      isAnonymous: ideas.isAnonymous,
      voteCount: ideas.voteCount,
      themeLabel: themes.label,
      parentLabel: sql<string | null>`(SELECT p.label FROM themes p WHERE p.id = ${themes.parentId})`,
    })
    .from(themeIdeas)
    .innerJoin(themes, eq(themes.id, themeIdeas.themeId))
    .innerJoin(ideas, eq(ideas.id, themeIdeas.ideaId))
    .where(and(eq(themeIdeas.versionId, versionId), eq(themeIdeas.excluded, false), eq(themes.isOther, false), isNull(ideas.hiddenAt)))
    .orderBy(asc(ideas.authorId), sql`${ideas.voteCount} DESC`, asc(ideas.id))
    .all();
  const link = `/jams/${jam.slug}/synthesis`;
  const notices: GroupedNotice[] = [];
  const named = new Map<number, typeof rows>();
  for (const row of rows) {
    if (row.isAnonymous) {
      notices.push({
        userId: row.authorId,
        kind: "results",
        dedupeKey: `themes:jam:${jam.id}:anonymous:${row.ideaId}`,
        jamId: jam.id,
        ideaId: row.ideaId,
        count: 1,
        render: () => ({ body: themesNotice({ ideaTitle: row.title, themeLabel: row.themeLabel, parentLabel: row.parentLabel, more: 0, anonymous: true }), link }),
      });
    } else {
      const theirs = named.get(row.authorId);
      if (theirs) theirs.push(row);
      else named.set(row.authorId, [row]);
    }
  }
  for (const [userId, theirs] of named) {
    const top = theirs[0]!;
    notices.push({
      userId,
      kind: "results",
      dedupeKey: `themes:jam:${jam.id}`,
      jamId: jam.id,
      count: theirs.length,
      render: (n) => ({ body: themesNotice({ ideaTitle: top.title, themeLabel: top.themeLabel, parentLabel: top.parentLabel, more: n - 1 }), link }),
    });
  }
  return await notifyGrouped(tx, notices, now);
}

/** Everyone who took part in a jam: wrote an idea or a comment, or voted in any way. */
export async function peopleWhoTookPart(tx: Db, jamId: number): Promise<number[]> {
  return (await tx
    .all<{ id: number }>(
      sql`SELECT author_id AS id FROM ideas WHERE jam_id = ${jamId}
          UNION SELECT c.author_id FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE i.jam_id = ${jamId}
          UNION SELECT v.user_id FROM votes v WHERE v.challenge_id IN (SELECT id FROM challenges WHERE jam_id = ${jamId})
          UNION SELECT s.user_id FROM stance_votes s WHERE s.challenge_id IN (SELECT id FROM challenges WHERE jam_id = ${jamId})
          UNION SELECT d.user_id FROM dot_allocations d WHERE d.challenge_id IN (SELECT id FROM challenges WHERE jam_id = ${jamId}) AND d.dots > 0`,
    ))
    .map((r) => r.id);
}
