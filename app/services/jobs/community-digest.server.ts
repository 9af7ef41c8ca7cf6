/**
 * The weekly digest e-mail of each community: on the first background round after Monday 00:00
 * UTC, every active community with something new in the week just ended sends each member one
 * message (mail kind `community_digest`, which each person may turn off or collect like any
 * other kind). Exactly once per member and week, even with several processes: the week's row in
 * `community_digests` is claimed by an insert that only one transaction can make (the others
 * change nothing and skip), and the messages are queued in that same transaction under a dedupe
 * key per community and week, which the outbox keeps unique per person. An empty week sends
 * nothing. The digest tells only what members may read (visible ideas, questions and jellies of
 * the community) and never names the author of an anonymous idea.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { PROCESS_ID } from "~/coordination/shared.server";
import { communityDigestMail } from "~/mail/messages";
import { queueMail } from "~/mail/outbox.server";
import { db, transaction, type Db } from "~db/client";
import { communities, communityDigests, communityMembers, jams, users, type Community } from "~db/schema";
import { communityDigest, digestHasNews } from "~/services/pages/communities.server";
import { mailContext } from "~/services/lookups/mail.server";

export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The Monday 00:00 UTC at or before `at`: the end of the last whole week. */
export function weekEndOf(at: number): number {
  const d = new Date(at);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS;
}

/** The digest key of a community's week: one message per person and key (the outbox's rule). */
export function digestKey(communityId: number, weekEnd: number): string {
  return `community-digest:${communityId}:${weekEnd}`;
}

/**
 * Claims and writes one community's digest for the week ending `weekEnd`, in the caller's
 * transaction. Null when another process (or an earlier round) claimed it; else how many
 * members it was queued for (0 for an empty week).
 */
export async function writeCommunityDigest(tx: Db, community: Community, weekEnd: number, holder: string, now: number): Promise<number | null> {
  const claimed = (await tx
    .insert(communityDigests)
    .values({ communityId: community.id, weekEnd, claimedBy: holder, startedAt: now })
    .onConflictDoNothing()
    .run()).changes;
  if (claimed === 0) return null;
  const digest = await communityDigest(tx, community, weekEnd - WEEK_MS, weekEnd, weekEnd);
  let queued = 0;
  if (digestHasNews(digest)) {
    const boxJam = community.boxJamId !== null ? await tx.select({ slug: jams.slug }).from(jams).where(eq(jams.id, community.boxJamId)).get() : undefined;
    const members = await tx
      .select({ id: users.id, name: users.name })
      .from(communityMembers)
      .innerJoin(users, eq(users.id, communityMembers.userId))
      .where(and(eq(communityMembers.communityId, community.id), eq(communityMembers.state, "member"), isNull(users.erasedAt), isNull(users.deactivatedAt)))
      .orderBy(users.id)
      .all();
    const context = mailContext();
    for (const member of members) {
      const mail = communityDigestMail(
        {
          community: { slug: community.slug, title: community.title, boxJamSlug: boxJam?.slug ?? null },
          since: digest.since,
          until: weekEnd,
          ideas: digest.ideas,
          comments: digest.comments,
          newIdeas: digest.newIdeas.map((i) => ({ id: i.id, title: i.title, author: i.authorName })),
          questions: digest.questions,
          newQuestions: digest.newQuestions,
          answered: digest.answered,
          answeredQuestions: digest.answeredQuestions,
          comingJellies: digest.comingJellies,
          newMembers: digest.newMembers,
          newResources: digest.newResources,
          recipient: member,
        },
        context,
      );
      const result = await queueMail(tx, { userId: member.id, kind: "community_digest", ...mail, dedupeKey: digestKey(community.id, weekEnd) }, now);
      if (result.outcome === "queued" || result.outcome === "digest") queued += 1;
    }
  }
  await tx.update(communityDigests)
    .set({ queued, finishedAt: now })
    .where(and(eq(communityDigests.communityId, community.id), eq(communityDigests.weekEnd, weekEnd)))
    .run();
  return queued;
}

/**
 * The background round's part: each active community whose last week has no digest yet gets
 * one (one transaction per community). Returns what this process wrote.
 */
export async function sendCommunityDigests(now = Date.now(), holder = PROCESS_ID): Promise<{ communityId: number; queued: number }[]> {
  const weekEnd = weekEndOf(now);
  const due = await db().all<{ id: number }>(sql`SELECT c.id FROM communities c
    WHERE c.status = 'active' AND c.box_jam_id IS NOT NULL AND c.created_at < ${weekEnd}
      AND NOT EXISTS (SELECT 1 FROM community_digests d WHERE d.community_id = c.id AND d.week_end = ${weekEnd})
    ORDER BY c.id`);
  const written: { communityId: number; queued: number }[] = [];
  for (const { id } of due) {
    const queued = await transaction(async (tx) => {
      const community = await tx.select().from(communities).where(and(eq(communities.id, id), eq(communities.status, "active"))).get();
      return community ? await writeCommunityDigest(tx, community, weekEnd, holder, now) : null;
    });
    if (queued !== null) written.push({ communityId: id, queued });
  }
  return written;
}
