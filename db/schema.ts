import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";
import { CHOOSABLE_MAIL_KINDS, OUTBOX_KINDS } from "../app/domain/mail";
import { NOTICE_KINDS } from "../app/domain/notifications";
import { ROLES, type Role } from "../app/domain/permissions";

/** All times are UTC epoch milliseconds. */
const createdAt = () => integer("created_at").notNull();

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
    index("users_hidden_from_rankings_idx").on(t.departmentId).where(sql`${t.hiddenFromRankings} = 1`),
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

/** Settings an admin changes in the app (app/services/settings.server.ts): one JSON value a key. */
export const appSettings = sqliteTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: integer("updated_by").references(() => users.id),
});

/**
 * A CSV import of people an admin previewed (app/services/people-import.server.ts): the text as
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

export const jams = sqliteTable(
  "jams",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    isDraft: integer("is_draft", { mode: "boolean" }).notNull().default(false),
    /**
     * When the people who took part were told the jam ended (its results page): set once, by a
     * conditional update in the same transaction as the notices, so they go out exactly once.
     */
    resultsSentAt: integer("results_sent_at"),
    /** The facilitator's overrides of the default point rules (JSON), null for defaults. */
    pointRules: text("point_rules"),
    leaderboardsHidden: integer("leaderboards_hidden", { mode: "boolean" }).notNull().default(false),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("jams_ends_idx").on(t.endsAt)],
);

export const challenges = sqliteTable(
  "challenges",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    title: text("title").notNull(),
    question: text("question").notNull(),
    position: integer("position").notNull().default(0),
    /** support (up-votes), stance (agree/disagree/pass, as Polis) or dots (a budget to spend). */
    voteMode: text("vote_mode", { enum: ["support", "stance", "dots"] }).notNull().default("support"),
    dotBudget: integer("dot_budget").notNull().default(10),
    dotMaxPerIdea: integer("dot_max_per_idea").notNull().default(3),
    createdAt: createdAt(),
  },
  (t) => [index("challenges_jam_idx").on(t.jamId, t.position)],
);

export const ideas = sqliteTable(
  "ideas",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    isAnonymous: integer("is_anonymous", { mode: "boolean" }).notNull().default(false),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    /** Set by the form when it renders: a double submit carries the same key. */
    clientKey: text("client_key").notNull(),
    /** Kept equal to count(votes) inside the vote transaction. */
    voteCount: integer("vote_count").notNull().default(0),
    /** Kept equal to count(visible comments) inside the comment transaction. */
    commentCount: integer("comment_count").notNull().default(0),
    hiddenAt: integer("hidden_at"),
    hiddenReason: text("hidden_reason"),
    /** How many times it has been hidden: each hide reverses points under a new generation. */
    hideCount: integer("hide_count").notNull().default(0),
    pinnedAt: integer("pinned_at"),
    tag: text("tag", { enum: ["emerging", "best"] }),
    /** Set when a facilitator merged this duplicate into another idea (it is then hidden). */
    mergedIntoId: integer("merged_into_id").references((): AnySQLiteColumn => ideas.id),
    agreeCount: integer("agree_count").notNull().default(0),
    disagreeCount: integer("disagree_count").notNull().default(0),
    passCount: integer("pass_count").notNull().default(0),
    dotCount: integer("dot_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ideas_author_client_key_uq").on(t.authorId, t.clientKey),
    index("ideas_challenge_new_idx").on(t.challengeId, t.id),
    index("ideas_challenge_top_idx").on(t.challengeId, t.voteCount, t.id),
    index("ideas_jam_new_idx").on(t.jamId, t.id),
    index("ideas_jam_top_idx").on(t.jamId, t.voteCount, t.id),
    index("ideas_author_idx").on(t.authorId, t.id),
    index("ideas_challenge_stance_idx").on(t.challengeId, t.agreeCount),
    index("ideas_challenge_dots_idx").on(t.challengeId, t.dotCount, t.id),
    index("ideas_jam_time_idx").on(t.jamId, t.createdAt),
    // A challenge page shows its pinned ideas first: a handful among thousands.
    index("ideas_challenge_pinned_idx").on(t.challengeId, t.pinnedAt).where(sql`${t.pinnedAt} IS NOT NULL`),
  ],
);

