import { and, desc, eq, isNull, ne } from "drizzle-orm";
import { profileSocial } from "~/services/lookups/follows.server";
import type { SessionUser } from "~/auth/session.server";
import { BADGES, badgeProgress, EMPTY_FACTS } from "~/domain/badges";
import { can } from "~/domain/permissions";
import { db } from "~db/client";
import { comments, departments, ideas, jams, pointTotals, users } from "~db/schema";
import { NotFound } from "~/services/errors";
import { ALL_JAMS, badgeFacts } from "~/services/effects/gamification.server";
import { rankOf } from "~/services/lookups/leaderboards.server";
import { jamVisibleTo, visibleJamsCondition } from "~/services/lookups/visibility.server";
import { readableJamSql } from "~/services/lookups/community-access.server";
import { mapInOrder } from "~/domain/in-order";

const RECENT = 20;

/**
 * A person's public profile: points by jam, badges with progress, and their
 * contributions. Anonymous ideas appear only when people look at their own
 * profile; hidden ones only to their author, with the reason.
 */
export async function personProfile(viewer: SessionUser, personId: number) {
  const conn = db();
  const person = await conn
    .select({ id: users.id, name: users.name, department: departments.name, optedOut: users.hiddenFromRankings })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    // An erased account has no profile: a page gathering what stays of theirs would put it back together.
    .where(and(eq(users.id, personId), isNull(users.erasedAt)))
    .get();
  if (!person) throw new NotFound("No such person.");
  const isMe = viewer.id === person.id;
  // Someone who opted out of rankings shows their points and ranks to themselves alone: a total
  // beside their name would join them to wherever that total appears.
  const inRankings = isMe || !person.optedOut;
  const isStaff = can(viewer.role, "seeHiddenLeaderboards");

  const byJam = !inRankings ? [] : await mapInOrder((await conn
    .select({
      jamId: jams.id,
      slug: jams.slug,
      title: jams.title,
      total: pointTotals.total,
      isDraft: jams.isDraft,
      kind: jams.kind,
      leaderboardsHidden: jams.leaderboardsHidden,
    })
    .from(pointTotals)
    .innerJoin(jams, eq(jams.id, pointTotals.scope))
    .where(and(eq(pointTotals.userId, person.id), ne(pointTotals.scope, ALL_JAMS)))
    .orderBy(desc(jams.startsAt), desc(jams.id))
    .all())
    // Points earned in a community's idea box count in the person's total, but the box is not a jam to rank in.
    .filter((j) => j.kind === "jam" && jamVisibleTo(viewer, j)), async ({ isDraft: _draft, kind: _kind, leaderboardsHidden, ...j }) => ({
      ...j,
      rank: leaderboardsHidden && !isStaff ? null : ((await rankOf(conn, j.jamId, person.id))?.rank ?? null),
    }));

  const facts = (await badgeFacts(conn, [person.id])).get(person.id) ?? EMPTY_FACTS;
  const badges = BADGES.map((b) => badgeProgress(b, facts));

  const visibleToViewer = isMe
    ? eq(ideas.authorId, person.id)
    : and(eq(ideas.authorId, person.id), eq(ideas.isAnonymous, false), isNull(ideas.hiddenAt));
  const myIdeas = (await conn
    .select({
      id: ideas.id,
      title: ideas.title,
      voteCount: ideas.voteCount,
      commentCount: ideas.commentCount,
      isAnonymous: ideas.isAnonymous,
      hiddenReason: ideas.hiddenReason,
      hiddenAt: ideas.hiddenAt,
      createdAt: ideas.createdAt,
      jamSlug: jams.slug,
      jamTitle: jams.title,
    })
    .from(ideas)
    .innerJoin(jams, eq(jams.id, ideas.jamId))
    // Ideas in a members-only community's box only for its members.
    .where(and(visibleToViewer, visibleJamsCondition(viewer), readableJamSql(ideas.jamId as never, viewer.id)))
    .orderBy(desc(ideas.id))
    .limit(RECENT)
    .all())
    .map(({ hiddenAt, hiddenReason, ...i }) => ({ ...i, hidden: hiddenAt !== null, hiddenReason: isMe ? hiddenReason : null }));

  const recentComments = await conn
    .select({ id: comments.id, body: comments.body, createdAt: comments.createdAt, ideaId: ideas.id, ideaTitle: ideas.title, jamSlug: jams.slug })
    .from(comments)
    .innerJoin(ideas, eq(ideas.id, comments.ideaId))
    .innerJoin(jams, eq(jams.id, ideas.jamId))
    .where(
      and(
        eq(comments.authorId, person.id),
        isNull(comments.hiddenAt),
        isNull(ideas.hiddenAt),
        visibleJamsCondition(viewer),
        // Comments under anonymous ideas only to their writer: leaving out only the comments on
        // one's own anonymous idea would tell everyone who wrote it.
        isMe ? undefined : eq(ideas.isAnonymous, false),
      ),
    )
    .orderBy(desc(comments.id))
    .limit(RECENT)
    .all();

  return {
    person: { id: person.id, name: person.name, department: person.department },
    isMe,
    /** False when the person opted out of rankings and the viewer is someone else: no points or ranks then. */
    inRankings,
    overall: inRankings ? await rankOf(conn, ALL_JAMS, person.id) : null,
    byJam,
    badges,
    ideas: myIdeas,
    comments: recentComments,
  };
}

/** Everything a person's page shows, in one call: the profile and what follows and shared interests say. */
export async function personPage(viewer: SessionUser, personId: number) {
  return { ...(await personProfile(viewer, personId)), social: await profileSocial(viewer, personId) };
}
