/**
 * The e-mails that bring people back to a jam: who gets each one and when. Every message goes
 * through `queueMail` (app/mail/outbox.server.ts), which applies the person's choice for the kind
 * (at once, a digest, nothing), skips deactivated and erased people, and queues nothing twice for
 * one person and dedupe key. Nothing is sent inside a request: the sender sends what is queued.
 *
 * - Invitations: written with the invitation rows, for a published jam that has not ended, in
 *   the transaction that invites (the first INVITATION_BATCH; a larger invitation goes on in the
 *   background round) or, for a draft, in the transaction that schedules it.
 * - Opening, daily pulse, reminder: the background round claims each (jam, occasion) once
 *   (`jam_mailings`) when `dueMailings` says it is due, and works through the audience in batches
 *   of people, one transaction each.
 * - Results: in the transaction that publishes a jam's synthesis (the first time it is published).
 * - Action status: in the transaction that creates the action or changes its status.
 *
 * Who hears about a jam: a jam with invitations tells its invitees (and, for the pulse and the
 * reminder, the people who took part); a jam nobody was invited to tells everyone. Drafts tell
 * nobody. An anonymous idea's author is never named to anyone else, and mail about their
 * anonymous idea names neither the idea nor the action: the outbox keeps what it sends.
 */
import { sql } from "drizzle-orm";
import { dueMailings } from "~/domain/jam-mail";
import {
  invitationMail,
  openingMail,
  pulseHasNews,
  pulseMail,
  reminderMail,
  resultsMail,
  type Audience,
  type RepliesToYou,
  type RisingIdea,
} from "~/mail/messages";
import { queueMail } from "~/mail/outbox.server";
import { db, transaction, type Db } from "~db/client";
import type { Jam } from "~db/schema";
import { peopleWhoTookPart } from "~/services/effects/news.server";
import { jamRow, delivered, mailContext, namesOf } from "~/services/lookups/mail.server";

/** People looked at per transaction when a mailing or an invitation goes to many. */
export const MAIL_BATCH = 500;

/** Invitation e-mails queued in the request that invites; the rest go in the background round. */
export const INVITATION_BATCH = 200;

/** How long one background round may spend on jam mailings before leaving the rest to the next. */
const ROUND_BUDGET_MS = 20_000;

/** Rising ideas in a pulse. */
const RISING = 5;

export type JamRow = Pick<Jam, "id" | "slug" | "title" | "description" | "startsAt" | "endsAt" | "isDraft">;

async function challengesOf(conn: Db, jamId: number) {
  return await conn.all<{ title: string; question: string }>(sql`SELECT title, question FROM challenges WHERE jam_id = ${jamId} ORDER BY position, id`);
}

// ---------------------------------------------------------------- audiences

export async function hasInvitations(conn: Db, jamId: number): Promise<boolean> {
  return !!await conn.get(sql`SELECT 1 AS x FROM jam_invitations WHERE jam_id = ${jamId} LIMIT 1`);
}

/** Whether person `u.id` took part in the jam (an idea, a comment, any vote): a condition on `users u`. */
function tookPartSql(jamId: number) {
  const challengeIds = sql`(SELECT id FROM challenges WHERE jam_id = ${jamId})`;
  return sql`(EXISTS (SELECT 1 FROM ideas i WHERE i.author_id = u.id AND i.jam_id = ${jamId})
    OR EXISTS (SELECT 1 FROM comments c JOIN ideas ci ON ci.id = c.idea_id WHERE c.author_id = u.id AND ci.jam_id = ${jamId})
    OR EXISTS (SELECT 1 FROM votes v WHERE v.user_id = u.id AND v.challenge_id IN ${challengeIds})
    OR EXISTS (SELECT 1 FROM stance_votes s WHERE s.user_id = u.id AND s.challenge_id IN ${challengeIds})
    OR EXISTS (SELECT 1 FROM dot_allocations d WHERE d.user_id = u.id AND d.challenge_id IN ${challengeIds} AND d.dots > 0))`;
}

