/**
 * Erasing an account: a person from My activity, or an admin from People.
 *
 * The name and e-mail go; what the person wrote stays under "Former participant" unless they ask
 * for it to go too, and then it is hidden as moderation hides it (nothing is deleted). Their
 * points, badges and network ties leave the rankings with them. All of it happens in one
 * transaction (`eraseAccount`), is audited, and erasing twice changes nothing the second time.
 * Why this and not deleting the row: docs/decisions/017-erasure-keeps-the-conversation-not-the-person.md.
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull, or, sql, inArray } from "drizzle-orm";
import { z } from "zod";
import { verifyPassword } from "~/auth/password.server";
import type { SessionUser } from "~/auth/session.server";
import { ERASE_CONFIRM_LIMITS, eraseConfirmThrottledMessage } from "~/domain/rate-limits";
import { erasedEmailFor } from "~/domain/erasure";
import { FORMER_PARTICIPANT } from "~/domain/views";
import { db, transaction, type Db } from "~db/client";
import { containsExactly, leadingInteger } from "~db/dialect";
import {
  auditLog,
  comments,
  follows,
  communityMembers,
  networkDismissals,
  ideas,
  notificationOptOuts,
  notifications,
  emailCheckTokens,
  jamInvitations,
  mailDigestItems,
  mailOutbox,
  mailPreferences,
  passwordResetTokens,
  peopleImports,
  reviewAssignments,
  reviewReminders,
  serialVoteReports,
  signOnAttempts,
  signOnIdentities,
  users,
  ideaAmendments,
  ideaCoauthors,
} from "~db/schema";
import { deactivateIn, type RequestMeta } from "~/services/commands/accounts.server";
import { deleteAttachmentsIn } from "~/services/commands/attachments.server";
import { recordAudit } from "~/services/effects/audit.server";
import { Conflict, Invalid, NotFound, validate } from "~/services/errors";
import { removeFromGame } from "~/services/effects/gamification.server";
import { forgetInJellies } from "~/services/commands/jellies.server";
import { ERASED_AT_AUTHORS_REQUEST, hideCommentIn, hideIdeaIn } from "~/services/commands/moderation.server";
import { eraseFromQuestions } from "~/services/commands/questions.server";
import { forgetSnapshots, recomputeScopes, type RecomputeHandle } from "~/services/jobs/network.server";
import { countAttempt, forgetAttempts } from "~/services/effects/rate-limiter.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { alsoRemove, EraseAccountInput, isLastAdmin } from "~/services/lookups/accounts.server";

/** The e-mail an erased account is left with (see app/domain/erasure.ts). */
export function erasedEmail(userId: number): string {
  return erasedEmailFor(userId, randomBytes(8).toString("hex"));
}

export interface EraseOptions {
  /** Who asked: the person themself, or an admin. */
  actor: Pick<SessionUser, "id">;
  /** Also hide every idea and comment of theirs, as moderation hides them. */
  removeContent: boolean;
  ip: string | null;
  now: number;
}

export interface EraseOutcome {
  /** False when the account was already erased (and, if asked, nothing of theirs was left to hide). */
  changed: boolean;
  alreadyErased: boolean;
  ideasHidden: number;
  commentsHidden: number;
  /** Network scopes whose snapshots were forgotten and should be computed again (after commit). */
  networkScopes: number[];
}

/**
 * Erases one account, in the caller's transaction. The steps, in order:
 *
 *  1. the account: name "Former participant", e-mail a unique `.invalid` placeholder (no mail,
 *     no sign-in), password_hash "" (no password matches it), external_id null (no sign-on or
 *     directory match), email_verified_at null, department and role cleared, erased_at set,
 *     hidden from rankings;
 *  2. deactivation's path: deactivated, every session ended at once (the next request of an open
 *     page is signed out), live-stream places freed (each open stream ends at its next check);
 *  3. with "also remove what I wrote": every visible idea and comment of theirs hidden as a
 *     moderator hides it, with the reason "erased at the author's request" (nothing deleted;
 *     their points reversed; restoring it is refused);
 *  4. points and badges: their ledger entries, totals and badges removed, department totals
 *     lowered by exactly their entries (reconcile stays clean); nothing more is scored for them;
 *  5. follows by them and of them removed, and "not interested" dismissals by them and of them; their co-authorships removed (and, with "also remove
 *     what I wrote", their proposed changes not accepted); the files they attached to ideas
 *     removed (rows now, files from disk once the transaction commits); their notifications and opt-outs removed; other
 *     people's notifications that named them say "Former participant" (or, for "write to …, who
 *     runs …", the jam's facilitators);
 *  6. serial-voting reports about their voting removed; their sign-on identities and sign-ons
 *     under way removed; people-import previews whose text names their address removed; their
 *     mail (outbox messages, digest items, choices, invitations, reset and address-check links)
 *     removed, and other people's messages that name them reworded;
 *  7. the people network: their ties leave every graph (the network SQL skips erased people) and
 *     the snapshots of every scope they took part in are forgotten, to be computed again;
 *  8. the audit log: their e-mail replaced by the placeholder in subjects and details (the rows stay);
 *  9. one `account_erased` audit row (no name, no e-mail).

 * Search (FTS5) indexes idea titles and bodies only, never names, so no index entry carries theirs.
 */
