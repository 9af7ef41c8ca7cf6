/**
 * "Download your data": what the archive holds, and what of other people it never holds.
 */
import { strFromU8, unzipSync } from "fflate";
import { and, asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { insertSession, sessionIdFromToken } from "~/auth/session.server";
import { postComment } from "~/services/commands/comments.server";
import { dataArchive, type PersonalData } from "~/services/commands/data-export.server";
import { TooManyRequests } from "~/services/errors";
import { follow } from "~/services/commands/follows.server";
import { resetRateLimits, setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { castVote } from "~/services/commands/votes.server";
import { DEFAULT_CRITERIA } from "~/domain/evaluation";
import { openReview, submitScores } from "~/services/commands/reviews.server";
import { db } from "~db/client";
import { auditLog, mailOutbox, reviewCriteria, sessions, signOnIdentities } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

let keys = 0;
const key = () => `export-key-${++keys}`.padEnd(12, "x");

function unzip(body: Uint8Array) {
  const files = unzipSync(body);
  const text = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
  return { names: Object.keys(files).sort(), text, data: JSON.parse(text["data.json"]!) as PersonalData };
}

afterEach(async () => {
  setRateLimitsEnabled(false);
  await resetRateLimits();
});

describe("a person's data archive", () => {
  it("holds their ideas (anonymous ones too), comments, votes, points and sessions, as JSON and one CSV per kind", async () => {
    const pat = await makeUser({ name: "Pat Exporter", email: "pat.exporter@example.test" });
    const other = await makeUser({ name: "Olive Otherperson", email: "olive.private@example.test" });
    const { challengeIds } = await makeJam();
    const mine = await makeIdea(pat, challengeIds[0]!, { title: "Bike racks by the door" });
    await makeIdea(pat, challengeIds[0]!, { title: "My quiet anonymous idea", isAnonymous: true });
    await makeIdea(pat, challengeIds[0]!, { title: "=HYPERLINK(\"http://evil.example\")" });
    const theirsAnonymous = await makeIdea(other, challengeIds[0]!, { title: "Olive's secret anonymous idea", isAnonymous: true });
    await postComment(pat, { ideaId: theirsAnonymous.id, body: "Good thinking, whoever you are.", clientKey: key() });
    await castVote(pat, { ideaId: theirsAnonymous.id });
    await castVote(other, { ideaId: mine.id });
    await follow(other, { targetType: "person", targetId: pat.id });
    const token = await insertSession(db(), pat.id, Date.now());
    await db().insert(signOnIdentities).values({ issuer: "https://login.example.test", subject: "pat-at-the-provider", userId: pat.id, createdAt: Date.now() }).run();
    await db().insert(mailOutbox).values({ messageId: "<pat-test@example.test>", userId: pat.id, toAddress: pat.email, kind: "test", subject: "Test e-mail from Jamboree", textBody: "Hello", nextAttemptAt: Date.now(), dedupeKey: "pat-test", createdAt: Date.now() }).run();
    // Something Pat did that names someone else's address (as an admin's directory changes would).
    await db().insert(auditLog).values({ at: Date.now(), action: "role_changed", actorId: pat.id, subject: "olive.private@example.test", detail: JSON.stringify({ about: "olive.private@example.test", by: pat.email }) }).run();

    const { filename, body } = await dataArchive(pat, { ip: "192.0.2.7" });
    expect(filename).toMatch(/^jamboree-my-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const { names, text, data } = unzip(body);
    expect(names).toEqual(expect.arrayContaining(["README.txt", "data.json", "profile.csv", "ideas.csv", "comments.csv", "votes.csv", "points.csv", "sessions.csv", "audit.csv", "notifications.csv"]));

    expect(data.profile).toMatchObject({ id: pat.id, name: "Pat Exporter", email: "pat.exporter@example.test", followers: 1 });
    expect(data.ideas.map((i) => i.title)).toEqual(["Bike racks by the door", "My quiet anonymous idea", "=HYPERLINK(\"http://evil.example\")"]);
    expect(data.ideas[1]).toMatchObject({ anonymous: true });
    expect(data.comments).toEqual([expect.objectContaining({ body: "Good thinking, whoever you are.", ideaTitle: "Olive's secret anonymous idea" })]);
    expect(data.votes).toEqual([expect.objectContaining({ idea: theirsAnonymous.id })]);
    expect(data.points.length).toBeGreaterThan(0);
    expect(data.sessions).toHaveLength(1);
    expect(data.mail).toEqual([expect.objectContaining({ kind: "test", subject: "Test e-mail from Jamboree", sentTo: pat.email })]);
    expect(data.companyAccounts).toEqual([expect.objectContaining({ provider: "https://login.example.test", yourIdThere: "pat-at-the-provider" })]);

    // Nothing of other people's private data: not who wrote the anonymous idea, not who voted on
    // theirs or follows them, not anyone's e-mail but their own, no session hash, no voter in a points source.
    const everything = Object.values(text).join("\n");
    expect(everything).not.toContain("Olive Otherperson");
    expect(everything).not.toContain("olive.private@example.test");
    expect(everything).not.toContain(String(sessionIdFromToken(token)));
    expect(everything).not.toMatch(/"source"|authorId|author_id|passwordHash|password_hash/i);
    expect(await db().select().from(sessions).where(eq(sessions.userId, pat.id)).all()).toHaveLength(1);

    // CSVs: one row per item, and a title a spreadsheet would run is defused.
    expect(text["ideas.csv"]!.split("\r\n").filter(Boolean)).toHaveLength(4);
    expect(text["ideas.csv"]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text["README.txt"]).toContain("What is left out");

    // Audited, with what it held.
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "data_exported"), eq(auditLog.actorId, pat.id))).all();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ ideas: 3, comments: 1, votes: 1 });
    expect(data.audit.find((a) => a.action === "role_changed")).toMatchObject({ subject: "[another address]", detail: { about: "[another address]", by: pat.email } });
  });

  it("holds the scores they gave as a reviewer, one line per review, criteria in the review's order", async () => {
    const { challengeIds, facilitator } = await makeJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!, { title: "Benches in the yard" });
    const reviewer = await makeUser({ name: "Rhea Reviewer" });
    const review = await openReview(
      facilitator,
      { challengeId: challengeIds[0], title: "First round", scope: "all", criteria: DEFAULT_CRITERIA, blind: "", dueDate: "", assign: "people", reviewers: reviewer.email, perIdea: 1 },
      { ip: null },
    );
    const criteria = await db().select().from(reviewCriteria).where(eq(reviewCriteria.reviewId, review.id)).orderBy(asc(reviewCriteria.position)).all();
    // Scored in another order than the criteria's: the archive still lists them as the review does.
    await submitScores(reviewer, review.id, idea.id, { scores: { [criteria[2]!.id]: 2, [criteria[0]!.id]: 5, [criteria[1]!.id]: 3 }, comment: "Cheap and good." }, { ip: null });

    const { data } = unzip((await dataArchive(reviewer, { ip: null })).body);
    expect(data.reviewsGiven).toEqual([
      expect.objectContaining({ review: "First round", idea: idea.id, ideaTitle: "Benches in the yard", comment: "Cheap and good.", scores: "Value: 5; Cost: 3; Feasibility: 2" }),
    ]);
  });

  it("is limited: a fourth archive within a minute is refused with how long to wait", async () => {
    setRateLimitsEnabled(true);
    const pat = await makeUser();
    const now = Date.now();
    for (let i = 0; i < 3; i++) await dataArchive(pat, { ip: null, now: now + i });
    await expect(async () => await dataArchive(pat, { ip: null, now: now + 10 })).rejects.toThrow(TooManyRequests);
    // Someone else is not held up by it.
    await expect((async () => await dataArchive(await makeUser(), { ip: null, now: now + 10 }))()).resolves.not.toThrow();
  });
});
