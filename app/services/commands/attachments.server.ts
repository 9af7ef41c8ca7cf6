/**
 * Attachments on ideas: checking and scaling what was uploaded, recording it with the idea (or
 * later, while the idea may be edited), and removing one. What the pages show, and serving a file
 * to whoever may see its idea, are in lookups/attachments.server.ts.
 *
 * The slow work (reading a file, decoding and re-encoding an image) happens before any transaction
 * (`prepareUploads`); a command then checks permission and limits and records the rows in one
 * write transaction, moving the prepared files into place inside it; the files of uploads that no
 * committed transaction recorded are removed (`withPreparedFiles`), also when PostgreSQL ran the
 * transaction again after a serialization failure.
 */
import { existsSync, readFileSync } from "node:fs";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import sharp from "sharp";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { attachmentLimits } from "~/http/attachment-limits.js";
import type { ReceivedFile } from "~/http/uploads.server";
import {
  TYPE_INFO,
  TYPES_SENTENCE,
  cleanName,
  formatBytes,
  isImageType,
  nameLies,
  sniffType,
  type AttachmentType,
} from "~/domain/attachments";
import { can } from "~/domain/permissions";
import { publish } from "~/live/bus";
import { publishAfterCommit, transaction, type Db } from "~db/client";
import { ideaAttachments, ideas, type Idea } from "~db/schema";
import {
  moveIntoPlace,
  newStorageId,
  removeFiles,
  removeStored,
  storedPath,
  tempPath,
  variantsOf,
  type Variant,
} from "~/services/effects/attachment-store.server";
import { writesIdea } from "~/services/lookups/coauthors.server";
import { Conflict, Invalid, NotFound } from "~/services/errors";
import { findIdeaForPage } from "~/services/lookups/visibility.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { editable } from "~/services/lookups/attachments.server";
import type { ideaAttachmentsPanel } from "~/services/pages/attachments.server";

/** An image's renditions: the card's (a thumbnail in lists) and the page's (the gallery). */
const CARD = { width: 480, height: 360 };

const PAGE = { width: 1600, height: 1600 };

sharp.cache(false);

sharp.concurrency(1);

/** An upload checked and ready to record: its files sit in temporary files until then. */
export interface PreparedUpload {
  storageId: string;
  name: string;
  type: AttachmentType;
  size: number;
  storedSize: number;
  width: number | null;
  height: number | null;
  cardWidth: number | null;
  cardHeight: number | null;
  /** Temporary file per variant it will have on disk. */
  temps: Partial<Record<Variant, string>>;
}

/** A refused upload: the field error the form shows. */
function refuse(messages: string[]): never {
  throw new Invalid({ attachments: messages });
}

/** The temporary files of prepared uploads. */
function tempsOf(prepared: PreparedUpload[]): string[] {
  return prepared.flatMap((p) => Object.values(p.temps));
}

/** Removes the temporary files of uploads that will not be recorded. */
export function discardPrepared(prepared: PreparedUpload[]) {
  removeFiles(tempsOf(prepared));
}

/**
 * Checks each received file by its content and scales images, before any transaction. An image is
 * decoded (at most `ATTACHMENT_MAX_PIXELS` pixels: a decompression bomb is refused before it is
 * decoded) and written again as two WebP renditions without any of its metadata (EXIF, GPS
 * position, camera, author), so an anonymous idea's photo tells nobody who took it or where.
 * Any refusal refuses them all (nothing is kept); the received files are always consumed.
 */
