/**
 * "Download your data": everything a person wrote and everything the app holds about them, as
 * one ZIP with `data.json` (all of it, nested as it is), one CSV per kind of row, and a README
 * that says what each file holds and what is left out and why.
 *
 * Table by table (db/schema/), what is in it:
 *
 * | table | in the archive |
 * |---|---|
 * | users | profile: name, e-mail, role, team, ranking choice, verified / directory id / dates. Not the password hash (a secret, of no use to them, and a weapon to anyone who steals the file) |
 * | departments | their team's name |
 * | sessions | when each sign-in started and when it expires. Never the id (the token's hash) |
 * | ideas | every idea they wrote, anonymous ones included (they are theirs), hidden ones with the reason |
 * | comments | every comment they wrote, with the idea it is on (its title only when the idea is visible or theirs) |
 * | idea_revisions, comment_revisions | every version they wrote of an idea or a comment (their own, co-authored, or a change of theirs accepted) |
 * | idea_coauthors | the ideas they were invited to co-author, and their answer (not who else co-authors) |
 * | idea_amendments | the changes they proposed to ideas, and what became of them |
 * | idea_field_values, template_fields | their ideas' answers to the challenges' idea templates (each with the field's label) |
 * | idea_field_revisions | the answers at each version of their ideas that changed them |
 * | idea_attachments | the files they attached to ideas (name, type, size, dates; removed ones too), and the files themselves in attachments/ (an image as its page-size copy, the only one kept) |
 * | votes, stance_votes, dot_allocations | their own votes, stances and dots (the idea's title as above) |
 * | point_entries, point_totals | their points, each with its reason, jam and the content it is about; not the ledger's `source` (a support's source names the voter) |
 * | user_badges | their badges and levels |
 * | notifications, notification_opt_outs | their notifications and the kinds they switched off |
 * | follows | whom and which themes they follow; of their followers, only how many (following someone is the follower's own business) |
 * | audit_log | rows they did (with their address) and rows about them (their account, their e-mail); of rows by someone else, not who or from where |
 * | jams, announcements, handoff_notes, flags, synthesis_runs, synthesis_versions, follow_up_actions | what they created, posted, flagged, ran or own |
 * | serial_vote_reports | reports about their own voting; not reports where they are the author (those name the voter) |
 * | app_settings | settings they last changed |
 * | sign_on_identities | the company accounts that sign in as them (provider, their id there, dates) |
 * | people_imports | imports of people they ran (when, the file's name, when applied); not the file, which lists other people |
 * | mail_outbox, mail_digest_items | e-mail to them: each message's kind, subject, state and dates (the bodies repeat what is here) |
 * | mail_preferences | how they chose to get each kind of e-mail |
 * | jam_invitations | jams they were invited to, and when (not who invited them) |
 * | communities, community_members, community_resources, community_seeds | communities they belong to (their state), proposed (with the decision) or steward, resources they added, challenges they seeded; not the other members |
 * | network_dismissals | the suggestions (communities to join, people to meet) they said "not interested" to, and when; not who dismissed them |
 * | questions, answers, question_flags | what they asked, answered (replies too) and flagged, hidden ones with the reason |
 * | question_routes | the questions they were asked and whether they passed them on; never who else a question went to, nor lines they wait in unasked |
 * | question_opt_outs | whether they may be asked questions |
 * | password_reset_tokens, email_check_tokens | when they asked for a reset or an address check, and whether it was used; never the token |
 *
 * Left out: other people's votes on their ideas by name (only the counts), other people's
 * anonymous authorship, other people's e-mails; department_totals, themes, theme_ideas,
 * action_ideas, challenges, jam_mailings (about no one); network_snapshots (derived figures, recomputed from
 * what is here); live_events, live_streams, rate_hits, leases, app_secrets, sign_on_attempts
 * (short-lived machinery or the app's own secrets).
 */
