/**
 * Communities of practice (page services): the directory and a community's page. Each takes the
 * viewer and decides what they may see here, in one place.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { db, type Db } from "~db/client";
import { containsText } from "~db/like";
import { comments, communities, communityMembers, communityResources, departments, ideas, jams, users, type Community } from "~db/schema";
import { canSeeCommunity, communityBySlug, inviteeCandidates, seedableJams } from "~/services/lookups/communities.server";
import { canReadCommunity } from "~/services/lookups/community-access.server";
import { NotFound } from "~/services/errors";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { questionsOfCommunity, questionsOfTheme } from "~/services/lookups/questions.server";
import { jelliesOfCommunity, jelliesOfTheme } from "~/services/lookups/jellies.server";

/** The first of each id, in order. */
function onceEach<T extends { id: number }>(rows: T[]): T[] {
  const seen = new Set<number>();
  return rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

export const DIRECTORY_PAGE = 12;

export const DIGEST_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export type DirectoryTab = "mine" | "open" | "proposals";

export interface CommunitySummary {
  id: number;
  slug: string;
  title: string;
  purpose: string;
  privacy: "open" | "members";
  status: "proposed" | "active" | "declined";
  members: number;
  myState: string | null;
  declineReason: string | null;
}

async function summaries(conn: Db, viewer: SessionUser, rows: Community[]): Promise<CommunitySummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const counts = new Map(
    (await conn
      .select({ id: communityMembers.communityId, n: sql<number>`count(*)` })
      .from(communityMembers)
      .where(and(inArray(communityMembers.communityId, ids), eq(communityMembers.state, "member")))
      .groupBy(communityMembers.communityId)
      .all())
      .map((r) => [r.id, r.n]),
  );
  const mine = new Map(
    (await conn
      .select({ id: communityMembers.communityId, state: communityMembers.state })
      .from(communityMembers)
      .where(and(inArray(communityMembers.communityId, ids), eq(communityMembers.userId, viewer.id)))
      .all())
      .map((r) => [r.id, r.state]),
  );
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    purpose: r.purpose,
    privacy: r.privacy,
    status: r.status,
    members: counts.get(r.id) ?? 0,
    myState: mine.get(r.id) ?? null,
    // A decline's reason is for its proposer and the deciders.
    declineReason: r.proposedBy === viewer.id || can(viewer.role, "manageJams") ? r.declineReason : null,
  }));
}

/**
 * The directory, a tab at a time, newest first with an id cursor: "mine" (communities I belong to,
 * am invited to or asked to join, and my proposals), "open" (every running community: members-only
 * ones show their name and purpose only) and "proposals" (waiting for a decision: facilitators and admins).
 */
export async function communityDirectory(viewer: SessionUser, input: { tab?: unknown; q?: unknown; cursor?: unknown }) {
  const conn = db();
  const canDecide = can(viewer.role, "manageJams");
  const tab: DirectoryTab = input.tab === "mine" || (input.tab === "proposals" && canDecide) ? (input.tab as DirectoryTab) : "open";
  const q = typeof input.q === "string" ? input.q.trim().slice(0, 100) : "";
  const cursor = typeof input.cursor === "string" && /^\d{1,12}$/.test(input.cursor) ? Number(input.cursor) : null;
  const where = [
    tab === "open"
      ? eq(communities.status, "active")
      : tab === "proposals"
        ? eq(communities.status, "proposed")
        : or(
            eq(communities.proposedBy, viewer.id),
            sql`${communities.id} IN (SELECT community_id FROM community_members WHERE user_id = ${viewer.id} AND state IN ('member', 'invited', 'requested'))`,
          ),
    q ? or(containsText(communities.title, q), containsText(communities.purpose, q)) : undefined,
    cursor ? lt(communities.id, cursor) : undefined,
  ];
  const rows = (await conn
    .select()
    .from(communities)
    .where(and(...where))
    .orderBy(desc(communities.id))
    .limit(DIRECTORY_PAGE + 1)
    .all())
    .filter((r) => canSeeCommunity(viewer, r));
  const page = rows.slice(0, DIRECTORY_PAGE);
  const pending =
    (await conn
      .select({ n: sql<number>`count(*)` })
      .from(communityMembers)
      .where(and(eq(communityMembers.userId, viewer.id), eq(communityMembers.state, "invited")))
      .get())?.n ?? 0;
  const proposals = canDecide ? ((await conn.select({ n: sql<number>`count(*)` }).from(communities).where(eq(communities.status, "proposed")).get())?.n ?? 0) : 0;
  return {
    tab,
    q,
    communities: await summaries(conn, viewer, page),
    nextCursor: rows.length > DIRECTORY_PAGE ? String(page.at(-1)!.id) : null,
    isFirstPage: cursor === null,
    canDecide,
    pendingInvitations: pending,
    proposals,
  };
}

