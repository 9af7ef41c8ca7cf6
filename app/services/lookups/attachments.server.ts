/** Reads of idea attachments that pages and commands share (the idea page's part and serving a file: pages/attachments.server.ts). */
import { and, eq, isNull, asc, inArray, sql } from "drizzle-orm";
import { readFileSync } from "fs";
import { TYPE_INFO, formatBytes } from "~/domain/attachments";
import { attachmentLimits } from "~/http/attachment-limits";
import { storedPath } from "~/services/effects/attachment-store.server";
import type { Db } from "~db/client";
import { ideaAttachments, type Idea, type Jam } from "~db/schema";
import { phaseAllows, jamPhase } from "~/domain/phase";

export function attachmentHref(storageId: string, variant: "page" | "card" | "file" = "file"): string {
  return variant === "card" ? `/attachments/${storageId}/card` : `/attachments/${storageId}`;
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