interface Reader {
  id: number;
  name: string;
  audience: Audience;
  tookPart: boolean;
}

/**
 * The next people (by id, after `afterId`) of the jam's audience, looking at MAIL_BATCH active
 * people at a time: `lastId` is where the next batch starts, and `done` says there is nobody after.
 * - `invitees`: people invited, and (with `invitedBefore`) whose invitation went before that time;
 * - `invitees_and_took_part`: people invited or who took part;
 * and, for a jam nobody was invited to, everyone.
 */
async function audienceBatch(
  conn: Db,
  jamId: number,
  afterId: number,
  who: { kind: "invitees"; invitedBefore: number } | { kind: "invitees_and_took_part" },
): Promise<{ readers: Reader[]; lastId: number; done: boolean }> {
  const invitedOnly = await hasInvitations(conn, jamId);
  const invitedCondition =
    who.kind === "invitees"
      ? sql`EXISTS (SELECT 1 FROM jam_invitations ji WHERE ji.jam_id = ${jamId} AND ji.user_id = u.id AND ji.mailed_at < ${who.invitedBefore})`
      : sql`EXISTS (SELECT 1 FROM jam_invitations ji WHERE ji.jam_id = ${jamId} AND ji.user_id = u.id)`;
  const rows = await conn.all<{ id: number; name: string; invited: number | boolean; tookPart: number | boolean }>(sql`
    SELECT u.id, u.name, ${invitedCondition} AS invited, ${tookPartSql(jamId)} AS tookPart
    FROM users u
    WHERE u.id > ${afterId} AND u.deactivated_at IS NULL AND u.erased_at IS NULL
    ORDER BY u.id
    LIMIT ${MAIL_BATCH}`);
  const readers: Reader[] = [];
  for (const r of rows) {
    const invited = Boolean(r.invited);
    const tookPart = Boolean(r.tookPart);
    if (invitedOnly && !invited && !(who.kind === "invitees_and_took_part" && tookPart)) continue;
    readers.push({ id: r.id, name: r.name, tookPart, audience: invited ? "invited" : tookPart ? "took_part" : "everyone" });
  }
  return { readers, lastId: rows.length > 0 ? rows[rows.length - 1]!.id : afterId, done: rows.length < MAIL_BATCH };
}

// ---------------------------------------------------------------- invitations

/**
 * Queues the invitation e-mail of up to `limit` people invited to the jam whose invitation has
 * not gone yet, and marks them sent, inside the caller's transaction. Nothing for a draft or a
 * jam that has ended. Returns how many invitations it went through and whether any are left.
 */
export async function queueInvitations(tx: Db, jamId: number, now: number, limit = INVITATION_BATCH): Promise<{ done: number; left: boolean }> {
  const jam = await jamRow(tx, jamId);
  if (!jam || jam.isDraft || jam.endsAt <= now) return { done: 0, left: false };
  const pending = await tx.all<{ userId: number; name: string; inviter: string | null }>(sql`
    SELECT ji.user_id AS userId, u.name AS name, CASE WHEN inv.erased_at IS NULL THEN inv.name END AS inviter
    FROM jam_invitations ji
    JOIN users u ON u.id = ji.user_id
    LEFT JOIN users inv ON inv.id = ji.invited_by
    WHERE ji.jam_id = ${jamId} AND ji.mailed_at IS NULL
    ORDER BY ji.user_id
    LIMIT ${limit + 1}`);
  const batch = pending.slice(0, limit);
  if (batch.length === 0) return { done: 0, left: false };
  const challenges = await challengesOf(tx, jamId);
  const context = mailContext();
  for (const person of batch) {
    const mail = invitationMail({ jam, inviter: person.inviter, challenges, recipient: { name: person.name }, now }, context);
    await queueMail(tx, { userId: person.userId, kind: "invitation", ...mail, dedupeKey: `invitation:${jamId}:${person.userId}`, jamId }, now);
  }
  const last = batch[batch.length - 1]!.userId;
  await tx.run(sql`UPDATE jam_invitations SET mailed_at = ${now} WHERE jam_id = ${jamId} AND mailed_at IS NULL AND user_id <= ${last}`);
  return { done: batch.length, left: pending.length > limit };
}