export async function eraseAccount(tx: Db, personId: number, options: EraseOptions): Promise<EraseOutcome> {
  const person = await tx.select().from(users).where(eq(users.id, personId)).get();
  if (!person) throw new NotFound("No such person.");
  const alreadyErased = person.erasedAt !== null;
  const { now } = options;

  // 1. The account itself.
  const placeholder = alreadyErased ? person.email : erasedEmail(person.id);
  if (!alreadyErased) {
    await tx.update(users)
      .set({
        name: FORMER_PARTICIPANT,
        email: placeholder,
        passwordHash: "",
        externalId: null,
        emailVerifiedAt: null,
        departmentId: null,
        role: "participant",
        hiddenFromRankings: true,
        erasedAt: now,
      })
      .where(and(eq(users.id, person.id), isNull(users.erasedAt)))
      .run();
  }

  // 2. Signed out everywhere, as deactivation does.
  const { sessionsEnded } = await deactivateIn(tx, person.id, now);

  // 3. What they wrote, hidden as moderation hides it, when they ask.
  let ideasHidden = 0;
  let commentsHidden = 0;
  if (options.removeContent) {
    const meta = { ip: options.ip };
    for (const { id } of await tx.select({ id: ideas.id }).from(ideas).where(and(eq(ideas.authorId, person.id), isNull(ideas.hiddenAt))).all()) {
      await hideIdeaIn(tx, options.actor, id, ERASED_AT_AUTHORS_REQUEST, meta, now);
      ideasHidden += 1;
    }
    for (const { id } of await tx.select({ id: comments.id }).from(comments).where(and(eq(comments.authorId, person.id), isNull(comments.hiddenAt))).all()) {
      await hideCommentIn(tx, options.actor, id, ERASED_AT_AUTHORS_REQUEST, meta, now);
      commentsHidden += 1;
    }
  }

  // 3b. Questions: nobody waits on them any more; what they asked and answered hidden when they ask.
  const asked = await eraseFromQuestions(tx, person.id, { removeContent: options.removeContent, actorId: options.actor.id, reason: ERASED_AT_AUTHORS_REQUEST, now });

  if (alreadyErased && ideasHidden === 0 && commentsHidden === 0 && asked.questionsHidden === 0 && asked.answersHidden === 0) {
    return { changed: false, alreadyErased, ideasHidden, commentsHidden, networkScopes: [] };
  }

  // 4. Out of the game: entries, totals and badges, with department totals kept consistent.
  const game = await removeFromGame(tx, person.id);

  // 5. Follows, their notifications, and other people's notifications that named them.
  const followsRemoved = (await tx
    .delete(follows)
    .where(or(eq(follows.followerId, person.id), and(eq(follows.targetType, "person"), eq(follows.targetId, person.id))))
    .run()).changes;
  await tx.delete(notifications).where(eq(notifications.userId, person.id)).run();
  // Their memberships of communities (invitations and requests too); what they posted in an idea box is content, as above.
  await tx.delete(communityMembers).where(eq(communityMembers.userId, person.id)).run();
  // "Not interested": theirs, and other people's dismissals of them as someone to meet.
  await tx.delete(networkDismissals)
    .where(or(eq(networkDismissals.userId, person.id), and(eq(networkDismissals.kind, "person"), eq(networkDismissals.targetId, person.id))))
    .run();
  // Co-authorships credit them by name: they go (points already earned went with the game above).
  // What they wrote into ideas (versions, accepted changes) stays as by "Former participant";
  // changes they proposed that were never accepted go when they ask for what they wrote to go.
  await tx.delete(ideaCoauthors).where(eq(ideaCoauthors.userId, person.id)).run();
  // Files they attached go, rows now and files from disk once this commits: a photo or a document
  // can say who someone is far more than a name can (the ideas they were on stay).
  const attachmentsRemoved = await deleteAttachmentsIn(tx, { uploaderId: person.id });
  if (options.removeContent) {
    await tx.delete(ideaAmendments).where(and(eq(ideaAmendments.proposerId, person.id), inArray(ideaAmendments.status, ["open", "standing"]))).run();
  }
  await tx.delete(notificationOptOuts).where(eq(notificationOptOuts.userId, person.id)).run();
  if (!alreadyErased) await renameInOthersNotifications(tx, person.id, person.name);

  // Reviews: ideas they had not scored yet are no longer theirs to score, and no reminder waits for
  // them; scores they submitted stay (the decision they fed) under "Former participant", and their
  // review comments go when they asked for what they wrote to go.
  await tx.delete(reviewAssignments).where(and(eq(reviewAssignments.reviewerId, person.id), isNull(reviewAssignments.submittedAt))).run();
  await tx.delete(reviewReminders).where(eq(reviewReminders.reviewerId, person.id)).run();
  if (options.removeContent) await tx.update(reviewAssignments).set({ comment: "" }).where(eq(reviewAssignments.reviewerId, person.id)).run();

  // 6. Reports about their own voting pattern.
  await tx.delete(serialVoteReports).where(eq(serialVoteReports.voterId, person.id)).run();

  // 6b. Sign-on: the company accounts that signed in as them, and sign-ins under way (signing in
  // with that company account later makes a new, empty account). People imports still waiting in
  // preview (kept 7 days) whose text names their address go too.
  const signOnRemoved = (await tx.delete(signOnIdentities).where(eq(signOnIdentities.userId, person.id)).run()).changes;
  await tx.delete(signOnAttempts).where(eq(signOnAttempts.userId, person.id)).run();
  if (!alreadyErased) await tx.delete(peopleImports).where(containsExactly(sql`lower(${peopleImports.csv})`, person.email.toLowerCase())).run();

  // 6c. Mail: their messages (queued, sent or failed: each carries their address and name), digest
  // items, choices, invitations, and password-reset and address-check links. Messages to other
  // people that name them say "Former participant" instead.
  await tx.delete(mailDigestItems).where(eq(mailDigestItems.userId, person.id)).run();
  const mailRemoved = (await tx.delete(mailOutbox).where(eq(mailOutbox.userId, person.id)).run()).changes;
  await tx.delete(mailPreferences).where(eq(mailPreferences.userId, person.id)).run();
  await tx.delete(jamInvitations).where(eq(jamInvitations.userId, person.id)).run();
  await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, person.id)).run();
  await tx.delete(emailCheckTokens).where(eq(emailCheckTokens.userId, person.id)).run();
  if (!alreadyErased) await renameInOthersMail(tx, person.id, person.name);

  // 6d. Jellies: the calendar feed goes, places at jellies still to come are given up (the first
  // person waiting moves up), jellies they would have hosted are cancelled (everyone told).
  await forgetInJellies(tx, person.id, now);

  // 7. The people network: every scope they took part in is computed again without them.
  const networkScopes = await forgetSnapshots(tx, [0, ...await jamsTakenPartIn(tx, person.id)]);

  // 8. Their e-mail out of the audit log (the rows stay).
  const auditRowsScrubbed = alreadyErased ? 0 : await scrubAuditLog(tx, person.email, placeholder);

  // 9. The erasure itself.
  await recordAudit(
    tx, {
      action: "account_erased",
      actorId: options.actor.id,
      subject: `user:${person.id}`,
      ip: options.ip,
      at: now,
      detail: {
        byThemself: options.actor.id === person.id,
        alsoRemovedContent: options.removeContent,
        ...(alreadyErased ? { again: true } : {}),
        ideasHidden,
        commentsHidden,
        attachmentsRemoved,
        questionsHidden: asked.questionsHidden,
        answersHidden: asked.answersHidden,
        sessionsEnded,
        pointsRemoved: game.points,
        badgesRemoved: game.badges,
        followsRemoved,
        signOnIdentitiesRemoved: signOnRemoved,
        mailRemoved,
        auditRowsScrubbed,
      },
    },
  );
  return { changed: true, alreadyErased, ideasHidden, commentsHidden, networkScopes };
}

