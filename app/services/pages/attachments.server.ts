/**
 * The attachments an idea's page shows (its attachments part) and the file behind an attachment's
 * address, each for a viewer who may see the idea. The shared reads are in lookups/attachments.server.ts.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { contentDisposition, formatBytes, isImageType, STORAGE_ID, TYPE_INFO } from "~/domain/attachments";
import { can } from "~/domain/permissions";
import { attachmentLimits } from "~/http/attachment-limits";
import type { AttachmentView, ServedFile } from "~/services/commands/attachments.server";
import { storedPath, type Variant } from "~/services/effects/attachment-store.server";
import { NotFound } from "~/services/errors";
import { attachmentHref, editable } from "~/services/lookups/attachments.server";
import { writesIdea } from "~/services/lookups/coauthors.server";
import { findIdeaForPage } from "~/services/lookups/visibility.server";
import { db } from "~db/client";
import { ideaAttachments, type IdeaAttachment } from "~db/schema";

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
