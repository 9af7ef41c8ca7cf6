import { and, eq, sql, isNull, lt, desc, type SQL, inArray, isNotNull } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { SORTS, TRENDING_WINDOW_MS } from "~/domain/idea-sort";
import { LIMITS } from "~/domain/limits";
import { jamPhase } from "~/domain/phase";
import { parseFilters } from "~/domain/templates";
import type { IdeaCard } from "~/domain/views";
import { RANKING_COUNTER, type VoteMode } from "~/domain/vote-modes";
import { canManageTemplate, fieldsOf, filterConditions } from "~/services/lookups/templates.server";
import { NotFound, validate } from "~/services/errors";
import { recentAnnouncements } from "~/services/lookups/announcements.server";
import { attachmentFormLimits } from "~/services/lookups/attachments.server";
import { dotsSummary } from "~/services/lookups/dots.server";
import { challengeReviews } from "~/services/pages/reviews.server";
import { ideaCards } from "~/services/lookups/idea-cards.server";
import { findVisibleChallenge } from "~/services/lookups/visibility.server";
import { preparedQueries, db, preparedQuery, type Db } from "~db/client";
import { allWords, ideaMatches } from "~db/fts";
import { ideas, type Idea, votes } from "~db/schema";

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
const ideasPageQuery = preparedQueries((conn, shape: PageShape) => {
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
        ? await ideasPageQuery(conn, `${counter}-after`).all({ challengeId: challenge.id, score: cursor.score, id: cursor.id })
        : await ideasPageQuery(conn, counter).all({ challengeId: challenge.id });
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
        ? await ideasPageQuery(conn, "newest-after").all({ challengeId: challenge.id, id: cursor.id })
        : await ideasPageQuery(conn, "newest").all({ challengeId: challenge.id });
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

/**
 * Everything the challenge page shows, in one call: a page of its ideas (sort, search, template
 * filters and cursor from the address), its latest announcements, the viewer's dots, the reviews
 * the viewer may see, and what the idea form needs. A challenge asked for under another jam's
 * address is not found.
 */
export async function challengePage(viewer: SessionUser, input: { slug: string; challengeId: string | undefined; search: URLSearchParams }) {
  const { search } = input;
  const page = await listChallengeIdeas(viewer, {
    challengeId: input.challengeId,
    sort: search.get("sort") ?? undefined,
    cursor: search.get("cursor") ?? undefined,
    q: search.get("q") ?? undefined,
    filters: Object.fromEntries(search),
  });
  if (page.jam.slug !== input.slug) throw new NotFound("No such challenge.");
  return {
    ...page,
    announcements: await recentAnnouncements(page.jam.id, page.challenge.id, 3),
    dots: page.challenge.voteMode === "dots" ? await dotsSummary(viewer, { challengeId: page.challenge.id }) : null,
    reviews: await challengeReviews(viewer, page.challenge.id),
    canEditTemplate: canManageTemplate(viewer),
    attachmentLimits: attachmentFormLimits(),
  };
}
