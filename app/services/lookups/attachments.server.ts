import { and, eq, isNull, asc, inArray, sql } from "drizzle-orm";
import { readFileSync } from "fs";
import type { SessionUser } from "~/auth/session.server";
import { TYPE_INFO, formatBytes, STORAGE_ID, isImageType, contentDisposition } from "~/domain/attachments";
import { can } from "~/domain/permissions";
import { attachmentLimits } from "~/http/attachment-limits";
import type { AttachmentView, ServedFile } from "~/services/commands/attachments.server";
import { writesIdea } from "~/services/lookups/coauthors.server";
import { type Variant, storedPath } from "~/services/effects/attachment-store.server";
import { NotFound } from "~/services/errors";
import { findIdeaForPage } from "~/services/lookups/visibility.server";
import { db, type Db } from "~db/client";
import { type IdeaAttachment, ideaAttachments, type Idea, type Jam } from "~db/schema";
import { phaseAllows, jamPhase } from "~/domain/phase";

export function attachmentHref(storageId: string, variant: "page" | "card" | "file" = "file"): string {
  return variant === "card" ? `/attachments/${storageId}/card` : `/attachments/${storageId}`;
}

function view(row: IdeaAttachment): AttachmentView {
  const info = TYPE_INFO[row.type];
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    label: info.label,
    kind: info.kind,
    size: row.size,
    sizeText: formatBytes(row.size),
    href: attachmentHref(row.storageId),
    cardHref: info.kind === "image" ? attachmentHref(row.storageId, "card") : null,
    width: row.width,
    height: row.height,
    cardWidth: row.cardWidth,
    cardHeight: row.cardHeight,
    removedAt: row.removedAt,
  };
}

/**
 * The idea page's attachments part (a page service): the files the viewer may see (removed ones
 * only for moderators), and whether they may add or remove files.
 */
export async function ideaAttachmentsPanel(viewer: SessionUser, input: { ideaId: number }, now = Date.now()) {
  const conn = db();
  const { idea, jam } = await findIdeaForPage(conn, viewer, input.ideaId);
  const moderator = can(viewer.role, "manageJams");
  const writer = await writesIdea(conn, idea, viewer.id);
  const open = editable(idea, jam, now);
  const rows = await conn
    .select()
    .from(ideaAttachments)
    .where(and(eq(ideaAttachments.ideaId, idea.id), moderator ? undefined : isNull(ideaAttachments.removedAt)))
    .orderBy(asc(ideaAttachments.id))
    .all();
  const limits = attachmentLimits();
  const present = rows.filter((r) => r.removedAt === null).length;
  return {
    ideaId: idea.id,
    ideaTitle: idea.title,
    jamSlug: jam.slug,
    jamTitle: jam.title,
    isAnonymous: idea.isAnonymous,
    items: rows.map(view),
    canAdd: writer && open && present < limits.filesPerIdea,
    canRemove: (writer && open) || moderator,
    room: Math.max(0, limits.filesPerIdea - present),
    limits: { fileBytes: limits.fileBytes, fileText: formatBytes(limits.fileBytes), filesPerIdea: limits.filesPerIdea },
  };
}

/** What the idea form says about attachments (limits), for the pages that show it. */
export function attachmentFormLimits() {
  const limits = attachmentLimits();
  return { fileText: formatBytes(limits.fileBytes), filesPerIdea: limits.filesPerIdea };
}

/** For a page of idea cards: each idea's first image (its card rendition) and how many files it carries. */
export async function cardAttachments(conn: Db, ideaIds: number[]): Promise<Map<number, { count: number; thumbnail: { href: string; width: number; height: number } | null }>> {
  const result = new Map<number, { count: number; thumbnail: { href: string; width: number; height: number } | null }>();
  if (ideaIds.length === 0) return result;
  const rows = await conn
    .select({
      ideaId: ideaAttachments.ideaId,
      storageId: ideaAttachments.storageId,
      type: ideaAttachments.type,
      cardWidth: ideaAttachments.cardWidth,
      cardHeight: ideaAttachments.cardHeight,
    })
    .from(ideaAttachments)
    .where(and(inArray(ideaAttachments.ideaId, ideaIds), isNull(ideaAttachments.removedAt)))
    .orderBy(asc(ideaAttachments.id))
    .all();
  for (const r of rows) {
    const entry = result.get(r.ideaId) ?? { count: 0, thumbnail: null };
    entry.count += 1;
    if (!entry.thumbnail && r.type.startsWith("image/") && r.cardWidth && r.cardHeight) {
      entry.thumbnail = { href: attachmentHref(r.storageId, "card"), width: r.cardWidth, height: r.cardHeight };
    }
    result.set(r.ideaId, entry);
  }
  return result;
}

