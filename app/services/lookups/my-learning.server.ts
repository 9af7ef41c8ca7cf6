/**
 * A person's own learning network on /network/me: the people they learned from (and who learned
 * from them), their communities, communities to join and the suggestions they dismissed.
 *
 * Read-only lookups over questions, amendments, co-authors, build-ons and communities, plus one
 * command of its own ("not interested"). Every lookup takes the connection first (decision 021)
 * and reads only the viewer's own rows through their indexes (an ordered join, db/dialect.ts, keeps the viewer's rows
 * the outer loop where SQLite would otherwise walk a whole jam's ideas), so the page costs the
 * same on a company of any size. The rules:
 * - an anonymous idea never appears and never counts, either way (not even as a number): naming
 *   who changed or built on it would point at its author;
 * - an erased person is "Former participant", never named and never linked (decision 017);
 * - hidden (moderated) content, content of a draft jam and a members-only community's idea box the
 *   viewer may no longer read are never linked, and someone else's such idea is not named.
 */
import { and, eq, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { FORMER_PARTICIPANT } from "~/domain/views";
import { type Db } from "~db/client";
import { orderedJoin } from "~db/dialect";
import { networkDismissals } from "~db/schema";
import { readableCommunitySql, readableJamSql } from "~/services/lookups/community-access.server";

export type LearnedKind = "answer" | "amendment" | "coauthor" | "builtOn";

export interface LearnedItem {
  kind: LearnedKind;
  at: number;
  /** The question or idea it is about; null when it may not be named to the viewer (someone else's hidden or unreadable idea). */
  title: string | null;
  /** Where to read it, when the viewer still may (never hidden content). */
  href: string | null;
}

export interface LearnedPerson {
  /** Null for an erased person ("Former participant", no link). */
  person: { id: number; name: string; department: string | null } | null;
  latest: number;
  items: LearnedItem[];
  /** Items beyond those listed. */
  more: number;
}

/** People listed, and items per person, on the page. */
export const LEARNED_PEOPLE_SHOWN = 30;

export const LEARNED_ITEMS_SHOWN = 4;

export const LEARNED_FROM_ME_SHOWN = 8;

interface Row {
  personId: number;
  at: number | null;
  title: string;
  /** 1 when the viewer may open it. */
  readable: number | boolean | null;
  /** 1 when the title may be shown even if unreadable (the viewer's own question or idea). */
  own: number;
  questionId: number | null;
  answerId: number | null;
  ideaId: number | null;
  jamSlug: string | null;
}

/** A SQL condition: the idea `i` in jam `j` is open to the viewer (visible, not in a draft for them, a box they may read). */
function readableIdeaSql(viewer: SessionUser) {
  const drafts = can(viewer.role, "seeDraftJams") ? sql`TRUE` : sql`j.is_draft = FALSE`;
  return sql`(i.hidden_at IS NULL AND ${drafts} AND ${readableJamSql("i.jam_id", viewer.id)})`;
}

async function rowsOf(conn: Db, viewer: SessionUser, direction: "from" | "to"): Promise<{ kind: LearnedKind; row: Row }[]> {
  const me = viewer.id;
  const readableIdea = readableIdeaSql(viewer);
  const out: { kind: LearnedKind; row: Row }[] = [];
  const push = (kind: LearnedKind, rows: Row[]) => {
    for (const row of rows) if (row.personId !== me) out.push({ kind, row });
  };
  if (direction === "from") {
    // Answers I accepted to my questions.
    push(
      "answer",
      await conn.all<Row>(sql`
        SELECT a.author_id AS personId, q.accepted_at AS at, q.title, 1 AS own,
          (q.hidden_at IS NULL AND a.hidden_at IS NULL AND ${readableCommunitySql("q.community_id", me)}) AS readable, q.id AS questionId, a.id AS answerId, NULL AS ideaId, NULL AS jamSlug
        FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
        WHERE q.asker_id = ${me}`),
    );
    // Changes others proposed that were accepted into my ideas (whoever of us accepted them), or
    // that I accepted into an idea I co-write (never an anonymous idea).
    push(
      "amendment",
      await conn.all<Row>(sql`
        SELECT am.proposer_id AS personId, am.decided_at AS at, i.title, 1 AS own, ${readableIdea} AS readable,
          NULL AS questionId, NULL AS answerId, i.id AS ideaId, j.slug AS jamSlug
        FROM (SELECT id FROM ideas WHERE author_id = ${me} AND is_anonymous = FALSE
              UNION SELECT idea_id FROM idea_coauthors WHERE user_id = ${me} AND status = 'accepted') mine
        JOIN idea_amendments am ON am.idea_id = mine.id AND am.status = 'accepted'
        JOIN ideas i ON i.id = am.idea_id AND i.is_anonymous = FALSE
        JOIN jams j ON j.id = i.jam_id
        WHERE i.author_id = ${me} OR am.decided_by_id = ${me}`),
    );
    // Co-authors: the people who write my ideas with me, and the authors and co-authors of ideas I co-write.
    push(
      "coauthor",
      await conn.all<Row>(sql`
        SELECT c.user_id AS personId, coalesce(c.responded_at, c.invited_at) AS at, i.title, 1 AS own, ${readableIdea} AS readable,
          NULL AS questionId, NULL AS answerId, i.id AS ideaId, j.slug AS jamSlug
        FROM ideas i JOIN idea_coauthors c ON c.idea_id = i.id AND c.status = 'accepted' JOIN jams j ON j.id = i.jam_id
        WHERE i.author_id = ${me} AND i.is_anonymous = FALSE
        UNION ALL
        SELECT other.person AS personId, coalesce(mine.responded_at, mine.invited_at) AS at, i.title, 1 AS own, ${readableIdea} AS readable,
          NULL, NULL, i.id, j.slug
        FROM idea_coauthors mine
        JOIN ideas i ON i.id = mine.idea_id AND i.is_anonymous = FALSE
        JOIN jams j ON j.id = i.jam_id
        JOIN (SELECT id AS idea_id, author_id AS person FROM ideas WHERE id IN (SELECT idea_id FROM idea_coauthors WHERE user_id = ${me} AND status = 'accepted')
              UNION SELECT idea_id, user_id FROM idea_coauthors WHERE status = 'accepted'
                AND idea_id IN (SELECT idea_id FROM idea_coauthors WHERE user_id = ${me} AND status = 'accepted')) other
          ON other.idea_id = i.id
        WHERE mine.user_id = ${me} AND mine.status = 'accepted'`),
    );
    // Ideas of mine built on someone's idea (decision 026: ideas.built_on_id).
    push(
      "builtOn",
      await conn.all<Row>(sql`
        SELECT i.author_id AS personId, mine.created_at AS at, i.title, 0 AS own, ${readableIdea} AS readable,
          NULL AS questionId, NULL AS answerId, i.id AS ideaId, j.slug AS jamSlug
        FROM ideas mine
        ${orderedJoin()} ideas i ON i.id = mine.built_on_id AND i.is_anonymous = FALSE
        ${orderedJoin()} jams j ON j.id = i.jam_id
        WHERE mine.author_id = ${me} AND mine.built_on_id IS NOT NULL AND mine.is_anonymous = FALSE`),
    );
  } else {
    // My answers others accepted.
    push(
      "answer",
      await conn.all<Row>(sql`
        SELECT q.asker_id AS personId, q.accepted_at AS at, q.title, 0 AS own,
          (q.hidden_at IS NULL AND a.hidden_at IS NULL AND ${readableCommunitySql("q.community_id", me)}) AS readable, q.id AS questionId, a.id AS answerId, NULL AS ideaId, NULL AS jamSlug
        FROM answers a JOIN questions q ON q.id = a.question_id AND q.accepted_answer_id = a.id
        WHERE a.author_id = ${me}`),
    );
    // My changes accepted into someone's (named) idea: its author learned from me.
    push(
      "amendment",
      await conn.all<Row>(sql`
        SELECT i.author_id AS personId, am.decided_at AS at, i.title, 0 AS own, ${readableIdea} AS readable,
          NULL AS questionId, NULL AS answerId, i.id AS ideaId, j.slug AS jamSlug
        FROM idea_amendments am
        JOIN ideas i ON i.id = am.idea_id AND i.is_anonymous = FALSE
        JOIN jams j ON j.id = i.jam_id
        WHERE am.proposer_id = ${me} AND am.status = 'accepted'`),
    );
    // Named ideas built on my named ideas.
    push(
      "builtOn",
      await conn.all<Row>(sql`
        SELECT i.author_id AS personId, i.created_at AS at, i.title, 0 AS own, ${readableIdea} AS readable,
          NULL AS questionId, NULL AS answerId, i.id AS ideaId, j.slug AS jamSlug
        FROM ideas mine
        ${orderedJoin()} ideas i ON i.built_on_id = mine.id AND i.built_on_id IS NOT NULL AND i.is_anonymous = FALSE
        ${orderedJoin()} jams j ON j.id = i.jam_id
        WHERE mine.author_id = ${me} AND mine.is_anonymous = FALSE`),
    );
  }
  return out;
}

function item(kind: LearnedKind, r: Row): LearnedItem {
  const readable = Boolean(r.readable);
  const href = !readable
    ? null
    : r.questionId !== null
      ? `/questions/${r.questionId}${r.answerId !== null ? `#answer-${r.answerId}` : ""}`
      : r.ideaId !== null && r.jamSlug !== null
        ? `/jams/${r.jamSlug}/ideas/${r.ideaId}`
        : null;
  return { kind, at: r.at ?? 0, title: readable || r.own === 1 ? r.title : null, href };
}

/** Rows grouped per person (erased people together as one "Former participant"), most recent first. */
async function group(conn: Db, rows: { kind: LearnedKind; row: Row }[], itemsShown: number): Promise<LearnedPerson[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.row.personId))];
  const people = new Map<number, { name: string; department: string | null; erased: boolean }>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const p of await conn.all<{ id: number; name: string; department: string | null; erased: number | null }>(sql`
      SELECT u.id, u.name, d.name AS department, u.erased_at AS erased FROM users u LEFT JOIN departments d ON d.id = u.department_id
      WHERE u.id IN (${sql.join(
        ids.slice(i, i + 500).map((id) => sql`${id}`),
        sql`, `,
      )})`))
      people.set(p.id, { name: p.name, department: p.department, erased: p.erased !== null });
  }
  const groups = new Map<number, { person: LearnedPerson["person"]; items: LearnedItem[] }>();
  const ERASED = -1;
  for (const { kind, row } of rows) {
    const p = people.get(row.personId);
    if (!p) continue;
    const key = p.erased ? ERASED : row.personId;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { person: p.erased ? null : { id: row.personId, name: p.name, department: p.department }, items: [] }));
    g.items.push(item(kind, row));
  }
  return [...groups.values()]
    .map((g) => {
      const items = g.items.sort((a, b) => b.at - a.at);
      return { person: g.person, latest: items[0]!.at, items: items.slice(0, itemsShown), more: Math.max(0, items.length - itemsShown) };
    })
    .sort((a, b) => b.latest - a.latest || (a.person?.name ?? "~").localeCompare(b.person?.name ?? "~"));
}

