/**
 * Inviting people to a jam, from its launch checklist: everyone, one department, or a pasted
 * list of addresses. A preview says how many people it reaches, who was invited before (nobody
 * gets it twice) and which addresses match nobody, before anything is written; sending writes
 * the invitation rows and, for a published jam, queues the e-mails in the same transaction
 * (a large invitation goes on in the background round). A draft's invitations wait: they go when
 * the jam is scheduled (app/services/commands/launch.server.ts), so nobody hears of a jam they cannot see.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { parseAddressList, type PastedAddresses } from "~/domain/jam-mail";
import { escapeHtml, htmlDocument, MAIL_KIND_LABELS } from "~/domain/mail";
import { jamPhase } from "~/domain/phase";
import { invitationMail } from "~/mail/messages";
import { db, transaction, type Db } from "~db/client";
import { jams, type Jam } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { Conflict, Invalid, validate } from "~/services/errors";
import { INVITATION_BATCH, queueInvitations } from "~/services/jobs/jam-mail.server";
import { mailContext } from "~/services/lookups/mail.server";
import type { Meta } from "~/services/commands/jams.server";
import { findManagedJam } from "~/services/lookups/guards.server";
import { ACTIVE } from "~/services/lookups/invitations.server";

/** The longest pasted list read (about 5,000 addresses with names). */
const MAX_PASTE = 200_000;

/** Addresses that match nobody, shown back at most (with how many more). */
const SHOWN_UNKNOWN = 50;

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

export const InviteInput = z
  .object({
    audience: z.enum(["everyone", "department", "list"], { error: "Choose who to invite." }),
    departmentId: z.preprocess(blank, z.coerce.number().int().positive().optional()),
    emails: z.preprocess(
      (v) => (v === null || v === undefined ? "" : v),
      z.string().max(MAX_PASTE, `Paste at most ${MAX_PASTE.toLocaleString("en-GB")} characters of addresses: invite a long list in parts.`),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.audience === "department" && v.departmentId === undefined) ctx.addIssue({ code: "custom", path: ["departmentId"], message: "Choose a department." });
    if (v.audience === "list" && v.emails.trim() === "") ctx.addIssue({ code: "custom", path: ["emails"], message: "Paste the addresses of the people to invite." });
  });

export type InviteAudience = z.infer<typeof InviteInput>["audience"];

function assertInvitable(jam: Jam, now: number) {
  if (jamPhase(jam, now) === "ended") throw new Conflict("This jam has ended: there is nothing left to invite people to.");
}

interface Resolved {
  /** The people it reaches, as a condition on `users u`. */
  who: SQL;
  label: string;
  list: PastedAddresses | null;
  unknown: string[];
}

/** Who an invitation reaches; for a list, which addresses match no active person. */
async function resolve(conn: Db, data: z.infer<typeof InviteInput>): Promise<Resolved> {
  if (data.audience === "everyone") return { who: ACTIVE, label: "everyone", list: null, unknown: [] };
  if (data.audience === "department") {
    const department = await conn.get<{ name: string }>(sql`SELECT name FROM departments WHERE id = ${data.departmentId!}`);
    if (!department) throw new Invalid({ departmentId: ["Choose a department from the list."] });
    return { who: sql`${ACTIVE} AND u.department_id = ${data.departmentId!}`, label: department.name, list: null, unknown: [] };
  }
  const list = parseAddressList(data.emails);
  if (list.addresses.length === 0) {
    throw new Invalid({ emails: [list.invalid.length > 0 ? `None of these is an e-mail address: ${list.invalid.slice(0, 5).join(", ")}.` : "Paste the addresses of the people to invite."] });
  }
  const found = new Set<string>();
  for (let i = 0; i < list.addresses.length; i += 500) {
    const chunk = list.addresses.slice(i, i + 500);
    for (const r of await conn.all<{ email: string }>(sql`SELECT u.email FROM users u WHERE u.email IN (${sql.join(chunk, sql`, `)}) AND ${ACTIVE}`)) found.add(r.email);
  }
  const known = list.addresses.filter((a) => found.has(a));
  const who = known.length > 0 ? sql`${ACTIVE} AND u.email IN (${sql.join(known, sql`, `)})` : sql`FALSE`;
  return { who, label: "the people listed", list, unknown: list.addresses.filter((a) => !found.has(a)) };
}

async function counts(conn: Db, jamId: number, who: SQL) {
  return (await conn.get<{ total: number; already: number }>(sql`
    SELECT count(*) AS total, coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM jam_invitations ji WHERE ji.jam_id = ${jamId} AND ji.user_id = u.id) THEN 1 ELSE 0 END), 0) AS already
    FROM users u WHERE ${who}`))!;
}

