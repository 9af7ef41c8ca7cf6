import { eq, asc, and, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { wordDiff, type DiffOp } from "~/domain/diff";
import { can } from "~/domain/permissions";
import { FORMER_PARTICIPANT } from "~/domain/views";
import { peopleById } from "~/services/pages/idea-edits.server";
import { answerChangesByVersion } from "~/services/lookups/templates.server";
import { NotFound } from "~/services/errors";
import { attachmentHistory } from "~/services/lookups/attachments.server";
import { ideaForViewer } from "~/services/lookups/coauthors.server";
import { type Db, db } from "~db/client";
import { type Idea, type RevisionKind, ideaRevisions, ideas, comments, commentRevisions } from "~db/schema";

/** Who wrote a version, as the browser may see it: a person, "the author" of an anonymous idea, or a former participant. */
export type VersionBy = { kind: "person"; id: number; name: string; department: string | null } | { kind: "anonymous-author" } | { kind: "former" };

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

/** An anonymous idea's author is never named, to anyone, moderators included. */
function byOf(people: Awaited<ReturnType<typeof peopleById>>, idea: Pick<Idea, "isAnonymous" | "authorId">, personId: number | null): VersionBy | null {
  if (personId === null) return null;
  if (idea.isAnonymous && personId === idea.authorId) return { kind: "anonymous-author" };
  const p = people.get(personId);
  return p ? { kind: "person", ...p } : { kind: "former" };
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

/** Whether a version's author shows as a name: for the "edited" line on cards and comments. */
export function versionByLabel(by: VersionBy): string {
  return by.kind === "person" ? by.name : by.kind === "anonymous-author" ? "The author" : FORMER_PARTICIPANT;
}