/** The people the viewer learned from: answers they accepted, changes accepted into their ideas, co-authors, ideas they built on. */
export async function learnedFrom(conn: Db, viewer: SessionUser) {
  const all = await group(conn, await rowsOf(conn, viewer, "from"), LEARNED_ITEMS_SHOWN);
  return { people: all.slice(0, LEARNED_PEOPLE_SHOWN), total: all.length };
}

/** The other way, small: who accepted the viewer's answers and changes, and who built on their ideas. */
export async function learnedFromMe(conn: Db, viewer: SessionUser) {
  const all = await group(conn, await rowsOf(conn, viewer, "to"), 1);
  return { people: all.slice(0, LEARNED_FROM_ME_SHOWN), total: all.length };
}

// ---------------------------------------------------------------- communities

export interface MyCommunity {
  id: number;
  slug: string;
  title: string;
  purpose: string;
  privacy: "open" | "members";
  role: "steward" | "member" | "invited" | "requested";
  members: number;
}

const ROLE_ORDER = { steward: 0, member: 1, invited: 2, requested: 3 } as const;

/** The communities the viewer runs, belongs to, is invited to or asked to join (running ones). */
export async function myCommunities(conn: Db, viewer: SessionUser): Promise<MyCommunity[]> {
  const rows = await conn.all<Omit<MyCommunity, "role" | "members"> & { state: string | null; steward: number | boolean }>(sql`
    SELECT c.id, c.slug, c.title, c.purpose, c.privacy, m.state, c.steward_id = ${viewer.id} AS steward
    FROM communities c LEFT JOIN community_members m ON m.community_id = c.id AND m.user_id = ${viewer.id}
    WHERE c.status = 'active' AND (m.state IN ('member', 'invited', 'requested') OR c.steward_id = ${viewer.id})`);
  if (rows.length === 0) return [];
  const counts = await memberCounts(
    conn,
    rows.map((r) => r.id),
  );
  return rows
    .map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      purpose: r.purpose,
      privacy: r.privacy,
      role: (Boolean(r.steward) ? "steward" : r.state) as MyCommunity["role"],
      members: counts.get(r.id) ?? 0,
    }))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.title.localeCompare(b.title));
}

