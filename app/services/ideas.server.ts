import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { SORTS, TRENDING_WINDOW_MS } from "~/domain/idea-sort";
import { LIMITS } from "~/domain/limits";
import { RANKING_COUNTER, type VoteMode } from "~/domain/vote-modes";
import { can } from "~/domain/permissions";
import type { CommentView, IdeaCard } from "~/domain/views";
import { jamPhase, phaseAllows, phaseRefusal, type JamPhase } from "~/domain/phase";
import { publish } from "~/live/bus";
import { db, preparedQueries, preparedQuery, transaction, type Db } from "~db/client";
import { allWords, anyWord, ideaMatches, rankedIdeas } from "~db/fts";
import { challenges, comments, ideas, votes, type Idea, type Jam } from "~db/schema";
import { Conflict, validate } from "./errors";
import { notifyFollowers } from "./follows.server";
import { award, awardFirstOfDay, recomputeBadges, type LevelUp } from "./gamification.server";
import { checkRateLimit } from "./rate-limiter.server";
import { readableText } from "~/domain/text";
import { authorsById, ideaCards } from "./lookups/idea-cards.server";
import { recordAttachmentsIn, withPreparedFiles, type PreparedUpload } from "./attachments.server";
import { findIdeaForPage, findVisibleChallenge, findVisibleIdea } from "./lookups/visibility.server";
import { fieldsForPost, fieldsOf, filterConditions, validateWithAnswers, writeAnswers } from "./templates.server";
import { parseFilters } from "~/domain/templates";

export const clientKey = z
  .string({ error: "The form expired; reload the page and try again." })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "The form expired; reload the page and try again.");

/**
 * Who an idea counts as when people are counted: its author, but an anonymous
 * idea is a contributor of its own (minus its id, never a user id), so no count
 * shown to anyone depends on whether its author also wrote a named idea, a
 * comment or a vote. `alias` is the SQL name of the ideas table in the query.
 * Join users on it with a LEFT JOIN: an anonymous idea has no department.
 */
export function contributorOf(alias: string): SQL {
  return sql.raw(`CASE WHEN ${alias}.is_anonymous = TRUE THEN -${alias}.id ELSE ${alias}.author_id END`);
}

/** The challenge (and its jam) a route names, if the viewer may see it: for the challenge pages. */
export async function challengeForRoute(viewer: SessionUser, challengeId: number, jamSlug: string) {
  return await findVisibleChallenge(db(), viewer, challengeId, jamSlug);
}

/** The visible idea (and its jam) a route names: for the idea page's actions. */
export async function ideaForRoute(viewer: SessionUser, ideaId: number, jamSlug: string) {
  return await findVisibleIdea(db(), viewer, ideaId, jamSlug);
}

/** Refuses an action the jam's current phase does not allow. */
export function assertPhaseAllows(jam: Jam, action: "postIdea" | "edit" | "comment" | "vote", now: number): JamPhase {
  const phase = jamPhase(jam, now);
  if (!phaseAllows(phase, action)) throw new Conflict(phaseRefusal(phase));
  return phase;
}

export const PostIdeaInput = z.object({
  challengeId: z.coerce.number().int().positive(),
  title: readableText(
    z
      .string({ error: "Give your idea a title." })
      .trim()
      .min(1, "Give your idea a title.")
      .max(LIMITS.ideaTitle, `Keep the title to ${LIMITS.ideaTitle} characters or fewer.`)
  ),
  body: readableText(
    z
      .string()
      .trim()
      .max(LIMITS.ideaBody, `Keep the description to ${LIMITS.ideaBody.toLocaleString("en")} characters or fewer.`),
    { multiline: true },
  )
    .optional()
    .default(""),
  isAnonymous: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
  clientKey,
});

