/**
 * The idea page's part for editing, co-authors and build-ons (a page service: the idea page's
 * loader calls it beside ideaDetail). The permission decisions for what the page offers live here.
 */
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { jamPhase, phaseAllows } from "~/domain/phase";
import { db, type Db } from "~db/client";
import { coauthorCandidates, coauthorList, ideaForViewer, pendingInvitation, writesIdea } from "~/services/lookups/coauthors.server";
import { and, eq, inArray, asc, sql, lte, isNull, desc } from "drizzle-orm";
import { wordDiff } from "~/domain/diff";
import { dotAllocations, departments, type Idea, ideaAmendments, ideaRevisions, ideas, votes, users, stanceVotes } from "~db/schema";

export const CoauthorQuery = z.string().trim().max(80).catch("");

/**
 * What editing, co-authors and build-ons add to an idea page for this viewer: whether they may
 * edit (and the version their edit is based on), what changed since their vote, the co-author
 * list and invitation, the proposed changes, and the ideas it was built on or that build on it.
 */
export async function ideaEditsPanel(viewer: SessionUser, input: { ideaId: number; coauthorQuery?: string | null }, now = Date.now()) {
  const conn = db();
  const { idea, jam } = await ideaForViewer(conn, viewer, input.ideaId);
  const phase = jamPhase(jam, now);
  const open = phaseAllows(phase, "edit") && idea.hiddenAt === null;
  const isAuthor = idea.authorId === viewer.id;
  const isWriter = await writesIdea(conn, idea, viewer.id);
  const canInvite = isAuthor && open && !idea.isAnonymous;
  const q = CoauthorQuery.parse(input.coauthorQuery ?? "");
  const amendments = await openAmendments(conn, idea);
  const people = await peopleById(conn, amendments.map((a) => a.proposerId));
  return {
    viewerId: viewer.id,
    version: idea.version,
    title: idea.title,
    body: idea.body,
    editedAt: idea.editedAt,
    isAuthor,
    isWriter,
    canEdit: isWriter && open,
    sinceVote: isWriter ? null : await changesSinceVote(conn, idea, viewer.id),
    coauthors: isWriter && !idea.isAnonymous ? await coauthorList(conn, idea.id) : [],
    canInvite,
    coauthorQuery: q,
    candidates: canInvite && q !== "" ? await coauthorCandidates(conn, idea, q) : [],
    invitation: idea.isAnonymous ? null : (await pendingInvitation(conn, idea.id, viewer.id) ?? null),
    canAnswerInvitation: open,
    amendments: amendments.map(({ proposerId, ...a }) => ({
      ...a,
      proposer: people.get(proposerId) ?? null,
      isMine: proposerId === viewer.id,
    })),
    canPropose: !isWriter && open,
    canDecide: isWriter && open,
    canPostAsIdea: phaseAllows(phase, "postIdea") && idea.hiddenAt === null,
    ...await buildOns(conn, idea),
  };
}

// ---------------------------------------------------------------- for the idea page

const MAX_SHOWN = 50;

/** The proposals still open or standing on an idea, each with what it would change against the current text. */
export async function openAmendments(conn: Db, idea: Pick<Idea, "id" | "title" | "body">) {
  return (await conn
    .select()
    .from(ideaAmendments)
    .where(and(eq(ideaAmendments.ideaId, idea.id), inArray(ideaAmendments.status, ["open", "standing"])))
    .orderBy(asc(ideaAmendments.id))
    .limit(MAX_SHOWN)
    .all())
    .map((a) => ({
      id: a.id,
      proposerId: a.proposerId,
      note: a.note,
      status: a.status as "open" | "standing",
      createdAt: a.createdAt,
      titleDiff: a.title === idea.title ? null : wordDiff(idea.title, a.title),
      bodyDiff: a.body === idea.body ? null : wordDiff(idea.body, a.body),
    }));
}

/** Ideas built on this one (visible ones), and the idea this one was built on. */
export async function buildOns(conn: Db, idea: Pick<Idea, "id" | "builtOnId">) {
  const visible = (rows: { id: number; title: string; hiddenAt: number | null }[]) => rows.filter((r) => r.hiddenAt === null).map(({ id: ideaId, title }) => ({ id: ideaId, title }));
  const builtOnThis = visible(
    await conn.select({ id: ideas.id, title: ideas.title, hiddenAt: ideas.hiddenAt }).from(ideas).where(eq(ideas.builtOnId, idea.id)).orderBy(asc(ideas.id)).limit(MAX_SHOWN).all(),
  );
  const builtOn = idea.builtOnId
    ? visible(await conn.select({ id: ideas.id, title: ideas.title, hiddenAt: ideas.hiddenAt }).from(ideas).where(eq(ideas.id, idea.builtOnId)).all())[0] ?? null
    : null;
  return { builtOn, builtOnThis };
}

export async function peopleById(conn: Db, ids: number[]) {
  if (ids.length === 0) return new Map<number, { id: number; name: string; department: string | null }>();
  const rows = await conn
    .select({ id: users.id, name: users.name, department: departments.name })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(and(sql`${users.id} IN ${[...new Set(ids)]}`, isNull(users.erasedAt)))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * For someone who voted on the idea (support, a stance or dots) before its text last changed:
 * what changed since their vote, against the version that was current when they voted.
 * Null when they have not voted, or nothing changed since.
 */
export async function changesSinceVote(conn: Db, idea: Pick<Idea, "id" | "title" | "body" | "editedAt" | "version">, viewerId: number) {
  if (idea.editedAt === null) return null;
  const at = (await conn.get<{ at: number | null }>(sql`SELECT max(at) AS at FROM (
      SELECT ${votes.createdAt} AS at FROM ${votes} WHERE ${votes.userId} = ${viewerId} AND ${votes.ideaId} = ${idea.id}
      UNION ALL SELECT ${stanceVotes.updatedAt} FROM ${stanceVotes} WHERE ${stanceVotes.userId} = ${viewerId} AND ${stanceVotes.ideaId} = ${idea.id}
      UNION ALL SELECT ${dotAllocations.updatedAt} FROM ${dotAllocations} WHERE ${dotAllocations.userId} = ${viewerId} AND ${dotAllocations.ideaId} = ${idea.id}) AS sub`))?.at;
  if (at === null || at === undefined || at >= idea.editedAt) return null;
  const then = await conn
    .select({ version: ideaRevisions.version, title: ideaRevisions.title, body: ideaRevisions.body })
    .from(ideaRevisions)
    .where(and(eq(ideaRevisions.ideaId, idea.id), lte(ideaRevisions.createdAt, at)))
    .orderBy(desc(ideaRevisions.version))
    .limit(1)
    .get();
  if (!then || then.version === idea.version) return null;
  return {
    votedAt: at,
    fromVersion: then.version,
    toVersion: idea.version,
    titleDiff: then.title === idea.title ? null : wordDiff(then.title, idea.title),
    bodyDiff: wordDiff(then.body, idea.body),
  };
}