async function memberCounts(conn: Db, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  return new Map(
    (await conn
      .all<{ id: number; n: number }>(sql`
        SELECT community_id AS id, count(*) AS n FROM community_members
        WHERE state = 'member' AND community_id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}) GROUP BY community_id`))
      .map((r) => [r.id, r.n]),
  );
}

export interface SuggestedCommunity {
  id: number;
  slug: string;
  title: string;
  purpose: string;
  members: number;
  /** Why it is suggested, one line each, strongest first. */
  reasons: string[];
}

/** Communities suggested at most. */
export const COMMUNITIES_SUGGESTED = 6;

/**
 * Open, running communities the viewer has no part in (never invited, asked, declined, removed or
 * left) and did not dismiss, suggested from the themes of their named ideas (more when those ideas
 * drew reactions: their go-to topics), questions they answered on the theme, the themes they
 * follow and the people they follow who are members. A members-only community is never suggested.
 */
export async function communitiesToJoin(conn: Db, viewer: SessionUser): Promise<{ suggestions: SuggestedCommunity[]; dismissed: number }> {
  const me = viewer.id;
  const dismissed = (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM network_dismissals WHERE user_id = ${me} AND kind = 'community'`))?.n ?? 0;
  const candidates = await conn.all<{ id: number; slug: string; title: string; purpose: string; themeId: number | null; versionId: number | null; label: string | null }>(sql`
    SELECT c.id, c.slug, c.title, c.purpose, c.theme_id AS themeId, t.version_id AS versionId, t.label
    FROM communities c LEFT JOIN themes t ON t.id = c.theme_id
    WHERE c.status = 'active' AND c.privacy = 'open'
      AND NOT EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = ${me})
      AND c.steward_id <> ${me}
      AND NOT EXISTS (SELECT 1 FROM network_dismissals d WHERE d.user_id = ${me} AND d.kind = 'community' AND d.target_id = c.id)`);
  if (candidates.length === 0) return { suggestions: [], dismissed };
  const score = new Map<number, { points: number; reasons: string[] }>();
  const add = (id: number, points: number, reason: string) => {
    const s = score.get(id) ?? { points: 0, reasons: [] };
    s.points += points;
    s.reasons.push(reason);
    score.set(id, s);
  };
  const themed = candidates.filter((c) => c.themeId !== null && c.versionId !== null);
  const byId = new Map(candidates.map((c) => [c.id, c]));
  if (themed.length > 0) {
    // My named, visible ideas in the community's theme (or its sub-themes), and the reactions they drew.
    const contributions = await conn.all<{ id: number; ideas: number; reactions: number }>(sql`
      SELECT cand.id, count(DISTINCT i.id) AS ideas, sum(i.vote_count + i.comment_count) AS reactions
      FROM (${sql.join(
        themed.map((c) => sql`SELECT CAST(${c.id} AS INTEGER) AS id, CAST(${c.themeId} AS INTEGER) AS themeId, CAST(${c.versionId} AS INTEGER) AS versionId`),
        sql` UNION ALL `,
      )}) cand
      JOIN theme_ideas ti ON ti.version_id = cand.versionId AND ti.excluded = FALSE
        AND ti.idea_id IN (SELECT id FROM ideas WHERE author_id = ${me} AND is_anonymous = FALSE AND hidden_at IS NULL)
      JOIN themes t ON t.id = ti.theme_id AND (t.id = cand.themeId OR t.parent_id = cand.themeId)
      JOIN ideas i ON i.id = ti.idea_id
      GROUP BY cand.id`);
    for (const c of contributions) {
      const label = byId.get(c.id)!.label;
      if (c.reactions > 0) add(c.id, 4 + c.ideas, `Your ideas on “${label}” drew ${c.reactions === 1 ? "1 vote or comment" : `${c.reactions} votes and comments`}`);
      else add(c.id, 3 + c.ideas, `You posted ${c.ideas === 1 ? "an idea" : `${c.ideas} ideas`} on “${label}”`);
    }
    const themeIds = themed.map((c) => sql`${c.themeId}`);
    const answered = new Set(
      (await conn
        .all<{ themeId: number }>(sql`
          SELECT DISTINCT q.theme_id AS themeId FROM answers a JOIN questions q ON q.id = a.question_id
          WHERE a.author_id = ${me} AND a.hidden_at IS NULL AND q.hidden_at IS NULL AND q.theme_id IN (${sql.join(themeIds, sql`, `)})`))
        .map((r) => r.themeId),
    );
    const followed = new Set(
      (await conn
        .all<{ themeId: number }>(sql`
          SELECT target_id AS themeId FROM follows WHERE follower_id = ${me} AND target_type = 'theme' AND target_id IN (${sql.join(themeIds, sql`, `)})`))
        .map((r) => r.themeId),
    );
    for (const c of themed) {
      if (answered.has(c.themeId!)) add(c.id, 2, `You answered a question on “${c.label}”`);
      if (followed.has(c.themeId!)) add(c.id, 3, `You follow the theme “${c.label}”`);
    }
  }
  // People I follow who are members (open communities show their members to everyone).
  const friends = await conn.all<{ id: number; n: number; name: string }>(sql`
    SELECT m.community_id AS id, count(*) AS n, min(u.name) AS name
    FROM follows f JOIN community_members m ON m.user_id = f.target_id AND m.state = 'member'
    JOIN users u ON u.id = f.target_id AND u.erased_at IS NULL
    WHERE f.follower_id = ${me} AND f.target_type = 'person'
    GROUP BY m.community_id`);
  for (const f of friends) {
    if (!byId.has(f.id)) continue;
    add(f.id, f.n, f.n === 1 ? `${f.name}, whom you follow, is a member` : `${f.name} and ${f.n - 1 === 1 ? "1 other" : `${f.n - 1} others`} you follow are members`);
  }
  const best = [...score.entries()]
    .sort((a, b) => b[1].points - a[1].points || byId.get(a[0])!.title.localeCompare(byId.get(b[0])!.title))
    .slice(0, COMMUNITIES_SUGGESTED);
  const counts = await memberCounts(
    conn,
    best.map(([id]) => id),
  );
  return {
    suggestions: best.map(([id, s]) => {
      const c = byId.get(id)!;
      return { id, slug: c.slug, title: c.title, purpose: c.purpose, members: counts.get(id) ?? 0, reasons: s.reasons };
    }),
    dismissed,
  };
}

/** The people the viewer dismissed from "people you should meet". */
export async function dismissedPeople(conn: Db, viewer: SessionUser): Promise<Set<number>> {
  return new Set(
    (await conn
      .select({ id: networkDismissals.targetId })
      .from(networkDismissals)
      .where(and(eq(networkDismissals.userId, viewer.id), eq(networkDismissals.kind, "person")))
      .all())
      .map((r) => r.id),
  );
}

export { FORMER_PARTICIPANT };