/** A double submit (same author and client key) inserts nothing and returns no row. */
const insertIdea = preparedQuery((conn) =>
  conn
    .insert(ideas)
    .values({
      challengeId: sql.placeholder("challengeId"),
      jamId: sql.placeholder("jamId"),
      authorId: sql.placeholder("authorId"),
      isAnonymous: sql.placeholder("isAnonymous"),
      title: sql.placeholder("title"),
      body: sql.placeholder("body"),
      clientKey: sql.placeholder("clientKey"),
      builtOnId: sql.placeholder("builtOnId"),
      createdAt: sql.placeholder("createdAt"),
    })
    .onConflictDoNothing({ target: [ideas.authorId, ideas.clientKey] })
    .returning({ id: ideas.id })
    .prepare(),
);

/**
 * Posts an idea while the jam is live. The same client key posts once: a double submit returns the
 * first idea (and records none of the files again, nor the answers). Files prepared from the form
 * (attachments.server.ts) are recorded with it in the same transaction, or not at all, and so are
 * its answers to the challenge's idea template (templates.server.ts).
 */
export async function postIdea(actor: SessionUser, input: unknown, meta: { now?: number; attachments?: PreparedUpload[] } = {}) {
  const prepared = meta.attachments ?? [];
  return await withPreparedFiles(prepared, async () => {
    // The idea template's answers are checked with the idea's own fields, in one refusal
    // (a read that joins the caller's transaction when there is one).
    const { data, answers, fields } = await transaction(async (tx) => {
      const fields = await fieldsForPost(tx, actor, (input as { challengeId?: unknown } | null)?.challengeId);
      return { ...validateWithAnswers(PostIdeaInput, input, fields), fields };
    }, { snapshot: true });
    const now = meta.now ?? Date.now();
    await checkRateLimit(actor.id, "idea", now);
    return await transaction(async (tx) => {
      const { challenge, jam } = await findVisibleChallenge(tx, actor, data.challengeId);
      assertPhaseAllows(jam, "postIdea", now);
      const posted = await insertIdeaIn(tx, actor, { challenge, jam, ...data, builtOnId: null }, now);
      if (posted.created) {
        await writeAnswers(tx, posted.id, fields, answers);
        await recordAttachmentsIn(tx, actor, { id: posted.id, jamId: jam.id }, prepared, now);
      }
      return posted;
    });
  });
}

/**
 * Writes a new idea in the caller's transaction, with its points, badges and followers' news
 * (postIdea, and an amendment posted as an idea of its own). The caller checked who may post
 * where and when. The same (author, client key) writes once: a repeat returns the first idea.
 */
export async function insertIdeaIn(
  tx: Db,
  actor: SessionUser,
  data: { challenge: { id: number }; jam: Jam; title: string; body: string; isAnonymous: boolean; clientKey: string; builtOnId: number | null },
  now: number,
) {
  const { challenge, jam } = data;
  const inserted = await insertIdea(tx).get({
    challengeId: challenge.id,
    jamId: jam.id,
    authorId: actor.id,
    isAnonymous: data.isAnonymous,
    title: data.title,
    body: data.body,
    clientKey: data.clientKey,
    builtOnId: data.builtOnId,
    createdAt: now,
  });
  if (inserted) {
    const earned = { actorId: actor.id, jam, subject: `idea:${inserted.id}`, anonymous: data.isAnonymous, now };
    const points =
      await award(tx, { ...earned, earnerId: actor.id, reason: "idea_posted", source: `idea:${inserted.id}` }) +
      await awardFirstOfDay(tx, earned);
    const levelUps = await recomputeBadges(tx, [actor.id], now, ["ideasPosted", "earlyIdeas", "marathonJams"]);
    // People following the author (or a matching theme of this jam) hear about it; never for an anonymous idea.
    await notifyFollowers(
      tx,
      { id: inserted.id, jamId: jam.id, jamSlug: jam.slug, authorId: actor.id, authorName: actor.name, title: data.title, body: data.body, isAnonymous: data.isAnonymous },
      now,
    );
    await publish(tx, jam.id, "idea.created", { ideaId: inserted.id, challengeId: challenge.id });
    if (points > 0) await publish(tx, jam.id, "points.changed", {});
    return { id: inserted.id, created: true, jamSlug: jam.slug, points, levelUps };
  }
  const existing = await tx
    .select({ id: ideas.id })
    .from(ideas)
    .where(and(eq(ideas.authorId, actor.id), eq(ideas.clientKey, data.clientKey)))
    .get();
  if (!existing) throw new Conflict("Your idea could not be saved; please try again.");
  return { id: existing.id, created: false, jamSlug: jam.slug, points: 0, levelUps: [] as LevelUp[] };
}


