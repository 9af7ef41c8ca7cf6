import { serverDatabase, uniqueTitle } from "./fixtures";

/**
 * A live jam of its own, made with the services on the server's database: one challenge voted
 * the given way, with `count` ideas by the vote-mode author (oldest first).
 */
export async function liveJamOfItsOwn(voteMode: "support" | "stance" | "dots", count: number) {
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { postIdea } = await import("~/services/commands/ideas.server");
  const now = Date.now();
  const title = uniqueTitle("Rough edges");
  const jam = await createJam(
    await person("facilitator"),
    {
      title,
      slug: title.toLowerCase().replace(/\s+/g, "-"),
      isDraft: false,
      startsAt: now - 2 * 3_600_000,
      endsAt: now + 48 * 3_600_000,
      challenges: [{ title: "Small fixes", question: "What small thing would help most?", voteMode, dotBudget: 10, dotMaxPerIdea: 3 }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  const author = await person("voteModeAuthor");
  const titles: string[] = [];
  for (let i = 0; i < count; i++) {
    const ideaTitle = uniqueTitle(`Small fix ${i + 1}`);
    await postIdea(
      author,
      { challengeId: challenge!.id, title: ideaTitle, body: `Why: ${ideaTitle}. It would save everyone a few minutes a day.`, clientKey: `edges-${ideaTitle.replace(/\W+/g, "-")}` },
      { now: now - (count - i) * 60_000 },
    );
    titles.push(ideaTitle);
  }
  return { slug: jam.slug, challengeUrl: `/jams/${jam.slug}/challenges/${challenge!.id}`, titles };
}