/** Jams the person posted, commented or voted in (any way), for the network snapshots to forget. */
async function jamsTakenPartIn(tx: Db, userId: number): Promise<number[]> {
  return (await tx
    .all<{ id: number }>(sql`
      SELECT jam_id AS id FROM ideas WHERE author_id = ${userId}
      UNION SELECT i.jam_id FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE c.author_id = ${userId}
      UNION SELECT i.jam_id FROM votes v JOIN ideas i ON i.id = v.idea_id WHERE v.user_id = ${userId}
      UNION SELECT i.jam_id FROM stance_votes s JOIN ideas i ON i.id = s.idea_id WHERE s.user_id = ${userId}
      UNION SELECT i.jam_id FROM dot_allocations d JOIN ideas i ON i.id = d.idea_id WHERE d.user_id = ${userId}`))
    .map((r) => r.id);
}

/**
 * Other people's notifications written with the person's name in them: "Sam replied to your
 * comment…", "Sam commented on your idea…" (about ideas they commented on), "Sam posted a new
 * idea…" (about their ideas), and a hidden-content notice's "write to Sam, who runs…" (jams they
 * created). Only notices tied to the person's own ideas, comments or jams are touched, so another
 * Sam keeps their name.
 */
async function renameInOthersNotifications(tx: Db, userId: number, name: string) {
  const prefix = `${name} `;
  await tx.run(sql`
    UPDATE notifications SET body = ${FORMER_PARTICIPANT} || substr(body, ${name.length + 1})
    WHERE user_id <> ${userId} AND kind IN ('comments', 'follows') AND substr(body, 1, ${prefix.length}) = ${prefix}
      AND (idea_id IN (SELECT id FROM ideas WHERE author_id = ${userId})
        OR idea_id IN (SELECT idea_id FROM comments WHERE author_id = ${userId}))`);
  const contact = `To ask about it, write to ${name}, who runs `;
  await tx.run(sql`
    UPDATE notifications SET body = replace(body, ${contact}, 'To ask about it, write to the facilitators of ')
    WHERE user_id <> ${userId} AND kind = 'hidden' AND ${containsExactly(sql`body`, contact)}
      AND jam_id IN (SELECT id FROM jams WHERE created_by = ${userId})`);
  // "Sam asks you: …", "Sam answered your question …", "Sam accepted your answer …", "Sam replied to your answer …".
  await tx.run(sql`
    UPDATE notifications SET body = ${FORMER_PARTICIPANT} || substr(body, ${name.length + 1})
    WHERE user_id <> ${userId} AND kind = 'questions' AND substr(body, 1, ${prefix.length}) = ${prefix}
      AND ${leadingInteger(sql`substr(link, 12)`)} IN (SELECT id FROM questions WHERE asker_id = ${userId} UNION SELECT question_id FROM answers WHERE author_id = ${userId})`);
}