export const ListIdeasInput = z.object({
  challengeId: z.coerce.number().int().positive(),
  sort: z.enum(SORTS).catch("newest"),
  cursor: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional()
    .catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  /** The page's address parameters, for the idea template's filters (app/domain/templates.ts parseFilters). */
  filters: z.record(z.string(), z.string()).optional().catch(undefined),
});

function parseCursor(cursor: string | undefined): { score: number; id: number } | null {
  if (!cursor) return null;
  const [a, b] = cursor.split(".").map(Number);
  return b === undefined ? { score: 0, id: a! } : { score: a!, id: b };
}

type RankingCounter = (typeof RANKING_COUNTER)[VoteMode];
type PageShape = "newest" | "newest-after" | RankingCounter | `${RankingCounter}-after`;

/**
 * A page of a challenge's visible ideas (one more than a page, to know there is a next one) by
 * newest or by a vote mode's counter, first or after a cursor; searches are built per call.
 */
const challengePage = preparedQueries((conn, shape: PageShape) => {
  const [order, after] = shape.split("-") as ["newest" | RankingCounter, string | undefined];
  const visible = and(eq(ideas.challengeId, sql.placeholder("challengeId")), isNull(ideas.hiddenAt));
  const query = conn.select().from(ideas);
  if (order === "newest") {
    return query
      .where(and(visible, after ? lt(ideas.id, sql.placeholder("id")) : undefined))
      .orderBy(desc(ideas.id))
      .limit(LIMITS.pageSize + 1)
      .prepare();
  }
  const score = ideas[order];
  return query
    .where(and(visible, after ? sql`(${score}, ${ideas.id}) < (${sql.placeholder("score")}, ${sql.placeholder("id")})` : undefined))
    .orderBy(desc(score), desc(ideas.id))
    .limit(LIMITS.pageSize + 1)
    .prepare();
});

/**
 * One page of a challenge's ideas. Every sort reads an index range and stops
 * after a page (keyset pagination), so a 50,000-idea challenge costs the same
 * as a small one.
 */
