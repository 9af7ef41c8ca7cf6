/**
 * Editing with history. Authors (and an idea's co-authors) change their ideas and comments
 * while the jam allows posting; every version is kept. An edit names the version it was
 * based on: one based on an older version is refused (optimistic concurrency), so two people
 * editing at once cannot silently overwrite each other. The change itself is a conditional
 * update (`WHERE version = base`) and each version is unique per (idea, version), so a repeated
 * or concurrent request never writes a version twice.
 */
import { and, asc, desc, eq, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { attachmentHistory } from "./attachments.server";
import { wordDiff, type DiffOp } from "~/domain/diff";
import { can } from "~/domain/permissions";
import { FORMER_PARTICIPANT } from "~/domain/views";
import { publish } from "~/live/bus";
import { db, transaction, type Db } from "~db/client";
import {
  commentRevisions,
  comments,
  departments,
  dotAllocations,
  ideaRevisions,
  ideas,
  stanceVotes,
  users,
  votes,
  type Idea,
  type RevisionKind,
} from "~db/schema";
import { ideaForViewer, writesIdea } from "./coauthors.server";
import { Conflict, Forbidden, NotFound, StaleEdit, validate } from "./errors";
import { assertPhaseAllows, PostIdeaInput } from "./ideas.server";
import { PostCommentInput } from "./comments.server";
import { checkRateLimit } from "./rate-limiter.server";
import { answerChangesByVersion, answersChanged, fieldsForEdit, storedAnswers, validateWithAnswers, writeEditedAnswers } from "./templates.server";

const baseVersion = z.coerce
  .number({ error: "The form expired; reload the page and try again." })
  .int("The form expired; reload the page and try again.")
  .positive("The form expired; reload the page and try again.");

export const EditIdeaInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  title: PostIdeaInput.shape.title,
  body: PostIdeaInput.shape.body,
  baseVersion,
});

export const EditCommentInput = z.object({
  commentId: z.coerce.number().int().positive(),
  body: PostCommentInput.shape.body,
  baseVersion,
});

/** How a refused stale edit reads: what happened and that nothing typed was lost. */
export function staleEditMessage(what: "idea" | "comment", version: number) {
  return `This ${what} was changed while you were editing (it is now at version ${version}). What you typed is kept below: compare it with the current text and save again.`;
}

interface Meta {
  now?: number;
}

/**
 * Makes `next` the idea's new current text in the caller's transaction: writes version 1 (as
 * posted, from the idea row) when this is the first change, moves the idea from `idea.version`
 * to the next one only if nobody moved it first, and keeps the new version. Returns its number.
 */
export async function writeIdeaVersion(
  tx: Db,
  idea: Idea,
  next: { title: string; body: string; kind: Exclude<RevisionKind, "posted">; editorId: number; acceptedById?: number; amendmentId?: number },
  now: number,
): Promise<number> {
  if (idea.version === 1) {
    await tx.insert(ideaRevisions)
      .values({ ideaId: idea.id, version: 1, title: idea.title, body: idea.body, kind: "posted", editorId: idea.authorId, createdAt: idea.createdAt })
      .onConflictDoNothing()
      .run();
  }
  const moved = await tx
    .update(ideas)
    .set({ title: next.title, body: next.body, version: sql`${ideas.version} + 1`, editedAt: now })
    .where(and(eq(ideas.id, idea.id), eq(ideas.version, idea.version)))
    .returning({ version: ideas.version })
    .get();
  if (!moved) throw new StaleEdit(staleEditMessage("idea", idea.version + 1), idea.version + 1);
  await tx.insert(ideaRevisions)
    .values({
      ideaId: idea.id,
      version: moved.version,
      title: next.title,
      body: next.body,
      kind: next.kind,
      editorId: next.editorId,
      acceptedById: next.acceptedById ?? null,
      amendmentId: next.amendmentId ?? null,
      createdAt: now,
    })
    .run();
  await publish(tx, idea.jamId, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
  return moved.version;
}

/** The idea's author or a co-author changes its title and description while the jam allows posting. */
export async function editIdea(actor: SessionUser, input: unknown, meta: Meta = {}) {
  // The answers to the challenge's idea template are edited with the text (required fields bind edits too).
  const { data, answers, fields } = await transaction(async (tx) => {
    const fields = await fieldsForEdit(tx, actor, (input as { ideaId?: unknown } | null)?.ideaId);
    return { ...validateWithAnswers(EditIdeaInput, input, fields), fields };
  }, { snapshot: true });
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "edit", now);
  return await transaction(async (tx) => {
    const { idea, jam } = await ideaForViewer(tx, actor, data.ideaId);
    if (!await writesIdea(tx, idea, actor.id)) throw new Forbidden("Only the idea's author and co-authors can edit it.");
    if (idea.hiddenAt !== null) throw new Conflict("A moderator hid this idea: it cannot be edited.");
    assertPhaseAllows(jam, "edit", now);
    const stored = (await storedAnswers(tx, [idea.id])).get(idea.id) ?? new Map<number, string>();
    const fieldsChanged = answersChanged(stored, fields, answers);
    // The same text again (a repeated request, or nothing changed) writes nothing.
    if (idea.title === data.title && idea.body === data.body && !fieldsChanged) return { ideaId: idea.id, jamSlug: jam.slug, version: idea.version, changed: false };
    if (idea.version !== data.baseVersion) throw new StaleEdit(staleEditMessage("idea", idea.version), idea.version);
    const version = await writeIdeaVersion(tx, idea, { title: data.title, body: data.body, kind: "edited", editorId: actor.id }, now);
    if (fieldsChanged) await writeEditedAnswers(tx, idea, stored, fields, answers, { from: idea.version, to: version });
    return { ideaId: idea.id, jamSlug: jam.slug, version, changed: true };
  });
}

