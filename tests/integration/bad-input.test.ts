/**
 * Bad input never becomes a 500, and a refused call writes nothing.
 *
 * Text a database cannot hold as it is (a NUL character, lone surrogates, very long texts) taken
 * from an address or a form, through every lookup and search that takes one, finds nothing (or
 * what the same text without it finds), never a database error; a write of it saves cleanly or
 * is refused cleanly (see "text the database cannot hold" below).
 *
 * Every action's service entry point gets random and malformed input (wrong
 * types, 100k-character strings, unknown fields, missing fields, Unicode edge
 * cases, negative/huge/NaN ids, ids of other people's objects). The call either
 * succeeds or throws a ServiceError (which app/http maps to a 4xx); a refused call
 * leaves every table as it was (a refused sign-in's audit row is the one intended
 * write); and a participant acting on other people's objects never changes them.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { signIn, signUp, updatePerson } from "~/services/commands/accounts.server";
import { createAction, updateAction } from "~/services/commands/actions.server";
import { postAnnouncement } from "~/services/commands/announcements.server";
import { postComment } from "~/services/commands/comments.server";
import { setDots } from "~/services/commands/dots.server";
import { Invalid, NotFound, ServiceError } from "~/services/errors";
import { flagContent } from "~/services/commands/flags.server";
import { follow, unfollow } from "~/services/commands/follows.server";
import { castStance } from "~/services/commands/stances.server";
import { postIdea } from "~/services/commands/ideas.server";
import { addTemplateField, moveTemplateField, removeTemplateField, restoreTemplateField, updateTemplateField } from "~/services/commands/templates.server";
import { createJam, updateJam, updateJamGamification } from "~/services/commands/jams.server";
import { hideComment, hideIdea, mergeIdeas, pinIdea, resolveFlag, restoreComment, restoreIdea, tagIdea, unpinIdea } from "~/services/commands/moderation.server";
import { markRead } from "~/services/commands/notifications.server";
import { setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { actionsPage } from "~/services/pages/actions.server";
import { listPeople } from "~/services/pages/people-admin.server";
import { decideProposal, proposeCommunity } from "~/services/commands/communities.server";
import { communityDirectory, communityPage } from "~/services/pages/communities.server";
import { confirmEmail } from "~/services/commands/email-check.server";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { similarIdeas } from "~/services/pages/idea.server";
import { communityOfBoxSlug } from "~/services/pages/jams.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";
import { unsubscribe } from "~/services/commands/mail-preferences.server";
import { expertSearchPage } from "~/services/pages/network.server";
import { resetLinkState } from "~/services/pages/password-reset.server";
import { askQuestionCommand } from "~/services/commands/questions.server";
import { questionsListPage } from "~/services/pages/questions.server";
import { curate, publishVersion } from "~/services/commands/synthesis.server";
import { castVote, withdrawVote } from "~/services/commands/votes.server";
import { and, eq, sql } from "drizzle-orm";
import { db, ENGINE, preparedQuery } from "~db/client";
import { comments, notifications, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser, TEST_PASSWORD } from "../factories";
import { mapInOrder } from "~/domain/in-order";

const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 50);
const meta = { ip: "198.51.100.7" };

// ---------------------------------------------------------------- the world

type World = {
  participant: SessionUser;
  other: SessionUser;
  facilitator: SessionUser;
  leader: SessionUser;
  admin: SessionUser;
  slugs: string[];
  jamIds: number[];
  challengeIds: number[];
  ideaIds: number[];
  commentIds: number[];
  actionIds: number[];
  versionIds: number[];
  themeIds: number[];
  notificationIds: number[];
};
let w: World;

beforeAll(async () => {
  // Limits would turn most calls into TooManyRequests (still a ServiceError) and test less.
  setRateLimitsEnabled(false);
  const participant = await makeUser();
  const other = await makeUser();
  const facilitator = await makeUser({ role: "facilitator" });
  const leader = await makeUser({ role: "leader" });
  const admin = await makeUser({ role: "admin" });
  const support = await makeJam({ facilitator, challenges: 2 });
  const stance = await makeJam({ facilitator, voteMode: "stance" });
  const dots = await makeJam({ facilitator, voteMode: "dots", dotBudget: 5, dotMaxPerIdea: 3 });
  const ended = await makeJam({ facilitator, startsAt: Date.now() - 48 * 3_600_000, endsAt: Date.now() - 3_600_000 });
  const ideaIds = [
    ...await mapInOrder([0, 1, 2], async () => (await makeIdea(other, support.challengeIds[0]!)).id),
    (await makeIdea(other, support.challengeIds[1]!, { isAnonymous: true })).id,
    (await makeIdea(other, stance.challengeIds[0]!)).id,
    (await makeIdea(other, dots.challengeIds[0]!)).id,
    (await makeIdea(participant, support.challengeIds[0]!)).id,
  ];
  const comment = await postComment(other, { ideaId: ideaIds[0], body: "A first comment.", clientKey: "comment-key-1" });
  await castVote(participant, { ideaId: ideaIds[1] });
  const version = await db()
    .insert(synthesisVersions)
    .values({ jamId: support.jam.id, number: 1, kind: "curated", opinions: null, createdBy: facilitator.id, createdAt: Date.now(), publishedAt: null })
    .returning()
    .get();
  const theme = await db()
    .insert(themes)
    .values({ versionId: version.id, label: "Meetings", keywords: '["meetings"]', representatives: JSON.stringify(ideaIds.slice(0, 2)), isOther: false, position: 0 })
    .returning()
    .get();
  for (const ideaId of ideaIds.slice(0, 3)) await db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id, excluded: false }).run();
  const action = await createAction(leader, { ideaId: String(ideaIds[0]), title: "Try no-meeting Wednesdays", ownerId: String(leader.id) }, meta);
  const notificationIds = (await db()
    .insert(notifications)
    .values([
      { userId: other.id, body: "Their news", dedupeKey: "test:1", createdAt: Date.now() },
      { userId: participant.id, body: "My news", dedupeKey: "test:2", createdAt: Date.now() },
    ])
    .returning({ id: notifications.id })
    .all())
    .map((r) => r.id);
  w = {
    participant,
    other,
    facilitator,
    leader,
    admin,
    slugs: [support.jam.slug, stance.jam.slug, dots.jam.slug, ended.jam.slug],
    jamIds: [support.jam.id, stance.jam.id, dots.jam.id, ended.jam.id],
    challengeIds: [...support.challengeIds, ...stance.challengeIds, ...dots.challengeIds, ...ended.challengeIds],
    ideaIds,
    commentIds: [comment.id],
    actionIds: [action.id],
    versionIds: [version.id],
    themeIds: [theme.id],
    notificationIds,
  };
});

// ---------------------------------------------------------------- what "nothing changed" means

const tableNames = async () =>
  (
    ENGINE === "postgres"
      ? await db().all<{ name: string }>(
          sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
        )
      : await db().all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
  ).map((r) => r.name);

/**
 * A digest of every row of every table (each table's rows sorted: PostgreSQL answers a SELECT
 * without ORDER BY in any order); refused sign-ins' audit rows and failure counts are left out
 * (they are meant to be written).
 */