export const comments = sqliteTable(
  "comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    parentId: integer("parent_id").references((): AnySQLiteColumn => comments.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    clientKey: text("client_key").notNull(),
    hiddenAt: integer("hidden_at"),
    hiddenReason: text("hidden_reason"),
    hideCount: integer("hide_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("comments_author_client_key_uq").on(t.authorId, t.clientKey),
    index("comments_idea_idx").on(t.ideaId, t.id),
    index("comments_author_idx").on(t.authorId, t.id),
    index("comments_parent_idx").on(t.parentId),
    index("comments_time_idx").on(t.createdAt),
  ],
);

export const votes = sqliteTable(
  "votes",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    /** Denormalised so "trending in this challenge" reads one index range. */
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.ideaId] }),
    index("votes_idea_idx").on(t.ideaId),
    index("votes_challenge_time_idx").on(t.challengeId, t.createdAt),
    index("votes_user_time_idx").on(t.userId, t.createdAt),
    index("votes_time_idx").on(t.createdAt),
  ],
);

/**
 * The points ledger: append-only. Each row is unique per (person, reason,
 * source), so an action can never score twice; hiding content adds
 * compensating rows instead of deleting any.
 */
export const pointEntries = sqliteTable(
  "point_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    /** The earner's department when the points were earned (department leaderboards). */
    departmentId: integer("department_id"),
    reason: text("reason").notNull(),
    /** What earned it, e.g. `idea:12`, `vote:12:7`, `day:20415`, `entry:55:1`. */
    source: text("source").notNull(),
    /** The content it depends on (`idea:12`, `comment:9`), so hiding it finds the entries. */
    subject: text("subject"),
    points: integer("points").notNull(),
    /** UTC day number, for the daily cap. */
    day: integer("day").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("point_entries_once_uq").on(t.userId, t.reason, t.source),
    index("point_entries_user_jam_day_idx").on(t.userId, t.jamId, t.day),
    index("point_entries_subject_idx").on(t.subject),
    index("point_entries_jam_idx").on(t.jamId),
  ],
);

/**
 * Maintained aggregate of the ledger, written in the same transaction as each
 * entry and rebuilt by `npm run gamification:reconcile`. scope 0 = all jams.
 */
export const pointTotals = sqliteTable(
  "point_totals",
  {
    scope: integer("scope").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    total: integer("total").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.userId] }),
    // Highest total first, then the earlier person: the leaderboard order itself.
    index("point_totals_board_idx").on(t.scope, sql`${t.total} DESC`, t.userId),
    index("point_totals_user_idx").on(t.userId),
  ],
);

export const departmentTotals = sqliteTable(
  "department_totals",
  {
    scope: integer("scope").notNull(),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id),
    total: integer("total").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.departmentId] })],
);

/** A person's level of each badge; seenLevel is what they have been told about. */
export const userBadges = sqliteTable(
  "user_badges",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    badgeKey: text("badge_key").notNull(),
    level: integer("level").notNull(),
    seenLevel: integer("seen_level").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.badgeKey] })],
);

/** Votes by one person on one author's ideas beyond the serial-voting threshold. */
export const serialVoteReports = sqliteTable(
  "serial_vote_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    voterId: integer("voter_id")
      .notNull()
      .references(() => users.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    votes: integer("votes").notNull(),
    firstAt: integer("first_at").notNull(),
    lastAt: integer("last_at").notNull(),
  },
  (t) => [uniqueIndex("serial_vote_reports_uq").on(t.jamId, t.voterId, t.authorId), index("serial_vote_reports_jam_idx").on(t.jamId, t.lastAt)],
);

