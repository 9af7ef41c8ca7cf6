/** A person's own learning network (/network/me): the suggestions they said "not interested" to. */
import { bigint, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { DISMISSAL_KINDS } from "../../schema/my-network";
import { users } from "./people";

export { DISMISSAL_KINDS };

export const networkDismissals = pgTable(
  "network_dismissals",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: DISMISSAL_KINDS }).notNull(),
    targetId: integer("target_id").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.targetId] }), index("network_dismissals_target_idx").on(t.kind, t.targetId)],
);
