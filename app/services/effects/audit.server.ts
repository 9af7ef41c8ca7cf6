import type { Db } from "~db/client";

import { auditLog } from "~db/schema";

export type AuditAction =
  | "sign_up"
  | "sign_up_email_taken"
  | "sign_in"
  | "sign_in_failed"
  | "sign_out"
  | "sign_in_refused_deactivated"
  | "other_sessions_ended"
  | "person_deactivated"
  | "person_reactivated"
  | "role_changed"
  | "department_changed"
  | "access_refused"
  | "jam_created"
  | "jam_updated"
  | "jam_gamification_changed"
  | "jam_scheduled"
  | "jam_unscheduled"
  | "jam_invited"
  | "idea_hidden"
  | "idea_restored"
  | "comment_hidden"
  | "comment_restored"
  | "synthesis_curated"
  | "synthesis_published"
  | "idea_merged"
  | "idea_pinned"
  | "idea_unpinned"
  | "idea_tagged"
  | "flag_created"
  | "flag_resolved"
  | "handoff_note_posted"
  | "action_created"
  | "action_updated"
  | "rankings_visibility_changed"
  | "setting_changed"
  | "sign_on"
  | "sign_on_account_created"
  | "sign_on_connected"
  | "sign_on_refused"
  | "password_sign_in_refused"
  | "person_created"
  | "person_updated"
  | "department_created"
  | "department_renamed"
  | "department_archived"
  | "people_import_applied"
  | "mail_preferences_changed"
  | "mail_unsubscribed"
  | "mail_test_queued"
  | "mail_retried"
  | "password_reset_requested"
  | "password_reset"
  | "email_check_sent"
  | "email_checked"
  | "data_exported"
  | "account_erased"
  | "retention_purged"
  | "community_created"
  | "community_proposed"
  | "community_approved"
  | "community_declined"
  | "community_invited"
  | "community_member_removed"
  | "community_handed_over"
  | "community_updated"
  | "community_seeded_challenge"
  | "review_opened"
  | "review_closed"
  | "reviewers_assigned"
  | "idea_stage_changed"
  | "jelly_proposed"
  | "jelly_idea_posted"
  | "community_digest_sent"
  | "jelly_updated"
  | "jelly_cancelled"
  | "calendar_feed_reset"
  | "question_asked"
  | "question_hidden"
  | "question_restored"
  | "answer_hidden"
  | "answer_restored"
  | "question_flagged"
  | "question_opt_out_changed"
  | "template_changed";

export interface AuditEntry {
  action: AuditAction;
  actorId?: number | null;
  subject?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
  at: number;
}

/** Appends many audit rows at once (a few statements for thousands of rows), inside the transaction of what they record. */
export async function recordAudits(conn: Db, entries: AuditEntry[]) {
  for (let i = 0; i < entries.length; i += 500) {
    await conn
      .insert(auditLog)
      .values(
        entries.slice(i, i + 500).map((entry) => ({
          at: entry.at,
          action: entry.action,
          actorId: entry.actorId ?? null,
          subject: entry.subject ?? null,
          ip: entry.ip ?? null,
          detail: entry.detail ? JSON.stringify(entry.detail) : null,
        })),
      )
      .run();
  }
}

/** Appends one audit row; call it inside the transaction of the action it records. */
export async function recordAudit(conn: Db, entry: AuditEntry) {
  await conn
    .insert(auditLog)
    .values({
      at: entry.at,
      action: entry.action,
      actorId: entry.actorId ?? null,
      subject: entry.subject ?? null,
      ip: entry.ip ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .run();
}