/** Invitations left over from a large invitation (or a jam scheduled with many), a batch at a time. */
async function queueLeftoverInvitations(conn: Db, now: number, deadline: number): Promise<number> {
  const jamIds = (await conn
    .all<{ jamId: number }>(sql`
      SELECT DISTINCT ji.jam_id AS jamId FROM jam_invitations ji JOIN jams j ON j.id = ji.jam_id
      WHERE ji.mailed_at IS NULL AND j.is_draft = FALSE AND j.ends_at > ${now}`))
    .map((r) => r.jamId);
  let done = 0;
  for (const jamId of jamIds) {
    for (;;) {
      if (performance.now() > deadline) return done;
      const batch = await transaction(async (tx) => await queueInvitations(tx, jamId, now));
      done += batch.done;
      if (!batch.left) break;
    }
  }
  return done;
}

// ---------------------------------------------------------------- opening, pulse, reminder

interface Mailing {
  jamId: number;
  occasion: string;
  since: number | null;
  until: number | null;
  doneThrough: number;
}

/** Claims the mailings that are due now, once per jam and occasion. */
async function claimDueMailings(conn: Db, now: number) {
  const live = await conn.all<{ id: number; startsAt: number; endsAt: number; isDraft: number | boolean }>(
    sql`SELECT id, starts_at AS startsAt, ends_at AS endsAt, is_draft AS isDraft FROM jams WHERE ends_at > ${now} AND starts_at <= ${now} AND is_draft = FALSE AND kind = 'jam'`,
  );
  for (const jam of live) {
    for (const due of dueMailings({ ...jam, isDraft: Boolean(jam.isDraft) }, now)) {
      const since = "since" in due ? due.since : null;
      const until = "until" in due ? due.until : null;
      await conn.run(sql`INSERT INTO jam_mailings (jam_id, occasion, since, until, started_at) VALUES (${jam.id}, ${due.occasion}, ${since}, ${until}, ${now})
        ON CONFLICT (jam_id, occasion) DO NOTHING`);
    }
  }
}

/** What a pulse says to everyone, and what it says to each person, for one jam and period. */
interface PulseFacts {
  news: { ideas: number; comments: number; support: number };
  rising: RisingIdea[];
  replies: Map<number, Map<number, RepliesToYou>>;
  ownNewIdeas: Map<number, number>;
}