/**
 * Other people's mail (messages and digest items not yet collected) with the person's full name in
 * it: the name becomes "Former participant". A full name, so a shorter name inside another is left.
 */
async function renameInOthersMail(tx: Db, userId: number, name: string) {
  for (const table of ["mail_outbox", "mail_digest_items"] as const) {
    await tx.run(sql`
      UPDATE ${sql.identifier(table)} SET
        subject = replace(subject, ${name}, ${FORMER_PARTICIPANT}),
        text_body = replace(text_body, ${name}, ${FORMER_PARTICIPANT}),
        html_body = replace(html_body, ${name}, ${FORMER_PARTICIPANT})
      WHERE user_id <> ${userId} AND (${containsExactly(sql`subject`, name)} OR ${containsExactly(sql`text_body`, name)} OR ${containsExactly(sql`coalesce(html_body, '')`, name)})`);
  }
}

/** Replaces the e-mail in audit subjects (sign-ins, sign-ups, failed attempts) and details. Returns rows changed. */
async function scrubAuditLog(tx: Db, email: string, placeholder: string): Promise<number> {
  const subjects = (await tx.update(auditLog).set({ subject: placeholder }).where(eq(auditLog.subject, email)).run()).changes;
  // Details are JSON text; an e-mail has no character JSON escapes, so it appears as it is.
  const details = (await tx
    .update(auditLog)
    .set({ detail: sql`replace(${auditLog.detail}, ${email}, ${placeholder})` })
    .where(containsExactly(auditLog.detail, email))
    .run()).changes;
  return subjects + details;
}

