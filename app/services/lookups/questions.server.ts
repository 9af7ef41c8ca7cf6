import { eq, sql, type SQL, and, inArray } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { type CandidateFacts, rankCandidates, QUESTION_STOP_WORDS, questionStatus } from "~/domain/questions";
import { FORMER_PARTICIPANT } from "~/domain/views";
import type { QuestionRow, RouteCandidate } from "~/services/commands/questions.server";
import { NotFound } from "~/services/errors";
import { mayReadCommunityContent, notPrivateBoxSql, notPrivateCommunitySql, readableCommunitySql } from "~/services/lookups/community-access.server";
import { goToPeople } from "~/services/lookups/network.server";
import type { QuestionSummary, SummaryRow } from "~/services/pages/questions.server";
import { Db } from "~db/client";
import { anyWord, questionMatches, type SearchQuery, eachWord, ideaMatches, allWords } from "~db/fts";
import { jsonListContains, jsonList } from "~db/lists";
import { questions, type Community, questionOptOuts, users, questionRoutes } from "~db/schema";

export function isModerator(viewer: Pick<SessionUser, "role">) {
  return can(viewer.role, "manageJams");
}

/**
 * The question as the viewer may see it: a hidden one only to its asker and moderators, a
 * members-only community's only to the people its guard lets read it (else not found, for anyone).
 */
export async function findVisibleQuestion(conn: Db, viewer: SessionUser, id: number): Promise<QuestionRow> {
  const q = await conn.select().from(questions).where(eq(questions.id, id)).get();
  if (!q) throw new NotFound("No such question.");
  if (!await mayReadCommunityContent(conn, viewer, q.communityId)) throw new NotFound("No such question.");
  if (q.hiddenAt !== null && q.askerId !== viewer.id && !isModerator(viewer)) throw new NotFound("No such question.");
  return q;
}

/**
 * The people to ask about `text`, best first (at most ROUTE_CANDIDATES). Only named, visible ideas
 * in jams that are not drafts count, and only support on them; accepted answers to visible
 * questions on the same words count too. Never the asker, never anyone who opted out of rankings
 * or of being asked, never a deactivated or erased person.
 */
export async function routeCandidates(
  conn: Db,
  asker: SessionUser,
  text: string | { title: string; body: string },
  themeId: number | null = null,
  community: Pick<Community, "id" | "privacy" | "boxJamId"> | null = null,
): Promise<RouteCandidate[]> {
  // What the routing may read: named ideas outside members-only idea boxes, and the box of the
  // community the question is asked in. A members-only box never makes anyone a go-to person
  // for a question outside its community.
  const scope = evidenceScope(community);
  const facts = new Map<number, CandidateFacts>();
  const of = (id: number) => {
    let f = facts.get(id);
    if (!f) facts.set(id, (f = { ideas: 0, crossSupporters: 0, sameSupporters: 0, acceptedAnswers: 0, themeEngagement: 0 }));
    return f;
  };
  // The title says what the question is about; the details route only when its words find nothing.
  const { title, body } = typeof text === "string" ? { title: text, body: "" } : text;
  const titleMatch = anyWord(questionWords(title.slice(0, 300)));
  let match = titleMatch;
  let kept = titleMatch ? await relevantIdeas(conn, titleMatch, scope) : [];
  if (kept.length === 0 && body) {
    match = anyWord(questionWords(`${title} ${body}`.slice(0, 600)));
    kept = match ? await relevantIdeas(conn, match, scope) : [];
  }
  if (match) {
    const matching = sql`SELECT i.id, i.author_id FROM ideas i WHERE ${jsonListContains(sql`i.id`, jsonList(kept))}`;
    for (const r of await conn.all<{ a: number; n: number }>(sql`SELECT m.author_id AS a, count(*) AS n FROM (${matching}) m GROUP BY m.author_id`)) {
      of(r.a).ideas = r.n;
    }
    for (const r of await conn.all<{ a: number; cross: number; same: number }>(sql`
      SELECT a, sum(x) AS cross, sum(1 - x) AS same FROM (
        SELECT DISTINCT m.author_id AS a, v.user_id AS s,
          CASE WHEN su.department_id IS NOT NULL AND au.department_id IS NOT NULL AND su.department_id <> au.department_id THEN 1 ELSE 0 END AS x
        FROM (${matching}) m JOIN votes v ON v.idea_id = m.id
          JOIN users su ON su.id = v.user_id JOIN users au ON au.id = m.author_id
        WHERE v.user_id <> m.author_id AND su.erased_at IS NULL
      ) AS sub GROUP BY a`)) {
      const f = of(r.a);
      f.crossSupporters = r.cross;
      f.sameSupporters = r.same;
    }
    for (const r of await conn.all<{ a: number; n: number }>(sql`
      SELECT a.author_id AS a, count(*) AS n FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
      WHERE ${questionMatches(match, sql`q.id`)}
        AND q.hidden_at IS NULL AND a.hidden_at IS NULL AND a.author_id <> q.asker_id
        AND ${scope.questions}
      GROUP BY a.author_id`)) {
      of(r.a).acceptedAnswers = r.n;
    }
  }
  if (themeId !== null) {
    // goToPeople checks the theme is one the asker may see and counts only named ideas.
    for (const p of await goToPeople(conn, asker, themeId, 10)) of(p.id).themeEngagement = p.engagement;
  }
  // A members-only community's question goes to its members only.
  const membersOnly = community && community.privacy === "members" ? sql`AND ${mayReadCommunity(community.id, sql`u.id`)}` : sql``;
  const eligible = new Map<number, string>();
  const ids = [...facts.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    for (const u of await conn.all<{ id: number; name: string }>(sql`
      SELECT u.id, u.name FROM users u
      WHERE u.id IN ${ids.slice(i, i + 500)} AND u.id <> ${asker.id}
        AND u.hidden_from_rankings = FALSE AND u.deactivated_at IS NULL AND u.erased_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM question_opt_outs o WHERE o.user_id = u.id) ${membersOnly}`))
      eligible.set(u.id, u.name);
  }
  return rankCandidates(
    [...eligible].map(([id, name]) => ({ id, name, facts: facts.get(id)! })),
  );
}