export const STANCES = ["agree", "disagree", "pass"] as const;

/** Stance votes (Polis-style): one per person per idea, which the person can change. */
export const stanceVotes = sqliteTable(
  "stance_votes",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    stance: text("stance", { enum: STANCES }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.ideaId] }),
    index("stance_votes_idea_idx").on(t.ideaId),
    index("stance_votes_challenge_user_idx").on(t.challengeId, t.userId),
  ],
);

/** Dots a person placed on an idea in a dots-mode challenge (within the challenge's budget). */
export const dotAllocations = sqliteTable(
  "dot_allocations",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    dots: integer("dots").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.ideaId] }),
    index("dot_allocations_user_challenge_idx").on(t.userId, t.challengeId),
    index("dot_allocations_idea_idx").on(t.ideaId),
  ],
);

export const announcements = sqliteTable(
  "announcements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    /** Null for a jam-wide announcement. */
    challengeId: integer("challenge_id").references(() => challenges.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("announcements_jam_idx").on(t.jamId, t.id)],
);

/** A participant's flag on an idea or comment; facilitators resolve flags from the queue. */
export const flags = sqliteTable(
  "flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    targetType: text("target_type", { enum: ["idea", "comment"] }).notNull(),
    targetId: integer("target_id").notNull(),
    reporterId: integer("reporter_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
    resolvedAt: integer("resolved_at"),
    resolvedBy: integer("resolved_by").references(() => users.id),
    resolution: text("resolution"),
  },
  (t) => [
    uniqueIndex("flags_once_uq").on(t.reporterId, t.targetType, t.targetId),
    index("flags_queue_idx").on(t.jamId, t.resolvedAt, t.id),
  ],
);

/** Notes facilitators leave for the next shift in the command centre. */
export const handoffNotes = sqliteTable(
  "handoff_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("handoff_notes_jam_idx").on(t.jamId, t.id)],
);

export type User = typeof users.$inferSelect;
export type { Role };
export type Jam = typeof jams.$inferSelect;
export type Challenge = typeof challenges.$inferSelect;
export type Idea = typeof ideas.$inferSelect;
export type Comment = typeof comments.$inferSelect;

/** A synthesis computation for a jam (or one challenge), run off the request path in a worker thread. */
export const synthesisRuns = sqliteTable(
  "synthesis_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    challengeId: integer("challenge_id").references(() => challenges.id),
    status: text("status", { enum: ["queued", "running", "done", "failed"] }).notNull(),
    /** 0..100 */
    progress: integer("progress").notNull().default(0),
    requestedK: integer("requested_k"),
    seed: integer("seed").notNull(),
    startedBy: integer("started_by")
      .notNull()
      .references(() => users.id),
    startedAt: integer("started_at").notNull(),
    /** The last sign of life from the process running it: a run silent for long is picked up again. */
    heartbeatAt: integer("heartbeat_at"),
    finishedAt: integer("finished_at"),
    error: text("error"),
    /** The version this run produced. */
    versionId: integer("version_id"),
  },
  (t) => [index("synthesis_runs_jam_idx").on(t.jamId, t.id)],
);

/**
 * A set of themes. A run writes a "generated" version; the first curation edit
 * copies it into a "curated" version, so re-running never overwrites edits.
 */
export const synthesisVersions = sqliteTable(
  "synthesis_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    challengeId: integer("challenge_id").references(() => challenges.id),
    number: integer("number").notNull(),
    kind: text("kind", { enum: ["generated", "curated"] }).notNull(),
    basedOnId: integer("based_on_id"),
    /** Opinion groups, consensus and divisive ideas for stance challenges (JSON). */
    opinions: text("opinions"),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at").notNull(),
    publishedAt: integer("published_at"),
  },
  (t) => [uniqueIndex("synthesis_versions_number_uq").on(t.jamId, t.number), index("synthesis_versions_published_idx").on(t.jamId, t.publishedAt)],
);

