/**
 * The demo participant's own learning network, so /network/me shows it from the first look: an
 * answer they accepted, an answer of theirs someone accepted, a colleague's change they took into
 * their idea, and two themes of the ended jam they posted in kept alive as communities (an open
 * one, suggested to them with why, and a members-only one, never suggested). Made through the
 * services, as the rest of the demo.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { acceptAmendment, proposeAmendment } from "~/services/commands/amendments.server";
import { joinCommunity, keepThemeAlive } from "~/services/commands/communities.server";
import { acceptAnswer, answerQuestion, askQuestion } from "~/services/commands/questions.server";
import { db, transaction } from "~db/client";
import { ideas, synthesisVersions, themeIdeas, themes } from "~db/schema";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export async function seedLearningNetwork(everyone: SessionUser[], options: { participantEmail: string; facilitator: SessionUser; endedJamId: number; liveJamId: number; now: number }) {
  const { now, facilitator } = options;
  const me = everyone.find((p) => p.email === options.participantEmail);
  if (!me) return;
  const others = everyone.filter((p) => p.role === "participant" && p.id !== me.id && p.departmentId !== me.departmentId);
  const [helper, asker, editor, member1, member2] = [others[2], others[4], others[8], others[10], others[12]];
  if (!helper || !asker || !editor || !member1 || !member2) return;

  // An answer Sam accepted, and one of Sam's answers a colleague accepted.
  const asked = async (who: SessionUser, title: string, body: string, key: string, at: number) =>
    (await transaction(async (tx) => await askQuestion(tx, who, { title, body, clientKey: key }, at))).id;
  const mine = await asked(me, "Who has run a lunch-and-learn series that lasted?", "Ours fizzled out after three sessions.", "demo-network-q1", now - 3 * DAY);
  const helpful = await transaction(async (tx) =>
    await answerQuestion(tx, helper, mine, { body: "Keep them to 30 minutes, a different team hosts each month, and record them for the people who cannot come.", clientKey: "demo-network-a1" }, now - 3 * DAY + 4 * HOUR),
  );
  await transaction(async (tx) => await acceptAnswer(tx, me, mine, helpful.id, now - 2 * DAY));
  const theirs = await asked(asker, "How do you hand over a customer account without losing context?", "", "demo-network-q2", now - 4 * DAY);
  const samAnswer = await transaction(async (tx) =>
    await answerQuestion(tx, me, theirs, { body: "A one-page account history and one joint call with the customer before the switch.", clientKey: "demo-network-a2" }, now - 4 * DAY + 2 * HOUR),
  );
  await transaction(async (tx) => await acceptAnswer(tx, asker, theirs, samAnswer.id, now - 3 * DAY));

  // A colleague's change Sam took into one of their named ideas in the live jam.
  const idea = await db()
    .select()
    .from(ideas)
    .where(and(eq(ideas.jamId, options.liveJamId), eq(ideas.authorId, me.id), eq(ideas.isAnonymous, false), isNull(ideas.hiddenAt), eq(ideas.version, 1)))
    .orderBy(asc(ideas.id))
    .limit(1)
    .get();
  if (idea) {
    const { amendmentId } = await proposeAmendment(
      editor,
      { ideaId: idea.id, title: idea.title, body: `${idea.body} Ask two teams to try it for a month first and share what they find.`, note: "A trial makes it easier to agree to.", baseVersion: idea.version, clientKey: `demo-network-amend-${idea.id}` },
      { now: now - 4 * HOUR },
    );
    await acceptAmendment(me, { amendmentId, baseVersion: idea.version }, { now: now - 3 * HOUR });
  }

  // Themes of the ended jam's published synthesis that Sam posted in: one kept alive as an open
  // community (suggested to Sam), one as a members-only community (never suggested to Sam).
  const version = await db()
    .select({ id: synthesisVersions.id })
    .from(synthesisVersions)
    .where(and(eq(synthesisVersions.jamId, options.endedJamId), isNotNull(synthesisVersions.publishedAt)))
    .orderBy(desc(synthesisVersions.publishedAt))
    .limit(1)
    .get();
  if (!version) return;
  const samIdeas = (await db()
    .select({ id: ideas.id })
    .from(ideas)
    .where(and(eq(ideas.jamId, options.endedJamId), eq(ideas.authorId, me.id), eq(ideas.isAnonymous, false), isNull(ideas.hiddenAt)))
    .all())
    .map((r) => r.id);
  if (samIdeas.length === 0) return;
  const placed = await db()
    .select({ themeId: themes.id, parentId: themes.parentId })
    .from(themeIdeas)
    .innerJoin(themes, eq(themes.id, themeIdeas.themeId))
    .where(and(eq(themeIdeas.versionId, version.id), inArray(themeIdeas.ideaId, samIdeas), eq(themeIdeas.excluded, false), eq(themes.isOther, false)))
    .all();
  const topLevel = [...new Set(placed.map((p) => p.parentId ?? p.themeId))];
  const [openTheme, closedTheme] = topLevel;
  if (openTheme !== undefined) {
    const { community } = await keepThemeAlive(facilitator, { themeId: openTheme }, { now: now - 6 * DAY });
    for (const m of [member1, member2]) await joinCommunity(m, { communityId: community.id }, { now: now - 5 * DAY });
  }
  if (closedTheme !== undefined) await keepThemeAlive(facilitator, { themeId: closedTheme, privacy: "members" }, { now: now - 6 * DAY });
}
