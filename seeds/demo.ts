/**
 * The demo company, built through the services so every row is one a real
 * person could have made: about 60 people in 6 departments with every role, a
 * live jam, an upcoming jam and an ended jam with about 600 ideas on clear topics.
 * Deterministic for a seed; times are relative to `now`.
 */
import type { SessionUser } from "~/auth/session.server";
import { signUp, updatePerson } from "~/services/commands/accounts.server";
import { listDepartments } from "~/services/lookups/departments.server";
import { markAddressesChecked } from "~/services/commands/email-check.server";
import { postComment } from "~/services/commands/comments.server";
import { createJam } from "~/services/commands/jams.server";
import { jamChallenges } from "~/services/lookups/jams.server";
import { addResource, decideProposal, joinCommunity, postInIdeaBox, proposeCommunity } from "~/services/commands/communities.server";
import { postIdea } from "~/services/commands/ideas.server";
import { castVote } from "~/services/commands/votes.server";
import { createAction, updateAction } from "~/services/commands/actions.server";
import { publishVersion, startSynthesis } from "~/services/commands/synthesis.server";
import { latestRun } from "~/services/lookups/synthesis.server";
import { sendJamResults } from "~/services/jobs/jam-results.server";
import { decideIdea, openReview, submitScores } from "~/services/commands/reviews.server";
import { reviewPage } from "~/services/pages/reviews.server";
import { DEFAULT_CRITERIA } from "~/domain/evaluation";
import { rateLimitsEnabled, setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { acceptAnswer, answerQuestion, askQuestion } from "~/services/commands/questions.server";
import { askedPeople } from "~/services/lookups/questions.server";
import { db, transaction } from "~db/client";
import { seedJellies } from "./jellies";
import { seedLearningNetwork } from "./learning-network";
import { proposeJelly } from "~/services/commands/jellies.server";
import { communities as communitiesTable, departments as departmentsTable, ideas, themes as themesTable, votes } from "~db/schema";
import { answerInvitation, inviteCoauthor } from "~/services/commands/coauthors.server";
import { acceptAmendment, proposeAmendment } from "~/services/commands/amendments.server";
import { editIdea } from "~/services/commands/revisions.server";
import { addTemplateField } from "~/services/commands/templates.server";
import { attachToIdea, prepareUploads } from "~/services/commands/attachments.server";
import { tempPath } from "~/services/effects/attachment-store.server";
import { writeFileSync } from "node:fs";
import sharp from "sharp";
import { and, asc, desc, eq, isNotNull, isNull } from "drizzle-orm";
import {
  createRng,
  DEPARTMENTS,
  ENDED_JAM,
  FIRST_NAMES,
  LAST_NAMES,
  LIVE_CHALLENGES,
  LIVE_JAM_DESCRIPTION,
  makeComment,
  makeIdea,
  makeReply,
  pick,
  UPCOMING_JAM,
  type Rng,
} from "./idea-bank";
import { forEachInOrder } from "~/domain/in-order";

export const DEMO_PASSWORD = "jamboree-demo";
export const DEMO_DOMAIN = "jamboree.test";

export const DEMO_ACCOUNTS = [
  { email: `admin@${DEMO_DOMAIN}`, name: "Alex Morgan", role: "admin" },
  { email: `facilitator@${DEMO_DOMAIN}`, name: "Priya Raman", role: "facilitator" },
  { email: `leader@${DEMO_DOMAIN}`, name: "Jordan Okafor", role: "leader" },
  { email: `participant@${DEMO_DOMAIN}`, name: "Sam Lee", role: "participant" },
] as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SeedOptions {
  now?: number;
  seed?: number;
  people?: number;
  liveIdeas?: number;
  endedIdeas?: number;
  log?: (line: string) => void;
}

interface Person {
  user: SessionUser;
  departmentId: number;
}

function between(rng: Rng, from: number, to: number) {
  return Math.floor(from + rng() * (to - from));
}

/** 0..max, most often small: a few ideas get many votes, most get a handful. */
function skewed(rng: Rng, max: number) {
  return Math.floor(max * rng() ** 2.2);
}

function key(prefix: string, n: number) {
  return `${prefix}-${n.toString(36).padStart(6, "0")}`;
}

/**
 * Seeds the demo company with the per-person rate limits off while it runs: it posts
 * hundreds of ideas, votes and comments per fake person in a few seconds of real time
 * (with historical `now` values), which no real person does.
 */
export async function seedDemo(options: SeedOptions = {}) {
  const limitsWere = rateLimitsEnabled();
  setRateLimitsEnabled(false);
  try {
    return await seedDemoCompany(options);
  } finally {
    setRateLimitsEnabled(limitsWere);
  }
}

async function seedDemoCompany(options: SeedOptions) {
  const now = options.now ?? Date.now();
  const rng = createRng(options.seed ?? 2026);
  const log = options.log ?? (() => {});
  const meta = { ip: "seed", now };

  await transaction(async (tx) => {
    for (const name of DEPARTMENTS) await tx.insert(departmentsTable).values({ name }).onConflictDoNothing().run();
  });
  const departments = await listDepartments();
  const departmentIds = departments.map((d) => d.id);

  // People: the documented accounts first (the very first becomes admin), then generated colleagues.
  const people: Person[] = [];
  const usedEmails = new Set<string>();
  const total = options.people ?? 60;
  const accounts: { email: string; name: string; role: SessionUser["role"] }[] = [...DEMO_ACCOUNTS];
  const extraRoles: SessionUser["role"][] = ["facilitator", "facilitator", "leader", "leader"];
  while (accounts.length < total) {
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "");
    if (usedEmails.has(local)) continue;
    usedEmails.add(local);
    accounts.push({ email: `${local}@${DEMO_DOMAIN}`, name: `${first} ${last}`, role: extraRoles.shift() ?? "participant" });
  }
  let admin: SessionUser | undefined;
  for (const [i, account] of accounts.entries()) {
    const departmentId = departmentIds[i % departmentIds.length]!;
    const { user } = await signUp(
      { name: account.name, email: account.email, password: DEMO_PASSWORD, departmentId },
      { ip: "seed", now: now - 40 * DAY },
    );
    if (!user) throw new Error(`${account.email} already has an account: the demo seeds an empty database.`);
    admin ??= user;
    if (account.role !== user.role) await updatePerson(admin, { userId: user.id, role: account.role, departmentId }, meta);
    people.push({ user: { ...user, role: account.role }, departmentId });
  }
  // The demo's addresses are made up: they count as checked (no check mail waits for them), so
  // the demo's people get jam mail like everyone whose address is checked.
  await markAddressesChecked(people.map((p) => p.user.id), now - 40 * DAY);
  log(`${people.length} people in ${departments.length} departments`);
  const facilitator = people.find((p) => p.user.role === "facilitator")!.user;

  // The ended jam: a month ago, three days long, ~600 ideas on clear topics.
  const endedStart = now - 30 * DAY;
  const ended = await createJam(
    facilitator,
    {
      title: ENDED_JAM.title,
      slug: "",
      description: ENDED_JAM.description,
      // The demo company arrives with its jams already published.
      isDraft: false,
      startsAt: endedStart,
      endsAt: endedStart + 3 * DAY,
      challenges: ENDED_JAM.challenges.map((c) => ({ title: c.title, question: c.question })),
    },
    meta,
  );
  await fillJam(ended.id, ENDED_JAM.challenges, endedStart, endedStart + 3 * DAY - HOUR, options.endedIdeas ?? 600, people, rng, "ended");
  log(`ended jam “${ended.title}”`);
  // As the background work does a minute after a jam ends: everyone who took part is told where its results are.
  await sendJamResults(endedStart + 3 * DAY + 60_000);
  const leader = people.find((p) => p.user.role === "leader")!.user;
  const firstTheme = await publishResults(ended.slug, ended.id, facilitator, leader, endedStart + 3 * DAY, now);
  log("ended jam: synthesis published, three follow-up actions");
  // A random stream of its own, so the live jam seeds as it did before reviews existed.
  await seedReview(ended.id, ended.slug, facilitator, people, createRng((options.seed ?? 2026) + 27), now);
  log("ended jam: a blind review of its most supported ideas, mostly scored, three shortlisted");
  await seedQuestions(people, now);
  log("questions asked, routed, answered and one accepted");

  // The live jam: started 20 hours ago, 72 hours long.
  const liveStart = now - 20 * HOUR;
  const live = await createJam(
    facilitator,
    {
      title: "Working Smarter",
      slug: "working-smarter",
      description: LIVE_JAM_DESCRIPTION,
      isDraft: false,
      startsAt: liveStart,
      endsAt: liveStart + 72 * HOUR,
      challenges: LIVE_CHALLENGES.map((c) => ({ title: c.title, question: c.question })),
    },
    meta,
  );
  await fillJam(live.id, LIVE_CHALLENGES, liveStart, now - 5 * 60_000, options.liveIdeas ?? 250, people, rng, "live");
  log(`live jam “${live.title}”`);
  await buildTogether(live.id, people, now);
  await attachDemoFiles(live.id, people, now);
  log("live jam: an idea edited with a co-author, a proposed change accepted, one still open");
  await seedTemplate(live.id, facilitator, people, now);
  log("live jam: an idea template on “Meetings that matter”, with answered ideas");

  // The upcoming jam: next week.
  const upcomingStart = now + 7 * DAY;
  await createJam(
    facilitator,
    {
      title: UPCOMING_JAM.title,
      slug: "",
      description: UPCOMING_JAM.description,
      isDraft: false,
      startsAt: upcomingStart,
      endsAt: upcomingStart + 3 * DAY,
      challenges: UPCOMING_JAM.challenges.map((c) => ({ title: c.title, question: c.question })),
    },
    meta,
  );
  log(`upcoming jam “${UPCOMING_JAM.title}”`);

  // A community of practice, proposed by a colleague and approved, with a few members and ideas in its box.
  await seedDemoCommunity(people.map((p) => p.user), facilitator, now);
  log("community “Customer support craft”");

  await seedJellies(
    people.map((p) => p.user),
    { now, themeId: firstTheme?.id ?? null, themeLabel: firstTheme?.label ?? null },
  );
  log("three jellies: one past with notes, one full with a waiting list, one for a pair");
  await seedLearningNetwork(
    people.map((p) => p.user),
    { participantEmail: `participant@${DEMO_DOMAIN}`, facilitator, endedJamId: ended.id, liveJamId: live.id, now },
  );
  log("the participant's learning network: answers accepted both ways, a change taken in, two themes kept alive as communities");
  return { people: people.length, liveSlug: live.slug };
}

