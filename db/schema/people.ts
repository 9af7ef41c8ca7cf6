/** People, their sign-ins and the company's settings and audit log. All times are UTC epoch milliseconds. */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { ROLES, type Role } from "../../app/domain/permissions";
import { createdAt } from "./columns";

export const departments = sqliteTable(
  "departments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull().unique(),
    /** The company directory's id for the group this department is (SCIM Group `externalId`). */
    externalId: text("external_id"),
    /**
     * Set once the company directory manages who is in it (a SCIM group created, renamed or given
     * members through /scim/v2/Groups): then the directory's group membership decides a member's
     * department, and the enterprise `department` attribute no longer moves them out of it.
     */
    directoryGroupAt: integer("directory_group_at"),
    /** Set when the directory deleted the group: its members left it; it stays for the history that names it. */
    archivedAt: integer("archived_at"),
    /** Unknown (null) for departments made before these were kept. */
    createdAt: integer("created_at"),
    updatedAt: integer("updated_at"),
  },
  (t) => [uniqueIndex("departments_external_id_idx").on(t.externalId).where(sql`${t.externalId} IS NOT NULL`)],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    /** argon2id; empty for an account that signs in only through the company's sign-on (no password can match it). */
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("participant"),
    departmentId: integer("department_id").references(() => departments.id),
    /**
     * The person opted out of rankings: leaderboards and department boards leave them (and their
     * points) out, their profile shows their points and rank to them alone, and network pages
     * show them unnamed.
     */
    hiddenFromRankings: integer("hidden_from_rankings", { mode: "boolean" }).notNull().default(false),
    /** Set when an admin deactivated the account: no sign-in, no session; what they wrote stays. */
    deactivatedAt: integer("deactivated_at"),
    /** When the person proved they read mail at `email` (password accounts; sign-on accounts are vouched for by their provider). */
    emailVerifiedAt: integer("email_verified_at"),
    /** The company directory's id for the person (SCIM `externalId`, CSV import), when one keeps them in sync. */
    externalId: text("external_id"),
    /** Set when the account was erased: name and e-mail are gone; what they wrote shows as "Former participant". */
    erasedAt: integer("erased_at"),
    createdAt: createdAt(),
    /** When the person's name, e-mail, team, role, directory id or active state last changed (null: never since created). */
    updatedAt: integer("updated_at"),
  },
  (t) => [
    index("users_department_idx").on(t.departmentId),
    index("users_name_idx").on(t.name),
    // The few who opted out of rankings, so ranks and department totals can leave them out cheaply.
    index("users_hidden_from_rankings_idx").on(t.departmentId).where(sql`${t.hiddenFromRankings} = TRUE`),
    uniqueIndex("users_external_id_idx").on(t.externalId).where(sql`${t.externalId} IS NOT NULL`),
    // The few erased accounts, so the people network and rankings can leave them out cheaply.
    index("users_erased_idx").on(t.id).where(sql`${t.erasedAt} IS NOT NULL`),
  ],
);

/** Only the SHA-256 of a session token is stored (hex), never the token. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Sign-on identities: the company provider's account that signs in as a person, keyed on
 * (issuer, subject) and never on an e-mail address (docs/decisions/014). The subject is the
 * provider's `sub`; on Entra ID it is `<tid>:<oid>` (tenant and object id), stable across app
 * registrations where `sub` is not.
 */
export const signOnIdentities = sqliteTable(
  "sign_on_identities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSignInAt: integer("last_sign_in_at"),
  },
  (t) => [uniqueIndex("sign_on_identities_key_idx").on(t.issuer, t.subject), index("sign_on_identities_user_idx").on(t.userId)],
);

/**
 * Sign-on attempts between leaving for the company's provider and coming back: kept here, not in a
 * cookie, so any server process can finish what another started. The browser's cookie holds only a
 * random token; `id` is its SHA-256. Each row is used once (deleted when the provider sends the
 * browser back) and expires after ten minutes.
 */
export const signOnAttempts = sqliteTable(
  "sign_on_attempts",
  {
    id: text("id").primaryKey(),
    state: text("state").notNull(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    /** The callback address sent to the provider, sent again with the code. */
    redirectUri: text("redirect_uri").notNull(),
    /** Where to go after signing in: a path on this site. */
    returnTo: text("return_to").notNull(),
    /** `sign_in`, or `connect`: a signed-in person (`userId`) connecting their company account. */
    purpose: text("purpose", { enum: ["sign_in", "connect"] }).notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sign_on_attempts_expiry_idx").on(t.expiresAt)],
);

/**
 * Secrets the server processes share, made once at random (the first process to need one writes
 * it): `session` signs device cookies (app/auth/secret.server.ts) unless SESSION_SECRET is set.
 */
export const appSecrets = sqliteTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});

/** Settings an admin changes in the app (app/services/lookups/settings.server.ts): one JSON value a key. */
export const appSettings = sqliteTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: integer("updated_by").references(() => users.id),
});

/**
 * A CSV import of people an admin previewed (app/services/commands/people-import.server.ts): the text as
 * uploaded, the digest of the plan the preview showed (applying checks it, so what is applied is
 * what was previewed), and once applied, the report of what changed. Rows go 7 days after they
 * were made.
 */
export const peopleImports = sqliteTable(
  "people_imports",
  {
    id: text("id").primaryKey(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at").notNull(),
    fileName: text("file_name"),
    csv: text("csv").notNull(),
    /** The preview as shown (JSON): counts, the changes row by row (the first few hundred), the errors. */
    preview: text("preview").notNull(),
    planDigest: text("plan_digest").notNull(),
    appliedAt: integer("applied_at"),
    /** What applying changed (JSON), once applied. */
    report: text("report"),
  },
  (t) => [index("people_imports_created_idx").on(t.createdAt)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: integer("actor_id").references(() => users.id),
    action: text("action").notNull(),
    subject: text("subject"),
    ip: text("ip"),
    detail: text("detail"),
  },
  (t) => [
    index("audit_action_subject_idx").on(t.action, t.subject, t.at),
    index("audit_action_ip_idx").on(t.action, t.ip, t.at),
    index("audit_at_idx").on(t.at),
    // A person's own rows (their data archive) and rows about them (erasure scrubs their e-mail).
    index("audit_actor_idx").on(t.actorId, t.at),
    index("audit_subject_idx").on(t.subject),
  ],
);

export type User = typeof users.$inferSelect;

export type { Role };
