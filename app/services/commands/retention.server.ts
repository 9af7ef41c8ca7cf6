/**
 * Retention: how long audit rows and ended jams are kept, set by an admin on /admin/settings
 * (`auditRetentionDays`, `endedJamRetentionDays` in app/services/lookups/settings.server.ts; empty keeps
 * them for ever), and the background purge that applies it (`applyRetention`, run each minute by
 * whichever process holds the `background` lease: app/services/jobs/background.server.ts).
 *
 * Deleting a jam deletes everything that belongs to it (challenges, ideas and their search rows,
 * comments, their versions, co-authors and proposed changes, votes, stances, dots, points with every total they counted in, badges recomputed,
 * announcements, flags, notes, syntheses, actions, notifications, invitations and mailings,
 * mail about it not sent yet, live events, network snapshots). It cannot be undone, so the settings page shows what a setting would delete before
 * it is saved, and asks to confirm.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { db, transaction, type Db } from "~db/client";
import type { RequestMeta } from "~/services/commands/accounts.server";
import { recordAudit } from "~/services/effects/audit.server";
import { deleteAttachmentsIn } from "~/services/commands/attachments.server";
import { validate } from "~/services/errors";
import { ALL_JAMS, recomputeBadges } from "~/services/effects/gamification.server";
import { forgetSnapshots, recomputeScopes } from "~/services/jobs/network.server";
import { writeSetting } from "~/services/commands/settings.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { DAY, ADMINS_ONLY, retentionPreview, retentionSettings } from "~/services/lookups/retention.server";

/** Audit rows deleted per transaction, so the purge never holds the write lock for long. */
const AUDIT_BATCH = 5_000;

/** Jams deleted per round (one transaction each); the next round takes the next ones. */
const JAMS_PER_ROUND = 5;

export interface RetentionSettings {
  auditRetentionDays: number | null;
  endedJamRetentionDays: number | null;
}

const days = (what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? null : v.trim()) : v),
    z
      .union([
        z.null(),
        z.coerce
          .number({ error: `Enter a number of days for ${what}, or leave it empty to keep them for ever.` })
          .int(`Enter a whole number of days for ${what}.`)
          .min(30, `Keep ${what} at least 30 days.`)
          .max(3650, `Keep ${what} at most 3,650 days (ten years), or leave it empty to keep them for ever.`),
      ])
      .default(null),
  );

export const RetentionInput = z.object({
  auditRetentionDays: days("audit records"),
  endedJamRetentionDays: days("ended jams"),
  confirmed: z.preprocess((v) => v === "yes" || v === true, z.boolean()).default(false),
});

export interface RetentionPreview {
  /** Audit rows older than the period, deleted at the next purge. */
  auditRows: number;
  auditBefore: number | null;
  /** Ended jams whose end is older than the period, with what goes with each. */
  jams: { id: number; title: string; slug: string; endsAt: number; ideas: number; comments: number }[];
  jamsBefore: number | null;
}

export type SaveRetentionOutcome =
  | { saved: true; settings: RetentionSettings; preview: RetentionPreview }
  | { saved: false; needsConfirmation: true; settings: RetentionSettings; preview: RetentionPreview };

/**
 * Saves both periods (each change audited as `setting_changed`). When the new settings would
 * delete anything now, nothing is saved until the admin confirms having seen what (`confirmed`).
 */
export async function saveRetention(actor: SessionUser, input: unknown, meta: RequestMeta): Promise<SaveRetentionOutcome> {
  requireCapability(actor, "administerPeople", ADMINS_ONLY);
  const data = validate(RetentionInput, input);
  const now = meta.now ?? Date.now();
  const settings = { auditRetentionDays: data.auditRetentionDays, endedJamRetentionDays: data.endedJamRetentionDays };
  const preview = await retentionPreview(db(), settings, now);
  const deletes = preview.auditRows > 0 || preview.jams.length > 0;
  if (deletes && !data.confirmed) return { saved: false, needsConfirmation: true, settings, preview };
  await transaction(async (tx) => {
    const current = await retentionSettings(tx);
    if (current.auditRetentionDays !== settings.auditRetentionDays) await writeSetting(tx, "auditRetentionDays", settings.auditRetentionDays, actor.id, now);
    if (current.endedJamRetentionDays !== settings.endedJamRetentionDays) await writeSetting(tx, "endedJamRetentionDays", settings.endedJamRetentionDays, actor.id, now);
  });
  return { saved: true, settings, preview };
}

// ---------------------------------------------------------------- the purge

export interface PurgeOutcome {
  auditRowsDeleted: number;
  jamsDeleted: { id: number; title: string; endedAt: number; ideas: number; comments: number }[];
}

/**
 * One round of the purge: audit rows older than their period (in batches), then up to
 * JAMS_PER_ROUND ended jams older than theirs (one transaction each). Audited with what it
 * deleted, when it deleted anything; the all-jams network is computed again when jams went.
 */
