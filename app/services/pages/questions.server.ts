/**
 * What the loaders of "Ask the people who know" read (the list, asking, a question, the may-be-asked
 * setting): each obtains the connection with `db()` and hands it down to lookups/questions.server.ts
 * (decision 021); the commands are in commands/questions.server.ts. The permission decisions are
 * made here or below, never in a route.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { QUESTION_TABS, questionStatus, type QuestionStatus } from "~/domain/questions";
import { db } from "~db/client";
import { allWords, questionMatches } from "~db/fts";
import { questionRoutes } from "~db/schema";
import { communitiesToPostIn, communityToPostIn } from "~/services/lookups/community-access.server";
import { NotFound } from "~/services/errors";
import { visibleTheme } from "~/services/lookups/follows.server";
import {
  askedPeople,
  findVisibleQuestion,
  isModerator,
  mayBeAsked,
  readableBy,
  searchQuestions,
  summaryOf,
  SUMMARY_COLUMNS,
} from "~/services/lookups/questions.server";

export const QUESTIONS_PAGE = 20;

export interface QuestionSummary {
  id: number;
  title: string;
  askerName: string;
  createdAt: number;
  answers: number;
  status: QuestionStatus;
  hidden: boolean;
}

export interface SummaryRow {
  id: number;
  title: string;
  askerName: string;
  askerErased: number | null;
  createdAt: number;
  answers: number;
  acceptedAnswerId: number | null;
  hiddenAt: number | null;
}

const ListInput = z.object({
  tab: z.enum(QUESTION_TABS).catch("open"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  q: z.string().trim().max(200).catch(""),
});

/** /questions: mine, asked to me, open, answered; a page at a time; optionally searched. */
export async function questionsListPage(viewer: SessionUser, input: { tab?: string | null; page?: string | null; q?: string | null }) {
  const { tab, page, q } = ListInput.parse({ tab: input.tab ?? undefined, page: input.page ?? undefined, q: input.q ?? "" });
  const conn = db();
  const moderator = isModerator(viewer);
  const match = q ? allWords(q) : null;
  const where = [
    tab === "mine"
      ? sql`q.asker_id = ${viewer.id}`
      : tab === "asked"
        ? sql`q.id IN (SELECT question_id FROM question_routes WHERE user_id = ${viewer.id} AND status = 'asked')`
        : tab === "open"
          ? sql`q.accepted_answer_id IS NULL AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND a.parent_id IS NULL AND a.hidden_at IS NULL)`
          : sql`EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND a.parent_id IS NULL AND a.hidden_at IS NULL)`,
    // A hidden question: to its asker (under "mine") and to moderators only.
    tab === "mine" || moderator ? sql`1 = 1` : sql`q.hidden_at IS NULL`,
    match ? questionMatches(match, sql`q.id`) : sql`1 = 1`,
    // A members-only community's questions: only to the people who may read that community.
    readableBy(viewer.id),
  ];
  const filter = sql.join(where, sql` AND `);
  const total = (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM questions q WHERE ${filter}`))?.n ?? 0;
  const rows = await conn.all<SummaryRow>(sql`SELECT ${SUMMARY_COLUMNS} FROM questions q JOIN users u ON u.id = q.asker_id
    WHERE ${filter} ORDER BY q.id DESC LIMIT ${QUESTIONS_PAGE} OFFSET ${(page - 1) * QUESTIONS_PAGE}`);
  const waiting =
    (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM question_routes r JOIN questions q ON q.id = r.question_id
      WHERE r.user_id = ${viewer.id} AND r.status = 'asked' AND q.hidden_at IS NULL AND q.accepted_answer_id IS NULL
        AND ${readableBy(viewer.id)}`))?.n ?? 0;
  return { tab, page, q, total, pages: Math.max(1, Math.ceil(total / QUESTIONS_PAGE)), questions: rows.map(summaryOf), waitingForMe: waiting };
}

/**
 * The ask form: the theme it is asked from (when the viewer may see it), the community it is asked
 * in (from a community's page: one the viewer is a member of, else not found) or the communities
 * they may choose, and the words to start with.
 */
export async function askPage(viewer: SessionUser, input: { theme?: string | null; q?: string | null; community?: string | null }) {
  const conn = db();
  let community: { id: number; slug: string; title: string; privacy: "open" | "members" } | null = null;
  if (input.community) {
    const id = Number(input.community);
    const found = Number.isInteger(id) && id > 0 ? await communityToPostIn(conn, viewer.id, id) : null;
    if (!found) throw new NotFound("No such community.");
    community = { id: found.id, slug: found.slug, title: found.title, privacy: found.privacy };
  }
  let theme: { id: number; label: string; jamSlug: string } | null = null;
  const themeId = Number(input.theme);
  if (Number.isInteger(themeId) && themeId > 0) {
    try {
      const t = await visibleTheme(conn, viewer, themeId);
      theme = { id: t.id, label: t.label, jamSlug: t.jamSlug };
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
    }
  }
  const q = (input.q ?? "").trim().slice(0, 150);
  return { theme, community, communities: community ? [] : await communitiesToPostIn(conn, viewer.id), title: q, similar: q ? await searchQuestions(conn, q, 5, viewer.id) : [] };
}