/** A comment's author changes it while the jam allows posting; every version is kept. */
export async function editComment(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(EditCommentInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "edit", now);
  return await transaction(async (tx) => {
    const comment = await tx.select().from(comments).where(eq(comments.id, data.commentId)).get();
    if (!comment) throw new NotFound("No such comment.");
    const { idea, jam } = await ideaForViewer(tx, actor, comment.ideaId);
    if (comment.authorId !== actor.id) {
      if (comment.hiddenAt !== null && !can(actor.role, "manageJams")) throw new NotFound("No such comment.");
      throw new Forbidden("Only its author can edit a comment.");
    }
    if (comment.hiddenAt !== null) throw new Conflict("A moderator hid this comment: it cannot be edited.");
    if (idea.hiddenAt !== null) throw new Conflict("A moderator hid this idea: its discussion cannot change.");
    assertPhaseAllows(jam, "edit", now);
    if (comment.body === data.body) return { commentId: comment.id, ideaId: idea.id, version: comment.version, changed: false };
    if (comment.version !== data.baseVersion) throw new StaleEdit(staleEditMessage("comment", comment.version), comment.version);
    if (comment.version === 1) {
      await tx.insert(commentRevisions)
        .values({ commentId: comment.id, version: 1, body: comment.body, editorId: comment.authorId, createdAt: comment.createdAt })
        .onConflictDoNothing()
        .run();
    }
    const moved = await tx
      .update(comments)
      .set({ body: data.body, version: sql`${comments.version} + 1`, editedAt: now })
      .where(and(eq(comments.id, comment.id), eq(comments.version, comment.version)))
      .returning({ version: comments.version })
      .get();
    if (!moved) throw new StaleEdit(staleEditMessage("comment", comment.version + 1), comment.version + 1);
    await tx.insert(commentRevisions).values({ commentId: comment.id, version: moved.version, body: data.body, editorId: actor.id, createdAt: now }).run();
    await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    return { commentId: comment.id, ideaId: idea.id, version: moved.version, changed: true };
  });
}

// ---------------------------------------------------------------- reading the history

/** Who wrote a version, as the browser may see it: a person, "the author" of an anonymous idea, or a former participant. */
export type VersionBy = { kind: "person"; id: number; name: string; department: string | null } | { kind: "anonymous-author" } | { kind: "former" };

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

/** An anonymous idea's author is never named, to anyone, moderators included. */
function byOf(people: Awaited<ReturnType<typeof peopleById>>, idea: Pick<Idea, "isAnonymous" | "authorId">, personId: number | null): VersionBy | null {
  if (personId === null) return null;
  if (idea.isAnonymous && personId === idea.authorId) return { kind: "anonymous-author" };
  const p = people.get(personId);
  return p ? { kind: "person", ...p } : { kind: "former" };
}

export interface VersionView {
  version: number;
  kind: RevisionKind;
  at: number;
  by: VersionBy;
  acceptedBy: VersionBy | null;
  title: string;
  /** Against the version before (none for the first). */
  titleDiff: DiffOp[] | null;
  bodyDiff: DiffOp[] | null;
  body: string;
  /** Answers to the idea template that changed at this version. */
  fieldChanges: { label: string; before: string | null; after: string | null }[];
}

/** Every version of an idea's text, oldest first (version 1 from the idea row when it was never changed). */
async function ideaVersions(conn: Db, idea: Idea) {
  const rows = await conn.select().from(ideaRevisions).where(eq(ideaRevisions.ideaId, idea.id)).orderBy(asc(ideaRevisions.version)).all();
  if (rows.length > 0) return rows;
  return [{ id: 0, ideaId: idea.id, version: 1, title: idea.title, body: idea.body, kind: "posted" as const, editorId: idea.authorId, acceptedById: null, amendmentId: null, createdAt: idea.createdAt }];
}

const MAX_EVENTS = 50;

/**
 * An idea's history page: each version with what changed against the one before, newest
 * first, and what else happened to it (ideas merged into it, ideas built on it, the idea it
 * was built on). Whoever may see the idea sees its history; a hidden idea's only its author
 * and moderators, who see every version.
 */
