import type { Statement } from "better-sqlite3";
import { sql } from "drizzle-orm";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { SORTS, TRENDING_WINDOW_MS } from "~/domain/idea-sort";
import { LIMITS } from "~/domain/limits";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { db, ENGINE } from "~db/client";
import { makeJam, makeUser } from "../factories";
import { mapInOrder } from "~/domain/in-order";

const IDEAS = 50_000;
const VOTES = 20_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WORDS = ["meetings", "coffee", "parking", "onboarding", "travel", "security", "printing", "training", "hiring", "budget"];

interface Captured {
  sql: string;
  params: unknown[];
  rows: number;
}

/**
 * Runs `work` while recording every statement the services run on the shared connection (those
 * prepared during the work and those prepared once before, as `preparedQuery` keeps them), with
 * the parameters each ran with and how many rows it returned to JavaScript.
 */
async function capture<T>(work: () => T | Promise<T>): Promise<{ result: T; statements: Captured[] }> {
  return ENGINE === "postgres" ? await capturePg(work) : await captureSqlite(work);
}

async function captureSqlite<T>(work: () => T | Promise<T>): Promise<{ result: T; statements: Captured[] }> {
  const proto = Object.getPrototypeOf(db().$client.prepare("SELECT 1")) as Record<string, (...args: unknown[]) => unknown>;
  const statements: Captured[] = [];
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const method of ["all", "get", "run", "iterate"] as const) {
    const real = proto[method]!;
    originals.set(method, real);
    proto[method] = function (this: Statement, ...args: unknown[]) {
      const record: Captured = { sql: this.source, params: args, rows: 0 };
      statements.push(record);
      const out = real.apply(this, args);
      if (method === "all") record.rows += (out as unknown[]).length;
      if (method === "get" && out !== undefined) record.rows += 1;
      return out;
    };
  }
  try {
    return { result: await work(), statements };
  } finally {
    for (const [method, real] of originals) proto[method] = real;
  }
}

/** PostgreSQL: every query a pooled client sends, with its values and the rows it brought back. */
async function capturePg<T>(work: () => T | Promise<T>): Promise<{ result: T; statements: Captured[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const real = proto.query;
  const statements: Captured[] = [];
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof config === "string" ? config : config.text;
    const record: Captured = { sql: text, params: values ?? (typeof config === "string" ? [] : (config.values ?? [])), rows: 0 };
    if (!/^(BEGIN|COMMIT|ROLLBACK)/i.test(text)) statements.push(record);
    const out = real.apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === "function") {
      return (out as Promise<pg.QueryResult>).then((result) => {
        record.rows += result?.rows?.length ?? 0;
        return result;
      });
    }
    return out;
  };
  try {
    return { result: await work(), statements };
  } finally {
    proto.query = real;
  }
}

/** The query plan of a captured statement, one line per step. */
async function planOf({ sql: text, params }: Captured): Promise<string[]> {
  if (ENGINE === "postgres") {
    const rows = await db().all<Record<string, string>>(sql.raw(`EXPLAIN ${inlined(text, params)}`));
    return rows.map((r) => Object.values(r)[0]!.trim());
  }
  const rows = await db().$client.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...(params as never[])) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** A PostgreSQL statement with its `$n` values written in (numbers, text, NULL), to EXPLAIN it. */
function inlined(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_m, n: string) => {
    const value = params[Number(n) - 1];
    if (value === null || value === undefined) return "NULL";
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return `'${String(value).replace(/'/g, "''")}'`;
  });
}

/** A step that reads every row of ideas or votes, rather than a range of an index or a rowid lookup. */
function isFullScan(detail: string): boolean {
  if (ENGINE === "postgres") return /Seq Scan on (ideas|votes)\b/.test(detail);
  return /^SCAN (ideas|votes)\b/.test(detail) && !/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(detail);
}

/**
 * The same ideas and votes as the SQLite load below, written by PostgreSQL itself (generate_series),
 * then ANALYZEd so the planner knows the tables' sizes.
 */