/** The attachment events of an idea's history: each file added and removed, newest first. */
export async function attachmentHistory(conn: Db, idea: Pick<Idea, "id">) {
  const rows = await conn.select().from(ideaAttachments).where(eq(ideaAttachments.ideaId, idea.id)).orderBy(asc(ideaAttachments.id)).all();
  return rows.flatMap((r) => [
    { kind: "added" as const, at: r.createdAt, name: r.name, label: TYPE_INFO[r.type].label },
    ...(r.removedAt !== null ? [{ kind: "removed" as const, at: r.removedAt, name: r.name, label: TYPE_INFO[r.type].label }] : []),
  ]);
}

/** Variants a request may ask for: an image's page or card rendition, a document's file. */
const VARIANTS = new Set(["page", "card"]);

/**
 * The file behind an address, for a viewer who may see its idea (the idea page's own rule:
 * draft jams, hidden ideas, members-only community boxes); a removed attachment only for
 * moderators. Anything else, a malformed id or an erased one alike, is NotFound with one message.
 */
export async function attachmentFile(viewer: SessionUser, input: { storageId: string; variant?: string }): Promise<ServedFile> {
  const missing = () => new NotFound("Not found.");
  if (!STORAGE_ID.test(input.storageId)) throw missing();
  if (input.variant !== undefined && !VARIANTS.has(input.variant)) throw missing();
  const conn = db();
  const row = await conn.select().from(ideaAttachments).where(eq(ideaAttachments.storageId, input.storageId)).get();
  if (!row) throw missing();
  try {
    await findIdeaForPage(conn, viewer, row.ideaId);
  } catch (error) {
    if (error instanceof NotFound) throw missing();
    throw error;
  }
  if (row.removedAt !== null && !can(viewer.role, "manageJams")) throw missing();
  const image = isImageType(row.type);
  if (!image && input.variant !== undefined) throw missing();
  const variant: Variant = image ? (input.variant === "card" ? "card" : "page") : "file";
  const path = storedPath(row.storageId, variant);
  const downloadName = image ? row.name.replace(/\.[A-Za-z0-9]{1,8}$/, "") + ".webp" : row.name;
  return {
    path,
    contentType: image ? "image/webp" : row.type.startsWith("text/") ? `${row.type}; charset=utf-8` : row.type,
    disposition: contentDisposition(image ? "inline" : "attachment", downloadName),
    size: image ? 0 : row.size,
  };
}

/** A person's uploads (data download): every attachment they added, with its idea. */
export async function personalAttachments(conn: Db, userId: number) {
  return await conn
    .select({
      id: ideaAttachments.id,
      storageId: ideaAttachments.storageId,
      ideaId: ideaAttachments.ideaId,
      name: ideaAttachments.name,
      type: ideaAttachments.type,
      size: ideaAttachments.size,
      createdAt: ideaAttachments.createdAt,
      removedAt: ideaAttachments.removedAt,
    })
    .from(ideaAttachments)
    .where(eq(ideaAttachments.uploaderId, userId))
    .orderBy(asc(ideaAttachments.id))
    .all();
}

/** The archive's copies of a person's files: `attachments/<id>-<name>` (an image as its page rendition). */
export function attachmentArchiveFiles(rows: { id: number; storageId: string; name: string; type: string }[]): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const r of rows) {
    const image = r.type.startsWith("image/");
    try {
      const data = readFileSync(storedPath(r.storageId, image ? "page" : "file"));
      const name = image ? r.name.replace(/\.[A-Za-z0-9]{1,8}$/, "") + ".webp" : r.name;
      files[`attachments/${r.id}-${name.replace(/[/\\]/g, "_")}`] = data;
    } catch {
      // A file missing from disk (restored from an older backup) leaves its row in the list only.
    }
  }
  return files;
}

/** How many attachments each idea carries now (the CSV export's column). */
export async function attachmentCounts(conn: Db, ideaIds: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (ideaIds.length === 0) return counts;
  for (const r of await conn
    .select({ ideaId: ideaAttachments.ideaId, n: sql<number>`count(*)` })
    .from(ideaAttachments)
    .where(and(inArray(ideaAttachments.ideaId, ideaIds), isNull(ideaAttachments.removedAt)))
    .groupBy(ideaAttachments.ideaId)
    .all()) {
    counts.set(r.ideaId, r.n);
  }
  return counts;
}

/** Whether the idea may be changed now (the editing rule, decision 026): the jam allows editing and it is not hidden. */
export function editable(idea: Idea, jam: Jam, now: number): boolean {
  return phaseAllows(jamPhase(jam, now), "edit") && idea.hiddenAt === null;
}