export async function applyRetention(now = Date.now()): Promise<PurgeOutcome> {
  const settings = await retentionSettings(db());
  const outcome: PurgeOutcome = { auditRowsDeleted: 0, jamsDeleted: [] };
  if (settings.endedJamRetentionDays !== null) {
    const before = now - settings.endedJamRetentionDays * DAY;
    const due = await db().all<{ id: number }>(sql`SELECT id FROM jams WHERE is_draft = FALSE AND ends_at < ${before} ORDER BY ends_at, id LIMIT ${JAMS_PER_ROUND}`);
    for (const { id } of due) {
      const deleted = await transaction(async (tx) => await deleteJam(tx, id, before, now));
      if (deleted) outcome.jamsDeleted.push(deleted);
    }
  }
  if (settings.auditRetentionDays !== null) {
    const before = now - settings.auditRetentionDays * DAY;
    for (;;) {
      const n = await transaction(async (tx) =>
        (await tx.run(sql`DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ${before} ORDER BY at LIMIT ${AUDIT_BATCH})`)).changes,
      );
      outcome.auditRowsDeleted += n;
      if (n < AUDIT_BATCH) break;
    }
  }
  if (outcome.auditRowsDeleted > 0 || outcome.jamsDeleted.length > 0) {
    const scopes = await transaction(async (tx) => {
      await recordAudit(
        tx, {
          action: "retention_purged",
          at: now,
          detail: {
            auditRowsDeleted: outcome.auditRowsDeleted,
            auditRetentionDays: settings.auditRetentionDays,
            jamsDeleted: outcome.jamsDeleted,
            endedJamRetentionDays: settings.endedJamRetentionDays,
          },
        },
      );
      return outcome.jamsDeleted.length > 0 ? await forgetSnapshots(tx, [0]) : [];
    });
    try {
      await recomputeScopes(scopes, now);
    } catch (error) {
      console.error("network recompute after the retention purge failed to start", error);
    }
  }
  return outcome;
}

/**
 * Deletes one ended jam and everything that belongs to it, in the caller's transaction, when it
 * still ended before `before` (a jam extended meanwhile stays). Points totals lose exactly the
 * jam's ledger entries (per person and per department, over all jams), and the badges of the
 * people who wrote in it are recomputed, so `gamification:reconcile` stays clean. Search rows go
 * with the ideas (FTS5 triggers).
 */