async function pulseFacts(conn: Db, jamId: number, since: number, until: number): Promise<PulseFacts> {
  const challengeIds = sql`(SELECT id FROM challenges WHERE jam_id = ${jamId})`;
  const ideas =
    (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM ideas WHERE jam_id = ${jamId} AND created_at >= ${since} AND created_at < ${until} AND hidden_at IS NULL`))?.n ?? 0;
  const support =
    (await conn.get<{ n: number }>(sql`SELECT
      (SELECT count(*) FROM votes WHERE challenge_id IN ${challengeIds} AND created_at >= ${since} AND created_at < ${until})
      + (SELECT count(*) FROM stance_votes WHERE challenge_id IN ${challengeIds} AND stance = 'agree' AND created_at >= ${since} AND created_at < ${until}) AS n`))?.n ?? 0;
  // The period's visible comments on visible ideas, with whom each one answers.
  const comments = await conn.all<{ ideaId: number; title: string; author: number; ideaAuthor: number; anonymous: number | boolean; parentAuthor: number | null }>(sql`
    SELECT c.idea_id AS ideaId, i.title AS title, c.author_id AS author, i.author_id AS ideaAuthor, i.is_anonymous AS anonymous, p.author_id AS parentAuthor
    FROM comments c
    JOIN ideas i ON i.id = c.idea_id
    LEFT JOIN comments p ON p.id = c.parent_id
    WHERE i.jam_id = ${jamId} AND c.created_at >= ${since} AND c.created_at < ${until} AND c.hidden_at IS NULL AND i.hidden_at IS NULL`);
  const replies = new Map<number, Map<number, RepliesToYou>>();
  const add = (userId: number, c: (typeof comments)[number], field: "onYourIdea" | "toYourComments") => {
    let mine = replies.get(userId);
    if (!mine) replies.set(userId, (mine = new Map()));
    let entry = mine.get(c.ideaId);
    if (!entry) mine.set(c.ideaId, (entry = { ideaId: c.ideaId, ideaTitle: c.title, onYourIdea: 0, toYourComments: 0 }));
    entry[field] += 1;
  };
  for (const c of comments) {
    if (c.parentAuthor !== null && c.parentAuthor !== c.author) add(c.parentAuthor, c, "toYourComments");
    // Comments on an anonymous idea are told in the app only: a mail naming the idea to its
    // author would sit in the outbox for whoever reads it.
    else if (c.ideaAuthor !== c.author && !c.anonymous) add(c.ideaAuthor, c, "onYourIdea");
  }
  const risingRows = await conn.all<{ id: number; title: string; challengeTitle: string; anonymous: number | boolean; authorName: string | null; gained: number }>(sql`
    SELECT i.id, i.title, ch.title AS challengeTitle, i.is_anonymous AS anonymous,
      CASE WHEN i.is_anonymous = FALSE AND u.erased_at IS NULL THEN u.name END AS authorName, g.gained
    FROM (
      SELECT idea_id, count(*) AS gained FROM (
        SELECT idea_id FROM votes WHERE challenge_id IN ${challengeIds} AND created_at >= ${since} AND created_at < ${until}
        UNION ALL
        SELECT idea_id FROM stance_votes WHERE challenge_id IN ${challengeIds} AND stance = 'agree' AND created_at >= ${since} AND created_at < ${until}
      ) AS sub GROUP BY idea_id
    ) g
    JOIN ideas i ON i.id = g.idea_id
    JOIN challenges ch ON ch.id = i.challenge_id
    JOIN users u ON u.id = i.author_id
    WHERE i.hidden_at IS NULL
    ORDER BY g.gained DESC, i.id
    LIMIT ${RISING}`);
  const rising = risingRows.map((r) => ({
    id: r.id,
    title: r.title,
    challengeTitle: r.challengeTitle,
    isAnonymous: Boolean(r.anonymous),
    authorName: r.anonymous ? null : r.authorName,
    gained: r.gained,
  }));
  // Only named ideas count as a reader's own: whether a person gets a pulse must not depend on
  // their anonymous ideas, or its absence would say who wrote them.
  const ownNewIdeas = new Map(
    (await conn
      .all<{ author: number; n: number }>(sql`SELECT author_id AS author, count(*) AS n FROM ideas
        WHERE jam_id = ${jamId} AND created_at >= ${since} AND created_at < ${until} AND hidden_at IS NULL AND is_anonymous = FALSE GROUP BY author_id`))
      .map((r) => [r.author, r.n]),
  );
  return { news: { ideas, comments: comments.length, support }, rising, replies, ownNewIdeas };
}

async function reminderTotals(conn: Db, jamId: number) {
  const ideas = (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM ideas WHERE jam_id = ${jamId} AND hidden_at IS NULL`))?.n ?? 0;
  return { ideas, people: (await peopleWhoTookPart(conn, jamId)).length };
}

/** `opening:<jam>:<person>`, `reminder:<jam>:<person>`, `pulse:<jam>:<day>:<person>`: once per person and occasion. */
function mailingKey(occasion: string, jamId: number, userId: number): string {
  const [name, day] = occasion.split(":");
  return day === undefined ? `${name}:${jamId}:${userId}` : `${name}:${jamId}:${day}:${userId}`;
}

/** One mailing's messages for one batch of readers (inside the batch's transaction); how many it queued. */
type Writer = (tx: Db, readers: Reader[], now: number) => Promise<number>;