const DEMO_QUESTIONS = [
  { title: "How do you keep onboarding buddies from getting overloaded?", body: "Our buddies each have three new starters this quarter.", answer: "We cap it at one new starter per buddy and rotate every quarter; it works." },
  { title: "Has anyone made meeting-free afternoons stick?", body: "We tried twice and meetings crept back within a month.", answer: "Put it in everyone's calendar as a recurring block and let leaders go first." },
  { title: "Where do we share what we learned from customer calls?", body: "", answer: null },
  { title: "Which tool do teams use for async stand-ups?", body: "Looking for something that works across time zones.", answer: "A shared thread per team in the chat tool, posted before 10:00 local time." },
];

/** Questions asked a few days ago, routed as the app routes them; most answered, the first accepted. */
async function seedQuestions(people: Person[], now: number) {
  await forEachInOrder(DEMO_QUESTIONS, async (q, i) => {
    const asker = people[(i * 7 + 3) % people.length]!.user;
    const askedAt = now - (5 - i) * DAY;
    const { id } = await transaction(async (tx) => await askQuestion(tx, asker, { title: q.title, body: q.body, clientKey: `demo-question-${i}` }, askedAt));
    if (!q.answer) return;
    const answerer = (await askedPeople(db(), id))[0] ?? people[(i * 5 + 11) % people.length]!.user;
    const author = people.find((p) => p.user.id === answerer.id)?.user ?? people[1]!.user;
    const a = await transaction(async (tx) => await answerQuestion(tx, author, id, { body: q.answer, clientKey: `demo-answer-${i}` }, askedAt + 5 * HOUR));
    if (i === 0) await transaction(async (tx) => await acceptAnswer(tx, asker, id, a.id, askedAt + 20 * HOUR));
  });
}

