/**
 * A fresh, migrated database for the end-to-end run: first the demo company, seeded
 * exactly as `npm run db:seed` seeds it (the demo tests sign in to it), then the
 * e2e people and jams, made with factories: one person per role, a live jam with two
 * challenges, ended jams with published syntheses, and jams of single tests' own.
 * Passwords go through the real argon2 hashing.
 */
import { hashPassword } from "~/auth/password.server";
import { createJam } from "~/services/commands/jams.server";
import { jamChallenges } from "~/services/lookups/jams.server";
import { postIdea } from "~/services/commands/ideas.server";
import { castVote } from "~/services/commands/votes.server";
import { postComment } from "~/services/commands/comments.server";
import { setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { closeDb, databasePath, db, ENGINE, removeDatabaseFiles } from "~db/client";
import { redactUrl } from "~db/engine.js";
import { migrateDb } from "~db/migrate";
import { migratePg } from "~db/pg/migrate";
import { departments, followUpActions, ideas, jams, synthesisVersions, themeIdeas, themes, users } from "~db/schema";
import { eq, isNotNull } from "drizzle-orm";
import { DEMO, E2E_PROCESSES_JAM, E2E_RATE_LIMIT_JAM, E2E_SYNTHESIS, E2E_THEMES_JAM, E2E_TWO_LEVELS, E2E_TYPING_JAM } from "./accounts";
import { createRng, ENDED_JAM as DEMO_ENDED_JAM, makeIdea as makeBankIdea } from "../../seeds/idea-bank";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../../seeds/demo";
import {
  E2E_COLLEAGUE_IDEA_TITLE,
  E2E_ENDED_JAM,
  E2E_LIVE_JAM,
  E2E_MODERATION_IDEAS,
  E2E_MODERATION_JAM,
  E2E_NETWORK_IDEA_TITLE,
  E2E_PASSWORD,
  E2E_SMALL_TEAM,
  E2E_USERS,
  type E2ERole,
} from "./accounts";
import { mapInOrder } from "~/domain/in-order";

// A SQLite file is made anew; a PostgreSQL database (the PostgreSQL run's, tests/e2e/pg-servers.ts) comes
// empty from a throwaway cluster and is migrated here.
const where = ENGINE === "postgres" ? redactUrl(process.env.DATABASE_URL!) : databasePath();
if (ENGINE === "postgres") {
  await migratePg(process.env.DATABASE_URL!);
} else {
  removeDatabaseFiles(where);
  migrateDb(db());
}
/** One part of the preparation, timed (the log says which part took how long; a failure stops it all). */
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const done = await work();
  console.log(`prepare-db: ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return done;
}

// This process posts hundreds of ideas for a few people in a moment; the server it prepares for keeps its limits on.
setRateLimitsEnabled(false);

// The demo company, on the still empty database as `npm run db:seed` needs it (its first account becomes
// the admin). Its slugs and emails (@jamboree.test) are not the e2e ones; it shares three department names.
await step("the demo company (seeds/demo.ts)", async () => {
  await seedDemo();
  const account = (role: "leader" | "facilitator") => {
    const a = DEMO_ACCOUNTS.find((x) => x.role === role);
    return { email: a?.email, name: a?.name };
  };
  const ended = await db().select({ slug: jams.slug }).from(jams).where(eq(jams.title, DEMO_ENDED_JAM.title)).get();
  const onSubThemes = await db()
    .select({ title: followUpActions.title })
    .from(followUpActions)
    .innerJoin(themes, eq(themes.id, followUpActions.themeId))
    .where(isNotNull(themes.parentId))
    .all();
  const expected = { password: DEMO.password, leader: DEMO.leader, facilitator: DEMO.facilitator, endedJam: DEMO.endedJam, subThemeAction: true };
  const seeded = {
    password: DEMO_PASSWORD,
    leader: account("leader"),
    facilitator: account("facilitator"),
    endedJam: { slug: ended?.slug, title: DEMO_ENDED_JAM.title },
    subThemeAction: onSubThemes.length === 1 && DEMO.subThemeActionTitle.test(onSubThemes[0]!.title),
  };
  if (JSON.stringify(seeded) !== JSON.stringify(expected)) {
    throw new Error(`tests/e2e/accounts.ts DEMO no longer matches the demo seed: ${JSON.stringify(seeded)}`);
  }
});

const now = Date.now();
const HOUR = 3_600_000;
/** A department by name: the demo already made Engineering, Sales and Operations; the e2e people join them. */
const department = async (name: string) => {
  await db().insert(departments).values({ name }).onConflictDoNothing().run();
  return (await db().select().from(departments).where(eq(departments.name, name)).get())!;
};
const teams = await mapInOrder(["Engineering", "Sales", "Operations"], department);
const passwordHash = await hashPassword(E2E_PASSWORD);
const roleOf: Record<E2ERole, "participant" | "facilitator" | "leader" | "admin"> = {
  participant: "participant",
  phoneParticipant: "participant",
  colleague: "participant",
  facilitator: "facilitator",
  leader: "leader",
  admin: "admin",
  quietParticipant: "participant",
  roleChangeTarget: "participant",
  newcomer: "participant",
  moderatedAuthor: "participant",
  flagger: "participant",
  duplicateVoter: "participant",
  keeper: "participant",
  follower: "participant",
  networker: "participant",
  hastyPoster: "participant",
  hastyTyper: "participant",
  typist: "participant",
  phoneTypist: "participant",
  voteModeAuthor: "participant",
  crossPoster: "participant",
  crossWatcher: "participant",
  streamWatcher: "participant",
  deactivated: "participant",
  commenter: "participant",
  phoneCommenter: "participant",
  companyConnector: "participant",
  directorySynced: "participant",
  stageAuthor: "participant",
  reviewerOne: "participant",
  reviewerTwo: "participant",
  jellyHost: "participant",
  jellyGuest: "participant",
  phoneJellyGuest: "participant",
  placeTaker: "participant",
  placeWaiter: "participant",
  editAuthor: "participant",
  editVoter: "participant",
  coauthorInvitee: "participant",
  amender: "participant",
};
const smallTeam = await db().insert(departments).values({ name: E2E_SMALL_TEAM }).returning().get();
const people = Object.fromEntries(
  await mapInOrder(Object.entries(E2E_USERS), async ([role, u], i) => [
    role,
    await db()
      .insert(users)
      // Every e2e address counts as checked (their jam mail is not held back).
      .values({ ...u, passwordHash, role: roleOf[role as E2ERole], departmentId: role === "newcomer" ? smallTeam.id : teams[i % teams.length]!.id, emailVerifiedAt: now, createdAt: now })
      .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
      .get(),
  ]),
) as Record<E2ERole, { id: number; name: string; email: string; role: "participant"; departmentId: number }>;

const live = await createJam(
  people.facilitator,
  {
    ...E2E_LIVE_JAM,
    description: "A live jam for the end-to-end tests.",
    // New jams are drafts; these are published at once (the launch has its own test).
    isDraft: false,
    startsAt: now - HOUR,
    endsAt: now + 48 * HOUR,
    challenges: [
      { title: "Meetings that matter", question: "How could we spend less time in meetings?" },
      { title: "Tools that help", question: "Which tool would save you an hour a week?" },
    ],
  },
  { ip: null },
);
const [meetings] = await jamChallenges(live.id);
await postIdea(people.colleague, {
  challengeId: meetings!.id,
  title: E2E_COLLEAGUE_IDEA_TITLE,
  body: "Block two mornings a week for deep work, shown on everyone's calendar.",
  isAnonymous: false,
  clientKey: "e2e-colleague-1",
});

const ended = await createJam(
  people.facilitator,
  {
    ...E2E_ENDED_JAM,
    description: "An ended jam.",
    isDraft: false,
    startsAt: now - 72 * HOUR,
    endsAt: now - 24 * HOUR,
    challenges: [{ title: "Looking back", question: "What did we learn?" }],
  },
  { ip: null },
);
const [lookingBack] = await jamChallenges(ended.id);
await postIdea(
  people.colleague,
  { challengeId: lookingBack!.id, title: "Retrospectives every quarter", body: "", isAnonymous: false, clientKey: "e2e-colleague-2" },
  { now: now - 48 * HOUR },
);

// Moderation and the command centre: a jam of their own, an idea to flag, and a duplicate with overlapping votes.
await step("the moderation jam", async () => {
  const moderation = await createJam(
    people.facilitator,
    {
      ...E2E_MODERATION_JAM,
      description: "A live jam for the moderation end-to-end test.",
      isDraft: false,
      startsAt: now - HOUR,
      endsAt: now + 48 * HOUR,
      challenges: [{ title: "Better workspaces", question: "What would make our offices work better?" }],
    },
    { ip: null },
  );
  const [workspaces] = await jamChallenges(moderation.id);
  const moderationIdea = async (author: (typeof people)[E2ERole], title: string, key: string) =>
    (await postIdea(author, { challengeId: workspaces!.id, title, body: "Posted for the moderation test.", isAnonymous: false, clientKey: key })).id;
  await moderationIdea(people.moderatedAuthor, E2E_MODERATION_IDEAS.flagged, "e2e-moderation-1");
  const kept = await moderationIdea(people.keeper, E2E_MODERATION_IDEAS.kept, "e2e-moderation-2");
  const duplicate = await moderationIdea(people.moderatedAuthor, E2E_MODERATION_IDEAS.duplicate, "e2e-moderation-3");
  await castVote(people.flagger, { ideaId: kept });
  await castVote(people.flagger, { ideaId: duplicate });
  await castVote(people.duplicateVoter, { ideaId: duplicate });
});


// Follow-up actions: a published synthesis version of the ended jam, whose one theme holds the colleague's idea.
await step("the ended jam's synthesis", async () => {
  const retro = (await db().select({ id: ideas.id }).from(ideas).where(eq(ideas.clientKey, "e2e-colleague-2")).get())!;
  const version = await db()
    .insert(synthesisVersions)
    .values({ jamId: ended.id, number: 1, kind: "curated", createdBy: people.facilitator.id, createdAt: now - 12 * HOUR, publishedAt: now - 6 * HOUR })
    .returning()
    .get();
  const theme = await db()
    .insert(themes)
    .values({
      versionId: version.id,
      label: E2E_SYNTHESIS.theme,
      keywords: JSON.stringify(E2E_SYNTHESIS.keywords),
      representatives: JSON.stringify([retro.id]),
      position: 0,
    })
    .returning()
    .get();
  await db().insert(themeIdeas).values({ versionId: version.id, ideaId: retro.id, themeId: theme.id }).run();
});

// Reshaping the top level: an ended jam of its own with a published two-level synthesis, made by hand
// so every name is known: two top-level themes with two sub-themes each, and one without sub-themes.
await step("the two-level synthesis jam", async () => {
  const jam = await createJam(
    people.facilitator,
    {
      slug: E2E_TWO_LEVELS.slug,
      title: E2E_TWO_LEVELS.title,
      description: "An ended jam whose published synthesis has two levels of themes.",
        isDraft: false,
      startsAt: now - 96 * HOUR,
      endsAt: now - 24 * HOUR,
      challenges: [{ title: "Serving customers", question: "How do we serve our customers better?" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  let n = 0;
  const post = async (title: string) =>
    (await postIdea(
      [people.colleague, people.keeper][n % 2]!,
      { challengeId: challenge!.id, title, body: "", isAnonymous: false, clientKey: `e2e-two-levels-${n}` },
      { now: now - 90 * HOUR + n++ * 60_000 },
    )).id;
  const version = await db()
    .insert(synthesisVersions)
    .values({ jamId: jam.id, number: 1, kind: "generated", createdBy: people.facilitator.id, createdAt: now - 20 * HOUR, publishedAt: now - 18 * HOUR })
    .returning()
    .get();
  let position = 0;
  const theme = async (t: { label: string; summary: string }, ideaIds: number[], parentId: number | null) =>
    (await db()
      .insert(themes)
      .values({
        versionId: version.id,
        label: t.label,
        summary: t.summary,
        keywords: JSON.stringify(t.label.toLowerCase().split(/\W+/).filter((w) => w.length > 3)),
        representatives: JSON.stringify(ideaIds.slice(0, 3)),
        position: position++,
        parentId,
      })
      .returning()
      .get()).id;
  for (const top of E2E_TWO_LEVELS.themes) {
    if ("subThemes" in top) {
      const subs: { sub: (typeof top.subThemes)[number]; ideaIds: number[] }[] = [];
      for (const sub of top.subThemes) subs.push({ sub, ideaIds: await mapInOrder(sub.ideas, post) });
      const parent = await theme(top, subs.flatMap((s) => s.ideaIds.slice(0, 1)), null);
      for (const { sub, ideaIds } of subs) {
        const id = await theme(sub, ideaIds, parent);
        for (const ideaId of ideaIds) await db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: id }).run();
      }
    } else {
      const ideaIds = await mapInOrder(top.ideas, post);
      const id = await theme(top, ideaIds, null);
      for (const ideaId of ideaIds) await db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: id }).run();
    }
  }
});

// The synthesis test: an ended jam with 240 ideas on four clear topics, by several people.
await step("the themes jam", async () => {
  const themesJam = await createJam(
    people.facilitator,
    {
      slug: E2E_THEMES_JAM.slug,
      title: E2E_THEMES_JAM.title,
      description: "An ended jam for the synthesis end-to-end test.",
      isDraft: false,
      startsAt: now - 96 * HOUR,
      endsAt: now - 24 * HOUR,
      challenges: [{ title: "Customers first", question: "How do we serve our customers better?" }],
    },
    { ip: null },
  );
  const [customers] = await jamChallenges(themesJam.id);
  const bankRng = createRng(2026);
  const themeAuthors = [people.colleague, people.participant, people.leader, people.keeper];
  for (let i = 0; i < 240; i++) {
    const text = makeBankIdea(E2E_THEMES_JAM.topics[i % 4]!, bankRng);
    await postIdea(
      themeAuthors[i % themeAuthors.length]!,
      { challengeId: customers!.id, title: text.title, body: text.body, isAnonymous: false, clientKey: `e2e-themes-${i}` },
      { now: now - 90 * HOUR + i * 60_000 },
    );
  }
});

// People network: one tie across departments in the live jam (follower -> networker), so the drawing is never empty.
await step("the people network's tie", async () => {
  const [, tools] = await jamChallenges(live.id);
  const idea = await postIdea(people.networker, {
    challengeId: tools!.id,
    title: E2E_NETWORK_IDEA_TITLE,
    body: "Spend a day a quarter working alongside another department.",
    isAnonymous: false,
    clientKey: "e2e-network-1",
  });
  await postComment(people.follower, { ideaId: idea.id, body: "We would host someone from Operations.", clientKey: "e2e-network-c1" });
  await castVote(people.follower, { ideaId: idea.id });
});

/** A live jam with one challenge, of one test's own, so what it posts pushes nothing off another test's pages. */
async function ownLiveJam(jam: { slug: string; title: string; challenge: string }, question: string) {
  return await createJam(
    people.facilitator,
    {
      slug: jam.slug,
      title: jam.title,
      description: `A live jam for the end-to-end tests of ${jam.title}.`,
        isDraft: false,
      startsAt: now - HOUR,
      endsAt: now + 48 * HOUR,
      challenges: [{ title: jam.challenge, question }],
    },
    { ip: null },
  );
}

// Rate limits: the hasty people post here until they are refused.
await step("the rate-limit jam", () => ownLiveJam(E2E_RATE_LIMIT_JAM, "What is on your mind right now?"));
// Several server processes: one posts, another watches.
await step("the processes jam", () => ownLiveJam(E2E_PROCESSES_JAM, "What should every server know?"));

// Ideas typed while the similar-ideas lookup fails land here.
await step("the typing jam", async () => {
  const typing = await ownLiveJam(E2E_TYPING_JAM, "How could our meetings be better?");
  const [typingChallenge] = await jamChallenges(typing.id);
  await postIdea(people.colleague, {
    challengeId: typingChallenge!.id,
    title: "Meetings with an agenda sent the day before",
    body: "No agenda, no meeting.",
    isAnonymous: false,
    clientKey: "e2e-typing-1",
});

});

await closeDb();
console.log(`e2e database ready at ${where}`);