export async function prepareUploads(files: ReceivedFile[], refusals: string[] = []): Promise<PreparedUpload[]> {
  const limits = attachmentLimits();
  const prepared: PreparedUpload[] = [];
  const problems = [...refusals];
  try {
    for (const file of files) {
      const bytes = readFileSync(file.tempPath);
      const type = sniffType(bytes, file.name);
      const label = shown(file.name);
      if (!type) {
        problems.push(`“${label}” is not a file Jamboree takes. It takes ${TYPES_SENTENCE}, judged by what is inside the file, not its name.`);
        continue;
      }
      const lie = nameLies(file.name, type);
      if (lie) {
        problems.push(`“${label}” is not a ${TYPE_INFO[lie].label}, whatever its name says: what is inside a file decides what it is.`);
        continue;
      }
      const name = cleanName(file.name, type);
      const storageId = newStorageId();
      if (!isImageType(type)) {
        prepared.push({ storageId, name, type, size: bytes.length, storedSize: bytes.length, width: null, height: null, cardWidth: null, cardHeight: null, temps: { file: file.tempPath } });
        file.tempPath = "";
        continue;
      }
      const scaled = await scaleImage(bytes, type, limits.pixels);
      if (typeof scaled === "string") {
        problems.push(`“${label}” ${scaled}`);
        continue;
      }
      prepared.push({
        storageId,
        name,
        type,
        size: bytes.length,
        storedSize: scaled.page.data.length + scaled.card.data.length,
        width: scaled.page.width,
        height: scaled.page.height,
        cardWidth: scaled.card.width,
        cardHeight: scaled.card.height,
        temps: { page: await writeTemp(scaled.page.data), card: await writeTemp(scaled.card.data) },
      });
    }
  } catch (error) {
    discardPrepared(prepared);
    throw error;
  } finally {
    removeFiles(files.map((f) => f.tempPath).filter((p) => p !== ""));
  }
  if (problems.length > 0) {
    discardPrepared(prepared);
    refuse(problems);
  }
  return prepared;
}

function shown(name: string): string {
  const clean = name.replace(/[\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, "");
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean || "A file";
}

async function writeTemp(data: Buffer): Promise<string> {
  const { writeFile } = await import("node:fs/promises");
  const path = tempPath();
  await writeFile(path, data, { flag: "wx", mode: 0o600 });
  return path;
}

const SHARP_FORMATS: Record<string, AttachmentType> = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };

/** The two renditions of an image, or why it was refused. */
async function scaleImage(bytes: Buffer, type: AttachmentType, maxPixels: number) {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxPixels, pages: 1, failOn: "error" }).metadata();
  } catch {
    return "is not an image that can be read (damaged, or not what it says it is).";
  }
  // The decoder must agree with the signature: a PNG header on something else is not a PNG.
  if (SHARP_FORMATS[meta.format ?? ""] !== type || !meta.width || !meta.height) {
    return "is not an image that can be read (damaged, or not what it says it is).";
  }
  const height = meta.pageHeight ?? meta.height;
  if (meta.width * height > maxPixels) {
    return `is too large an image: at most ${Math.round(maxPixels / 1e6)} million pixels.`;
  }
  try {
    const render = (box: { width: number; height: number }, quality: number) =>
      sharp(bytes, { limitInputPixels: maxPixels, pages: 1, failOn: "error" })
        // Turned upright from its EXIF orientation, then written with no metadata at all.
        .rotate()
        .resize({ ...box, fit: "inside", withoutEnlargement: true })
        .webp({ quality })
        .toBuffer({ resolveWithObject: true })
        .then(({ data, info }) => ({ data, width: info.width, height: info.height }));
    return { page: await render(PAGE, 82), card: await render(CARD, 78) };
  } catch {
    return "is not an image that can be read (damaged, or not what it says it is).";
  }
}

/** Prepared uploads whose rows a committed transaction holds (set once it has committed). */
const committed = new WeakSet<PreparedUpload>();

/** Where a prepared upload's files go once recorded. */
function storedPathsOf(p: PreparedUpload): string[] {
  return variantsFor(p).map((v) => storedPath(p.storageId, v));
}

/**
 * Runs a transaction that records prepared uploads (moving their files into place). Afterwards,
 * whether it committed or failed, the files of every upload that no committed transaction
 * recorded are removed, and so are temporary files not used. A transaction may have moved files
 * and still not record them: on PostgreSQL it runs again after a serialization failure, and the
 * attempt that commits may take another path (a double submit's first idea meanwhile committed).
 */
