/** A person's own learning network (/network/me): the suggestions they said "not interested" to. */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./people";
import { createdAt } from "./columns";

export const DISMISSAL_KINDS = ["community", "person"] as const;
export type DismissalKind = (typeof DISMISSAL_KINDS)[number];

/**
 * "Not interested": a suggestion (a community to join, a person to meet) one person dismissed for
 * themselves. Kept until they erase their account; one row per (person, kind, target).
 */
export const networkDismissals = sqliteTable(
  "network_dismissals",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: DISMISSAL_KINDS }).notNull(),
    targetId: integer("target_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.targetId] }), index("network_dismissals_target_idx").on(t.kind, t.targetId)],
);