async function loadPg(jamId: number, peopleIds: number[], challengeIds: number[], now: number) {
  const word = (n: string) => `(ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}])[((${n}) % ${WORDS.length}) + 1]`;
  const person = (n: string) => `(ARRAY[${peopleIds.join(",")}])[((${n}) % ${peopleIds.length}) + 1]`;
  await db().run(
    sql.raw(`INSERT INTO ideas (challenge_id, jam_id, author_id, is_anonymous, title, body, client_key, vote_count, comment_count, hidden_at, created_at)
      SELECT CASE WHEN i % 2 = 0 THEN ${challengeIds[0]} ELSE ${challengeIds[1]} END, ${jamId}, ${person("i")}, i % 7 = 0,
        'Idea ' || i || ' about ' || ${word("i / 2")},
        'A longer description of idea ' || i || ': fewer ' || ${word("i / 2")} || ', more ' || ${word("i / 3")} || '.',
        'bulk-' || i, 0, 0, CASE WHEN i % 1000 = 999 THEN ${now} END, ${now - 2 * DAY} + i
      FROM generate_series(0, ${IDEAS - 1}) AS i`),
  );
  const perPerson = VOTES / peopleIds.length;
  await db().run(
    sql.raw(`INSERT INTO votes (user_id, idea_id, challenge_id, created_at)
      SELECT ${person("p")}, ideas.id, ideas.challenge_id,
        CASE WHEN k % 2 = 0 THEN ${now} - (k % 20) * ${HOUR} ELSE ${now - 2 * DAY} END
      FROM generate_series(0, ${peopleIds.length - 1}) AS p CROSS JOIN generate_series(0, ${perPerson - 1}) AS k
      JOIN ideas ON ideas.jam_id = ${jamId} AND ideas.client_key = 'bulk-' || ((p * 13 + k * 37) % 4000)`),
  );
  await db().run(sql`UPDATE ideas SET vote_count = (SELECT count(*) FROM votes v WHERE v.idea_id = ideas.id) WHERE jam_id = ${jamId}`);
  await db().run(sql`ANALYZE ideas`);
  await db().run(sql`ANALYZE votes`);
}