/** The SQL conditions that keep the routing's evidence to what it may read (see routeCandidates). */
function evidenceScope(community: Pick<Community, "id" | "boxJamId"> | null): { ideas: SQL; questions: SQL } {
  const ownBox = community?.boxJamId ?? -1;
  return {
    ideas: sql`(${notPrivateBoxSql("i.jam_id")} OR i.jam_id = ${ownBox})`,
    questions: sql`(${notPrivateCommunitySql("q.community_id")} OR q.community_id = ${community?.id ?? -1})`,
  };
}

/** The words that say what a question is about: without the words every question has ("how", "anyone", "know"…). */
function questionWords(text: string): string {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !QUESTION_STOP_WORDS.has(w.toLowerCase())).join(" ");
}

/** An idea stays in when it is at least this relevant, compared with the most relevant one. */
const RELEVANCE = 0.6;

/** Named, visible ideas in jams that are not drafts, within the routing's scope: the only ones routing ever reads. */
const namedIdeas = (scope: { ideas: SQL }) =>
  sql`SELECT i.id FROM ideas i JOIN jams j ON j.id = i.jam_id WHERE i.hidden_at IS NULL AND i.is_anonymous = FALSE AND j.is_draft = FALSE AND ${scope.ideas}`;

/**
 * The ideas the question is really about: each named idea is as relevant as the rarity of the
 * question's words it uses (a word few ideas use says more than one many use), and only those
 * close to the most relevant one stay. So "How do I keep sourdough fresh?" routes on the ideas
 * about sourdough, not on everything that says "fresh". Rarity is counted over named, visible
 * ideas only: an anonymous idea never changes the routing, so the routing says nothing about it.
 */
