/**
 * Idea templates: the extra fields a challenge asks of each idea, the answers ideas give, and the
 * answers at each version of an idea. The PostgreSQL twin of db/schema/templates.ts.
 */
import { bigint, boolean, doublePrecision, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { challenges, ideas } from "./jams";
import { users } from "./people";
import { createdAt } from "./columns";
// The allowed values are the SQLite schema's, so the two cannot drift.
import { TEMPLATE_FIELD_KINDS } from "../../schema/templates";

export { TEMPLATE_FIELD_KINDS };

export const templateFields = pgTable(
  "template_fields",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    position: integer("position").notNull(),
    label: text("label").notNull(),
    help: text("help").notNull().default(""),
    kind: text("kind", { enum: TEMPLATE_FIELD_KINDS }).notNull(),
    required: boolean("required").notNull().default(false),
    options: text("options").notNull().default("[]"),
    min: doublePrecision("min"),
    max: doublePrecision("max"),
    unit: text("unit").notNull().default(""),
    retiredAt: bigint("retired_at", { mode: "number" }),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("template_fields_challenge_idx").on(t.challengeId, t.position)],
);

export const ideaFieldValues = pgTable(
  "idea_field_values",
  {
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    fieldId: integer("field_id")
      .notNull()
      .references(() => templateFields.id),
    value: text("value").notNull(),
    numberValue: doublePrecision("number_value"),
  },
  (t) => [
    primaryKey({ columns: [t.ideaId, t.fieldId] }),
    index("idea_field_values_value_idx").on(t.fieldId, t.value, t.ideaId),
    index("idea_field_values_number_idx").on(t.fieldId, t.numberValue, t.ideaId),
  ],
);

export const ideaFieldRevisions = pgTable(
  "idea_field_revisions",
  {
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    version: integer("version").notNull(),
    answers: text("answers").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ideaId, t.version] })],
);