import { strToU8, zipSync } from "fflate";
import { sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { csvDocument } from "~/domain/export-format";
import { DATA_EXPORT_LIMITS, dataExportThrottledMessage } from "~/domain/rate-limits";
import { transaction, type Db } from "~db/client";
import { joinedText } from "~db/dialect";
import type { RequestMeta } from "~/services/commands/accounts.server";
import { recordAudit } from "~/services/effects/audit.server";
import { readableCommunitySql } from "~/services/lookups/community-access.server";
import { NotFound } from "~/services/errors";
import { countAttempt, rateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { personalJellies } from "~/services/lookups/jellies.server";
import { attachmentArchiveFiles, personalAttachments } from "~/services/lookups/attachments.server";

type Row = Record<string, unknown>;

/** Booleans stored as 0/1 read back as booleans; JSON details parsed. */
function bools<T extends Row>(rows: T[], ...keys: string[]): T[] {
  for (const r of rows) for (const k of keys) if (k in r) (r as Row)[k] = r[k] === null ? null : Boolean(r[k]);
  return rows;
}

/** The idea's title when the person may read it: it is visible, or it is theirs. */
const titleFor = (userId: number) => sql.raw(`CASE WHEN i.hidden_at IS NULL OR i.author_id = ${Number(userId)} THEN i.title END`);

/**
 * Everything about one person, read in one snapshot (a read transaction), newest rows last
 * within each kind. Only ever called for the signed-in person themself.
 */
export async function personalData(conn: Db, userId: number, now = Date.now()) {
  const id = Number(userId);
  const profile = await conn.get<Row>(sql`
    SELECT u.id, u.name, u.email, u.role, d.name AS team, u.hidden_from_rankings AS hiddenFromRankings,
      u.email_verified_at AS emailVerifiedAt, u.external_id AS directoryId, u.deactivated_at AS deactivatedAt,
      u.created_at AS createdAt
    FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = ${id}`);
  if (!profile) throw new NotFound("No such person.");
  bools([profile], "hiddenFromRankings");
  const email = String(profile.email);
  const title = titleFor(id);

  const sessions = await conn.all<Row>(sql`SELECT created_at AS startedAt, expires_at AS expiresAt FROM sessions WHERE user_id = ${id} ORDER BY created_at`);

  const ideas = bools(
    await conn.all<Row>(sql`
      SELECT i.id, j.title AS jam, c.title AS challenge, i.title, i.body, i.is_anonymous AS anonymous,
        i.vote_count AS supports, i.agree_count AS agrees, i.disagree_count AS disagrees, i.pass_count AS passes,
        i.dot_count AS dots, i.comment_count AS comments, i.tag, i.pinned_at IS NOT NULL AS pinned,
        i.hidden_at AS hiddenAt, i.hidden_reason AS hiddenReason, i.merged_into_id AS mergedIntoIdea, i.created_at AS createdAt
      FROM ideas i JOIN jams j ON j.id = i.jam_id JOIN challenges c ON c.id = i.challenge_id
      WHERE i.author_id = ${id} ORDER BY i.id`),
    "anonymous",
    "pinned",
  );

  const comments = await conn.all<Row>(sql`
    SELECT c.id, c.idea_id AS idea, ${title} AS ideaTitle, c.parent_id AS replyTo, c.body,
      c.hidden_at AS hiddenAt, c.hidden_reason AS hiddenReason, c.created_at AS createdAt
    FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE c.author_id = ${id} ORDER BY c.id`);

  // Versions of ideas and comments they wrote (as author, co-author, or a proposed change accepted).
  const ideaVersions = await conn.all<Row>(sql`
    SELECT r.idea_id AS ideaId, ${title} AS idea, r.version, r.kind, r.title, r.body, r.created_at AS createdAt
    FROM idea_revisions r JOIN ideas i ON i.id = r.idea_id WHERE r.editor_id = ${id} ORDER BY r.id`);
  const commentVersions = await conn.all<Row>(sql`
    SELECT r.comment_id AS comment, r.version, r.body, r.created_at AS createdAt
    FROM comment_revisions r WHERE r.editor_id = ${id} ORDER BY r.id`);
  const coauthorships = await conn.all<Row>(sql`
    SELECT c.idea_id AS ideaId, ${title} AS idea, c.status, c.invited_at AS invitedAt, c.responded_at AS answeredAt
    FROM idea_coauthors c JOIN ideas i ON i.id = c.idea_id WHERE c.user_id = ${id} ORDER BY c.invited_at`);
  const proposedChanges = await conn.all<Row>(sql`
    SELECT a.idea_id AS ideaId, ${title} AS idea, a.title, a.body, a.note, a.status, a.created_at AS createdAt, a.decided_at AS decidedAt
    FROM idea_amendments a JOIN ideas i ON i.id = a.idea_id WHERE a.proposer_id = ${id} ORDER BY a.id`);

  // Their ideas' answers to idea templates, and the answers as they stood at each version that changed them.
  const ideaAnswers = await conn.all<Row>(sql`
    SELECT v.idea_id AS ideaId, f.label AS field, f.kind, v.value, f.retired_at IS NOT NULL AS fieldRemoved
    FROM idea_field_values v JOIN ideas i ON i.id = v.idea_id JOIN template_fields f ON f.id = v.field_id
    WHERE i.author_id = ${id} ORDER BY v.idea_id, f.position, f.id`);
  bools(ideaAnswers, "fieldRemoved");
  const ideaAnswerVersions = await conn.all<Row>(sql`
    SELECT r.idea_id AS ideaId, r.version, r.answers FROM idea_field_revisions r JOIN ideas i ON i.id = r.idea_id
    WHERE i.author_id = ${id} ORDER BY r.idea_id, r.version`);

  const votes = await conn.all<Row>(sql`
    SELECT v.idea_id AS idea, ${title} AS ideaTitle, v.created_at AS createdAt
    FROM votes v JOIN ideas i ON i.id = v.idea_id WHERE v.user_id = ${id} ORDER BY v.created_at, v.idea_id`);

  const stances = await conn.all<Row>(sql`
    SELECT s.idea_id AS idea, ${title} AS ideaTitle, s.stance, s.created_at AS createdAt, s.updated_at AS updatedAt
    FROM stance_votes s JOIN ideas i ON i.id = s.idea_id WHERE s.user_id = ${id} ORDER BY s.created_at, s.idea_id`);

  const dots = await conn.all<Row>(sql`
    SELECT d.idea_id AS idea, ${title} AS ideaTitle, d.dots, d.updated_at AS updatedAt
    FROM dot_allocations d JOIN ideas i ON i.id = d.idea_id WHERE d.user_id = ${id} ORDER BY d.updated_at, d.idea_id`);

  // Not `source`: a support's source carries the voter's id.
  const points = await conn.all<Row>(sql`
    SELECT p.id, coalesce(j.title, 'Outside jams') AS jam, p.reason, p.subject AS about, p.points, p.created_at AS createdAt
    FROM point_entries p LEFT JOIN jams j ON j.id = p.jam_id WHERE p.user_id = ${id} ORDER BY p.id`);

  const pointTotals = await conn.all<Row>(sql`
    SELECT CASE WHEN t.scope = 0 THEN 'All jams' ELSE j.title END AS scope, t.total
    FROM point_totals t LEFT JOIN jams j ON j.id = t.scope WHERE t.user_id = ${id} ORDER BY t.scope`);

  const badges = await conn.all<Row>(sql`
    SELECT badge_key AS badge, level, seen_level AS levelSeen, updated_at AS updatedAt FROM user_badges WHERE user_id = ${id} ORDER BY badge_key`);

  const notifications = await conn.all<Row>(sql`
    SELECT id, kind, body, link, count, created_at AS createdAt, read_at AS readAt FROM notifications WHERE user_id = ${id} ORDER BY id`);

  const notificationsSwitchedOff = await conn.all<Row>(sql`
    SELECT kind, created_at AS since FROM notification_opt_outs WHERE user_id = ${id} ORDER BY kind`);

  const following = await conn.all<Row>(sql`
    SELECT f.target_type AS kind, f.target_id AS target,
      CASE f.target_type WHEN 'person' THEN (SELECT CASE WHEN u.erased_at IS NULL THEN u.name END FROM users u WHERE u.id = f.target_id)
        ELSE (SELECT t.label FROM themes t WHERE t.id = f.target_id) END AS name,
      f.created_at AS since
    FROM follows f WHERE f.follower_id = ${id} ORDER BY f.created_at`);

  const followers = (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM follows WHERE target_type = 'person' AND target_id = ${id}`))?.n ?? 0;

  // Communities: their memberships (not the other members), what they proposed and the decision, resources they added.
  const communities = await conn.all<Row>(sql`
    SELECT c.id, c.title, c.slug, m.state, m.created_at AS since, m.joined_at AS joinedAt, c.steward_id = ${id} AS steward
    FROM community_members m JOIN communities c ON c.id = m.community_id WHERE m.user_id = ${id} ORDER BY m.created_at`);
  bools(communities, "steward");
  const communitiesProposed = await conn.all<Row>(sql`
    SELECT id, title, purpose, privacy, status, decline_reason AS declineReason, created_at AS proposedAt, decided_at AS decidedAt
    FROM communities WHERE proposed_by = ${id} ORDER BY created_at`);
  const communityResources = await conn.all<Row>(sql`
    SELECT r.id, c.title AS community, r.title, r.url, r.notes, r.created_at AS addedAt
    FROM community_resources r JOIN communities c ON c.id = r.community_id WHERE r.added_by = ${id} ORDER BY r.created_at`);
  const communitySeeds = await conn.all<Row>(sql`
    SELECT s.challenge_id AS challenge, c.title AS community, j.title AS jam, s.created_at AS seededAt
    FROM community_seeds s JOIN communities c ON c.id = s.community_id JOIN jams j ON j.id = s.jam_id WHERE s.seeded_by = ${id} ORDER BY s.created_at`);

  // "Not interested": their own dismissals (never other people's dismissals of them).
  const networkDismissals = await conn.all<Row>(sql`
    SELECT d.kind, d.target_id AS target,
      CASE d.kind WHEN 'person' THEN (SELECT CASE WHEN u.erased_at IS NULL THEN u.name END FROM users u WHERE u.id = d.target_id)
        ELSE (SELECT c.title FROM communities c WHERE c.id = d.target_id) END AS name,
      d.created_at AS dismissedAt
    FROM network_dismissals d WHERE d.user_id = ${id} ORDER BY d.created_at`);

  // Rows they did (with the address they did it from) and rows about them; of rows by someone
  // else, neither who nor from where.
  const audit = (await conn
    .all<{ id: number; at: number; action: string; subject: string | null; actorId: number | null; ip: string | null; detail: string | null }>(sql`
      SELECT id, at, action, subject, actor_id AS actorId, ip, detail FROM audit_log WHERE actor_id = ${id}
      UNION
      SELECT id, at, action, subject, actor_id, ip, detail FROM audit_log WHERE subject IN (${`user:${id}`}, ${email})
      ORDER BY id`))
    .map(({ actorId, ip, detail, subject, ...r }) => ({
      ...r,
      // An admin's own rows may name other people's addresses: those are not theirs to take.
      subject: subject === null ? null : onlyOwnAddress(subject, email),
      byYou: actorId === id,
      ip: actorId === id ? ip : null,
      detail: parseDetail(detail === null ? null : onlyOwnAddress(detail, email)),
    }));

  const jamsCreated = await conn.all<Row>(sql`
    SELECT id, title, slug, starts_at AS startsAt, ends_at AS endsAt, created_at AS createdAt FROM jams WHERE created_by = ${id} ORDER BY id`);
  const announcements = await conn.all<Row>(sql`
    SELECT a.id, j.title AS jam, a.body, a.created_at AS createdAt FROM announcements a JOIN jams j ON j.id = a.jam_id WHERE a.author_id = ${id} ORDER BY a.id`);
  const handoffNotes = await conn.all<Row>(sql`
    SELECT h.id, j.title AS jam, h.body, h.created_at AS createdAt FROM handoff_notes h JOIN jams j ON j.id = h.jam_id WHERE h.author_id = ${id} ORDER BY h.id`);
  const flagsRaised = await conn.all<Row>(sql`
    SELECT id, target_type AS targetType, target_id AS target, reason, created_at AS createdAt, resolved_at AS resolvedAt, resolution
    FROM flags WHERE reporter_id = ${id} ORDER BY id`);
  // Questions: what they asked, answered and flagged, which questions they were asked (never who
  // else was), and whether they may be asked.
  const questionsAsked = await conn.all<Row>(sql`
    SELECT id, title, body, accepted_answer_id AS acceptedAnswer, accepted_at AS acceptedAt, escalated_at AS escalatedAt,
      hidden_at AS hiddenAt, hide_reason AS hiddenReason, created_at AS createdAt FROM questions WHERE asker_id = ${id} ORDER BY id`);
  const answersWritten = await conn.all<Row>(sql`
    SELECT a.id, a.question_id AS question, CASE WHEN q.asker_id = ${id} OR (q.hidden_at IS NULL AND ${readableCommunitySql(sql`q.community_id`, id)}) THEN q.title END AS questionTitle,
      a.parent_id AS replyTo, a.body, q.accepted_answer_id = a.id AS accepted, a.hidden_at AS hiddenAt, a.hide_reason AS hiddenReason, a.created_at AS createdAt
    FROM answers a JOIN questions q ON q.id = a.question_id WHERE a.author_id = ${id} ORDER BY a.id`);
  const questionsRoutedToYou = await conn.all<Row>(sql`
    SELECT r.question_id AS question, CASE WHEN q.hidden_at IS NULL AND ${readableCommunitySql(sql`q.community_id`, id)} THEN q.title END AS questionTitle, r.status, r.asked_at AS askedAt, r.declined_at AS declinedAt
    FROM question_routes r JOIN questions q ON q.id = r.question_id WHERE r.user_id = ${id} AND r.status <> 'waiting' ORDER BY r.question_id`);
  const questionFlagsRaised = await conn.all<Row>(sql`
    SELECT id, target_type AS targetType, target_id AS target, reason, created_at AS createdAt, resolved_at AS resolvedAt
    FROM question_flags WHERE user_id = ${id} ORDER BY id`);
  const mayBeAskedQuestions = (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM question_opt_outs WHERE user_id = ${id}`))?.n === 0;
  const synthesisRuns = await conn.all<Row>(sql`
    SELECT r.id, j.title AS jam, r.status, r.started_at AS startedAt, r.finished_at AS finishedAt
    FROM synthesis_runs r JOIN jams j ON j.id = r.jam_id WHERE r.started_by = ${id} ORDER BY r.id`);
  const synthesisVersions = await conn.all<Row>(sql`
    SELECT v.id, j.title AS jam, v.number, v.kind, v.created_at AS createdAt, v.published_at AS publishedAt
    FROM synthesis_versions v JOIN jams j ON j.id = v.jam_id WHERE v.created_by = ${id} ORDER BY v.id`);
  const actions = bools(
    await conn.all<Row>(sql`
      SELECT a.id, j.title AS jam, a.title, a.description, a.status, a.due_date AS dueDate, a.owner_id = ${id} AS youOwnIt,
        a.created_by = ${id} AS youCreatedIt, a.created_at AS createdAt, a.updated_at AS updatedAt
      FROM follow_up_actions a JOIN jams j ON j.id = a.jam_id WHERE a.owner_id = ${id} OR a.created_by = ${id} ORDER BY a.id`),
    "youOwnIt",
    "youCreatedIt",
  );
  const votingReports = await conn.all<Row>(sql`
    SELECT j.title AS jam, r.votes, r.first_at AS firstAt, r.last_at AS lastAt
    FROM serial_vote_reports r JOIN jams j ON j.id = r.jam_id WHERE r.voter_id = ${id} ORDER BY r.id`);
  const settingsChanged = await conn.all<Row>(sql`SELECT key AS setting, updated_at AS changedAt FROM app_settings WHERE updated_by = ${id} ORDER BY key`);
  const companyAccounts = await conn.all<Row>(sql`
    SELECT issuer AS provider, subject AS yourIdThere, created_at AS connectedAt, last_sign_in_at AS lastSignInAt
    FROM sign_on_identities WHERE user_id = ${id} ORDER BY id`);
  const mail = await conn.all<Row>(sql`
    SELECT kind, subject, to_address AS sentTo, status, created_at AS queuedAt, sent_at AS sentAt FROM mail_outbox WHERE user_id = ${id} ORDER BY id`);
  const mailWaitingForDigest = await conn.all<Row>(sql`
    SELECT kind, delivery, subject, due_at AS dueAt FROM mail_digest_items WHERE user_id = ${id} AND outbox_id IS NULL AND dropped_at IS NULL ORDER BY id`);
  const mailChoices = await conn.all<Row>(sql`SELECT kind, delivery, updated_at AS changedAt FROM mail_preferences WHERE user_id = ${id} ORDER BY kind`);
  const jamInvitations = await conn.all<Row>(sql`
    SELECT j.title AS jam, i.invited_at AS invitedAt, i.mailed_at AS mailedAt FROM jam_invitations i JOIN jams j ON j.id = i.jam_id WHERE i.user_id = ${id} ORDER BY i.invited_at`);
  const passwordResets = await conn.all<Row>(sql`
    SELECT created_at AS requestedAt, expires_at AS expiresAt, used_at AS usedAt FROM password_reset_tokens WHERE user_id = ${id} ORDER BY created_at`);
  const addressChecks = await conn.all<Row>(sql`
    SELECT email AS address, created_at AS sentAt, expires_at AS expiresAt, used_at AS checkedAt FROM email_check_tokens WHERE user_id = ${id} ORDER BY created_at`);
  // Evaluation: the stage of each of their ideas (with the reason, when not selected), the scores
  // and comments they gave as a reviewer, and the reviews they opened.
  const ideaStages = await conn.all<Row>(sql`
    SELECT s.idea_id AS idea, i.title AS ideaTitle, s.stage, s.reason, s.changed_at AS changedAt
    FROM idea_stages s JOIN ideas i ON i.id = s.idea_id WHERE i.author_id = ${id} ORDER BY s.idea_id`);
  const reviewsGiven = await conn.all<Row>(sql`
    SELECT r.title AS review, a.idea_id AS idea, ${title} AS ideaTitle, a.assigned_at AS assignedAt, a.submitted_at AS submittedAt, a.comment,
      (SELECT ${joinedText(sql`c.name || ': ' || s.score`, "; ", sql`c.position, c.id`)} FROM review_scores s JOIN review_criteria c ON c.id = s.criterion_id
        WHERE s.review_id = a.review_id AND s.idea_id = a.idea_id AND s.reviewer_id = a.reviewer_id) AS scores
    FROM review_assignments a JOIN reviews r ON r.id = a.review_id JOIN ideas i ON i.id = a.idea_id
    WHERE a.reviewer_id = ${id} ORDER BY a.review_id, a.idea_id`);
  const reviewsOpened = bools(
    await conn.all<Row>(sql`
      SELECT r.id, j.title AS jam, r.title, r.blind, r.due_at AS dueDay, r.created_at AS createdAt, r.closed_at AS closedAt
      FROM reviews r JOIN jams j ON j.id = r.jam_id WHERE r.created_by = ${id} ORDER BY r.id`),
    "blind",
  );
  // Not the file: it lists other people.
  const peopleImportsRun = await conn.all<Row>(sql`
    SELECT id, created_at AS createdAt, file_name AS fileName, applied_at AS appliedAt FROM people_imports WHERE created_by = ${id} ORDER BY created_at`);

  return {
    about: {
      generatedAt: now,
      times: "UTC epoch milliseconds",
      leftOut: LEFT_OUT,
    },
    profile: { ...profile, followers },
    sessions,
    ideas,
    comments,
    ideaVersions,
    commentVersions,
    coauthorships,
    proposedChanges,
    ideaAnswers,
    ideaAnswerVersions,
    votes,
    stances,
    dots,
    points,
    pointTotals,
    badges,
    notifications,
    notificationsSwitchedOff,
    following,
    communities,
    communitiesProposed,
    communityResources,
    communitySeeds,
    networkDismissals,
    audit,
    jamsCreated,
    announcements,
    handoffNotes,
    flagsRaised,
    questionsAsked,
    answersWritten,
    questionsRoutedToYou,
    questionFlagsRaised,
    mayBeAskedQuestions,
    synthesisRuns,
    synthesisVersions,
    actions,
    votingReports,
    settingsChanged,
    companyAccounts,
    peopleImportsRun,
    mail,
    mailWaitingForDigest,
    mailChoices,
    jamInvitations,
    passwordResets,
    addressChecks,
    ideaStages,
    reviewsGiven,
    reviewsOpened,
    attachments: await personalAttachments(conn, id),
    ...await personalJellies(conn, id),
  };
}

export type PersonalData = Awaited<ReturnType<typeof personalData>>;

const LEFT_OUT = [
  "Your password (only a hash of it is kept, and it is of no use outside this app).",
  "The ids of your sessions (they are hashes of the keys that sign you in).",
  "The address of your calendar feed (only a hash of it is kept: make a new one on My activity).",
  "Who supported, agreed with or put dots on your ideas (only how many), and who follows you (only how many).",
  "Who wrote other people's anonymous ideas, and other people's e-mail addresses.",
  "Who did something to your account and from where (an audit row by someone else says only what and when).",
  "The source of each points entry (for support it names the voter); each entry keeps its reason and what it is about.",
  "Figures derived from this data (the people network, department totals, themes), and short-lived records (rate limits, open live pages).",
];

const ADDRESS = /[^\s"'<>@,;:()]+@[^\s"'<>@,;:()]+\.[^\s"'<>@,;:()]+/g;

/** Text with every e-mail address but the person's own replaced. */
function onlyOwnAddress(text: string, own: string): string {
  return text.replace(ADDRESS, (found) => (found.toLowerCase() === own.toLowerCase() ? found : "[another address]"));
}

function parseDetail(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A CSV of a list of rows: the columns are every key any row has, objects as JSON text. */
export function rowsCsv(rows: readonly Row[]): string {
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  return csvDocument(
    columns,
    rows.map((r) =>
      columns.map((k) => {
        const v = r[k];
        if (v === null || v === undefined) return null;
        if (typeof v === "number" || typeof v === "string") return v;
        if (typeof v === "boolean") return v ? "yes" : "no";
        return JSON.stringify(v);
      }),
    ),
  );
}

const README = `Your data from Jamboree
=======================

data.json      everything below in one file, as the app holds it
profile.csv    your account: name, e-mail, role, team, choices, dates
*.csv          one file per kind: ideas (anonymous ones included: they are yours), comments, votes,
               stances, dots, points, point totals, badges, notifications, notification settings,
               follows, sign-ins (sessions), audit rows by you or about you, and what you created
               or run (jams, announcements, notes, flags, syntheses, actions), the stages of your
               ideas in reviews, the scores and comments you gave as a reviewer, the reviews you opened,
               and jellies: those you host, your RSVPs and check-ins, ideas from jellies credited to you,
               and the files you attached to ideas (attachments.csv)
attachments/   the files you attached, named by their number in attachments.csv (an image as the
               copy Jamboree keeps: scaled to at most 1600 pixels, without its photo metadata)

Times are UTC epoch milliseconds (milliseconds since 1 January 1970, UTC).
A cell that a spreadsheet would run as a formula starts with an apostrophe.

What is left out, and why:
`;

/** The archive's files: data.json, a CSV per kind, README.txt. */
export function archiveFiles(data: PersonalData): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {
    "README.txt": strToU8(README + data.about.leftOut.map((l) => `- ${l}`).join("\n") + "\n"),
    "data.json": strToU8(JSON.stringify(data, null, 2)),
    "profile.csv": strToU8(rowsCsv([data.profile])),
  };
  for (const [kind, value] of Object.entries(data)) {
    if (Array.isArray(value)) files[`${kebab(kind)}.csv`] = strToU8(rowsCsv(value as Row[]));
  }
  return files;
}

function kebab(name: string) {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The signed-in person's archive. Limited (DATA_EXPORT_LIMITS: it reads everything they did) and
 * audited (`data_exported`, with how many rows of each kind and the size).
 */
export async function dataArchive(actor: Pick<SessionUser, "id">, meta: RequestMeta): Promise<{ filename: string; body: Uint8Array }> {
  const now = meta.now ?? Date.now();
  if (rateLimitsEnabled()) {
    await countAttempt([{ key: `data-export:${actor.id}`, limits: DATA_EXPORT_LIMITS, message: dataExportThrottledMessage }], now);
  }
  // One read transaction: every file of the archive describes the same moment.
  const data = await transaction(async (tx) => await personalData(tx, actor.id, now), { snapshot: true });
  // The files they attached, beside the rows that list them (read from disk after the snapshot: a
  // file removed in between is simply missing, its row still listed).
  const body = zipSync({ ...archiveFiles(data), ...attachmentArchiveFiles(data.attachments) }, { level: 6, mtime: now });
  const counts = Object.fromEntries(Object.entries(data).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, (v as unknown[]).length]));
  await transaction(async (tx) => await recordAudit(tx, { action: "data_exported", actorId: actor.id, subject: `user:${actor.id}`, ip: meta.ip, at: now, detail: { bytes: body.length, ...counts } }));
  const day = new Date(now).toISOString().slice(0, 10);
  return { filename: `jamboree-my-data-${day}.zip`, body };
}