/**
 * The ended jam arrives with its results: a synthesis run and published a day after it
 * ended, and follow-up actions in different states (one done, with its outcome) on its first
 * two top-level themes and on one sub-theme, so contributors have been told and a leader's
 * first sign-in shows the whole story. The run asks for 18 themes at the finest level: left
 * to itself the engine finds the demo's ten topics and shows them as one level; asked for
 * more, it shows what each topic holds (see the README's Themes section).
 */
const DEMO_FINEST_THEMES = 18;

/**
 * People improving ideas together in the live jam, so the idea pages show it from the first
 * look: the most supported named idea was written with a co-author and edited after people
 * voted (its voters see "Edited after you voted"), the next one took a proposed change from a
 * colleague (credited in its history), and the third has a proposed change still open.
 */
async function buildTogether(jamId: number, people: Person[], now: number) {
  const top = await db()
    .select()
    .from(ideas)
    .where(and(eq(ideas.jamId, jamId), eq(ideas.isAnonymous, false), isNull(ideas.hiddenAt)))
    .orderBy(desc(ideas.voteCount), asc(ideas.id))
    .limit(3)
    .all();
  const personOf = (id: number) => people.find((p) => p.user.id === id)!.user;
  const voted = async (ideaId: number) => new Set((await db().select({ u: votes.userId }).from(votes).where(eq(votes.ideaId, ideaId)).all()).map((v) => v.u));
  const someoneElse = (idea: (typeof top)[number], skip: Set<number>) => people.find((p) => p.user.id !== idea.authorId && !skip.has(p.user.id))!.user;
  const [first, second, third] = top;
  if (first) {
    const author = personOf(first.authorId);
    const coauthor = someoneElse(first, await voted(first.id));
    await inviteCoauthor(author, { ideaId: first.id, userId: coauthor.id }, { now: now - 3 * HOUR });
    await answerInvitation(coauthor, { ideaId: first.id, answer: "accept" }, { now: now - 2 * HOUR });
    await editIdea(
      coauthor,
      { ideaId: first.id, title: first.title, body: `${first.body}\n\nWe would start with one team for a month and share what we learn.`, baseVersion: 1 },
      { now: now - HOUR },
    );
  }
  for (const [idea, accept] of [[second, true], [third, false]] as const) {
    if (!idea) continue;
    const proposer = someoneElse(idea, new Set());
    const { amendmentId } = await proposeAmendment(
      proposer,
      { ideaId: idea.id, title: idea.title, body: `${idea.body} A short pilot first would show whether it works here.`, note: "Start small: a pilot is easier to say yes to.", baseVersion: 1, clientKey: `demo-amend-${idea.id}` },
      { now: now - 90 * 60_000 },
    );
    if (accept) await acceptAmendment(personOf(idea.authorId), { amendmentId, baseVersion: 1 }, { now: now - 30 * 60_000 });
  }
}

