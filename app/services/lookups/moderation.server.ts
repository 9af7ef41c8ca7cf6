import { eq, and, sql, isNull, ne, desc } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { NotFound } from "~/services/errors";
import { openOn, viewerFlags } from "~/services/lookups/flags.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { db, type Db } from "~db/client";
import { ideas, challenges, flags } from "~db/schema";

const MERGE_MATCHES = 8;

/**
 * The ideas a facilitator may merge `id` into that match what they typed: the idea with that
 * number (or "#42", or a pasted address), else visible ideas of the same jam whose title
 * contains the words typed, most supported first. What the merge form's search shows.
 */
export async function findMergeTargets(actor: SessionUser, input: { id: unknown; q: unknown }) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const id = Number(input.id);
  const duplicate = Number.isInteger(id) && id > 0 ? await db().select({ jamId: ideas.jamId }).from(ideas).where(eq(ideas.id, id)).get() : undefined;
  if (!duplicate) throw new NotFound("No such idea.");
  const text = typeof input.q === "string" ? input.q.trim().slice(0, 200) : "";
  if (text === "") return [];
  const number = (text.match(/\/ideas\/(\d+)/) ?? text.match(/^#?(\d+)$/))?.[1];
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6)
    .map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const byTitle = and(...words.map((w) => sql`lower(${ideas.title}) like ${w} escape '\\'`));
  return await db()
    .select({ id: ideas.id, title: ideas.title, voteCount: ideas.voteCount, challengeTitle: challenges.title })
    .from(ideas)
    .innerJoin(challenges, eq(challenges.id, ideas.challengeId))
    .where(and(eq(ideas.jamId, duplicate.jamId), isNull(ideas.hiddenAt), ne(ideas.id, id), number ? eq(ideas.id, Number(number)) : byTitle))
    .orderBy(desc(ideas.voteCount), desc(ideas.id))
    .limit(MERGE_MATCHES)
    .all();
}

// ---------------------------------------------------------------- the idea page's tools

/**
 * What a facilitator's Moderate panel needs on an idea page: the open flags on the idea
 * (the merge form searches for the idea to keep as the facilitator types). Null for everyone else.
 */
export async function moderationTools(conn: Db, viewer: SessionUser, idea: { id: number; challengeId: number; jamId: number }) {
  if (!can(viewer.role, "manageJams")) return null;
  const openFlags = await conn
    .select({ reason: flags.reason, createdAt: flags.createdAt })
    .from(flags)
    .where(openOn({ type: "idea", id: idea.id, jamId: idea.jamId }))
    .all();
  return { openFlags };
}

/**
 * Everything moderation adds to an idea page for this viewer: whether they
 * moderate (and the panel's data), and what they have already flagged.
 */
export async function ideaPageModeration(viewer: SessionUser, idea: { id: number; challengeId: number; jamId: number }, commentIds: number[]) {
  const tools = await moderationTools(db(), viewer, idea);
  return { canModerate: tools !== null, tools, flagged: await viewerFlags(db(), viewer, idea.id, commentIds) };
}

export const MODERATORS_ONLY = "Only facilitators can moderate.";
