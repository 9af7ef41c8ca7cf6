/**
 * Points and badges. Every function here that writes takes the caller's
 * transaction: points and badges are written in the same transaction as the
 * action that earns them, so they can never drift from it.
 */
import { and, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { BADGES, EMPTY_FACTS, levelFor, type BadgeFacts } from "~/domain/badges";
import { QUESTION_DAILY_CAP, QUESTION_POINTS, type QuestionPointReason } from "~/domain/questions";
import { jamPhase } from "~/domain/phase";
import {
  cappedPoints,
  earnsPoints,
  isSerialVote,
  jamPointRules,
  LEARNING_POINTS,
  type LearningPointReason,
  SERIAL_VOTING,
  utcDay,
  type PointReason,
  type PointRules,
} from "~/domain/points";
import { preparedQuery, type Db } from "~db/client";
import { departmentTotals, pointEntries, pointTotals, serialVoteReports, userBadges, users, type Jam } from "~db/schema";
import { filterInOrder } from "~/domain/in-order";

/** scope 0 of point_totals and department_totals: all jams together. */
export const ALL_JAMS = 0;

const addToPersonTotal = preparedQuery((conn) =>
  conn
    .insert(pointTotals)
    .values({ scope: sql.placeholder("scope"), userId: sql.placeholder("userId"), total: sql.placeholder("points") })
    .onConflictDoUpdate({ target: [pointTotals.scope, pointTotals.userId], set: { total: sql`${pointTotals.total} + ${sql.placeholder("points")}` } })
    .prepare(),
);

const addToDepartmentTotal = preparedQuery((conn) =>
  conn
    .insert(departmentTotals)
    .values({ scope: sql.placeholder("scope"), departmentId: sql.placeholder("departmentId"), total: sql.placeholder("points") })
    .onConflictDoUpdate({
      target: [departmentTotals.scope, departmentTotals.departmentId],
      set: { total: sql`${departmentTotals.total} + ${sql.placeholder("points")}` },
    })
    .prepare(),
);

/** Adds to the jam's totals and to the all-jams totals (only the latter for points earned outside any jam). */
async function addToTotals(tx: Db, userId: number, jamId: number | null, departmentId: number | null, points: number) {
  for (const scope of jamId === null ? [ALL_JAMS] : [jamId, ALL_JAMS]) {
    await addToPersonTotal(tx).run({ scope, userId, points });
    if (departmentId !== null) await addToDepartmentTotal(tx).run({ scope, departmentId, points });
  }
}

/** Positive points earned in a jam on one UTC day (what the daily cap counts). */
const pointsEarnedOnDay = preparedQuery((conn) =>
  conn
    .select({ n: sql<number>`coalesce(sum(${pointEntries.points}), 0)` })
    .from(pointEntries)
    .where(
      and(
        eq(pointEntries.userId, sql.placeholder("userId")),
        eq(pointEntries.jamId, sql.placeholder("jamId")),
        eq(pointEntries.day, sql.placeholder("day")),
        gt(pointEntries.points, 0),
        sql`${pointEntries.reason} NOT IN ('reversal', 'restoral')`,
      ),
    )
    .prepare(),
);

const departmentOf = preparedQuery((conn) =>
  conn.select({ d: users.departmentId, erasedAt: users.erasedAt }).from(users).where(eq(users.id, sql.placeholder("userId"))).prepare(),
);

/** Whether the person's account was erased (then nothing more is scored or badged for them). */
const erasedAt = preparedQuery((conn) =>
  conn.select({ erasedAt: users.erasedAt }).from(users).where(eq(users.id, sql.placeholder("userId"))).prepare(),
);

const insertPointEntry = preparedQuery((conn) =>
  conn
    .insert(pointEntries)
    .values({
      userId: sql.placeholder("userId"),
      jamId: sql.placeholder("jamId"),
      departmentId: sql.placeholder("departmentId"),
      reason: sql.placeholder("reason"),
      source: sql.placeholder("source"),
      subject: sql.placeholder("subject"),
      points: sql.placeholder("points"),
      day: sql.placeholder("day"),
      createdAt: sql.placeholder("createdAt"),
    })
    .onConflictDoNothing()
    .prepare(),
);

export interface Award {
  earnerId: number;
  actorId: number;
  jam: Pick<Jam, "id" | "startsAt" | "endsAt" | "isDraft" | "pointRules">;
  reason: PointReason;
  source: string;
  subject: string | null;
  anonymous: boolean;
  now: number;
}

/**
 * Writes one ledger entry if the rules allow it: once per (person, reason,
 * source), only while the jam is live, never for one's own or anonymous
 * content, within the daily cap. Returns the points awarded (0 if none).
 */
export async function award(tx: Db, a: Award): Promise<number> {
  const phase = jamPhase(a.jam, a.now);
  const jamLive = phase === "live";
  const jamStarted = jamLive || phase === "ended";
  if (!earnsPoints({ reason: a.reason, earnerId: a.earnerId, actorId: a.actorId, anonymous: a.anonymous, jamLive, jamStarted })) return 0;
  const rules: PointRules = jamPointRules(a.jam.pointRules);
  const day = utcDay(a.now);
  const points = cappedPoints(rules[a.reason], (await pointsEarnedOnDay(tx).get({ userId: a.earnerId, jamId: a.jam.id, day }))?.n ?? 0, rules.dailyCap);
  if (points === 0) return 0;
  const earner = await departmentOf(tx).get({ userId: a.earnerId });
  // An erased person's points left the rankings with them: their content that stays earns nothing more.
  if (earner?.erasedAt != null) return 0;
  const departmentId = earner?.d ?? null;
  const written = await insertPointEntry(tx).run({
    userId: a.earnerId,
    jamId: a.jam.id,
    departmentId,
    reason: a.reason,
    source: a.source,
    subject: a.subject,
    points,
    day,
    createdAt: a.now,
  });
  if (written.changes === 0) return 0;
  await addToTotals(tx, a.earnerId, a.jam.id, departmentId, points);
  return points;
}

/** Question points earned on one UTC day (outside jams: jam_id null), for QUESTION_DAILY_CAP. */
const questionPointsOnDay = preparedQuery((conn) =>
  conn
    .select({ n: sql<number>`coalesce(sum(${pointEntries.points}), 0)` })
    .from(pointEntries)
    .where(
      and(
        eq(pointEntries.userId, sql.placeholder("userId")),
        sql`${pointEntries.jamId} IS NULL`,
        eq(pointEntries.day, sql.placeholder("day")),
        gt(pointEntries.points, 0),
        inArray(pointEntries.reason, Object.keys(QUESTION_POINTS) as QuestionPointReason[]),
      ),
    )
    .prepare(),
);

const isQuestionReason = (reason: string): reason is QuestionPointReason => Object.hasOwn(QUESTION_POINTS, reason);

/**
 * Points earned outside any jam: answering questions (QUESTION_POINTS, within QUESTION_DAILY_CAP a
 * day, never for one's own action on one's own content: `actorId`) and checking in at a jelly
 * (LEARNING_POINTS). One ledger entry per (person, reason, source), counted in the all-jams totals
 * only, never for an erased person. Returns the points awarded (0 if none or already scored).
 */
export async function awardOutsideJams(
  tx: Db,
  a: { earnerId: number; actorId?: number; reason: QuestionPointReason | LearningPointReason; source: string; subject: string | null; now: number },
): Promise<number> {
  if (a.actorId !== undefined && a.earnerId === a.actorId) return 0;
  const day = utcDay(a.now);
  const points = isQuestionReason(a.reason)
    ? cappedPoints(QUESTION_POINTS[a.reason], (await questionPointsOnDay(tx).get({ userId: a.earnerId, day }))?.n ?? 0, QUESTION_DAILY_CAP)
    : LEARNING_POINTS[a.reason];
  if (points <= 0) return 0;
  const earner = await departmentOf(tx).get({ userId: a.earnerId });
  if (!earner || earner.erasedAt != null) return 0;
  const written = await insertPointEntry(tx).run({
    userId: a.earnerId,
    jamId: null,
    departmentId: earner.d ?? null,
    reason: a.reason,
    source: a.source,
    subject: a.subject,
    points,
    day,
    createdAt: a.now,
  });
  if (written.changes === 0) return 0;
  await addToTotals(tx, a.earnerId, null, earner.d ?? null, points);
  return points;
}

/** The first idea or comment of a person's UTC day in a jam earns a bonus. */
export async function awardFirstOfDay(tx: Db, a: Omit<Award, "reason" | "source" | "earnerId">): Promise<number> {
  return await award(tx, { ...a, earnerId: a.actorId, reason: "first_of_day", source: `day:${a.jam.id}:${utcDay(a.now)}` });
}

/**
 * Compensates every positive entry about `subject` (hidden content) with a
 * negative one. `generation` is how many times the content has been hidden,
 * so hide, restore, hide again each write their own rows.
 */
export async function reverseSubject(tx: Db, subject: string, generation: number, now: number) {
  return await compensate(tx, subject, generation, now, "reversal", -1);
}

/**
 * Gives back exactly what reverseSubject took in this generation (content
 * restored): each reversal row of the generation gets its restoral row.
 */
export async function restoreSubject(tx: Db, subject: string, generation: number, now: number) {
  const reversed = await tx
    .select()
    .from(pointEntries)
    .where(
      and(
        eq(pointEntries.subject, subject),
        eq(pointEntries.reason, "reversal"),
        sql`${pointEntries.source} LIKE ${`entry:%:${generation}`}`,
      ),
    )
    .all();
  return await writeCompensations(tx, reversed, subject, now, "restoral", (entry) => ({
    source: entry.source,
    points: -entry.points,
  }));
}

async function compensate(tx: Db, subject: string, generation: number, now: number, reason: "reversal", sign: -1) {
  const earned = await tx
    .select()
    .from(pointEntries)
    .where(and(eq(pointEntries.subject, subject), gt(pointEntries.points, 0), sql`${pointEntries.reason} NOT IN ('reversal', 'restoral')`))
    .all();
  return await writeCompensations(tx, earned, subject, now, reason, (entry) => ({
    source: `entry:${entry.id}:${generation}`,
    points: sign * entry.points,
  }));
}

async function writeCompensations(
  tx: Db,
  entries: (typeof pointEntries.$inferSelect)[],
  subject: string,
  now: number,
  reason: "reversal" | "restoral",
  row: (entry: typeof pointEntries.$inferSelect) => { source: string; points: number },
) {
  let changed = 0;
  for (const entry of entries) {
    const { source, points } = row(entry);
    const written = await tx
      .insert(pointEntries)
      .values({
        userId: entry.userId,
        jamId: entry.jamId,
        departmentId: entry.departmentId,
        reason,
        source,
        subject,
        points,
        day: utcDay(now),
        createdAt: now,
      })
      .onConflictDoNothing()
      .run();
    if (written.changes === 1) {
      await addToTotals(tx, entry.userId, entry.jamId, entry.departmentId, points);
      changed += 1;
    }
  }
  return changed;
}

/**
 * Serial voting: the voter's votes on this author's ideas in this jam within
 * the window, this one included. Beyond the threshold the vote does not score
 * and the pattern is reported to facilitators (one report row per pair, updated).
 */
export async function checkSerialVoting(tx: Db, input: { jamId: number; voterId: number; authorId: number; now: number }): Promise<boolean> {
  const since = input.now - SERIAL_VOTING.windowMs;
  const row = await tx.get<{ n: number; first: number | null }>(sql`
    SELECT count(*) AS n, min(v.created_at) AS first FROM votes v
    JOIN ideas i ON i.id = v.idea_id
    WHERE v.user_id = ${input.voterId} AND v.created_at >= ${since}
      AND i.author_id = ${input.authorId} AND i.jam_id = ${input.jamId} AND i.is_anonymous = FALSE`);
  const votes = row?.n ?? 0;
  if (!isSerialVote(votes)) return false;
  await tx.insert(serialVoteReports)
    .values({ jamId: input.jamId, voterId: input.voterId, authorId: input.authorId, votes, firstAt: row?.first ?? input.now, lastAt: input.now })
    .onConflictDoUpdate({
      target: [serialVoteReports.jamId, serialVoteReports.voterId, serialVoteReports.authorId],
      set: { votes: sql`${serialVoteReports.votes} + 1`, lastAt: input.now },
    })
    .run();
  return true;
}

const DAY = 86_400_000;

/**
 * Facts for badges, from source data. `userIds` null means everyone (for the
 * reconcile command); otherwise only those people, each query on an index.
 */
export async function badgeFacts(
  tx: Db,
  userIds: number[] | null,
  keys: readonly (keyof BadgeFacts)[] | null = null,
): Promise<Map<number, BadgeFacts>> {
  const facts = new Map<number, BadgeFacts>();
  if (userIds !== null && userIds.length === 0) return facts;
  const wanted = (key: keyof BadgeFacts) => keys === null || keys.includes(key);
  const only = (column: string) => (userIds === null ? sql`1 = 1` : sql`${sql.raw(column)} IN ${userIds}`);
  const put = (rows: { userId: number; n: number }[], key: keyof BadgeFacts) => {
    for (const r of rows) {
      const f = facts.get(r.userId) ?? { ...EMPTY_FACTS };
      f[key] = r.n;
      facts.set(r.userId, f);
    }
  };
  const named = sql`i.is_anonymous = FALSE AND i.hidden_at IS NULL`;
  // An accepted co-author is credited with the idea as its author is (decision 026).
  const coauthored = (what: SQL) => sql`SELECT c.user_id AS userId, ${what} AS n FROM idea_coauthors c JOIN ideas i ON i.id = c.idea_id
      WHERE ${only("c.user_id")} AND c.status = 'accepted' AND ${named} GROUP BY c.user_id`;
  if (wanted("ideasPosted"))
  put(
    await tx.all(sql`SELECT userId, sum(n) AS n FROM (
        SELECT i.author_id AS userId, count(*) AS n FROM ideas i WHERE ${only("i.author_id")} AND ${named} GROUP BY i.author_id
        UNION ALL ${coauthored(sql`count(*)`)}
      ) AS sub GROUP BY userId`),
    "ideasPosted",
  );
  if (wanted("commentsWithReplies"))
  put(
    await tx.all(sql`SELECT c.author_id AS userId, count(*) AS n FROM comments c
      WHERE ${only("c.author_id")} AND c.hidden_at IS NULL
        AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.author_id <> c.author_id AND r.hidden_at IS NULL)
      GROUP BY c.author_id`),
    "commentsWithReplies",
  );
  if (wanted("supportsReceived"))
  put(
    userIds === null
      ? // Everyone (reconcile): counted from the votes themselves, the source data.
        await tx.all(sql`SELECT userId, sum(n) AS n FROM (
            SELECT i.author_id AS userId, count(*) AS n FROM ideas i JOIN votes v ON v.idea_id = i.id WHERE ${named} GROUP BY i.author_id
            UNION ALL SELECT c.user_id, count(*) FROM idea_coauthors c JOIN ideas i ON i.id = c.idea_id JOIN votes v ON v.idea_id = i.id
              WHERE c.status = 'accepted' AND ${named} GROUP BY c.user_id
          ) AS sub GROUP BY userId`)
      : // A few people, inside a write: ideas.vote_count is kept equal to the idea's votes in
        // every vote transaction (and recounted on merge), so their ideas are read, not every
        // vote on them. Reconcile recounting from the votes would show any drift.
        await tx.all(sql`SELECT userId, sum(n) AS n FROM (
            SELECT i.author_id AS userId, sum(i.vote_count) AS n FROM ideas i WHERE ${only("i.author_id")} AND ${named} GROUP BY i.author_id
            UNION ALL ${coauthored(sql`sum(i.vote_count)`)}
          ) AS sub GROUP BY userId HAVING count(*) > 0`),
    "supportsReceived",
  );
  if (wanted("bridgeIdeas"))
  put(
    await tx.all(sql`SELECT i.author_id AS userId, count(*) AS n FROM ideas i
      WHERE ${only("i.author_id")} AND ${named}
        AND (SELECT count(*) FROM (
          -- Stops at the third department: a popular idea's votes are not all read.
          SELECT DISTINCT u.department_id FROM votes v JOIN users u ON u.id = v.user_id
          WHERE v.idea_id = i.id AND u.department_id IS NOT NULL LIMIT 3) AS sub) >= 3
      GROUP BY i.author_id`),
    "bridgeIdeas",
  );
  if (wanted("earlyIdeas"))
  put(
    await tx.all(sql`SELECT i.author_id AS userId, count(*) AS n FROM ideas i JOIN jams j ON j.id = i.jam_id
      WHERE ${only("i.author_id")} AND ${named} AND i.created_at < j.starts_at + 3600000 GROUP BY i.author_id`),
    "earlyIdeas",
  );
  // Whole days: a number bound from JS is a double, so a division by ${DAY} is cast back to a day number.
  if (wanted("marathonJams"))
  put(
    await tx.all(sql`SELECT userId, count(*) AS n FROM (
        SELECT a.user_id AS userId, a.jam_id
        FROM (
          SELECT i.author_id AS user_id, i.jam_id, i.created_at FROM ideas i WHERE ${only("i.author_id")} AND ${named}
          UNION ALL
          SELECT c.author_id, i.jam_id, c.created_at FROM comments c JOIN ideas i ON i.id = c.idea_id
            WHERE ${only("c.author_id")} AND c.hidden_at IS NULL
        ) a JOIN jams j ON j.id = a.jam_id
        WHERE j.ends_at - j.starts_at > ${DAY}
        GROUP BY a.user_id, a.jam_id, j.starts_at, j.ends_at
        HAVING count(DISTINCT CAST((a.created_at - j.starts_at) / ${DAY} AS INTEGER)) >= CAST((j.ends_at - j.starts_at + ${DAY} - 1) / ${DAY} AS INTEGER)
      ) AS sub GROUP BY userId`),
    "marathonJams",
  );
  if (wanted("jelliesAttended"))
  put(
    await tx.all(sql`SELECT r.user_id AS userId, count(*) AS n FROM jelly_rsvps r
      WHERE ${only("r.user_id")} AND r.checked_in_at IS NOT NULL GROUP BY r.user_id`),
    "jelliesAttended",
  );
  if (wanted("questionsAnswered"))
  put(
    await tx.all(sql`SELECT userId, sum(n) AS n FROM (
        SELECT a.author_id AS userId, count(DISTINCT a.question_id) AS n FROM answers a JOIN questions q ON q.id = a.question_id
        WHERE ${only("a.author_id")} AND a.hidden_at IS NULL AND a.parent_id IS NULL AND q.hidden_at IS NULL AND q.asker_id <> a.author_id
        GROUP BY a.author_id
        UNION ALL
        SELECT a.author_id, count(*) FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
        WHERE ${only("a.author_id")} AND a.hidden_at IS NULL AND q.hidden_at IS NULL AND q.asker_id <> a.author_id
        GROUP BY a.author_id
      ) AS sub GROUP BY userId`),
    "questionsAnswered",
  );
  return facts;
}

export interface LevelUp {
  userId: number;
  badgeKey: string;
  level: number;
}

/**
 * Sets each listed person's badge levels to what their source data reaches
 * (idempotent: running it twice changes nothing the second time). Returns the
 * levels that went up, to tell those people.
 */
export async function recomputeBadges(
  tx: Db,
  userIds: number[],
  now: number,
  /** The facts the action can have changed (default: all); only badges reading them are recomputed. */
  changed: readonly (keyof BadgeFacts)[] | null = null,
): Promise<LevelUp[]> {
  // An erased person has no badges: their content that stays does not earn them new ones.
  const ids = await filterInOrder([...new Set(userIds)], async (id) => (await erasedAt(tx).get({ userId: id }))?.erasedAt == null);
  if (ids.length === 0) return [];
  const badges = changed === null ? BADGES : BADGES.filter((b) => b.facts.some((f) => changed.includes(f)));
  const facts = await badgeFacts(tx, ids, changed);
  const stored = new Map(
    (await tx
      .select()
      .from(userBadges)
      .where(inArray(userBadges.userId, ids))
      .all())
      .map((b) => [`${b.userId}:${b.badgeKey}`, b.level]),
  );
  const ups: LevelUp[] = [];
  for (const userId of ids) {
    const f = facts.get(userId) ?? EMPTY_FACTS;
    for (const badge of badges) {
      const level = levelFor(badge.levels, badge.score(f));
      const before = stored.get(`${userId}:${badge.key}`) ?? 0;
      if (level === before) continue;
      await tx.insert(userBadges)
        .values({ userId, badgeKey: badge.key, level, updatedAt: now })
        .onConflictDoUpdate({ target: [userBadges.userId, userBadges.badgeKey], set: { level, updatedAt: now } })
        .run();
      if (level > before) ups.push({ userId, badgeKey: badge.key, level });
    }
  }
  return ups;
}

/** Badge levels a person reached but has not been shown yet (for the toast). */
const unseenLevelUpsQuery = preparedQuery((conn) =>
  conn
    .select({ badgeKey: userBadges.badgeKey, level: userBadges.level })
    .from(userBadges)
    .where(and(eq(userBadges.userId, sql.placeholder("userId")), gt(userBadges.level, userBadges.seenLevel)))
    .prepare(),
);

export async function unseenLevelUps(tx: Db, userId: number) {
  return await unseenLevelUpsQuery(tx).all({ userId });
}

/** Marks the person's current badge levels as shown. */
export async function markLevelsSeen(tx: Db, userId: number) {
  await tx.update(userBadges)
    .set({ seenLevel: sql`${userBadges.level}` })
    .where(and(eq(userBadges.userId, userId), gt(userBadges.level, userBadges.seenLevel)))
    .run();
}

/** A person's points over all jams (0 before their first). */
const totalPointsQuery = preparedQuery((conn) =>
  conn
    .select({ total: pointTotals.total })
    .from(pointTotals)
    .where(and(eq(pointTotals.scope, ALL_JAMS), eq(pointTotals.userId, sql.placeholder("userId"))))
    .prepare(),
);

export async function totalPoints(tx: Db, userId: number): Promise<number> {
  return (await totalPointsQuery(tx).get({ userId }))?.total ?? 0;
}

/**
 * Takes a person out of the game for good (erasure): their ledger entries, totals and badges go,
 * and each department total they counted in (per jam and over all jams) loses exactly their
 * entries, so every total stays the sum of the ledger (`npm run gamification:reconcile`). Points
 * others earned from what they did (support they gave, replies they wrote) stay with those others.
 * Returns the points and entries removed.
 */
export async function removeFromGame(tx: Db, userId: number): Promise<{ points: number; entries: number; badges: number }> {
  const byDepartment = await tx.all<{ jamId: number | null; departmentId: number; points: number }>(sql`
    SELECT jam_id AS jamId, department_id AS departmentId, sum(points) AS points FROM point_entries
    WHERE user_id = ${userId} AND department_id IS NOT NULL GROUP BY jam_id, department_id`);
  for (const r of byDepartment) {
    // Points earned outside any jam (a jelly check-in) count only in the all-jams total.
    for (const scope of r.jamId === null ? [ALL_JAMS] : [r.jamId, ALL_JAMS]) {
      await tx.update(departmentTotals)
        .set({ total: sql`${departmentTotals.total} - ${r.points}` })
        .where(and(eq(departmentTotals.scope, scope), eq(departmentTotals.departmentId, r.departmentId)))
        .run();
    }
  }
  const points = (await tx.get<{ n: number }>(sql`SELECT coalesce(sum(points), 0) AS n FROM point_entries WHERE user_id = ${userId}`))?.n ?? 0;
  const entries = (await tx.delete(pointEntries).where(eq(pointEntries.userId, userId)).run()).changes;
  await tx.delete(pointTotals).where(eq(pointTotals.userId, userId)).run();
  const badges = (await tx.delete(userBadges).where(eq(userBadges.userId, userId)).run()).changes;
  return { points, entries, badges };
}