describe("a challenge page of a 50,000-idea jam", () => {
  let viewer: SessionUser;
  let challengeIds: number[];
  let now: number;

  beforeAll(async () => {
    now = Date.now();
    const made = await makeJam({ startsAt: now - 3 * DAY, endsAt: now + DAY, challenges: 2 });
    challengeIds = made.challengeIds;
    viewer = await makeUser();
    const people = await mapInOrder(Array.from({ length: 20 }), async () => await makeUser());
    if (ENGINE === "postgres") {
      await loadPg(made.jam.id, people.map((p) => p.id), challengeIds, now);
      return;
    }
    const client = db().$client;

    client.transaction(() => {
      const insertIdea = client.prepare(
        `INSERT INTO ideas (challenge_id, jam_id, author_id, is_anonymous, title, body, client_key, vote_count, comment_count, hidden_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
      );
      const ids: number[] = [];
      const challengeOf = new Map<number, number>();
      for (let i = 0; i < IDEAS; i += 1) {
        const challengeId = challengeIds[i % 2]!;
        const word = WORDS[Math.floor(i / 2) % WORDS.length]!;
        const { lastInsertRowid } = insertIdea.run(
          challengeId,
          made.jam.id,
          people[i % people.length]!.id,
          i % 7 === 0 ? 1 : 0,
          `Idea ${i} about ${word}`,
          `A longer description of idea ${i}: fewer ${word}, more ${WORDS[Math.floor(i / 3) % WORDS.length]}.`,
          `bulk-${i}`,
          i % 1000 === 999 ? now : null,
          now - 2 * DAY + i,
        );
        ids.push(Number(lastInsertRowid));
        challengeOf.set(Number(lastInsertRowid), challengeId);
      }

      const insertVote = client.prepare("INSERT INTO votes (user_id, idea_id, challenge_id, created_at) VALUES (?, ?, ?, ?)");
      const perPerson = VOTES / people.length;
      for (let p = 0; p < people.length; p += 1) {
        for (let k = 0; k < perPerson; k += 1) {
          // 37 and 4,000 are coprime, so one person's 1,000 ideas are all different,
          // while people overlap enough to give ideas up to 20 votes.
          const ideaId = ids[(p * 13 + k * 37) % 4000]!;
          const recent = k % 2 === 0;
          insertVote.run(people[p]!.id, ideaId, challengeOf.get(ideaId), recent ? now - (k % 20) * HOUR : now - 2 * DAY);
        }
      }
      client
        .prepare("UPDATE ideas SET vote_count = (SELECT count(*) FROM votes v WHERE v.idea_id = ideas.id) WHERE jam_id = ?")
        .run(made.jam.id);
    })();
  });

  it("holds the data the test means to hold", async () => {
    const counts = (await db().get<{ ideas: number; votes: number; top: number }>(
      sql`SELECT (SELECT count(*) FROM ideas) AS ideas, (SELECT count(*) FROM votes) AS votes, (SELECT max(vote_count) FROM ideas) AS top`,
    ))!;
    expect(counts.ideas).toBe(IDEAS);
    expect(counts.votes).toBe(VOTES);
    expect(counts.top).toBeGreaterThan(1);
    const trendingNow = (await db().get<{ n: number }>(
      sql`SELECT count(DISTINCT idea_id) AS n FROM votes WHERE challenge_id = ${challengeIds[0]} AND created_at >= ${now - TRENDING_WINDOW_MS}`,
    ))!;
    expect(trendingNow.n).toBeGreaterThan(LIMITS.pageSize);
  });

  /** Every page request a visitor can make: each order, first and later pages, with and without a search. */
  async function requests() {
    const list: { label: string; input: Record<string, unknown> }[] = [];
    for (const challengeId of challengeIds) {
      for (const sort of SORTS) {
        for (const q of [undefined, "coffee", "parking description", "idea 4", "idea"]) {
          const first = await listChallengeIdeas(viewer, { challengeId, sort, q }, now);
          list.push({ label: `${sort} q=${q ?? ""}`, input: { challengeId, sort, q } });
          if (first.nextCursor) {
            list.push({ label: `${sort} q=${q ?? ""} cursor`, input: { challengeId, sort, q, cursor: first.nextCursor } });
          }
        }
      }
    }
    return list;
  }

  it("returns at most one page of ideas for every order, page and search", async () => {
    const all = await requests();
    expect(all.filter((r) => "cursor" in r.input).length).toBeGreaterThan(all.length / 3);
    for (const { label, input } of all) {
      const page = await listChallengeIdeas(viewer, input, now);
      expect(page.ideas.length, label).toBeGreaterThan(0);
      expect(page.ideas.length, label).toBeLessThanOrEqual(LIMITS.pageSize);
      expect(page.ideas.every((i) => i.challengeId === input.challengeId), label).toBe(true);
    }
  });

  it("second pages follow on from first pages without overlap", async () => {
    for (const sort of SORTS) {
      const first = await listChallengeIdeas(viewer, { challengeId: challengeIds[0], sort }, now);
      const second = await listChallengeIdeas(viewer, { challengeId: challengeIds[0], sort, cursor: first.nextCursor }, now);
      const firstIds = new Set(first.ideas.map((i) => i.id));
      expect(second.ideas.some((i) => firstIds.has(i.id)), sort).toBe(false);
      expect(second.ideas).toHaveLength(LIMITS.pageSize);
    }
  });

  it("reads no more than a page's worth of rows into memory for any request", async () => {
    for (const { label, input } of await requests()) {
      const { statements } = await capture(async () => await listChallengeIdeas(viewer, input, now));
      const rows = statements.reduce((n, s) => n + s.rows, 0);
      // A page of ideas (+1 to know there is another), its authors, the viewer's votes on it, the challenge.
      expect(rows, label).toBeLessThanOrEqual(4 * (LIMITS.pageSize + 1));
    }
  });

  it("reads ideas and votes only through an index or a rowid lookup, never a full scan", async () => {
    const scans: string[] = [];
    let checked = 0;
    for (const { label, input } of await requests()) {
      const { statements } = await capture(async () => await listChallengeIdeas(viewer, input, now));
      for (const statement of statements) {
        checked += 1;
        for (const detail of await planOf(statement)) {
          if (isFullScan(detail)) scans.push(`${label}: ${detail}\n    in ${statement.sql}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(scans).toEqual([]);
  });

  it("a later page of the newest and top orders seeks to its cursor instead of walking the index from the start", async () => {
    const walks: string[] = [];
    for (const sort of ["newest", "top"]) {
      for (const challengeId of challengeIds) {
        const first = await listChallengeIdeas(viewer, { challengeId, sort }, now);
        // A page deep into the challenge, where walking from the start costs the most.
        let cursor = first.nextCursor!;
        for (let i = 0; i < 3; i += 1) cursor = (await listChallengeIdeas(viewer, { challengeId, sort, cursor }, now)).nextCursor!;
        const { statements } = await capture(async () => await listChallengeIdeas(viewer, { challengeId, sort, cursor }, now));
        const page = statements.find((s) => /from "ideas" where/i.test(s.sql) && /order by/i.test(s.sql));
        expect(page, sort).toBeDefined();
        const plan = (await planOf(page!)).join("; ");
        // The index range must be bounded by the cursor, not only by the challenge.
        // PostgreSQL may seek on the primary key (id < cursor) and filter the challenge: bounded all the same.
        const bounded = ENGINE === "postgres" ? /Index Cond: [^;]*[<>]/.test(plan) : /\(challenge_id=\? AND [^)]+\)/.test(plan);
        if (!bounded) walks.push(`${sort}: ${plan}\n    in ${page!.sql}`);
      }
    }
    expect(walks).toEqual([]);
  });

  // Last: it pins ideas, which the tests above do not expect.
  it("finds a challenge's pinned ideas through their own index, without reading the challenge's other ideas", async () => {
    await db().run(
      sql`UPDATE ideas SET pinned_at = ${now} WHERE id IN (SELECT id FROM ideas WHERE challenge_id = ${challengeIds[0]} AND hidden_at IS NULL ORDER BY id LIMIT 3)`,
    );
    const { result, statements } = await capture(async () => await listChallengeIdeas(viewer, { challengeId: challengeIds[0] }, now));
    expect(result.pinned).toHaveLength(3);
    const pinned = statements.find((s) => /"pinned_at" is not null/i.test(s.sql));
    expect(pinned).toBeDefined();
    expect((await planOf(pinned!)).join("; ")).toMatch(/USING (INDEX )?ideas_challenge_pinned_idx/i);
  });
});