export const themes = sqliteTable(
  "themes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    versionId: integer("version_id")
      .notNull()
      .references(() => synthesisVersions.id),
    label: text("label").notNull(),
    /** One sentence drawn from the theme's representative ideas; "" for Other and for themes made before it was kept. */
    summary: text("summary").notNull().default(""),
    /** JSON array of keywords. */
    keywords: text("keywords").notNull(),
    /** JSON array of idea ids, most representative first. */
    representatives: text("representatives").notNull(),
    isOther: integer("is_other", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull().default(0),
    /**
     * Two levels: the top-level theme (same version) this sub-theme belongs to; null for a
     * top-level theme. Ideas belong to themes without sub-themes only.
     */
    parentId: integer("parent_id").references((): AnySQLiteColumn => themes.id),
  },
  (t) => [index("themes_version_idx").on(t.versionId, t.position), index("themes_parent_idx").on(t.parentId)],
);

export const themeIdeas = sqliteTable(
  "theme_ideas",
  {
    versionId: integer("version_id")
      .notNull()
      .references(() => synthesisVersions.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    themeId: integer("theme_id")
      .notNull()
      .references(() => themes.id),
    excluded: integer("excluded", { mode: "boolean" }).notNull().default(false),
    x: real("x").notNull().default(0),
    y: real("y").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.ideaId] }), index("theme_ideas_theme_idx").on(t.themeId)],
);

export const ACTION_STATUSES = ["proposed", "approved", "in_progress", "done", "declined"] as const;

/** A follow-up action a leader or facilitator decided on, tracked to an outcome. */
export const followUpActions = sqliteTable(
  "follow_up_actions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    themeId: integer("theme_id").references(() => themes.id),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => users.id),
    dueDate: integer("due_date"),
    status: text("status", { enum: ACTION_STATUSES }).notNull().default("proposed"),
    declineReason: text("decline_reason"),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("actions_jam_idx").on(t.jamId, t.status), index("actions_owner_idx").on(t.ownerId, t.status)],
);

/** The ideas an action grew from (their authors hear about it). */
export const actionIdeas = sqliteTable(
  "action_ideas",
  {
    actionId: integer("action_id")
      .notNull()
      .references(() => followUpActions.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.ideaId] }), index("action_ideas_idea_idx").on(t.ideaId)],
);

/** In-app notifications. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    /** What kind of news (app/domain/notifications.ts): the person's settings choose the kinds they get. */
    kind: text("kind", { enum: NOTICE_KINDS }).notNull().default("actions"),
    body: text("body").notNull(),
    link: text("link"),
    /** Identifies what it is about, so the same news is not sent twice (grouped news is updated in place). */
    dedupeKey: text("dedupe_key").notNull(),
    /** The jam it is about: while that jam is a draft, only people who may open drafts see it. */
    jamId: integer("jam_id").references(() => jams.id),
    /** The idea it is about: while that idea is hidden, only its author and moderators see it. */
    ideaId: integer("idea_id").references(() => ideas.id),
    /** How many pieces of news a grouped notification stands for ("5 people supported your idea"); 1 otherwise. */
    count: integer("count").notNull().default(1),
    /** When it was written, or last updated with new news (grouped ones): the list is newest first by it. */
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    uniqueIndex("notifications_once_uq").on(t.userId, t.dedupeKey),
    index("notifications_user_idx").on(t.userId, t.readAt, t.id),
    index("notifications_user_time_idx").on(t.userId, t.createdAt, t.id),
  ],
);