async function writerFor(conn: Db, m: Mailing, jam: JamRow): Promise<{ who: Parameters<typeof audienceBatch>[3]; write: Writer } | null> {
  const context = mailContext();
  const facts = { slug: jam.slug, title: jam.title, startsAt: jam.startsAt, endsAt: jam.endsAt };
  const queue = async (tx: Db, userId: number, kind: "jam_opening" | "pulse" | "reminder", mail: { subject: string; text: string; html: string }, now: number) =>
    delivered(await queueMail(tx, { userId, kind, ...mail, dedupeKey: mailingKey(m.occasion, jam.id, userId), jamId: jam.id }, now));
  if (m.occasion === "opening") {
    const challenges = await challengesOf(conn, jam.id);
    return {
      who: { kind: "invitees", invitedBefore: jam.startsAt },
      write: async (tx, readers, now) => {
        let n = 0;
        for (const r of readers) n += await queue(tx, r.id, "jam_opening", openingMail({ jam: facts, challenges, recipient: r, audience: r.audience, now }, context), now);
        return n;
      },
    };
  }
  if (m.occasion === "reminder") {
    const totals = await reminderTotals(conn, jam.id);
    return {
      who: { kind: "invitees_and_took_part" },
      write: async (tx, readers, now) => {
        let n = 0;
        for (const r of readers) n += await queue(tx, r.id, "reminder", reminderMail({ jam: facts, totals, tookPart: r.tookPart, recipient: r, audience: r.audience, now }, context), now);
        return n;
      },
    };
  }
  if (m.occasion.startsWith("pulse:") && m.since !== null && m.until !== null) {
    const since = m.since;
    const until = m.until;
    const shared = await pulseFacts(conn, jam.id, since, until);
    return {
      who: { kind: "invitees_and_took_part" },
      write: async (tx, readers, now) => {
        let n = 0;
        for (const r of readers) {
          const personal = {
            jam: facts,
            since,
            now: until,
            news: shared.news,
            ownNewIdeas: shared.ownNewIdeas.get(r.id) ?? 0,
            rising: shared.rising,
            replies: [...(shared.replies.get(r.id)?.values() ?? [])],
            recipient: r,
            audience: r.audience,
          };
          if (!pulseHasNews(personal)) continue;
          n += await queue(tx, r.id, "pulse", pulseMail(personal, context), now);
        }
        return n;
      },
    };
  }
  return null;
}

/**
 * Works through one mailing a batch at a time until it is done or the round's time is up. Each
 * batch is one transaction that first moves the mailing's `done_through` on from where this
 * process read it (a conditional update), so a batch is written once even if two processes ever
 * worked on the same mailing. A mailing whose jam has ended, or went back to draft, stops.
 */
async function workThrough(conn: Db, m: Mailing, now: number, deadline: number): Promise<number> {
  const jam = await jamRow(conn, m.jamId);
  const finish = async () => await conn.run(sql`UPDATE jam_mailings SET finished_at = ${now} WHERE jam_id = ${m.jamId} AND occasion = ${m.occasion} AND finished_at IS NULL`);
  if (!jam || jam.isDraft || jam.endsAt <= now) {
    await finish();
    return 0;
  }
  const plan = await writerFor(conn, m, jam);
  if (!plan) {
    await finish();
    return 0;
  }
  let queued = 0;
  let after = m.doneThrough;
  while (performance.now() <= deadline) {
    const step = await transaction(async (tx) => {
      const batch = await audienceBatch(tx, jam.id, after, plan.who);
      const moved = await tx.run(sql`UPDATE jam_mailings SET done_through = ${batch.lastId}, finished_at = ${batch.done ? now : null}
        WHERE jam_id = ${m.jamId} AND occasion = ${m.occasion} AND done_through = ${after} AND finished_at IS NULL`);
      if (moved.changes === 0) return null;
      const n = await plan.write(tx, batch.readers, now);
      await tx.run(sql`UPDATE jam_mailings SET queued = queued + ${n} WHERE jam_id = ${m.jamId} AND occasion = ${m.occasion}`);
      return { n, lastId: batch.lastId, done: batch.done };
    });
    if (!step) break;
    queued += step.n;
    after = step.lastId;
    if (step.done) break;
  }
  return queued;
}