export async function ideaHistory(viewer: SessionUser, input: { ideaId: number; jamSlug: string }) {
  const conn = db();
  const { idea, jam } = await ideaForViewer(conn, viewer, input.ideaId);
  if (jam.slug !== input.jamSlug) throw new NotFound("No such idea.");
  const rows = await ideaVersions(conn, idea);
  const people = await peopleById(conn, rows.flatMap((r) => [r.editorId, ...(r.acceptedById ? [r.acceptedById] : [])]));
  const fieldChanges = await answerChangesByVersion(conn, idea);
  const versions: VersionView[] = rows.map((r, i) => {
    const before = rows[i - 1];
    return {
      version: r.version,
      kind: r.kind,
      at: r.createdAt,
      by: byOf(people, idea, r.editorId)!,
      acceptedBy: byOf(people, idea, r.acceptedById),
      title: r.title,
      body: r.body,
      titleDiff: before ? wordDiff(before.title, r.title) : null,
      bodyDiff: before ? wordDiff(before.body, r.body) : null,
      fieldChanges: fieldChanges.get(r.version) ?? [],
    };
  });
  const moderator = can(viewer.role, "manageJams");
  const mergedIn = (await conn
    .select({ id: ideas.id, title: ideas.title, at: ideas.hiddenAt })
    .from(ideas)
    .where(eq(ideas.mergedIntoId, idea.id))
    .orderBy(asc(ideas.hiddenAt), asc(ideas.id))
    .limit(MAX_EVENTS)
    .all())
    // A merged idea is hidden: only moderators see which one it was.
    .map((m) => ({ at: m.at ?? idea.createdAt, idea: moderator ? { id: m.id, title: m.title } : null }));
  const builtOnThis = await conn
    .select({ id: ideas.id, title: ideas.title, at: ideas.createdAt })
    .from(ideas)
    .where(and(eq(ideas.builtOnId, idea.id), moderator ? undefined : isNull(ideas.hiddenAt)))
    .orderBy(asc(ideas.id))
    .limit(MAX_EVENTS)
    .all();
  const builtOn = idea.builtOnId
    ? await conn
        .select({ id: ideas.id, title: ideas.title })
        .from(ideas)
        .where(and(eq(ideas.id, idea.builtOnId), moderator ? undefined : isNull(ideas.hiddenAt)))
        .get() ?? null
    : null;
  const mergedInto =
    idea.mergedIntoId !== null ? await conn.select({ id: ideas.id, title: ideas.title }).from(ideas).where(eq(ideas.id, idea.mergedIntoId)).get() ?? null : null;
  return {
    jam: { slug: jam.slug, title: jam.title },
    idea: { id: idea.id, title: idea.title, isAnonymous: idea.isAnonymous, hidden: idea.hiddenAt !== null, createdAt: idea.createdAt },
    versions: versions.reverse(),
    mergedIn,
    mergedInto: mergedInto ? { ...mergedInto, at: idea.hiddenAt ?? idea.createdAt } : null,
    builtOnThis,
    builtOn,
    // Files attached and removed (a removal keeps the file: the history says when it went).
    attachments: await attachmentHistory(conn, idea),
  };
}

/** A comment's history: its versions, for whoever may see the comment (a hidden one: its author and moderators). */
export async function commentHistory(viewer: SessionUser, input: { ideaId: number; commentId: number; jamSlug: string }) {
  const conn = db();
  const { idea, jam } = await ideaForViewer(conn, viewer, input.ideaId);
  if (jam.slug !== input.jamSlug) throw new NotFound("No such comment.");
  const comment = await conn.select().from(comments).where(and(eq(comments.id, input.commentId), eq(comments.ideaId, idea.id))).get();
  if (!comment || (comment.hiddenAt !== null && comment.authorId !== viewer.id && !can(viewer.role, "manageJams"))) {
    throw new NotFound("No such comment.");
  }
  const stored = await conn.select().from(commentRevisions).where(eq(commentRevisions.commentId, comment.id)).orderBy(asc(commentRevisions.version)).all();
  const rows = stored.length > 0 ? stored : [{ version: 1, body: comment.body, editorId: comment.authorId, createdAt: comment.createdAt }];
  const people = await peopleById(conn, rows.map((r) => r.editorId));
  const named = { isAnonymous: false, authorId: 0 };
  return {
    jam: { slug: jam.slug, title: jam.title },
    idea: { id: idea.id, title: idea.title },
    comment: { id: comment.id, hidden: comment.hiddenAt !== null },
    versions: rows
      .map((r, i) => ({
        version: r.version,
        at: r.createdAt,
        by: byOf(people, named, r.editorId)!,
        body: r.body,
        bodyDiff: i > 0 ? wordDiff(rows[i - 1]!.body, r.body) : null,
      }))
      .reverse(),
  };
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

/** Whether a version's author shows as a name: for the "edited" line on cards and comments. */
export function versionByLabel(by: VersionBy): string {
  return by.kind === "person" ? by.name : by.kind === "anonymous-author" ? "The author" : FORMER_PARTICIPANT;
}
