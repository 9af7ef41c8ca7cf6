/**
 * Idea templates: the extra fields a challenge asks of each idea (a facilitator defines them), the
 * answers ideas give, and the answers as they stood at each version of an idea (its history).
 * All times are UTC epoch milliseconds.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { challenges, ideas } from "./jams";
import { users } from "./people";
import { createdAt } from "./columns";

export const TEMPLATE_FIELD_KINDS = ["short_text", "long_text", "number", "choice", "yes_no", "link"] as const;
export type TemplateFieldKind = (typeof TEMPLATE_FIELD_KINDS)[number];

/**
 * One field of a challenge's idea template, in `position` order. A field removed after ideas
 * answered it is retired (`retired_at`), never deleted: its answers stay, in the CSV and in the
 * ideas' history. `options` is a JSON list of the choices (kind "choice"); `min`, `max` and `unit`
 * are for numbers.
 */
export const templateFields = sqliteTable(
  "template_fields",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    position: integer("position").notNull(),
    label: text("label").notNull(),
    help: text("help").notNull().default(""),
    kind: text("kind", { enum: TEMPLATE_FIELD_KINDS }).notNull(),
    required: integer("required", { mode: "boolean" }).notNull().default(false),
    options: text("options").notNull().default("[]"),
    min: real("min"),
    max: real("max"),
    unit: text("unit").notNull().default(""),
    retiredAt: integer("retired_at"),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("template_fields_challenge_idx").on(t.challengeId, t.position)],
);

/**
 * An idea's answer to a field: the text as typed (a choice's option, "yes"/"no", a link, a number
 * as written in canonical form) and, for a number, the number itself so filters can compare it.
 * One row per (idea, field); an empty answer is no row.
 */
export const ideaFieldValues = sqliteTable(
  "idea_field_values",
  {
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    fieldId: integer("field_id")
      .notNull()
      .references(() => templateFields.id),
    value: text("value").notNull(),
    numberValue: real("number_value"),
  },
  (t) => [
    primaryKey({ columns: [t.ideaId, t.fieldId] }),
    // Filters on the challenge page: equals (choice, yes/no) and at least / at most (number).
    index("idea_field_values_value_idx").on(t.fieldId, t.value, t.ideaId),
    index("idea_field_values_number_idx").on(t.fieldId, t.numberValue, t.ideaId),
  ],
);

/**
 * The answers as they stood at one version of an idea (JSON: field id -> text), written when an
 * edit changes them (and, at the first change, version 1 from what was posted), so the history
 * shows field changes beside the text's.
 */
export const ideaFieldRevisions = sqliteTable(
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

export type TemplateField = typeof templateFields.$inferSelect;
