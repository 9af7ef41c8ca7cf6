/**
 * Factories for tests: real rows made through the services (or, for people,
 * with one pre-computed password hash so tests stay fast).
 */
import type { SessionUser } from "~/auth/session.server";
import type { Role } from "~/domain/permissions";
import type { VoteMode } from "~/domain/vote-modes";
import { createJam } from "~/services/commands/jams.server";
import { jamChallenges } from "~/services/lookups/jams.server";
import { postIdea } from "~/services/commands/ideas.server";
import { db } from "~db/client";
import { departments, users } from "~db/schema";
import { hashSync } from "@node-rs/argon2";

export const TEST_PASSWORD = "correct-horse-battery";
let passwordHash: string | undefined;
let counter = 0;

function unique() {
  counter += 1;
  return `${Date.now().toString(36)}${counter}`;
}

export async function makeDepartment(name = `Team ${unique()}`) {
  return await db().insert(departments).values({ name }).returning().get();
}

/**
 * A person with a password account. Their address counts as checked (they get jam mail) unless
 * `emailVerified: false`.
 */
export async function makeUser(
  overrides: { role?: Role; name?: string; email?: string; departmentId?: number; emailVerified?: boolean } = {},
): Promise<SessionUser> {
  passwordHash ??= hashSync(TEST_PASSWORD);
  const id = unique();
  const departmentId = overrides.departmentId ?? (await makeDepartment()).id;
  return await db()
    .insert(users)
    .values({
      name: overrides.name ?? `Person ${id}`,
      email: overrides.email ?? `person-${id}@example.test`,
      passwordHash,
      role: overrides.role ?? "participant",
      departmentId,
      emailVerifiedAt: overrides.emailVerified === false ? null : Date.now(),
      createdAt: Date.now(),
    })
    .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
    .get();
}

const HOUR = 3_600_000;

export async function makeJam(
  options: {
    facilitator?: SessionUser;
    startsAt?: number;
    endsAt?: number;
    challenges?: number;
    isDraft?: boolean;
    title?: string;
    /** How people vote on every challenge of the jam (support when left out), with dot settings for dots. */
    voteMode?: VoteMode;
    dotBudget?: number;
    dotMaxPerIdea?: number;
  } = {},
) {
  const facilitator = options.facilitator ?? await makeUser({ role: "facilitator" });
  const now = Date.now();
  const title = options.title ?? `Jam ${unique()}`;
  const jam = await createJam(
    facilitator,
    {
      title,
      slug: `jam-${unique()}`,
      description: "A jam for tests.",
      startsAt: options.startsAt ?? now - HOUR,
      endsAt: options.endsAt ?? now + 24 * HOUR,
      isDraft: options.isDraft ?? false,
      challenges: Array.from({ length: options.challenges ?? 1 }, (_, i) => ({
        title: `Challenge ${i + 1}`,
        question: `What would you change, part ${i + 1}?`,
        voteMode: options.voteMode,
        dotBudget: options.dotBudget,
        dotMaxPerIdea: options.dotMaxPerIdea,
      })),
    },
    { ip: null },
  );
  const challengeIds = (await jamChallenges(jam.id)).map((c) => c.id);
  return { jam, challengeIds, facilitator };
}

export async function makeIdea(
  author: SessionUser,
  challengeId: number,
  overrides: { title?: string; body?: string; isAnonymous?: boolean; now?: number } = {},
) {
  const key = unique();
  return await postIdea(
    author,
    {
      challengeId,
      title: overrides.title ?? `Idea ${key}`,
      body: overrides.body ?? "Let us try this for a month and measure it.",
      isAnonymous: overrides.isAnonymous ?? false,
      clientKey: `k-${key}`.padEnd(8, "x"),
    },
    { now: overrides.now },
  );
}