/** A picture made for the demo: a simple sketch on a coloured ground, as a PNG (no photo, no metadata). */
function demoPicture(hue: string, label: string) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><rect width="1200" height="800" fill="${hue}"/>
    <rect x="120" y="140" width="960" height="520" rx="36" fill="#ffffff" opacity="0.92"/>
    <rect x="200" y="240" width="300" height="40" rx="10" fill="${hue}" opacity="0.55"/><rect x="200" y="310" width="520" height="28" rx="10" fill="#5d5a66" opacity="0.35"/>
    <rect x="200" y="360" width="460" height="28" rx="10" fill="#5d5a66" opacity="0.35"/><circle cx="890" cy="400" r="130" fill="${hue}" opacity="0.8"/>
    <text x="200" y="560" font-family="sans-serif" font-size="56" font-weight="700" fill="#1d1b22">${label}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * Files on a few ideas of the live jam, through the same checks as an upload (content, scaling,
 * limits): a sketch on three well-supported ideas, and a small table of figures on the first.
 */
async function attachDemoFiles(jamId: number, people: Person[], now: number) {
  const picked = (await db()
    .select()
    .from(ideas)
    .where(and(eq(ideas.jamId, jamId), eq(ideas.isAnonymous, false), isNull(ideas.hiddenAt)))
    .orderBy(desc(ideas.voteCount), asc(ideas.id))
    .limit(6)
    .all())
    .slice(3);
  const hues = ["#5b3cc4", "#0b7a43", "#e8590c"];
  for (const [i, idea] of picked.entries()) {
    const author = people.find((p) => p.user.id === idea.authorId)!.user;
    const files: { name: string; data: Buffer }[] = [{ name: `sketch-${i + 1}.png`, data: await demoPicture(hues[i % hues.length]!, "How it could look") }];
    if (i === 0) files.push({ name: "pilot-figures.csv", data: Buffer.from("week,teams,hours saved\n1,1,3\n2,2,7\n3,4,15\n") });
    const received = files.map((f) => {
      const path = tempPath();
      writeFileSync(path, f.data);
      return { tempPath: path, name: f.name, size: f.data.length };
    });
    await attachToIdea(author, { ideaId: idea.id }, await prepareUploads(received), { now: now - 20 * 60_000 });
  }
}