export async function listChallengeIdeas(viewer: SessionUser, input: unknown, now = Date.now()) {
  const conn = db();
  const data = validate(ListIdeasInput, input);
  const { challenge, jam } = await findVisibleChallenge(conn, viewer, data.challengeId);
  const pageSize = LIMITS.pageSize;
  const cursor = parseCursor(data.cursor);
  const match = data.q ? allWords(data.q) : null;
  const searching = Boolean(data.q && data.q.length > 0);

  let rows: Idea[] = [];
  let nextCursor: string | null = null;
  const base: SQL[] = [eq(ideas.challengeId, challenge.id), isNull(ideas.hiddenAt)];
  if (match) base.push(ideaMatches(match));
  // Filters on the challenge's idea template: each an index range on the answers, read with the page's keyset.
  const fields = await fieldsOf(conn, challenge.id);
  const filters = parseFilters(fields, data.filters ?? {});
  base.push(...await filterConditions(conn, filters));
  const dynamic = Boolean(match) || filters.length > 0;

  if (searching && !match) {
    rows = [];
  } else if (data.sort === "trending") {
    const since = now - TRENDING_WINDOW_MS;
    const recent = sql<number>`count(*)`;
    const having = cursor ? sql`HAVING ${recent} < ${cursor.score} OR (${recent} = ${cursor.score} AND ${votes.ideaId} < ${cursor.id})` : sql``;
    const filter = sql.join(
      [
        ...(match ? [sql`AND ${ideaMatches(match, sql`${votes.ideaId}`)}`] : []),
        ...(await filterConditions(conn, filters, { ideaId: sql`${votes.ideaId}`, listOnly: true })).map((c) => sql`AND ${c}`),
      ],
      sql` `,
    );
    const ranked = await conn.all<{ ideaId: number; recent: number }>(
      sql`SELECT ${votes.ideaId} AS ideaId, ${recent} AS recent FROM ${votes}
          WHERE ${votes.challengeId} = ${challenge.id} AND ${votes.createdAt} >= ${since} ${filter}
          GROUP BY ${votes.ideaId} ${having}
          ORDER BY recent DESC, ideaId DESC LIMIT ${pageSize + 1}`,
    );
    const page = ranked.slice(0, pageSize);
    if (ranked.length > pageSize) nextCursor = `${page.at(-1)!.recent}.${page.at(-1)!.ideaId}`;
    const byId = new Map(
      page.length === 0
        ? []
        : (await conn
            .select()
            .from(ideas)
            .where(and(inArray(ideas.id, page.map((p) => p.ideaId)), isNull(ideas.hiddenAt)))
            .all())
            .map((i) => [i.id, i]),
    );
    rows = page.flatMap((p) => (byId.has(p.ideaId) ? [byId.get(p.ideaId)!] : []));
  } else if (data.sort === "top") {
    // Each mode ranks by its own counter: support votes, agrees, or dots (each has a (challenge, counter, id) index).
    const counter = RANKING_COUNTER[challenge.voteMode];
    const found = dynamic
      ? await conn
          .select()
          .from(ideas)
          .where(and(...base, cursor ? sql`(${ideas[counter]}, ${ideas.id}) < (${cursor.score}, ${cursor.id})` : undefined))
          .orderBy(desc(ideas[counter]), desc(ideas.id))
          .limit(pageSize + 1)
          .all()
      : cursor
        ? await challengePage(conn, `${counter}-after`).all({ challengeId: challenge.id, score: cursor.score, id: cursor.id })
        : await challengePage(conn, counter).all({ challengeId: challenge.id });
    rows = found.slice(0, pageSize);
    if (found.length > pageSize) nextCursor = `${rows.at(-1)![counter]}.${rows.at(-1)!.id}`;
  } else {
    const found = dynamic
      ? await conn
          .select()
          .from(ideas)
          .where(and(...base, cursor ? lt(ideas.id, cursor.id) : undefined))
          .orderBy(desc(ideas.id))
          .limit(pageSize + 1)
          .all()
      : cursor
        ? await challengePage(conn, "newest-after").all({ challengeId: challenge.id, id: cursor.id })
        : await challengePage(conn, "newest").all({ challengeId: challenge.id });
    rows = found.slice(0, pageSize);
    if (found.length > pageSize) nextCursor = String(rows.at(-1)!.id);
  }

  return {
    jam: { id: jam.id, slug: jam.slug, title: jam.title, startsAt: jam.startsAt, endsAt: jam.endsAt, phase: jamPhase(jam, now) },
    challenge: {
      id: challenge.id,
      title: challenge.title,
      question: challenge.question,
      voteMode: challenge.voteMode,
      dotBudget: challenge.dotBudget,
      dotMaxPerIdea: challenge.dotMaxPerIdea,
    },
    sort: data.sort,
    q: data.q ?? "",
    template: { fields, filters },
    ideas: await ideaCards(conn, viewer, rows),
    nextCursor,
    isFirstPage: !cursor,
    // Pinned ideas head the first page of every order, as their own group: the keyset pages are unchanged.
    pinned: !cursor && !searching && filters.length === 0 ? await pinnedIdeas(conn, viewer, challenge.id) : [],
  };
}

const MAX_COMMENTS_SHOWN = 500;