export async function withPreparedFiles<T>(prepared: PreparedUpload[], work: () => T): Promise<T> {
  if (prepared.length === 0) return await work();
  try {
    return await work();
  } finally {
    removeFiles(prepared.filter((p) => !committed.has(p)).flatMap(storedPathsOf));
    discardPrepared(prepared);
  }
}

function variantsFor(p: PreparedUpload): Variant[] {
  return variantsOf(isImageType(p.type));
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Records prepared uploads on an idea in the caller's transaction: checks the files-per-idea and
 * the person's daily limit, inserts the rows and moves the files into place. The caller checked
 * that the actor writes the idea and that it may be changed now.
 */
export async function recordAttachmentsIn(tx: Db, actor: Pick<SessionUser, "id">, idea: Pick<Idea, "id" | "jamId">, prepared: PreparedUpload[], now: number) {
  if (prepared.length === 0) return [];
  const limits = attachmentLimits();
  const present = (await tx
    .select({ n: sql<number>`count(*)` })
    .from(ideaAttachments)
    .where(and(eq(ideaAttachments.ideaId, idea.id), isNull(ideaAttachments.removedAt)))
    .get())!.n;
  if (present + prepared.length > limits.filesPerIdea) {
    const room = Math.max(0, limits.filesPerIdea - present);
    refuse([
      room === 0
        ? `An idea carries at most ${limits.filesPerIdea} files, and this one has them all: remove one first.`
        : `An idea carries at most ${limits.filesPerIdea} files: ${room} more can be added here.`,
    ]);
  }
  const today = (await tx
    .select({ bytes: sql<number>`coalesce(sum(${ideaAttachments.size}), 0)` })
    .from(ideaAttachments)
    .where(and(eq(ideaAttachments.uploaderId, actor.id), gt(ideaAttachments.createdAt, now - dayMs)))
    .get())!.bytes;
  const adding = prepared.reduce((sum, p) => sum + p.size, 0);
  if (today + adding > limits.dailyBytes) {
    refuse([`You can upload ${formatBytes(limits.dailyBytes)} a day, and these files would go past it (${formatBytes(today)} uploaded in the last 24 hours). Try again tomorrow, or attach smaller files.`]);
  }
  const rows = await tx
    .insert(ideaAttachments)
    .values(
      prepared.map((p) => ({
        storageId: p.storageId,
        ideaId: idea.id,
        uploaderId: actor.id,
        name: p.name,
        type: p.type,
        size: p.size,
        storedSize: p.storedSize,
        width: p.width,
        height: p.height,
        cardWidth: p.cardWidth,
        cardHeight: p.cardHeight,
        createdAt: now,
      })),
    )
    .returning({ id: ideaAttachments.id })
    .all();
  for (const p of prepared) {
    for (const variant of variantsFor(p)) {
      const temp = p.temps[variant];
      const target = storedPath(p.storageId, variant);
      if (temp) {
        moveIntoPlace(temp, target);
        delete p.temps[variant];
      } else if (!existsSync(target)) {
        // No temporary file is fine only when an earlier run of this transaction (PostgreSQL runs
        // it again after a serialization failure) moved it into place already.
        throw new Error("A prepared upload lost a file.");
      }
    }
    publishAfterCommit(() => committed.add(p));
  }
  return rows.map((r) => r.id);
}

const AttachInput = z.object({ ideaId: z.coerce.number().int().positive() });

/** Adds prepared uploads to an idea: its author or a co-author, while it may be edited. */
export async function attachToIdea(actor: SessionUser, input: unknown, prepared: PreparedUpload[], meta: { now?: number } = {}) {
  const now = meta.now ?? Date.now();
  const parsed = AttachInput.safeParse(input);
  if (!parsed.success) {
    discardPrepared(prepared);
    throw new NotFound("No such idea.");
  }
  if (prepared.length === 0) {
    throw new Invalid({ attachments: ["Choose a file to attach."] }, "Choose a file to attach.");
  }
  return await withPreparedFiles(prepared, async () => {
    await checkRateLimit(actor.id, "edit", now);
    return await transaction(async (tx) => {
      const { idea, jam } = await findIdeaForPage(tx, actor, parsed.data.ideaId);
      if (!await writesIdea(tx, idea, actor.id)) throw new NotFound("No such idea.");
      if (!editable(idea, jam, now)) throw new Conflict("This idea can no longer be changed, so files cannot be added to it.");
      const ids = await recordAttachmentsIn(tx, actor, idea, prepared, now);
      await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
      return { ideaId: idea.id, jamSlug: jam.slug, ids };
    });
  });
}

const RemoveInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  attachmentId: z.coerce.number().int().positive(),
});

