/**
 * Attachments on ideas: images and documents their writers add. The files live on disk under the
 * attachments folder (app/services/effects/attachment-store.server.ts), named by `storage_id` (random,
 * never the uploaded name); a row says whose, what was checked and whether it was removed.
 * All times are UTC epoch milliseconds.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ideas } from "./jams";
import { users } from "./people";
import { createdAt } from "./columns";
import { ATTACHMENT_TYPES, type AttachmentType } from "../../app/domain/attachments";

export { ATTACHMENT_TYPES, type AttachmentType };

/**
 * One file attached to an idea. An image is kept only as its two re-encoded renditions (card and
 * page size, metadata stripped); a document as uploaded. Removing one sets `removed_at` (it stays
 * in the idea's history and for moderators, the file kept) until erasure or retention deletes it.
 */
export const ideaAttachments = sqliteTable(
  "idea_attachments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** 32 hex characters (128 random bits): the address (/attachments/:storageId) and the file names on disk. */
    storageId: text("storage_id").notNull(),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    uploaderId: integer("uploader_id")
      .notNull()
      .references(() => users.id),
    /** The uploaded name, cleaned (shown and used in Content-Disposition; never a path). */
    name: text("name").notNull(),
    type: text("type", { enum: ATTACHMENT_TYPES }).notNull(),
    /** Bytes as uploaded (what counts against the limits). */
    size: integer("size").notNull(),
    /** Bytes kept on disk (for an image, its two renditions). */
    storedSize: integer("stored_size").notNull(),
    /** An image's page-size rendition and card-size rendition, in pixels; null for a document. */
    width: integer("width"),
    height: integer("height"),
    cardWidth: integer("card_width"),
    cardHeight: integer("card_height"),
    createdAt: createdAt(),
    removedAt: integer("removed_at"),
    removedById: integer("removed_by_id").references(() => users.id),
  },
  (t) => [
    uniqueIndex("idea_attachments_storage_uq").on(t.storageId),
    index("idea_attachments_idea_idx").on(t.ideaId, t.id),
    index("idea_attachments_uploader_idx").on(t.uploaderId, t.createdAt),
  ],
);

export type IdeaAttachment = typeof ideaAttachments.$inferSelect;