/**
 * An idea template on the live jam's first challenge, "Meetings that matter" (what a meeting idea
 * saves, who it is for, whether it was tried, where to read more), and a few ideas that answer it. No
 * field is required: scripts and tests that post into the demo's challenges stay valid.
 */
async function seedTemplate(jamId: number, facilitator: SessionUser, people: Person[], now: number) {
  const challenge = (await jamChallenges(jamId))[0]!;
  const add = async (field: Record<string, string>) => (await addTemplateField(facilitator, { challengeId: challenge.id, required: "", help: "", ...field }, { now: now - 30 * HOUR })).fieldId;
  const hours = await add({ label: "Hours saved a week", kind: "number", min: "0", max: "40", unit: "hours", help: "Per person, roughly: a guess is fine." });
  const scope = await add({ label: "Who it is for", kind: "choice", options: "One team\nA department\nEveryone" });
  const tried = await add({ label: "Tried it already", kind: "yes_no" });
  const link = await add({ label: "Read more", kind: "link", help: "An article, a wiki page or a tool." });
  const ideasWithAnswers: [string, string, string, string, string, string][] = [
    ["No-meeting Wednesday afternoons", "Keep Wednesday afternoons free of meetings across the company, so everyone has one long stretch to focus.", "3", "Everyone", "yes", "https://en.wikipedia.org/wiki/Maker%27s_schedule"],
    ["Every meeting invite says what it will decide", "An invite without a decision or a question to answer gets declined by default.", "2", "Everyone", "no", ""],
    ["Stand-ups written in the team channel", "Three lines each, by ten o'clock, instead of fifteen minutes standing in a circle.", "1.5", "One team", "yes", ""],
    ["25 and 50 minute meetings by default", "Calendar defaults end meetings early, so people can walk to the next one without being late.", "1", "A department", "no", "https://support.google.com/calendar/answer/9163574"],
    ["A monthly meeting clean-out", "Once a month each team cancels the recurring meetings nobody would miss.", "2.5", "One team", "no", ""],
  ];
  await forEachInOrder(ideasWithAnswers, async ([title, body, h, who, done, href], i) => {
    const author = people[(i * 7 + 3) % people.length]!.user;
    await postIdea(
      author,
      {
        challengeId: challenge.id,
        title,
        body,
        isAnonymous: "",
        clientKey: `demo-template-${i}`,
        [`field_${hours}`]: h,
        [`field_${scope}`]: who,
        [`field_${tried}`]: done,
        [`field_${link}`]: href,
      },
      { now: now - (5 - i) * 40 * 60_000 },
    );
  });
}

async function publishResults(slug: string, jamId: number, facilitator: SessionUser, leader: SessionUser, endedAt: number, now: number) {
  const at = (days: number) => Math.min(now, endedAt + days * DAY);
  await startSynthesis(facilitator, slug, { k: DEMO_FINEST_THEMES }, { wait: true, now: at(1) });
  const versionId = (await latestRun(db(), jamId))?.versionId;
  if (!versionId) throw new Error("The demo synthesis did not finish.");
  await publishVersion(facilitator, slug, { versionId }, { ip: "seed", now: at(1) });
  const themesOf = async (level: "top" | "sub", limit: number) =>
    await db()
      .select({ id: themesTable.id, keywords: themesTable.keywords })
      .from(themesTable)
      .where(
        and(
          eq(themesTable.versionId, versionId),
          eq(themesTable.isOther, false),
          level === "top" ? isNull(themesTable.parentId) : isNotNull(themesTable.parentId),
        ),
      )
      .orderBy(asc(themesTable.position))
      .limit(limit)
      .all();
  const top = [...await themesOf("top", 2), ...await themesOf("sub", 1)];
  const meta = (days: number) => ({ ip: "seed", now: at(days) });
  const day = (days: number) => new Date(at(days)).toISOString().slice(0, 10);
  const about = (t: { keywords: string }) => (JSON.parse(t.keywords) as string[]).slice(0, 2).join(" and ");
  const [first, second, third] = top;
  if (first) {
    const action = await createAction(
      leader,
      { themeId: first.id, title: `Put the top ideas about ${about(first)} in place`, description: "A small team takes the top ideas of this theme forward.", ownerId: leader.id, dueDate: day(14), status: "approved" },
      meta(2),
    );
    await updateAction(leader, action.id, { status: "in_progress", expectedStatus: "approved" }, meta(4));
    await updateAction(
      leader,
      action.id,
      {
        status: "done",
        expectedStatus: "in_progress",
        description: "Outcome: the three most supported ideas were put in place across every team; the next jam checks how it went.",
      },
      meta(12),
    );
  }
  if (second) {
    const action = await createAction(
      leader,
      { themeId: second.id, title: `Pilot the best ideas about ${about(second)}`, ownerId: facilitator.id, dueDate: day(40), status: "approved" },
      meta(3),
    );
    await updateAction(leader, action.id, { status: "in_progress", expectedStatus: "approved" }, meta(6));
  }
  if (third) {
    await createAction(leader, { themeId: third.id, title: `Decide whether to fund work on ${about(third)}`, ownerId: leader.id, dueDate: day(30) }, meta(5));
  }
  const firstTheme = first ? await db().select({ id: themesTable.id, label: themesTable.label }).from(themesTable).where(eq(themesTable.id, first.id)).get() : undefined;
  return firstTheme ?? null;
}