/** Kinds of notification a person chose not to get (everything is on until they switch a kind off). */
export const notificationOptOuts = sqliteTable(
  "notification_opt_outs",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: NOTICE_KINDS }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/**
 * People a facilitator invited to a jam (everyone, a department or a pasted list). One row per
 * person and jam, so inviting again reaches nobody twice. The invitation e-mail goes when the row
 * is written for a published jam, and for a draft when it is scheduled (`mailed_at` says when).
 * A jam with invitations tells its invitees (and the people who took part) about its opening,
 * pulse and reminder; a jam without any tells everyone.
 */
export const jamInvitations = sqliteTable(
  "jam_invitations",
  {
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    invitedBy: integer("invited_by").references(() => users.id),
    invitedAt: integer("invited_at").notNull(),
    /** When the invitation e-mail was queued; null while the jam is a draft. */
    mailedAt: integer("mailed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.jamId, t.userId] }),
    index("jam_invitations_user_idx").on(t.userId),
    index("jam_invitations_unmailed_idx").on(t.jamId).where(sql`${t.mailedAt} IS NULL`),
  ],
);

/**
 * A jam's mailings to many people that the clock brings (its opening, a day's pulse, the
 * reminder): claimed once per jam and occasion (the primary key), then worked through in batches
 * of people by id, each batch one transaction that moves `done_through` on, so a mailing that a
 * dying process left half done is finished by the next, and nobody gets it twice.
 */
export const jamMailings = sqliteTable(
  "jam_mailings",
  {
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    /** `opening`, `reminder` or `pulse:<day>` (days counted from the jam's start). */
    occasion: text("occasion").notNull(),
    /** The period a pulse tells about: [since, until). */
    since: integer("since"),
    until: integer("until"),
    startedAt: integer("started_at").notNull(),
    /** The highest person id the mailing has been through. */
    doneThrough: integer("done_through").notNull().default(0),
    /** How many messages it queued (people with nothing new get no pulse). */
    queued: integer("queued").notNull().default(0),
    finishedAt: integer("finished_at"),
  },
  (t) => [primaryKey({ columns: [t.jamId, t.occasion] }), index("jam_mailings_unfinished_idx").on(t.startedAt).where(sql`${t.finishedAt} IS NULL`)],
);

/** A participant follows a person or a theme (by its label within a jam's published synthesis). */
export const follows = sqliteTable(
  "follows",
  {
    followerId: integer("follower_id")
      .notNull()
      .references(() => users.id),
    targetType: text("target_type", { enum: ["person", "theme"] }).notNull(),
    targetId: integer("target_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.followerId, t.targetType, t.targetId] }), index("follows_target_idx").on(t.targetType, t.targetId)],
);

/** The interaction graph and its rankings, computed off the request path and cached per jam (0 = all jams). */
export const networkSnapshots = sqliteTable(
  "network_snapshots",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scope: integer("scope").notNull(),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
    computedAt: integer("computed_at").notNull(),
    /** JSON: nodes, weighted edges, rankings, department matrix. */
    data: text("data"),
    error: text("error"),
  },
  (t) => [index("network_snapshots_scope_idx").on(t.scope, t.id)],
);

// ---------------------------------------------------------------------------
// E-mail (app/mail): a durable outbox the sender works through in the background.

/**
 * Every message to send, written in the transaction of what it is about and sent later by
 * whichever server process claims it (`claimed_by` until `claimed_until`, a conditional update,
 * so one process sends each). Its Message-ID is made here, once: a message sent again after a
 * crash carries the same one. Without SMTP_URL, "sending" keeps the message here, where an admin
 * reads it (/admin/mail).
 */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** `<random@domain>`, made when the message is queued and sent with every attempt. */
    messageId: text("message_id").notNull().unique(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    /** The address when the message was queued. */
    toAddress: text("to_address").notNull(),
    kind: text("kind", { enum: OUTBOX_KINDS }).notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    /** JSON object of extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
    headers: text("headers").notNull().default("{}"),
    status: text("status", { enum: ["queued", "sent", "failed", "cancelled"] }).notNull().default("queued"),
    /** How it went out: `smtp`, or `local` (kept here for the admin: no SMTP_URL). */
    transport: text("transport", { enum: ["smtp", "local"] }),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    claimedBy: text("claimed_by"),
    claimedUntil: integer("claimed_until"),
    lastError: text("last_error"),
    sentAt: integer("sent_at"),
    /** What triggered it, per person: the same trigger again queues nothing. */
    dedupeKey: text("dedupe_key").notNull(),
    jamId: integer("jam_id").references(() => jams.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mail_outbox_once_uq").on(t.userId, t.dedupeKey),
    // The sender's question: what is due now.
    index("mail_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    index("mail_outbox_status_idx").on(t.status, t.id),
  ],
);

/**
 * Mail a person chose to get as a daily or weekly digest: collected at `due_at` into one message
 * per person (`outbox_id` set in the same transaction), so each item goes out once.
 */
export const mailDigestItems = sqliteTable(
  "mail_digest_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: CHOOSABLE_MAIL_KINDS }).notNull(),
    delivery: text("delivery", { enum: ["daily", "weekly"] }).notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    dedupeKey: text("dedupe_key").notNull(),
    jamId: integer("jam_id").references(() => jams.id),
    dueAt: integer("due_at").notNull(),
    /** The digest message it went out in (null until collected). */
    outboxId: integer("outbox_id").references(() => mailOutbox.id),
    /** Set when collected without being sent (the person switched the kind off, or left). */
    droppedAt: integer("dropped_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mail_digest_items_once_uq").on(t.userId, t.dedupeKey),
    index("mail_digest_items_due_idx").on(t.dueAt, t.userId).where(sql`${t.outboxId} IS NULL AND ${t.droppedAt} IS NULL`),
  ],
);

/** How a person chose to receive a kind of mail; a kind with no row gets its default (app/domain/mail.ts). */
export const mailPreferences = sqliteTable(
  "mail_preferences",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: CHOOSABLE_MAIL_KINDS }).notNull(),
    delivery: text("delivery", { enum: ["immediately", "daily", "weekly", "never"] }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** Password reset links: only the SHA-256 of the token is stored; each works once, for 30 minutes. */
export const passwordResetTokens = sqliteTable(
  "password_reset_tokens",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("password_reset_tokens_user_idx").on(t.userId)],
);

/** Address check links for password accounts: the SHA-256 of the token, the address it checks, once, for 7 days. */
export const emailCheckTokens = sqliteTable(
  "email_check_tokens",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    email: text("email").notNull(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("email_check_tokens_user_idx").on(t.userId)],
);

// ---------------------------------------------------------------------------
// What the server processes share (app/coordination): one SQLite file, several processes.

/**
 * Live events, in the order they happened across every process: each process delivers them to
 * its own streams in id order, and a reconnecting browser gets what it missed from any process.
 * Old rows are pruned (the newest LIVE_EVENTS_KEPT stay).
 */
export const liveEvents = sqliteTable(
  "live_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id").notNull(),
    type: text("type").notNull(),
    /** JSON. */
    data: text("data").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("live_events_jam_idx").on(t.jamId, t.id)],
);

/** Per-person rate limits: each key's recent hits (JSON array of epoch ms), counted by every process. */
export const rateHits = sqliteTable("rate_hits", {
  key: text("key").primaryKey(),
  hits: text("hits").notNull(),
  /** The newest hit, for sweeping out idle keys. */
  lastAt: integer("last_at").notNull(),
});

/** Background work that must run in one process at a time: who holds it, until when. */
export const leases = sqliteTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/**
 * Open live streams (Server-Sent Events), so a person's streams can be counted across every
 * process. A stream renews its row while it runs; a row whose process died expires by itself.
 */
export const liveStreams = sqliteTable(
  "live_streams",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("live_streams_user_idx").on(t.userId, t.expiresAt), index("live_streams_expiry_idx").on(t.expiresAt)],
);