export interface AnswerView {
  id: number;
  parentId: number | null;
  author: { id: number; name: string; department: string | null } | null;
  body: string;
  createdAt: number;
  hiddenReason: string | null;
  accepted: boolean;
  isMine: boolean;
  /** Points this answer earned its author (shown on the accepted one). */
  points: number;
  openFlags: number;
}

/** One question with its answers as the viewer may see them. */
export async function questionPage(viewer: SessionUser, id: number) {
  const conn = db();
  const q = await findVisibleQuestion(conn, viewer, id);
  const moderator = isModerator(viewer);
  const isAsker = q.askerId === viewer.id;
  const asker = (await conn.get<{ id: number; name: string; erasedAt: number | null }>(sql`SELECT id, name, erased_at AS erasedAt FROM users WHERE id = ${q.askerId}`))!;
  const community =
    q.communityId !== null ? (await conn.get<{ slug: string; title: string; privacy: "open" | "members" }>(sql`SELECT slug, title, privacy FROM communities WHERE id = ${q.communityId}`) ?? null) : null;
  let theme: { label: string; jamSlug: string } | null = null;
  if (q.themeId !== null) {
    try {
      const t = await visibleTheme(conn, viewer, q.themeId);
      theme = { label: t.label, jamSlug: t.jamSlug };
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
    }
  }
  const rows = await conn.all<{
    id: number;
    parentId: number | null;
    authorId: number;
    name: string;
    erasedAt: number | null;
    department: string | null;
    body: string;
    createdAt: number;
    hiddenAt: number | null;
    hideReason: string | null;
    points: number;
    flags: number;
  }>(sql`SELECT a.id, a.parent_id AS parentId, a.author_id AS authorId, u.name, u.erased_at AS erasedAt, d.name AS department,
      a.body, a.created_at AS createdAt, a.hidden_at AS hiddenAt, a.hide_reason AS hideReason,
      (SELECT coalesce(sum(points), 0) FROM point_entries p WHERE p.subject = 'answer:' || a.id AND p.user_id = a.author_id) AS points,
      (SELECT count(*) FROM question_flags f WHERE f.target_type = 'answer' AND f.target_id = a.id AND f.resolved_at IS NULL) AS flags
    FROM answers a JOIN users u ON u.id = a.author_id LEFT JOIN departments d ON d.id = u.department_id
    WHERE a.question_id = ${q.id} ORDER BY a.id`);
  // Hidden answers, and the replies under them, only to moderators.
  const hiddenIds = new Set(rows.filter((r) => r.hiddenAt !== null).map((r) => r.id));
  const shown = moderator ? rows : rows.filter((r) => r.hiddenAt === null && !(r.parentId !== null && hiddenIds.has(r.parentId)));
  const answerViews: AnswerView[] = shown.map((r) => ({
    id: r.id,
    parentId: r.parentId,
    author: r.erasedAt !== null ? null : { id: r.authorId, name: r.name, department: r.department },
    body: r.body,
    createdAt: r.createdAt,
    hiddenReason: r.hiddenAt !== null ? (r.hideReason ?? "Hidden by a facilitator") : null,
    accepted: q.acceptedAnswerId === r.id,
    isMine: r.authorId === viewer.id,
    points: r.points,
    openFlags: moderator ? r.flags : 0,
  }));
  const myRoute = await conn
    .select({ status: questionRoutes.status })
    .from(questionRoutes)
    .where(and(eq(questionRoutes.questionId, q.id), eq(questionRoutes.userId, viewer.id)))
    .get();
  const visibleAnswers = rows.filter((r) => r.parentId === null && r.hiddenAt === null).length;
  const questionFlags = moderator
    ? ((await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM question_flags WHERE target_type = 'question' AND target_id = ${q.id} AND resolved_at IS NULL`))?.n ?? 0)
    : 0;
  return {
    question: {
      id: q.id,
      title: q.title,
      body: q.body,
      createdAt: q.createdAt,
      hiddenReason: q.hiddenAt !== null ? (q.hideReason ?? "Hidden by a facilitator") : null,
      escalated: q.escalatedAt !== null,
      status: questionStatus({ acceptedAnswerId: q.acceptedAnswerId, answers: visibleAnswers }),
      acceptedAnswerId: q.acceptedAnswerId,
      openFlags: questionFlags,
    },
    theme,
    community,
    asker: asker.erasedAt !== null ? null : { id: asker.id, name: asker.name },
    isAsker,
    moderator,
    // Only the people asked now are named, and only to the asker and the moderators.
    asked: isAsker || moderator ? (await askedPeople(conn, q.id)).map((p) => ({ id: p.id, name: p.name })) : [],
    myRoute: myRoute?.status === "asked" || myRoute?.status === "declined" ? myRoute.status : null,
    answers: answerViews,
    canAnswer: q.hiddenAt === null,
  };
}

export async function mayBeAskedSetting(viewer: SessionUser) {
  return await mayBeAsked(db(), viewer.id);
}