async function fillJam(
  jamId: number,
  topicsByChallenge: readonly { topics: readonly string[] }[],
  from: number,
  to: number,
  ideaCount: number,
  people: Person[],
  rng: Rng,
  prefix: string,
) {
  const challengeIds = (await jamChallenges(jamId)).map((c) => c.id);
  // Idea times spread over the window, in order, so ids follow time.
  const times = Array.from({ length: ideaCount }, () => between(rng, from, to)).sort((a, b) => a - b);
  let commentN = 0;
  for (const [n, createdAt] of times.entries()) {
    const c = Math.floor(rng() * challengeIds.length);
    const topic = pick(rng, topicsByChallenge[c]!.topics);
    const text = makeIdea(topic, rng);
    const author = pick(rng, people);
    const idea = await postIdea(
      author.user,
      { challengeId: challengeIds[c], title: text.title, body: text.body, isAnonymous: rng() < 0.1, clientKey: key(prefix, n) },
      { now: createdAt },
    );
    const span = Math.max(1, to - createdAt);
    const voters = skewed(rng, Math.min(people.length - 1, 28));
    const chosen = new Set<number>();
    while (chosen.size < voters) {
      const p = pick(rng, people);
      if (p.user.id !== author.user.id) chosen.add(p.user.id);
    }
    for (const id of chosen) {
      const voter = people.find((p) => p.user.id === id)!;
      await castVote(voter.user, { ideaId: idea.id }, { now: createdAt + Math.floor(rng() * span) });
    }
    const commentCount = skewed(rng, 5);
    let lastComment = null as { id: number; at: number } | null;
    for (let k = 0; k < commentCount; k++) {
      const commenter = pick(rng, people);
      const at = Math.max(createdAt + Math.floor(rng() * span), (lastComment?.at ?? 0) + 1);
      const isReply = lastComment !== null && rng() < 0.35;
      const comment = await postComment(
        commenter.user,
        {
          ideaId: idea.id,
          parentId: isReply ? lastComment?.id : undefined,
          body: isReply ? makeReply(rng) : makeComment(rng, topic),
          clientKey: key(`${prefix}c`, commentN++),
        },
        { now: at },
      );
      lastComment = { id: comment.id, at };
    }
  }
}

/**
 * The ended jam's first challenge under review: its eight most supported ideas, blind, three
 * reviewers an idea from five people, most of the scores in, three ideas shortlisted and one not
 * selected (with its reason). Nothing is selected, so its actions stay the three above: a first
 * look can select one and watch it become an action.
 */