/**
 * Removes an attachment from an idea: its writers while it may be edited, or a moderator at any
 * time (moderation hides, never deletes). The row and the file stay (the idea's history lists the
 * removal, moderators can still open it) until erasure or retention. Removing twice changes nothing.
 */
export async function removeAttachment(actor: SessionUser, input: unknown, meta: { now?: number } = {}) {
  const now = meta.now ?? Date.now();
  const parsed = RemoveInput.safeParse(input);
  if (!parsed.success) throw new NotFound("No such attachment.");
  await checkRateLimit(actor.id, "edit", now);
  return await transaction(async (tx) => {
    const { idea, jam } = await findIdeaForPage(tx, actor, parsed.data.ideaId);
    const moderator = can(actor.role, "manageJams");
    const writer = await writesIdea(tx, idea, actor.id);
    if (!writer && !moderator) throw new NotFound("No such attachment.");
    if (!moderator && !editable(idea, jam, now)) throw new Conflict("This idea can no longer be changed, so its files stay.");
    const row = await tx
      .select({ id: ideaAttachments.id })
      .from(ideaAttachments)
      .where(and(eq(ideaAttachments.id, parsed.data.attachmentId), eq(ideaAttachments.ideaId, idea.id)))
      .get();
    if (!row) throw new NotFound("No such attachment.");
    await tx.update(ideaAttachments)
      .set({ removedAt: now, removedById: actor.id })
      .where(and(eq(ideaAttachments.id, row.id), isNull(ideaAttachments.removedAt)))
      .run();
    await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    return { ideaId: idea.id, jamSlug: jam.slug };
  });
}

/** What a page shows of one attachment: never who uploaded it (an anonymous idea's file would name its author). */
export interface AttachmentView {
  id: number;
  name: string;
  type: AttachmentType;
  label: string;
  kind: "image" | "document";
  size: number;
  sizeText: string;
  href: string;
  cardHref: string | null;
  width: number | null;
  height: number | null;
  cardWidth: number | null;
  cardHeight: number | null;
  removedAt: number | null;
}

export type AttachmentsPanel = Awaited<ReturnType<typeof ideaAttachmentsPanel>>;

export interface ServedFile {
  path: string;
  contentType: string;
  disposition: string;
  size: number;
}

/**
 * Deletes the attachment rows of an uploader (erasure) or of a jam's ideas (retention) in the
 * caller's transaction, and their files once it has committed (never if it rolls back). Returns
 * how many rows went.
 */
export async function deleteAttachmentsIn(tx: Db, where: { uploaderId: number } | { jamId: number }): Promise<number> {
  const condition =
    "uploaderId" in where
      ? eq(ideaAttachments.uploaderId, where.uploaderId)
      : inArray(ideaAttachments.ideaId, tx.select({ id: ideas.id }).from(ideas).where(eq(ideas.jamId, where.jamId)));
  const rows = await tx.delete(ideaAttachments).where(condition).returning({ storageId: ideaAttachments.storageId, type: ideaAttachments.type }).all();
  if (rows.length > 0) publishAfterCommit(() => removeStored(rows));
  return rows.length;
}