async function relevantIdeas(conn: Db, match: SearchQuery, scope: { ideas: SQL }): Promise<number[]> {
  const NAMED_IDEAS = namedIdeas(scope);
  const total = (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM (${NAMED_IDEAS}) AS named`))?.n ?? 0;
  const relevance = new Map<number, number>();
  for (const word of eachWord(match)) {
    const ids = (await conn
      .all<{ id: number }>(sql`SELECT named.id FROM (${NAMED_IDEAS}) AS named WHERE ${ideaMatches(word, sql`named.id`)}`))
      .map((r) => r.id);
    if (ids.length === 0) continue;
    const weight = Math.log(1 + total / ids.length);
    for (const id of ids) relevance.set(id, (relevance.get(id) ?? 0) + weight);
  }
  const best = Math.max(0, ...relevance.values());
  return [...relevance].filter(([, r]) => r >= best * RELEVANCE).map(([id]) => id);
}

/** Whether the person may be routed questions (a setting beside their notification settings). */
export async function mayBeAsked(conn: Db, userId: number): Promise<boolean> {
  return !await conn.select({ userId: questionOptOuts.userId }).from(questionOptOuts).where(eq(questionOptOuts.userId, userId)).get();
}

/** The ids of the people a question is routed to now (asked), for tests and the page. */
export async function askedPeople(conn: Db, questionId: number) {
  return await conn
    .select({ id: users.id, name: users.name, status: questionRoutes.status })
    .from(questionRoutes)
    .innerJoin(users, eq(users.id, questionRoutes.userId))
    .where(and(eq(questionRoutes.questionId, questionId), inArray(questionRoutes.status, ["asked"])))
    .orderBy(questionRoutes.position)
    .all();
}

/**
 * The person `personId` (a column) may read what is in community `communityId` (a known id, or
 * null: no community, readable by all). Decided in JS for null, and the id is bound with its
 * type: PostgreSQL cannot tell the type of a bare parameter tested with IS NULL.
 */
export function mayReadCommunity(communityId: number | null, personId: SQL): SQL {
  return communityId === null ? sql`1 = 1` : readableCommunitySql(sql`CAST(${communityId} AS INTEGER)`, personId);
}

/**
 * Questions whose words (title, details or accepted answer) match `query`, visible ones only,
 * newest first. What "who knows about …?" shows beside the people, so the next person finds them.
 * A members-only community's questions only to a viewer who may read them (none without a viewer).
 */
export async function searchQuestions(conn: Db, query: string, limit = 10, viewerId: number | null = null): Promise<QuestionSummary[]> {
  const match = allWords(query.slice(0, 200));
  if (!match) return [];
  return (await conn
    .all<SummaryRow>(sql`SELECT ${SUMMARY_COLUMNS} FROM questions q JOIN users u ON u.id = q.asker_id
      WHERE ${questionMatches(match, sql`q.id`)} AND q.hidden_at IS NULL
        AND ${readableBy(viewerId)}
      ORDER BY q.accepted_answer_id IS NULL, q.id DESC LIMIT ${limit}`))
    .map(summaryOf);
}

/** Visible questions asked from one published theme that the viewer may read, newest first (a community kept alive from it lists them). */
export async function questionsOfTheme(conn: Db, viewer: Pick<SessionUser, "id">, themeId: number, limit = 10): Promise<QuestionSummary[]> {
  return (await conn
    .all<SummaryRow>(sql`SELECT ${SUMMARY_COLUMNS} FROM questions q JOIN users u ON u.id = q.asker_id
      WHERE q.theme_id = ${themeId} AND q.hidden_at IS NULL AND ${readableBy(viewer.id)}
      ORDER BY q.id DESC LIMIT ${limit}`))
    .map(summaryOf);
}

/** Visible questions asked in one community, newest first (for its page; the caller checked the viewer may read it). */
export async function questionsOfCommunity(conn: Db, communityId: number, limit = 10): Promise<QuestionSummary[]> {
  return (await conn
    .all<SummaryRow>(sql`SELECT ${SUMMARY_COLUMNS} FROM questions q JOIN users u ON u.id = q.asker_id
      WHERE q.community_id = ${communityId} AND q.hidden_at IS NULL
      ORDER BY q.id DESC LIMIT ${limit}`))
    .map(summaryOf);
}

export function summaryOf(r: SummaryRow): QuestionSummary {
  return {
    id: r.id,
    title: r.title,
    askerName: r.askerErased !== null ? FORMER_PARTICIPANT : r.askerName,
    createdAt: r.createdAt,
    answers: r.answers,
    status: questionStatus({ acceptedAnswerId: r.acceptedAnswerId, answers: r.answers }),
    hidden: r.hiddenAt !== null,
  };
}

export const SUMMARY_COLUMNS = sql`q.id, q.title, u.name AS askerName, u.erased_at AS askerErased, q.created_at AS createdAt,
  q.accepted_answer_id AS acceptedAnswerId, q.hidden_at AS hiddenAt,
  (SELECT count(*) FROM answers a WHERE a.question_id = q.id AND a.parent_id IS NULL AND a.hidden_at IS NULL) AS answers`;

/** Which community questions a list may show: those the viewer may read, or (no viewer given) those of open communities only. */
export function readableBy(viewerId: number | null) {
  return viewerId === null ? notPrivateCommunitySql("q.community_id") : readableCommunitySql(sql`q.community_id`, viewerId);
}