/**
 * One background round of jam mail: claims the openings, pulses and reminders due now, works
 * through every unfinished mailing, then sends invitations left over from large ones. Runs in
 * the process that holds the background lease (app/services/jobs/background.server.ts). Returns how
 * many messages each mailing queued.
 */
export async function runJamMailings(now = Date.now(), budgetMs = ROUND_BUDGET_MS): Promise<{ jamId: number; occasion: string; queued: number }[]> {
  const deadline = performance.now() + budgetMs;
  await transaction(async (tx) => await claimDueMailings(tx, now));
  const conn = db();
  const open = await conn.all<Mailing>(sql`SELECT jam_id AS jamId, occasion, since, until, done_through AS doneThrough
    FROM jam_mailings WHERE finished_at IS NULL ORDER BY started_at, jam_id, occasion`);
  const report: { jamId: number; occasion: string; queued: number }[] = [];
  for (const m of open) {
    if (performance.now() > deadline) break;
    report.push({ jamId: m.jamId, occasion: m.occasion, queued: await workThrough(conn, m, now, deadline) });
  }
  if (performance.now() <= deadline) await queueLeftoverInvitations(conn, now, deadline);
  return report;
}

// ---------------------------------------------------------------- results and actions

/**
 * A jam's synthesis was published (the first version to be published of the jam, or a new one):
 * each person who took part hears it once per jam (a later version says nothing new), inside the
 * publishing transaction. Their own named ideas are listed with the theme each joined; anonymous
 * ones are not (the message sits in the outbox). Nothing for a draft.
 */
export async function mailResultsPublished(tx: Db, jamId: number, versionId: number, now: number): Promise<number> {
  const jam = await jamRow(tx, jamId);
  if (!jam || jam.isDraft) return 0;
  const people = await peopleWhoTookPart(tx, jamId);
  if (people.length === 0) return 0;
  const themes = await tx.all<{ label: string; ideas: number }>(sql`
    SELECT t.label, (
      SELECT count(*) FROM theme_ideas ti JOIN themes s ON s.id = ti.theme_id JOIN ideas i ON i.id = ti.idea_id
      WHERE ti.version_id = t.version_id AND (s.id = t.id OR s.parent_id = t.id) AND ti.excluded = FALSE AND i.hidden_at IS NULL
    ) AS ideas
    FROM themes t
    WHERE t.version_id = ${versionId} AND t.parent_id IS NULL AND t.is_other = FALSE
    ORDER BY ideas DESC, t.position, t.id`);
  const own = new Map<number, { title: string; theme: string }[]>();
  for (const row of await tx.all<{ author: number; title: string; label: string; parent: string | null }>(sql`
    SELECT i.author_id AS author, i.title, t.label, (SELECT p.label FROM themes p WHERE p.id = t.parent_id) AS parent
    FROM theme_ideas ti JOIN themes t ON t.id = ti.theme_id JOIN ideas i ON i.id = ti.idea_id
    WHERE ti.version_id = ${versionId} AND ti.excluded = FALSE AND t.is_other = FALSE AND i.hidden_at IS NULL AND i.is_anonymous = FALSE
    ORDER BY i.author_id, i.vote_count DESC, i.id`)) {
    const list = own.get(row.author) ?? [];
    list.push({ title: row.title, theme: row.parent ? `${row.parent} › ${row.label}` : row.label });
    own.set(row.author, list);
  }
  const names = await namesOf(tx, people);
  const context = mailContext();
  const facts = { slug: jam.slug, title: jam.title, startsAt: jam.startsAt, endsAt: jam.endsAt };
  let queued = 0;
  for (const userId of people) {
    const mail = resultsMail({ jam: facts, themes: themes.filter((t) => t.ideas > 0), themeCount: themes.length, yourIdeas: own.get(userId) ?? [], recipient: { name: names.get(userId) ?? "" } }, context);
    queued += delivered(await queueMail(tx, { userId, kind: "results", ...mail, dedupeKey: `results:${jamId}:${userId}`, jamId }, now));
  }
  return queued;
}