async function fingerprint(): Promise<string> {
  const hash = createHash("sha256");
  const meantToBeWritten: Record<string, string> = { audit_log: " WHERE action <> 'sign_in_failed'", rate_hits: " WHERE key NOT LIKE 'sign-in:%'" };
  for (const name of await tableNames()) {
    const where = meantToBeWritten[name] ?? "";
    const rows = await db().all<Record<string, unknown>>(sql.raw(`SELECT * FROM "${name}"${where}`));
    const lines = rows.map((row) => JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? String(v) : Buffer.isBuffer(v) ? v.toString("hex") : v))).sort();
    hash.update(name).update(JSON.stringify(lines));
  }
  return hash.digest("hex");
}

function describeError(error: unknown) {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}\n${error.stack?.split("\n").slice(1, 4).join("\n")}` : String(error);
}

/**
 * Runs one call: success is fine; a failure must be a ServiceError and must have
 * written nothing. Anything else is a bug that would be a 500.
 */
async function attempt(call: () => unknown) {
  const before = await fingerprint();
  try {
    await call();
    return "ok" as const;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw new Error(`not a ServiceError (would be a 500): ${describeError(error)}`);
    const after = await fingerprint();
    if (after !== before) throw new Error(`a refused call (${describeError(error)}) wrote to the database`);
    return error.name;
  }
}

// ---------------------------------------------------------------- arbitraries

const EDGE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "x\uDC00y",
  "\uDBFF\uDFFF",
  "\u202Eevil.exe\u202C",
  "שלום עולם",
  "مرحبا",
  "\u200B\u200C\u200D\uFEFF",
  "👩‍👩‍👧‍👦🏳️‍🌈",
  "e\u0301\u0301\u0301",
  "\r\n\t",
  "<script>alert(1)</script>",
  "'); DROP TABLE ideas; --",
  "%00%ff",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e308",
  "0x10",
  " 7 ",
  "#1",
  "/jams/x/ideas/1",
  "x".repeat(100_000),
  "é".repeat(100_000),
  "🙂".repeat(50_000),
];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 3, maxLength: 30 }) },
);

const strangeNumber = fc.oneof(
  fc.constantFrom(0, -1, -0, NaN, Infinity, -Infinity, 1.5, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer(),
  fc.double(),
);

/** An id: usually one that exists (someone else's, often), else anything number-like or not. */
const idFrom = (pick: () => number[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.nat(50).map((i) => { const ids = pick(); return ids[i % ids.length]!; }) },
    { weight: 1, arbitrary: fc.nat(50).map((i) => { const ids = pick(); return String(ids[i % ids.length]!); }) },
    { weight: 2, arbitrary: strangeNumber },
    { weight: 1, arbitrary: fc.constantFrom<unknown>("", null, undefined, "12abc", " 1 ", "1e3", [1], { id: 1 }, true, false, 10n) },
  );

const anything = fc.anything({ maxDepth: 2, maxKeys: 4, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true });
const value = fc.oneof({ weight: 3, arbitrary: text }, { weight: 2, arbitrary: strangeNumber }, { weight: 1, arbitrary: anything });

/** A form with some of the named fields (each from its arbitrary or anything), plus unknown fields. */
function form(fields: Record<string, fc.Arbitrary<unknown>>) {
  const known = fc.record(
    Object.fromEntries(Object.entries(fields).map(([k, arb]) => [k, fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: value })])),
    { requiredKeys: [] },
  );
  const extra = fc.dictionary(fc.constantFrom("intent", "__proto__x", "constructor", "role", "authorId", "id", "zz", "voteCount"), value, { maxKeys: 2 });
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...k })) },
    { weight: 1, arbitrary: value },
  );
}

const ids = {
  jam: idFrom(() => w.jamIds),
  challenge: idFrom(() => w.challengeIds),
  idea: idFrom(() => w.ideaIds),
  comment: idFrom(() => w.commentIds),
  action: idFrom(() => w.actionIds),
  version: idFrom(() => w.versionIds),
  theme: idFrom(() => w.themeIds),
  user: idFrom(() => [w.participant.id, w.other.id, w.facilitator.id, w.admin.id]),
  notification: idFrom(() => w.notificationIds),
};
const slug = fc.oneof({ weight: 3, arbitrary: fc.nat(10).map((i) => w.slugs[i % w.slugs.length]!) }, { weight: 1, arbitrary: text });
const numberArg = fc.oneof(ids.jam.filter((v) => typeof v === "number"), strangeNumber) as fc.Arbitrary<number>;
const actor = fc.constantFrom<keyof World>("participant", "other", "facilitator", "leader", "admin").map((k) => w[k] as SessionUser);
const stranger = fc.constant(null).map(() => w.participant); // acts on `other`'s objects

const clientKey = fc.oneof(fc.constant(null).map(() => `k${Math.random().toString(36).slice(2, 12)}`), text);
const jamForm = form({
  title: text,
  slug: text,
  description: text,
  startsAt: fc.oneof(strangeNumber, text, fc.constant(Date.now())),
  endsAt: fc.oneof(strangeNumber, text, fc.constant(Date.now() + 3_600_000)),
  isDraft: value,
  challenges: fc.oneof(fc.array(form({ title: text, question: text, voteMode: fc.constantFrom("support", "stance", "dots", "x"), dotBudget: strangeNumber, dotMaxPerIdea: strangeNumber }), { maxLength: 3 }), value),
});

// ---------------------------------------------------------------- the properties

type Case = { name: string; runs?: number; arb: fc.Arbitrary<() => unknown> };

const cases: Case[] = [
  { name: "signUp", runs: 15, arb: form({ name: text, email: fc.oneof(text, fc.emailAddress()), password: text, departmentId: ids.user }).map((input) => () => signUp(input, meta)) },
  { name: "signIn", runs: 15, arb: form({ email: fc.oneof(text, fc.constant(null).map(() => w.other.email)), password: fc.oneof(text, fc.constant(TEST_PASSWORD)) }).map((input) => () => signIn(input, meta)) },
  { name: "createJam", arb: fc.tuple(actor, jamForm).map(([a, input]) => async () => await createJam(a, input, meta)) },
  { name: "updateJam", arb: fc.tuple(actor, numberArg, jamForm).map(([a, id, input]) => async () => await updateJam(a, id, input, meta)) },
  {
    name: "updateJamGamification",
    arb: fc.tuple(actor, numberArg, form({ idea_posted: strangeNumber, comment_replied: strangeNumber, support_received: strangeNumber, idea_tagged_best: strangeNumber, idea_selected: strangeNumber, first_of_day: strangeNumber, dailyCap: strangeNumber, leaderboardsHidden: value })).map(
      ([a, id, input]) => async () => await updateJamGamification(a, id, input, meta),
    ),
  },
  { name: "postIdea", arb: fc.tuple(actor, form({ challengeId: ids.challenge, title: text, body: text, isAnonymous: value, clientKey })).map(([a, input]) => async () => await postIdea(a, input)) },
  {
    name: "addTemplateField/updateTemplateField",
    arb: fc
      .tuple(
        actor,
        fc.boolean(),
        form({
          challengeId: ids.challenge,
          fieldId: fc.oneof(fc.integer({ min: 1, max: 5 }), strangeNumber),
          label: text,
          help: text,
          kind: fc.constantFrom("short_text", "long_text", "number", "choice", "yes_no", "link", "script", ""),
          required: value,
          options: fc.oneof(text, fc.constant("A\nB\nC")),
          min: fc.oneof(text, strangeNumber),
          max: fc.oneof(text, strangeNumber),
          unit: text,
        }),
      )
      .map(([a, update, input]) => async () => await (update ? updateTemplateField : addTemplateField)(a, input, meta)),
  },
  {
    name: "moveTemplateField/removeTemplateField/restoreTemplateField",
    arb: fc
      .tuple(actor, fc.constantFrom(moveTemplateField, removeTemplateField, restoreTemplateField), form({ challengeId: ids.challenge, fieldId: fc.oneof(fc.integer({ min: 1, max: 5 }), strangeNumber), direction: fc.constantFrom("up", "down", "left") }))
      .map(([a, command, input]) => async () => await command(a, input, meta)),
  },
  {
    name: "postIdea with template answers",
    arb: fc
      .tuple(actor, form({ challengeId: ids.challenge, title: text, body: text, clientKey, field_1: text, field_2: text, field_3: text, field_4: text, field_5: text }))
      .map(([a, input]) => async () => await postIdea(a, input)),
  },
  { name: "castVote", arb: fc.tuple(actor, form({ ideaId: ids.idea })).map(([a, input]) => async () => await castVote(a, input)) },
  { name: "withdrawVote", arb: fc.tuple(actor, form({ ideaId: ids.idea })).map(([a, input]) => async () => await withdrawVote(a, input)) },
  { name: "castStance", arb: fc.tuple(actor, form({ ideaId: ids.idea, stance: fc.constantFrom("agree", "disagree", "pass", "AGREE", "maybe") })).map(([a, input]) => async () => await castStance(a, input)) },
  { name: "setDots", arb: fc.tuple(actor, form({ ideaId: ids.idea, dots: fc.oneof(fc.integer({ min: -3, max: 6 }), strangeNumber) })).map(([a, input]) => async () => await setDots(a, input)) },
  { name: "postComment", arb: fc.tuple(actor, form({ ideaId: ids.idea, parentId: ids.comment, body: text, clientKey })).map(([a, input]) => async () => await postComment(a, input)) },
  { name: "hideIdea", arb: fc.tuple(actor, form({ id: ids.idea, reason: text })).map(([a, input]) => async () => await hideIdea(a, input, meta)) },
  { name: "restoreIdea", arb: fc.tuple(actor, form({ id: ids.idea })).map(([a, input]) => async () => await restoreIdea(a, input, meta)) },
  { name: "hideComment", arb: fc.tuple(actor, form({ id: ids.comment, reason: text })).map(([a, input]) => async () => await hideComment(a, input, meta)) },
  { name: "restoreComment", arb: fc.tuple(actor, form({ id: ids.comment })).map(([a, input]) => async () => await restoreComment(a, input, meta)) },
  { name: "pinIdea/unpinIdea", arb: fc.tuple(actor, fc.boolean(), form({ id: ids.idea })).map(([a, pin, input]) => async () => await (pin ? pinIdea : unpinIdea)(a, input, meta)) },
  { name: "tagIdea", arb: fc.tuple(actor, form({ id: ids.idea, tag: fc.constantFrom("emerging", "best", "none", "", null, "worst") })).map(([a, input]) => async () => await tagIdea(a, input, meta)) },
  { name: "mergeIdeas", arb: fc.tuple(actor, form({ id: ids.idea, intoId: fc.oneof(ids.idea, text) })).map(([a, input]) => async () => await mergeIdeas(a, input, meta)) },
  { name: "resolveFlag", arb: fc.tuple(actor, form({ flagId: ids.comment, resolution: fc.constantFrom("hide", "dismiss", "x"), reason: text })).map(([a, input]) => async () => await resolveFlag(a, input, meta)) },
  { name: "flagContent", arb: fc.tuple(actor, form({ targetType: fc.constantFrom("idea", "comment", "user", ""), targetId: fc.oneof(ids.idea, ids.comment), reason: text })).map(([a, input]) => async () => await flagContent(a, input, meta)) },
  { name: "postAnnouncement", arb: fc.tuple(actor, slug, form({ body: text, challengeId: ids.challenge })).map(([a, s, input]) => async () => await postAnnouncement(a, s, input)) },
  {
    name: "createAction",
    arb: fc.tuple(actor, form({ themeId: ids.theme, ideaId: ids.idea, title: text, description: text, ownerId: ids.user, dueDate: fc.oneof(text, fc.constantFrom("2030-01-01", "2030-02-30", "0000-00-00")), status: fc.constantFrom("proposed", "approved", "in_progress", "done", "x") })).map(
      ([a, input]) => async () => await createAction(a, input, meta),
    ),
  },
  {
    name: "updateAction",
    arb: fc
      .tuple(actor, fc.oneof(ids.action.filter((v) => typeof v === "number"), strangeNumber) as fc.Arbitrary<number>, form({ status: fc.constantFrom("proposed", "approved", "in_progress", "done", "declined", "x"), expectedStatus: fc.constantFrom("proposed", "approved", "done"), declineReason: text, ownerId: ids.user, dueDate: fc.oneof(text, fc.constant("2030-01-01")), title: text, description: text }))
      .map(([a, id, input]) => async () => await updateAction(a, id, input, meta)),
  },
  { name: "follow/unfollow", arb: fc.tuple(actor, fc.boolean(), form({ targetType: fc.constantFrom("person", "theme", "idea"), targetId: fc.oneof(ids.user, ids.theme) })).map(([a, on, input]) => async () => (on ? await follow(a, input) : await unfollow(a, input))) },
  { name: "updatePerson", arb: fc.tuple(actor, form({ userId: ids.user, role: fc.constantFrom("participant", "facilitator", "leader", "admin", "root"), departmentId: ids.user })).map(([a, input]) => async () => await updatePerson(a, input, meta)) },
  {
    name: "curate",
    arb: fc
      .tuple(actor, slug, form({ intent: fc.constantFrom("rename", "merge", "move", "exclude", "explode"), versionId: ids.version, themeId: ids.theme, intoThemeId: ids.theme, ideaId: ids.idea, toThemeId: ids.theme, label: text }))
      .map(([a, s, input]) => async () => await curate(a, s, input, meta)),
  },
  { name: "publishVersion", arb: fc.tuple(actor, slug, form({ versionId: ids.version })).map(([a, s, input]) => async () => await publishVersion(a, s, input, meta)) },
  {
    name: "markRead",
    arb: fc.tuple(actor, fc.oneof(fc.constant("all" as const), fc.array(fc.oneof(ids.notification, text), { maxLength: 5 }), value)).map(([a, list]) => async () => await markRead(a, list as never)),
  },
];

describe("bad input never becomes a 500 and a refused call writes nothing", () => {
  for (const c of cases) {
    it(c.name, async () => {
      await fc.assert(
        fc.asyncProperty(c.arb, async (call) => {
          await attempt(call);
        }),
        { numRuns: c.runs ?? RUNS, seed: process.env.BAD_INPUT_SEED ? Number(process.env.BAD_INPUT_SEED) : undefined },
      );
    });
  }
});

describe("a participant acting on other people's objects changes nothing", () => {
  /** Staff-only verbs on `other`'s objects: always refused, never a change. */
  const staffOnly: Case[] = [
    { name: "updateAction", arb: fc.tuple(stranger, form({ status: fc.constantFrom("approved", "done", "declined"), title: text, ownerId: ids.user })).map(([a, input]) => async () => await updateAction(a, w.actionIds[0]!, input, meta)) },
    { name: "hideIdea", arb: fc.tuple(stranger, ids.idea, fc.constant("Spam, clearly.")).map(([a, id, reason]) => async () => await hideIdea(a, { id, reason }, meta)) },
    { name: "mergeIdeas", arb: fc.tuple(stranger, ids.idea, ids.idea).map(([a, id, intoId]) => async () => await mergeIdeas(a, { id, intoId }, meta)) },
    { name: "tagIdea", arb: fc.tuple(stranger, ids.idea).map(([a, id]) => async () => await tagIdea(a, { id, tag: "best" }, meta)) },
    { name: "pinIdea", arb: fc.tuple(stranger, ids.idea).map(([a, id]) => async () => await pinIdea(a, { id }, meta)) },
    { name: "hideComment", arb: fc.tuple(stranger, ids.comment).map(([a, id]) => async () => await hideComment(a, { id, reason: "Rude remark." }, meta)) },
    {
      name: "curate",
      arb: fc.tuple(stranger, ids.theme).map(([a, themeId]) => async () => await curate(a, w.slugs[0]!, { intent: "rename", versionId: w.versionIds[0], themeId, label: "Mine now" }, meta)),
    },
    { name: "publishVersion", arb: fc.tuple(stranger, ids.version).map(([a, versionId]) => async () => await publishVersion(a, w.slugs[0]!, { versionId }, meta)) },
    { name: "updateJam", arb: fc.tuple(stranger, jamForm).map(([a, input]) => async () => await updateJam(a, w.jamIds[0]!, input, meta)) },
    { name: "updatePerson", arb: fc.tuple(stranger, fc.constantFrom("admin", "facilitator")).map(([a, role]) => async () => await updatePerson(a, { userId: w.participant.id, role, departmentId: w.participant.departmentId }, meta)) },
    { name: "postAnnouncement", arb: fc.tuple(stranger, text).map(([a, body]) => async () => await postAnnouncement(a, w.slugs[0]!, { body })) },
  ];
  for (const c of staffOnly) {
    it(`${c.name} is refused`, async () => {
      await fc.assert(
        fc.asyncProperty(c.arb, async (call) => {
          expect(await attempt(call)).toMatch(/^(Forbidden|NotFound|Invalid)$/);
        }),
        { numRuns: 25 },
      );
    });
  }

  it("markRead never touches someone else's notifications", async () => {
    const theirs = async () => await db().all(sql`SELECT id, read_at FROM notifications WHERE user_id = ${w.other.id} ORDER BY id`);
    const before = JSON.stringify(await theirs());
    await fc.assert(
      fc.asyncProperty(fc.array(ids.notification, { maxLength: 4 }), async (list) => {
        await attempt(async () => await markRead(w.participant, list as (number | string)[]));
        expect(JSON.stringify(await theirs())).toBe(before);
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------- text the database cannot hold

/**
 * Texts that reach the database from an address (`/jams/x%00`, `?jam=%00`, `?q=%00`) or a form and
 * that an engine cannot hold as they are. PostgreSQL's text holds no NUL and refused the whole
 * statement (SQLSTATE 22021, a 500) where SQLite finds nothing: a NUL is bound as U+FFFD there
 * (db/pg/compat.ts `storable`). A lone surrogate has no UTF-8: node-postgres sends U+FFFD,
 * better-sqlite3 the three bytes of its WTF-8 form, read back as three U+FFFD. A browser sends
 * neither (URLSearchParams reads `%ED%A0%80` as U+FFFD), but services are called with JS strings.
 */
describe("text the database cannot hold, from an address or a form", () => {
  type Odd = { jamSlug: string; ideaId: number; community: { slug: string; title: string }; person: { name: string }; questionTitle: string; actionTitle: string };
  let odd: Odd;

  // Objects of its own: the calls above hide, merge and rename the world's at random.
  beforeAll(async () => {
    const { jam, challengeIds } = await makeJam({ facilitator: w.facilitator });
    const idea = await makeIdea(w.other, challengeIds[0]!);
    const proposed = await proposeCommunity(w.other, { title: "Quiet offices circle", purpose: "Sharing what makes an office quiet." });
    await decideProposal(w.facilitator, { communityId: proposed.community.id, decision: "approve" });
    const person = await makeUser({ name: "Zebedee Quillfeather" });
    const questionTitle = "How do you run a quarterly budgeting review?";
    await askQuestionCommand(person, { title: questionTitle, body: "", clientKey: "question-key-1" });
    const actionTitle = "Rota for the quiet-room keys";
    await createAction(w.leader, { ideaId: String(idea.id), title: actionTitle, ownerId: String(w.leader.id) }, meta);
    odd = { jamSlug: jam.slug, ideaId: idea.id, community: proposed.community, person, questionTitle, actionTitle };
  });

  const NUL_TEXTS = ["\u0000", "a\u0000b", "\u0000\u0000\u0000", "%00\u0000%", "\u0000".repeat(10_000), `${"x".repeat(100_000)}\u0000`];
  const SURROGATES = ["\uD800", "x\uDC00y", "\uDBFF", `${"é".repeat(50_000)}\uD800`];
  /** A NUL or a lone surrogate somewhere in any text (the edge strings above included), or a long text. */
  const oddText = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...NUL_TEXTS, ...SURROGATES, "x".repeat(100_000)) },
    { weight: 3, arbitrary: fc.tuple(text, fc.constantFrom("\u0000", "\uD800", "\uDFFF"), text).map(([a, c, b]) => `${a}${c}${b}`) },
    { weight: 1, arbitrary: fc.nat(10).map((i) => `${w.slugs[i % w.slugs.length]!}\u0000`) },
  );

  /** Every lookup and search that takes a text from an address or a form. */
  const lookups: [name: string, call: (s: string) => Promise<unknown>][] = [
    ["a jam's address", async (s) => await findVisibleJam(db(), w.participant, s)],
    ["an idea box's community, by its jam's address", async (s) => await communityOfBoxSlug(w.participant, s)],
    ["the actions list, ?jam= and ?q=", async (s) => [await actionsPage(w.leader, { jam: s }), await actionsPage(w.leader, { q: s })]],
    ["question search", async (s) => await questionsListPage(w.participant, { q: s })],
    ["who knows about…", async (s) => await expertSearchPage(w.participant, { q: s })],
    ["people search (admin)", async (s) => await listPeople(w.admin, { q: s })],
    ["a community's address", async (s) => await communityPage(w.participant, s)],
    ["community directory search", async (s) => await communityDirectory(w.participant, { q: s })],
    ["idea search in a challenge", async (s) => await listChallengeIdeas(w.participant, { challengeId: w.challengeIds[0], q: s })],
    ["similar ideas", async (s) => await similarIdeas(w.participant, { challengeId: w.challengeIds[0], text: s })],
    ["mail links (address check, unsubscribe, password reset)", async (s) => [await confirmEmail(s, meta), await unsubscribe(s, meta), await resetLinkState(s)]],
  ];

  for (const [name, call] of lookups) {
    it(`${name}: answers or refuses, never a database error`, async () => {
      await fc.assert(
        fc.asyncProperty(oddText, async (s) => {
          try {
            await call(s);
          } catch (error) {
            if (!(error instanceof ServiceError)) throw new Error(`not a ServiceError (would be a 500): ${describeError(error)}`);
          }
        }),
        { numRuns: 30 },
      );
    });
  }

  it("a NUL in an address or a filter finds nothing where the text without it finds something", async () => {
    const slug = odd.jamSlug;
    await expect(findVisibleJam(db(), w.participant, slug)).resolves.toMatchObject({ slug });
    for (const s of [`${slug}\u0000`, `\u0000${slug}`, slug.replace("-", "\u0000")]) {
      await expect(findVisibleJam(db(), w.participant, s)).rejects.toBeInstanceOf(NotFound);
      expect((await actionsPage(w.leader, { jam: s })).actions).toEqual([]);
    }
    expect((await actionsPage(w.leader, { jam: slug })).actions.map((a) => a.title)).toEqual([odd.actionTitle]);
    const actionTitles = async (q: string) => (await actionsPage(w.leader, { q })).actions.map((a) => a.title);
    expect(await actionTitles("quiet-room")).toEqual([odd.actionTitle]);
    expect(await actionTitles("quiet-room\u0000")).toEqual([]);
    // SQLite's LIKE would read "%keys\0zz%" as "%keys" (up to the NUL): every title ending so.
    expect(await actionTitles("keys\u0000zz")).toEqual([]);
    expect((await actionsPage(w.leader, { q: "\u0000" })).actions).toEqual([]);

    const { community, person } = odd;
    await expect(communityPage(w.participant, community.slug)).resolves.toBeTruthy();
    await expect(communityPage(w.participant, `${community.slug}\u0000`)).rejects.toBeInstanceOf(NotFound);
    const titles = async (q: string) => (await communityDirectory(w.participant, { q })).communities.map((c: { title: string }) => c.title);
    expect(await titles("Quiet offices")).toEqual([community.title]);
    expect(await titles("Quiet\u0000offices")).toEqual([]);

    const names = async (q: string) => (await listPeople(w.admin, { q })).people.map((p) => p.name);
    expect(await names("Quillfeather")).toEqual([person.name]);
    expect(await names("Quill\u0000feather")).toEqual([]);
    expect(await names("Quillfeather\u0000")).toEqual([]);
  });

  it("a search by words reads a NUL as it reads a space, on both engines", async () => {
    const questions = async (q: string) => (await questionsListPage(w.participant, { q })).questions.map((x) => x.title);
    expect(await questions("quarterly budgeting")).toEqual([odd.questionTitle]);
    expect(await questions("quarterly\u0000budgeting")).toEqual([odd.questionTitle]);
    expect(await questions("quarterly\u0000zebra")).toEqual([]);
  });

  it("a NUL in what a person writes is refused cleanly and nothing is written", async () => {
    const ideaId = odd.ideaId;
    for (const body of ["a\u0000b", "\u0000"]) {
      await expect(postComment(w.participant, { ideaId, body, clientKey: `nul-${body.length}` })).rejects.toBeInstanceOf(Invalid);
    }
    expect(await db().select().from(comments).where(eq(comments.clientKey, "nul-3")).get()).toBeUndefined();
  });

  it("a lone surrogate in what a person writes saves, and reads back as replacement characters", async () => {
    const saved = await postComment(w.participant, { ideaId: odd.ideaId, body: "half \uD800 a pair", clientKey: "surrogate-comment" });
    const row = await db().select({ body: comments.body }).from(comments).where(eq(comments.id, saved.id)).get();
    // One U+FFFD on PostgreSQL (node-postgres encodes it so), three on SQLite (its WTF-8 bytes read back one by one).
    expect(row!.body).toMatch(ENGINE === "postgres" ? /^half \uFFFD a pair$/ : /^half \uFFFD{3} a pair$/);
    expect(row!.body).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it("a text with a NUL written by the app's own code saves, and the same text finds it again", async () => {
    const key = `odd:\u0000:${Date.now()}`;
    const body = "news \u0000 from nowhere";
    const inserted = await db().insert(notifications).values({ userId: w.other.id, body, dedupeKey: key, createdAt: Date.now() }).returning().get();
    // SQLite keeps the NUL; PostgreSQL holds U+FFFD in its place (db/pg/compat.ts).
    const stored = ENGINE === "postgres" ? body.replace("\u0000", "\uFFFD") : body;
    expect(inserted.body).toBe(stored);
    // Builder, prepared query and raw SQL: each looks the text up with its NUL and finds the row.
    const byKey = await db().select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, key)).all();
    expect(byKey).toEqual([{ id: inserted.id }]);
    const prepared = preparedQuery((conn) => conn.select({ body: notifications.body }).from(notifications).where(eq(notifications.dedupeKey, sql.placeholder("key"))).prepare());
    expect(await prepared(db()).get({ key })).toEqual({ body: stored });
    expect(await db().all(sql`SELECT body FROM notifications WHERE dedupe_key = ${key}`)).toEqual([{ body: stored }]);
    // A different text with a NUL finds nothing.
    expect(await db().select().from(notifications).where(and(eq(notifications.userId, w.other.id), eq(notifications.dedupeKey, `${key}\u0000`))).all()).toEqual([]);
    const changed = await db().update(notifications).set({ body: "\u0000" }).where(eq(notifications.dedupeKey, key)).run();
    expect(changed.changes).toBe(1);
  });
});