/** An idea with its comment thread, for its page. */
export async function ideaDetail(viewer: SessionUser, ideaId: number, now = Date.now()) {
  const conn = db();
  const { idea, jam } = await findIdeaForPage(conn, viewer, ideaId);
  const hidden = idea.hiddenAt !== null;
  const challenge = (await db()
    .select({ id: challenges.id, title: challenges.title, question: challenges.question, voteMode: challenges.voteMode })
    .from(challenges)
    .where(eq(challenges.id, idea.challengeId))
    .get())!;
  const commentRows = await db()
    .select()
    .from(comments)
    // Hidden comments: facilitators see them all, authors their own (with the reason).
    .where(
      and(
        eq(comments.ideaId, idea.id),
        can(viewer.role, "manageJams") ? undefined : or(isNull(comments.hiddenAt), eq(comments.authorId, viewer.id)),
      ),
    )
    .orderBy(asc(comments.id))
    .limit(MAX_COMMENTS_SHOWN)
    .all();
  const authors = await authorsById(conn, commentRows.map((c) => c.authorId));
  const card = (await ideaCards(conn, viewer, [idea]))[0]!;
  const phase = jamPhase(jam, now);
  return {
    jam: { id: jam.id, slug: jam.slug, title: jam.title, endsAt: jam.endsAt, phase },
    challenge,
    idea: { ...card, body: idea.body, hidden: hidden ? await hiddenNotice(conn, idea) : null },
    comments: commentRows.map(
      (c): CommentView => ({
        id: c.id,
        parentId: c.parentId,
        body: c.body,
        createdAt: c.createdAt,
        author: authors.get(c.authorId) ?? null,
        isMine: c.authorId === viewer.id,
        editedAt: c.editedAt,
        version: c.version,
        hiddenReason: c.hiddenAt === null ? null : (c.hiddenReason ?? ""),
      }),
    ),
    canComment: phaseAllows(phase, "comment") && !hidden,
    canVote: phaseAllows(phase, "vote") && idea.authorId !== viewer.id && !hidden,
  };
}

/** Why an idea is hidden, and the idea it was merged into (if it was), for its author and facilitators. */
async function hiddenNotice(conn: Db, idea: Idea) {
  const kept = idea.mergedIntoId
    ? await conn.select({ id: ideas.id, title: ideas.title }).from(ideas).where(eq(ideas.id, idea.mergedIntoId)).get()
    : undefined;
  return { at: idea.hiddenAt!, reason: idea.hiddenReason ?? "", mergedInto: kept ?? null };
}

const MAX_PINNED = 5;

/** A challenge's pinned ideas, latest pin first (few: facilitators pin a handful). */
const pinnedQuery = preparedQuery((conn) =>
  conn
    .select()
    .from(ideas)
    .where(and(eq(ideas.challengeId, sql.placeholder("challengeId")), isNull(ideas.hiddenAt), isNotNull(ideas.pinnedAt)))
    // Pinned in the same millisecond: the later idea first, as the index holds them (PostgreSQL needs telling).
    .orderBy(desc(ideas.pinnedAt), desc(ideas.id))
    .limit(MAX_PINNED)
    .prepare(),
);

async function pinnedIdeas(conn: Db, viewer: SessionUser, challengeId: number): Promise<IdeaCard[]> {
  return await ideaCards(conn, viewer, await pinnedQuery(conn).all({ challengeId }));
}

export const SimilarInput = z.object({
  challengeId: z.coerce.number().int().positive(),
  text: z.string().max(LIMITS.ideaTitle + LIMITS.ideaBody).catch(""),
});

/**
 * Existing ideas in the challenge that look like what someone is typing, best
 * matches first (db/fts.ts rankedIdeas), so duplicates are caught before they are posted.
 */
export async function similarIdeas(viewer: SessionUser, input: unknown) {
  const conn = db();
  const { challengeId, text } = validate(SimilarInput, input);
  const { challenge, jam } = await findVisibleChallenge(conn, viewer, challengeId);
  const match = anyWord(text);
  if (!match) return [];
  return (await conn
    .all<{ id: number; title: string; voteCount: number }>(
      sql`SELECT i.id, i.title, i.vote_count AS "voteCount"
          FROM ${rankedIdeas(match)} m JOIN ideas i ON i.id = m.id
          WHERE i.challenge_id = ${challenge.id} AND i.hidden_at IS NULL
          ORDER BY m.score, i.id LIMIT 5`,
    ))
    .map((r) => ({ ...r, href: `/jams/${jam.slug}/ideas/${r.id}` }));
}