export async function deleteJam(tx: Db, jamId: number, before: number, now: number): Promise<PurgeOutcome["jamsDeleted"][number] | null> {
  const jam = await tx.get<{ id: number; title: string; endsAt: number }>(
    sql`SELECT id, title, ends_at AS endsAt FROM jams WHERE id = ${jamId} AND is_draft = FALSE AND ends_at < ${before}`,
  );
  if (!jam) return null;
  const J = jam.id;
  const jamIdeas = sql`(SELECT id FROM ideas WHERE jam_id = ${J})`;
  const jamVersions = sql`(SELECT id FROM synthesis_versions WHERE jam_id = ${J})`;
  const jamThemes = sql`(SELECT id FROM themes WHERE version_id IN ${jamVersions})`;
  const counts = (await tx.get<{ ideas: number; comments: number }>(sql`
    SELECT (SELECT count(*) FROM ideas WHERE jam_id = ${J}) AS ideas,
      (SELECT count(*) FROM comments WHERE idea_id IN ${jamIdeas}) AS comments`))!;
  const writers = (await tx
    .all<{ id: number }>(sql`
      SELECT author_id AS id FROM ideas WHERE jam_id = ${J}
      UNION SELECT author_id FROM comments WHERE idea_id IN ${jamIdeas}`))
    .map((r) => r.id);

  // Points: the totals over all jams lose exactly this jam's entries.
  await tx.run(sql`
    UPDATE point_totals SET total = total - (SELECT sum(p.points) FROM point_entries p WHERE p.jam_id = ${J} AND p.user_id = point_totals.user_id)
    WHERE scope = ${ALL_JAMS} AND user_id IN (SELECT user_id FROM point_entries WHERE jam_id = ${J})`);
  await tx.run(sql`
    UPDATE department_totals SET total = total - (SELECT sum(p.points) FROM point_entries p WHERE p.jam_id = ${J} AND p.department_id = department_totals.department_id)
    WHERE scope = ${ALL_JAMS} AND department_id IN (SELECT department_id FROM point_entries WHERE jam_id = ${J} AND department_id IS NOT NULL)`);
  await tx.run(sql`
    DELETE FROM point_totals WHERE scope = ${ALL_JAMS} AND total = 0
      AND user_id IN (SELECT user_id FROM point_entries WHERE jam_id = ${J})
      AND NOT EXISTS (SELECT 1 FROM point_entries p WHERE p.user_id = point_totals.user_id AND (p.jam_id IS NULL OR p.jam_id <> ${J}))`);
  await tx.run(sql`DELETE FROM point_totals WHERE scope = ${J}`);
  await tx.run(sql`DELETE FROM department_totals WHERE scope = ${J}`);
  await tx.run(sql`DELETE FROM point_entries WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM serial_vote_reports WHERE jam_id = ${J}`);

  // Reviews: scores, assignments, reminders, criteria and the ideas' stages (which name actions).
  const jamReviews = sql`(SELECT id FROM reviews WHERE jam_id = ${J})`;
  await tx.run(sql`DELETE FROM review_scores WHERE review_id IN ${jamReviews} OR idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM review_assignments WHERE review_id IN ${jamReviews} OR idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM review_reminders WHERE review_id IN ${jamReviews}`);
  await tx.run(sql`DELETE FROM review_ideas WHERE review_id IN ${jamReviews} OR idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM idea_stages WHERE idea_id IN ${jamIdeas} OR review_id IN ${jamReviews}`);
  await tx.run(sql`DELETE FROM review_criteria WHERE review_id IN ${jamReviews}`);
  await tx.run(sql`DELETE FROM reviews WHERE jam_id = ${J}`);

  // Follow-up actions and the synthesis.
  await tx.run(sql`DELETE FROM action_ideas WHERE idea_id IN ${jamIdeas} OR action_id IN (SELECT id FROM follow_up_actions WHERE jam_id = ${J})`);
  await tx.run(sql`UPDATE follow_up_actions SET theme_id = NULL WHERE jam_id <> ${J} AND theme_id IN ${jamThemes}`);
  await tx.run(sql`DELETE FROM follow_up_actions WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM follows WHERE target_type = 'theme' AND target_id IN ${jamThemes}`);
  await tx.run(sql`DELETE FROM theme_ideas WHERE version_id IN ${jamVersions} OR idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM themes WHERE version_id IN ${jamVersions}`);
  await tx.run(sql`DELETE FROM synthesis_versions WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM synthesis_runs WHERE jam_id = ${J}`);

  // What people were told, flagged, announced and noted about it.
  await tx.run(sql`DELETE FROM notifications WHERE jam_id = ${J} OR idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM flags WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM announcements WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM handoff_notes WHERE jam_id = ${J}`);

  // The contributions themselves (search rows go with the ideas, by trigger).
  await tx.run(sql`DELETE FROM votes WHERE idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM stance_votes WHERE idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM dot_allocations WHERE idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM comment_revisions WHERE comment_id IN (SELECT id FROM comments WHERE idea_id IN ${jamIdeas})`);
  await tx.run(sql`DELETE FROM comments WHERE idea_id IN ${jamIdeas}`);
  // Attachment rows now, their files from disk once this commits.
  await deleteAttachmentsIn(tx, { jamId: J });
  await tx.run(sql`DELETE FROM idea_revisions WHERE idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM idea_coauthors WHERE idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM idea_amendments WHERE idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM idea_field_values WHERE idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM idea_field_revisions WHERE idea_id IN ${jamIdeas}`);
  await tx.run(sql`DELETE FROM ideas WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM template_fields WHERE challenge_id IN (SELECT id FROM challenges WHERE jam_id = ${J})`);
  await tx.run(sql`DELETE FROM challenges WHERE jam_id = ${J}`);

  // Its invitations and mailings; mail about it still waiting is dropped, and the record of mail
  // already sent (people's own mailbox history) stays without the jam.
  await tx.run(sql`DELETE FROM jam_invitations WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM jam_mailings WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM mail_digest_items WHERE jam_id = ${J} AND outbox_id IS NULL`);
  await tx.run(sql`UPDATE mail_digest_items SET jam_id = NULL WHERE jam_id = ${J}`);
  await tx.run(sql`DELETE FROM mail_outbox WHERE jam_id = ${J} AND status = 'queued' AND id NOT IN (SELECT outbox_id FROM mail_digest_items WHERE outbox_id IS NOT NULL)`);
  await tx.run(sql`UPDATE mail_outbox SET jam_id = NULL WHERE jam_id = ${J}`);

  // Its live events and network, then the jam.
  await tx.run(sql`DELETE FROM live_events WHERE jam_id = ${J}`);
  await forgetSnapshots(tx, [J]);
  await tx.run(sql`DELETE FROM jams WHERE id = ${J}`);

  // Badges read ideas and comments: the people who wrote in it are recomputed.
  for (let i = 0; i < writers.length; i += 500) await recomputeBadges(tx, writers.slice(i, i + 500), now);
  return { id: J, title: jam.title, endedAt: jam.endsAt, ideas: counts.ideas, comments: counts.comments };
}