async function seedReview(jamId: number, slug: string, facilitator: SessionUser, people: Person[], rng: Rng, now: number) {
  const [challenge] = await jamChallenges(jamId);
  if (!challenge) return;
  const reviewers = people.filter((p) => p.user.role === "participant").slice(0, 5).map((p) => p.user);
  const due = new Date(now + 7 * DAY).toISOString().slice(0, 10);
  const meta = { ip: null, now };
  const review = await openReview(
    facilitator,
    {
      challengeId: challenge.id,
      title: "Which ideas to fund first",
      scope: "top",
      topN: 8,
      criteria: DEFAULT_CRITERIA,
      blind: "on",
      dueDate: due,
      assign: "people",
      reviewers: reviewers.map((r) => r.email).join("\n"),
      perIdea: 3,
    },
    meta,
  );
  const page = await reviewPage(facilitator, slug, review.id);
  const criteria = page.criteria;
  for (const row of page.manage!.shortlist) {
    for (const r of row.reviewers) {
      // Most of the scores are in; a few are left for the progress view to show.
      if (rng() < 0.15) continue;
      const reviewer = reviewers.find((x) => x.id === r.id)!;
      const base = 2 + Math.floor(rng() * 3);
      const scores = Object.fromEntries(criteria.map((c) => [String(c.id), Math.min(5, Math.max(1, base + Math.floor(rng() * 3) - 1))]));
      await submitScores(reviewer, review.id, row.idea.id, { scores, comment: rng() < 0.4 ? "Worth trying on one team first." : "" }, meta);
    }
  }
  const ranked = (await reviewPage(facilitator, slug, review.id)).manage!.shortlist;
  for (const row of ranked.slice(0, 3)) await decideIdea(facilitator, review.id, { ideaId: row.idea.id, decision: "shortlisted" }, meta);
  const lastRow = ranked.at(-1);
  if (lastRow && ranked.length > 3) {
    await decideIdea(facilitator, review.id, { ideaId: lastRow.idea.id, decision: "not_selected", reason: "A team already runs something close to this: we will link the two." }, meta);
  }
}

async function seedDemoCommunity(everyone: SessionUser[], facilitator: SessionUser, now: number) {
  const participants = everyone.filter((p) => p.role === "participant");
  const steward = participants[5] ?? participants[0]!;
  const at = (minutesAgo: number) => ({ now: now - minutesAgo * 60_000 });
  const { community } = await proposeCommunity(
    steward,
    {
      title: "Customer support craft",
      purpose: "Support people from every team sharing what keeps answers fast and kind: templates, tools and the hard cases.",
    },
    at(600),
  );
  await decideProposal(facilitator, { communityId: community.id, decision: "approve" }, at(590));
  const members = [everyone.find((p) => p.email === `participant@${DEMO_DOMAIN}`)!, ...participants.slice(6, 11)];
  for (const [i, m] of members.entries()) await joinCommunity(m, { communityId: community.id }, at(580 - i));
  const running = (await db().select().from(communitiesTable).where(eq(communitiesTable.id, community.id)).get())!;
  const ideas = [
    ["A shared library of reply templates", "One place for the replies that work, with who to ask when a template does not fit."],
    ["Pair new agents with a buddy for their first month", "New colleagues learn fastest next to someone who has seen the odd cases."],
  ] as const;
  for (const [i, [title, body]] of ideas.entries()) {
    await postInIdeaBox(members[i + 1] ?? steward, running, { title, body, clientKey: `demo-community-${i}` }, at(300 - i * 60));
  }
  await addResource(steward, { communityId: community.id, title: "Tone of voice guide", url: "https://example.com/tone-of-voice", notes: "" }, at(200));
  // A question asked in the community (answered by a member) and a jelly proposed in it.
  const asked = await transaction(async (tx) =>
    await askQuestion(
      tx,
      members[0]!,
      { title: "How do you answer a customer who writes in anger?", body: "Looking for a first line that calms things down.", communityId: String(community.id), clientKey: "demo-community-question" },
      now - 150 * 60_000,
    ),
  );
  await transaction(async (tx) =>
    await answerQuestion(tx, members[2] ?? steward, asked.id, { body: "Thank them for writing, name the problem in their words, then say what happens next.", parentId: "", clientKey: "demo-community-answer" }, now - 90 * 60_000),
  );
  const day = new Date(now + 4 * 24 * 3_600_000).toISOString().slice(0, 10);
  await proposeJelly(
    steward,
    {
      title: "Hard cases clinic",
      about: "Bring one support case that stumped you; we work through three together.",
      date: day,
      time: "12:00",
      timeZone: "UTC",
      durationMinutes: "60",
      place: "Support corner, 2nd floor",
      capacity: "10",
      communityId: String(community.id),
      clientKey: "demo-community-jelly",
    },
    { now },
  );
}
