/**
 * Attachments on ideas: images and documents their writers add, the files on disk.
 * All times are UTC epoch milliseconds. The PostgreSQL twin of db/schema/attachments.ts.
 */
import { bigint, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ideas } from "./jams";
import { users } from "./people";
import { createdAt } from "./columns";
// The allowed values are the SQLite schema's, so the two cannot drift.
import { ATTACHMENT_TYPES } from "../../schema/attachments";

export { ATTACHMENT_TYPES };

export const ideaAttachments = pgTable(
  "idea_attachments",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    storageId: text("storage_id").notNull(),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    uploaderId: integer("uploader_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    type: text("type", { enum: ATTACHMENT_TYPES }).notNull(),
    size: integer("size").notNull(),
    storedSize: integer("stored_size").notNull(),
    width: integer("width"),
    height: integer("height"),
    cardWidth: integer("card_width"),
    cardHeight: integer("card_height"),
    createdAt: createdAt(),
    removedAt: bigint("removed_at", { mode: "number" }),
    removedById: integer("removed_by_id").references(() => users.id),
  },
  (t) => [
    uniqueIndex("idea_attachments_storage_uq").on(t.storageId),
    index("idea_attachments_idea_idx").on(t.ideaId, t.id),
    index("idea_attachments_uploader_idx").on(t.uploaderId, t.createdAt),
  ],
);