export const EraseMyAccountInput = z.object({
  confirmation: z.string({ error: "Type your password to confirm." }).max(500).default(""),
  removeContent: alsoRemove.default(false),
});

const LAST_ADMIN = "You are the last admin: make someone else an admin on People first, so the company is not left without one.";

async function finish(outcome: EraseOutcome, now: number): Promise<EraseOutcome & { recompute: RecomputeHandle[] }> {
  // After commit: the network pages of those scopes are computed again without them.
  let recompute: RecomputeHandle[] = [];
  try {
    recompute = await recomputeScopes(outcome.networkScopes, now);
  } catch (error) {
    console.error("network recompute after an erasure failed to start", error);
  }
  return { ...outcome, recompute };
}

/**
 * A person erases their own account. They confirm with their password (an account that signs in
 * only through the company's sign-on types its e-mail address instead); wrong confirmations are
 * counted like failed sign-ins (5 in 15 minutes), so a borrowed, signed-in browser cannot guess it.
 */
export async function eraseMyAccount(actor: SessionUser, input: unknown, meta: RequestMeta) {
  const data = validate(EraseMyAccountInput, input);
  const now = meta.now ?? Date.now();
  const me = await db().select().from(users).where(eq(users.id, actor.id)).get();
  if (!me || me.erasedAt !== null) throw new NotFound("No such person.");
  const withPassword = me.passwordHash !== "";
  const key = `erase-confirm:${me.id}`;
  await countAttempt([{ key, limits: ERASE_CONFIRM_LIMITS, message: eraseConfirmThrottledMessage }], now);
  const confirmed = withPassword
    ? data.confirmation !== "" && (await verifyPassword(me.passwordHash, data.confirmation))
    : data.confirmation.trim().toLowerCase() === me.email.toLowerCase();
  if (!confirmed) {
    throw new Invalid({
      confirmation: [withPassword ? "That is not your password. Type it to confirm." : "Type your e-mail address exactly as it is to confirm."],
    });
  }
  await forgetAttempts(key, now);
  const outcome = await transaction(async (tx) => {
    const current = await tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, me.id)).get();
    if (!current) throw new NotFound("No such person.");
    if (await isLastAdmin(tx, current)) throw new Conflict(LAST_ADMIN);
    return await eraseAccount(tx, me.id, { actor: me, removeContent: data.removeContent, ip: meta.ip, now });
  });
  return await finish(outcome, now);
}

/**
 * An admin erases someone's account (anyone's, their own included unless they are the last
 * admin), confirming by typing that person's e-mail address. Erasing an erased account again
 * changes nothing, unless "also remove what they wrote" is asked for now: then what is still
 * visible of theirs is hidden (a person may ask for that after their account is gone).
 */
export async function eraseAccountAsAdmin(actor: SessionUser, input: unknown, meta: RequestMeta) {
  requireCapability(actor, "administerPeople");
  const data = validate(EraseAccountInput, input);
  const now = meta.now ?? Date.now();
  const outcome = await transaction(async (tx) => {
    const person = await tx.select({ id: users.id, email: users.email, role: users.role, erasedAt: users.erasedAt }).from(users).where(eq(users.id, data.userId)).get();
    if (!person) throw new NotFound("No such person.");
    // An erased account's address is gone: the admin confirms with the words shown instead.
    const expected = person.erasedAt !== null ? "erased" : person.email.toLowerCase();
    if (data.confirmation.toLowerCase() !== expected) {
      throw new Invalid({
        confirmation: [person.erasedAt !== null ? "Type “erased” to confirm." : "Type the person’s e-mail address exactly as shown to confirm."],
      });
    }
    if (person.erasedAt === null && await isLastAdmin(tx, person)) {
      throw new Conflict(person.id === actor.id ? LAST_ADMIN : "This is the last admin: make someone else an admin first.");
    }
    return await eraseAccount(tx, person.id, { actor, removeContent: data.removeContent, ip: meta.ip, now });
  });
  return await finish(outcome, now);
}
