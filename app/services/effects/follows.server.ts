import { and, eq } from "drizzle-orm";
import { filterInOrder } from "~/domain/in-order";
import type { NewIdea } from "~/services/commands/follows.server";
import { type Notice, notify } from "~/services/effects/notifications.server";
import { boxOwner, canReadCommunity } from "~/services/lookups/community-access.server";
import { keywordTokens, sharedKeywords } from "~/services/lookups/follows.server";
import type { Db } from "~db/client";
import { follows, themes, synthesisVersions } from "~db/schema";

const THEME_MATCH = 2;

/**
 * Inside postIdea's transaction: followers of the author, and followers of a
 * theme of this jam the idea matches (at least two keywords), hear about a new
 * idea once (one dedupe key per idea, whichever way they follow). An anonymous
 * idea notifies nobody: a notification would name its author.
 */
export async function notifyFollowers(tx: Db, idea: NewIdea, now: number): Promise<number[]> {
  if (idea.isAnonymous) return [];
  const link = `/jams/${idea.jamSlug}/ideas/${idea.id}`;
  const dedupeKey = `follow:idea:${idea.id}`;
  const notices: Notice[] = [];
  const personFollowers = await tx
    .select({ id: follows.followerId })
    .from(follows)
    .where(and(eq(follows.targetType, "person"), eq(follows.targetId, idea.authorId)))
    .all();
  for (const f of personFollowers) {
    if (f.id === idea.authorId) continue;
    notices.push({ userId: f.id, kind: "follows", body: `${idea.authorName} posted a new idea: ${idea.title}`, link, dedupeKey, jamId: idea.jamId, ideaId: idea.id });
  }
  // Only themes of this jam that somebody follows: usually none, so this stays cheap.
  const followed = await tx
    .select({ followerId: follows.followerId, label: themes.label, keywords: themes.keywords, publishedAt: synthesisVersions.publishedAt })
    .from(follows)
    .innerJoin(themes, eq(themes.id, follows.targetId))
    .innerJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
    .where(and(eq(follows.targetType, "theme"), eq(synthesisVersions.jamId, idea.jamId)))
    .all();
  if (followed.length > 0) {
    const tokens = keywordTokens(`${idea.title} ${idea.body}`);
    for (const f of followed) {
      if (f.followerId === idea.authorId) continue;
      let keywords: string[] = [];
      try {
        keywords = JSON.parse(f.keywords) as string[];
      } catch {
        keywords = [];
      }
      if (sharedKeywords(tokens, keywords) < THEME_MATCH) continue;
      notices.push({ userId: f.followerId, kind: "follows", body: `A new idea on “${f.label}”: ${idea.title}`, link, dedupeKey, jamId: idea.jamId, ideaId: idea.id });
    }
  }
  // A members-only community's idea reaches its members alone.
  const owner = await boxOwner(tx, idea.jamId);
  const reachable = owner ? await filterInOrder(notices, async (n) => await canReadCommunity(tx, { id: n.userId }, owner)) : notices;
  return await notify(tx, reachable, now);
}