/**
 * What happened in a community in [since, until): new ideas in its box, comments, new members, the
 * questions asked in it and those answered, new resources, and its jellies coming after `until`
 * (visible ones only). An anonymous idea counts as an idea and is listed without its author; the
 * page's "This week" and the weekly digest e-mail both read this. The caller checked who may read it.
 */
export async function communityDigest(conn: Db, community: Community, since: number, until = Number.MAX_SAFE_INTEGER, now = Math.min(until, Date.now())) {
  const jamId = community.boxJamId ?? -1;
  const inWindow = (col: SQLiteColumn) => and(gte(col, since), lt(col, until));
  const newIdeas = await conn
    .select({ id: ideas.id, title: ideas.title, createdAt: ideas.createdAt, authorName: sql<string | null>`CASE WHEN ${ideas.isAnonymous} = TRUE OR ${users.erasedAt} IS NOT NULL THEN NULL ELSE ${users.name} END` })
    .from(ideas)
    .innerJoin(users, eq(users.id, ideas.authorId))
    .where(and(eq(ideas.jamId, jamId), isNull(ideas.hiddenAt), inWindow(ideas.createdAt)))
    .orderBy(desc(ideas.id))
    .limit(5)
    .all();
  const ideaCount = (await conn.select({ n: sql<number>`count(*)` }).from(ideas).where(and(eq(ideas.jamId, jamId), isNull(ideas.hiddenAt), inWindow(ideas.createdAt))).get())?.n ?? 0;
  const commentCount =
    (await conn
      .select({ n: sql<number>`count(*)` })
      .from(comments)
      .innerJoin(ideas, eq(ideas.id, comments.ideaId))
      .where(and(eq(ideas.jamId, jamId), isNull(comments.hiddenAt), isNull(ideas.hiddenAt), inWindow(comments.createdAt)))
      .get())?.n ?? 0;
  const joined = await conn
    .select({ id: users.id, name: users.name })
    .from(communityMembers)
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .where(and(eq(communityMembers.communityId, community.id), eq(communityMembers.state, "member"), inWindow(communityMembers.joinedAt), isNull(users.erasedAt)))
    .orderBy(desc(communityMembers.joinedAt), asc(users.id))
    .all();
  const asked = await conn.all<{ id: number; title: string }>(sql`SELECT id, title FROM questions
    WHERE community_id = ${community.id} AND hidden_at IS NULL AND created_at >= ${since} AND created_at < ${until} ORDER BY id DESC`);
  const answered = await conn.all<{ id: number; title: string }>(sql`SELECT q.id, q.title FROM questions q
    WHERE q.community_id = ${community.id} AND q.hidden_at IS NULL
      AND EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND a.parent_id IS NULL AND a.hidden_at IS NULL AND a.created_at >= ${since} AND a.created_at < ${until})
    ORDER BY q.id DESC`);
  const jelliesProposed =
    (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM jellies WHERE community_id = ${community.id} AND created_at >= ${since} AND created_at < ${until}`))?.n ?? 0;
  const coming = await conn.all<{ id: number; title: string; startsAt: number; timeZone: string }>(sql`SELECT id, title, starts_at AS startsAt, time_zone AS timeZone FROM jellies
    WHERE community_id = ${community.id} AND status = 'scheduled' AND starts_at >= ${now} ORDER BY starts_at, id LIMIT 5`);
  const resources = await conn
    .select({ id: communityResources.id, title: communityResources.title })
    .from(communityResources)
    .where(and(eq(communityResources.communityId, community.id), inWindow(communityResources.createdAt)))
    .orderBy(desc(communityResources.id))
    .all();
  return {
    since,
    ideas: ideaCount,
    comments: commentCount,
    newIdeas,
    newMembers: joined,
    questions: asked.length,
    newQuestions: asked.slice(0, 5),
    answered: answered.length,
    answeredQuestions: answered.slice(0, 5),
    comingJellies: coming,
    jelliesProposed,
    newResources: resources,
  };
}

export type CommunityDigest = Awaited<ReturnType<typeof communityDigest>>;

/** Whether a digest has anything to tell: something happened in the week (a jelly merely still to come is no news). */
export function digestHasNews(d: CommunityDigest): boolean {
  return d.ideas + d.comments + d.questions + d.answered + d.newMembers.length + d.newResources.length + d.jelliesProposed > 0;
}

/**
 * A community's page. Anyone signed in sees an active community's name and purpose; its members,
 * idea box, resources and digest only if they may read it (open, or a member of a members-only one).
 * The steward also gets who they may invite; facilitators the jams they may seed a challenge in.
 */
export async function communityPage(viewer: SessionUser, slug: string, input: { sort?: unknown; cursor?: unknown } = {}, now = Date.now()) {
  const conn = db();
  const community = await communityBySlug(conn, slug);
  if (!community || !canSeeCommunity(viewer, community)) throw new NotFound("No such community.");
  const myState =
    (await conn
      .select({ state: communityMembers.state })
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, community.id), eq(communityMembers.userId, viewer.id)))
      .get())?.state ?? null;
  const steward = await conn.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.id, community.stewardId), isNull(users.erasedAt))).get() ?? null;
  const sourceJam = community.sourceJamId
    ? (await conn.select({ slug: jams.slug, title: jams.title }).from(jams).where(eq(jams.id, community.sourceJamId)).get() ?? null)
    : null;
  const head = {
    id: community.id,
    slug: community.slug,
    title: community.title,
    purpose: community.purpose,
    privacy: community.privacy,
    status: community.status,
    declineReason: community.proposedBy === viewer.id || can(viewer.role, "manageJams") ? community.declineReason : null,
    steward,
    sourceJam,
  };
  const readable = await canReadCommunity(conn, viewer, community);
  const isSteward = community.status === "active" && (community.stewardId === viewer.id || viewer.role === "admin");
  const base = { community: head, myState, readable, isSteward, canDecide: community.status === "proposed" && can(viewer.role, "manageJams") };
  if (!readable)
    return { ...base, box: null, members: [], requests: [], invited: [], resources: [], digest: null, candidates: [], seedJams: [], questions: [], jellies: [], canPostHere: false, fromTheme: null };

  const memberRows = await conn
    .select({ id: users.id, name: users.name, department: departments.name, state: communityMembers.state })
    .from(communityMembers)
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(and(eq(communityMembers.communityId, community.id), inArray(communityMembers.state, ["member", "requested", "invited"]), isNull(users.erasedAt)))
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const members = memberRows.filter((m) => m.state === "member").map((m) => ({ ...m, isSteward: m.id === community.stewardId }));
  const box =
    community.boxChallengeId !== null
      ? await listChallengeIdeas(viewer, { challengeId: community.boxChallengeId, sort: input.sort, cursor: input.cursor }, now)
      : null;
  const resources = await conn
    .select({ id: communityResources.id, title: communityResources.title, url: communityResources.url, notes: communityResources.notes, createdAt: communityResources.createdAt })
    .from(communityResources)
    .where(eq(communityResources.communityId, community.id))
    .orderBy(desc(communityResources.id))
    .all();
  return {
    ...base,
    box: box && {
      jamSlug: box.jam.slug,
      challengeId: box.challenge.id,
      ideas: box.ideas,
      sort: box.sort,
      nextCursor: box.nextCursor,
      isFirstPage: box.isFirstPage,
      // Posting needs membership: reading an open community does not make one a member.
      canPost: myState === "member",
    },
    members,
    // Who asked to join and who is invited: the steward's business.
    requests: isSteward ? memberRows.filter((m) => m.state === "requested") : [],
    invited: isSteward ? memberRows.filter((m) => m.state === "invited") : [],
    resources,
    digest: await communityDigest(conn, community, now - DIGEST_WINDOW_MS, Number.MAX_SAFE_INTEGER, now),
    candidates: isSteward ? await inviteeCandidates(conn, community) : [],
    seedJams: (await seedableJams(conn, viewer, now)).map((j) => ({ id: j.id, title: j.title })),
    // Its own questions and coming jellies, and (kept alive from a theme) those of the theme, each once.
    questions: onceEach([...await questionsOfCommunity(conn, community.id), ...(community.themeId !== null ? await questionsOfTheme(conn, viewer, community.themeId) : [])]).sort((a, b) => b.id - a.id),
    jellies: onceEach([...await jelliesOfCommunity(conn, viewer, community.id, now), ...(community.themeId !== null ? await jelliesOfTheme(conn, viewer, community.themeId, now) : [])]).sort(
      (a, b) => a.startsAt - b.startsAt || a.id - b.id,
    ),
    // Asking and proposing from here: in this community (members), or from its theme (anyone who reads it).
    canPostHere: myState === "member",
    fromTheme: community.themeId !== null ? { id: community.themeId } : null,
  };
}