export interface InvitationOutcome {
  audience: InviteAudience;
  /** "everyone", the department's name, or "the people listed". */
  label: string;
  /** People it reaches who were not invited before. */
  newly: number;
  /** People it reaches who were invited before (they get nothing again). */
  already: number;
  /** Pasted addresses that match no active person (at most SHOWN_UNKNOWN), and how many in all. */
  unknown: string[];
  unknownCount: number;
  /** Pasted text that is not an address. */
  invalid: string[];
  /** Whether the pasted list was longer than what is read. */
  truncated: boolean;
  /** A draft's invitations go when it is scheduled. */
  waitsForSchedule: boolean;
}

function outcome(data: z.infer<typeof InviteInput>, resolved: Resolved, newly: number, already: number, jam: Jam): InvitationOutcome {
  return {
    audience: data.audience,
    label: resolved.label,
    newly,
    already,
    unknown: resolved.unknown.slice(0, SHOWN_UNKNOWN),
    unknownCount: resolved.unknown.length,
    invalid: resolved.list?.invalid ?? [],
    truncated: resolved.list?.truncated ?? false,
    waitsForSchedule: jam.isDraft,
  };
}

/**
 * What an invitation would do, written nowhere: how many people it reaches for the first time,
 * how many were invited before, which addresses match nobody, and the message the first of them
 * would get (its subject and HTML, for the confirmation).
 */
export async function previewInvitation(actor: SessionUser, slug: string, input: unknown, now = Date.now()) {
  const conn = db();
  const jam = await findManagedJam(conn, actor, slug);
  assertInvitable(jam, now);
  const data = validate(InviteInput, input);
  const resolved = await resolve(conn, data);
  const { total, already } = await counts(conn, jam.id, resolved.who);
  const sample = await conn.get<{ name: string }>(sql`SELECT u.name FROM users u WHERE ${resolved.who} ORDER BY u.id LIMIT 1`);
  const challenges = await conn.all<{ title: string; question: string }>(sql`SELECT title, question FROM challenges WHERE jam_id = ${jam.id} ORDER BY position, id`);
  const mail = invitationMail(
    { jam, inviter: actor.name, challenges, recipient: { name: sample?.name ?? actor.name }, now },
    mailContext(),
  );
  return { ...outcome(data, resolved, total - already, already, jam), message: { subject: mail.subject, html: mail.html, text: mail.text } };
}

/**
 * Invites the people an invitation reaches who were not invited before (one row each, so inviting
 * again reaches nobody twice) and, for a published jam, queues their e-mails in the same
 * transaction (the first INVITATION_BATCH; the background round sends the rest within minutes).
 * For a draft they wait until it is scheduled. Refused for a jam that has ended. Audited.
 */
export async function sendInvitations(actor: SessionUser, slug: string, input: unknown, meta: Meta): Promise<InvitationOutcome & { queuedNow: number; inBackground: boolean }> {
  const jam = await findManagedJam(db(), actor, slug);
  const data = validate(InviteInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    // Read again inside the transaction: it may have been scheduled, or ended, meanwhile.
    const current = (await tx.select().from(jams).where(eq(jams.id, jam.id)).get())!;
    assertInvitable(current, now);
    const resolved = await resolve(tx, data);
    const { total } = await counts(tx, jam.id, resolved.who);
    const inserted = (await tx.run(sql`INSERT INTO jam_invitations (jam_id, user_id, invited_by, invited_at)
      SELECT ${jam.id}, u.id, ${actor.id}, ${now} FROM users u WHERE ${resolved.who}
      ON CONFLICT (jam_id, user_id) DO NOTHING`)).changes;
    const sent = await queueInvitations(tx, jam.id, now, INVITATION_BATCH);
    await recordAudit(
      tx, {
        action: "jam_invited",
        actorId: actor.id,
        subject: `jam:${jam.id}`,
        ip: meta.ip,
        at: now,
        detail: {
          audience: data.audience,
          departmentId: data.audience === "department" ? data.departmentId : undefined,
          invited: inserted,
          alreadyInvited: total - inserted,
          unknownAddresses: resolved.unknown.length,
          waitsForSchedule: current.isDraft,
        },
      },
    );
    return {
      ...outcome(data, resolved, inserted, total - inserted, current),
      queuedNow: sent.done,
      inBackground: sent.left,
    };
  });
}

/**
 * The invitation as a whole HTML document, as a mail program shows it with the footer every
 * message gets (its links go nowhere here): for the confirmation's preview.
 */
export function invitationPreviewDocument(message: { subject: string; html: string }): string {
  const footer = [
    escapeHtml(`You get this because “${MAIL_KIND_LABELS.invitation}” e-mails are on in your Jamboree settings.`),
    `<a href="#" style="color:#4338ca;">Stop “${escapeHtml(MAIL_KIND_LABELS.invitation)}” e-mails</a> · <a href="#" style="color:#4338ca;">Choose which e-mails you get</a>`,
  ].join("<br>");
  return htmlDocument(message.subject, message.html, footer);
}
