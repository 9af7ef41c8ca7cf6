/**
 * The weekly digest e-mail of a community: what it says (and never says), who gets it (members who
 * did not turn it off), once per member and week across processes, nothing for an empty week, and
 * the message as a real SMTP server on localhost receives it.
 */
import { and, eq, like } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { closeMailTransport, sendDue } from "~/mail/sender.server";
import { addResource, decideProposal, postInIdeaBox, proposeCommunity } from "~/services/commands/communities.server";
import { digestKey, sendCommunityDigests, weekEndOf, WEEK_MS } from "~/services/jobs/community-digest.server";
import { saveMailSettings } from "~/services/commands/mail-preferences.server";
import { askQuestionCommand, answerCommand } from "~/services/commands/questions.server";
import { db, transaction } from "~db/client";
import { communities, communityDigests, communityMembers, mailOutbox, type Community } from "~db/schema";
import { makeUser } from "../factories";
import { raceWorkers } from "./helpers/processes";

const HOUR = 3_600_000;
let keys = 0;
const key = () => `dg-key-${++keys}`.padEnd(12, "x");
const word = () => `zd${Math.random().toString(36).slice(2, 9).replace(/[0-9]/g, "k")}`;

// A Monday 00:00 UTC in the past: the week before it is the one told about.
const WEEK_END = weekEndOf(Date.now()) - 2 * WEEK_MS;
const IN_WEEK = WEEK_END - 3 * 24 * HOUR;
const SEND_AT = WEEK_END + HOUR;

async function community(privacy: "open" | "members", at: number) {
  const steward = await makeUser({ name: `Steward ${word()}` });
  const { community: proposed } = await proposeCommunity(steward, { title: `Guild ${word()}`, purpose: "People who keep learning together." }, { now: at });
  await transaction(async (tx) => await tx.update(communities).set({ privacy }).where(eq(communities.id, proposed.id)).run());
  await decideProposal(await makeUser({ role: "admin" }), { communityId: proposed.id, decision: "approve" }, { now: at });
  return { steward, community: await fresh(proposed) };
}
const fresh = async (c: Pick<Community, "id">) => (await db().select().from(communities).where(eq(communities.id, c.id)).get())!;

async function addMember(c: Community, person: SessionUser, at: number) {
  await db().insert(communityMembers).values({ communityId: c.id, userId: person.id, state: "member", createdAt: at, joinedAt: at, updatedAt: at }).run();
}

const digestsOf = async (c: Community) => await db().select().from(mailOutbox).where(and(eq(mailOutbox.kind, "community_digest"), like(mailOutbox.dedupeKey, `community-digest:${c.id}:%`))).all();

/** A community with a week of news: a named and an anonymous idea, a question asked and answered, a resource, a new member. */
async function busyWeek() {
  const before = WEEK_END - 3 * WEEK_MS;
  const { steward, community: c } = await community("members", before);
  const named = await makeUser({ name: `Named ${word()}` });
  const secret = await makeUser({ name: `Secret ${word()}` });
  const quiet = await makeUser({ name: `Quiet ${word()}` });
  for (const p of [named, secret, quiet]) await addMember(c, p, before);
  const newcomer = await makeUser({ name: `Newcomer ${word()}` });
  await addMember(c, newcomer, IN_WEEK);
  const namedTitle = `Named idea ${word()}`;
  const secretTitle = `Anonymous idea ${word()}`;
  await postInIdeaBox(named, await fresh(c), { title: namedTitle, body: "Said openly.", clientKey: key() }, { now: IN_WEEK });
  await postInIdeaBox(secret, await fresh(c), { title: secretTitle, body: "Said quietly.", isAnonymous: "on", clientKey: key() }, { now: IN_WEEK });
  const questionTitle = `How do we ${word()} together?`;
  const q = await askQuestionCommand(named, { title: questionTitle, body: "", communityId: String(c.id), clientKey: key() }, IN_WEEK);
  await answerCommand(quiet, q.id, { body: "Like this.", parentId: "", clientKey: key() }, IN_WEEK + HOUR);
  const resource = `Reading list ${word()}`;
  await addResource(steward, { communityId: c.id, title: resource, url: "https://example.test/list", notes: "" }, { now: IN_WEEK });
  return { steward, c, named, secret, quiet, newcomer, namedTitle, secretTitle, questionTitle, resource };
}

describe("the community digest e-mail", () => {
  it("tells members what happened in the week, never an anonymous author's name, and not to members who turned it off", async () => {
    const w = await busyWeek();
    await saveMailSettings(w.quiet, { mail_community_digest: "never" });
    const written = (await sendCommunityDigests(SEND_AT, "process-test")).find((r) => r.communityId === w.c.id)!;
    expect(written.queued).toBe(4); // the steward, named, secret and the newcomer: quiet said no
    const mails = await digestsOf(w.c);
    expect(mails.map((m) => m.userId).sort((a, b) => a - b)).toEqual([w.steward.id, w.named.id, w.secret.id, w.newcomer.id].sort((a, b) => a - b));
    const text = mails.find((m) => m.userId === w.named.id)!.textBody;
    expect(text).toContain(w.namedTitle);
    expect(text).toContain(`by ${w.named.name}`);
    expect(text).toContain(w.secretTitle);
    expect(text).toContain(w.questionTitle);
    expect(text).toContain(w.resource);
    expect(text).toContain(w.newcomer.name);
    expect(text).toContain("Questions answered");
    // Nobody's message names the anonymous idea's author (their own greets them, and credits nobody).
    for (const m of mails) {
      const idea = m.textBody.split("\n").find((l) => l.includes(w.secretTitle))!;
      expect(idea).not.toContain("by ");
      if (m.userId === w.secret.id) continue;
      expect(m.textBody).not.toContain(w.secret.name.replace(/^Secret /, ""));
      expect(m.htmlBody ?? "").not.toContain(w.secret.name.replace(/^Secret /, ""));
    }
    expect(mails.every((m) => m.dedupeKey === digestKey(w.c.id, WEEK_END))).toBe(true);
    // A second round the same week writes nothing more.
    expect((await sendCommunityDigests(SEND_AT + HOUR, "process-test")).find((r) => r.communityId === w.c.id)).toBeUndefined();
    expect(await digestsOf(w.c)).toHaveLength(4);
  });

  it("sends nothing for an empty week, and nothing from another community to people who are not its members", async () => {
    const before = WEEK_END - 3 * WEEK_MS;
    const { community: c } = await community("open", before);
    const member = await makeUser();
    await addMember(c, member, before);
    await postInIdeaBox(member, await fresh(c), { title: `Old news ${word()}`, body: "Weeks ago.", clientKey: key() }, { now: before + HOUR });
    const written = (await sendCommunityDigests(SEND_AT, "process-test")).find((r) => r.communityId === c.id)!;
    expect(written.queued).toBe(0);
    expect(await digestsOf(c)).toHaveLength(0);
    expect((await db().select().from(communityDigests).where(eq(communityDigests.communityId, c.id)).get())!.finishedAt).toBe(SEND_AT);
  });

  it("is written once per member and week when two processes claim it at the same moment", async () => {
    const w = await busyWeek();
    const results = await raceWorkers<{ communityId: number; queued: number }[]>(
      "tests/integration/helpers/community-digest-worker.ts",
      ["a", "b"].map((holder) => ({ holder: `process-${holder}`, now: SEND_AT + 2 * HOUR })),
    );
    const mine = results.map((r) => r.filter((x) => x.communityId === w.c.id));
    expect(mine.flat()).toHaveLength(1); // one process wrote it, the other found it claimed
    expect(mine.flat()[0]!.queued).toBe(5);
    const mails = await digestsOf(w.c);
    expect(mails).toHaveLength(5);
    expect(new Set(mails.map((m) => m.userId)).size).toBe(5);
  });
});

describe("the digest as delivered", () => {
  const received: ParsedMail[] = [];
  let server: SMTPServer;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            received.push(parsed);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}?ignoreTLS=true`;
    process.env.MAIL_FROM = "Jamboree Tests <jams@mail.example.test>";
  });
  afterAll(async () => {
    closeMailTransport();
    delete process.env.SMTP_URL;
    delete process.env.MAIL_FROM;
    await new Promise<void>((resolve) => server.close(resolve));
  });

  it("arrives through SMTP with the week's news, links to the community, and a one-click unsubscribe", async () => {
    // Earlier tests' messages were kept locally; only this one goes out.
    await db().update(mailOutbox).set({ status: "cancelled" }).where(eq(mailOutbox.status, "queued")).run();
    const w = await busyWeek();
    await sendCommunityDigests(SEND_AT + 3 * HOUR, "process-smtp");
    await sendDue("process-smtp", () => SEND_AT + 3 * HOUR);
    const mine = received.find((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.text.includes(w.named.email))!;
    expect(mine).toBeDefined();
    expect(mine.subject).toContain(`This week in ${w.c.title}`);
    expect(mine.text).toContain(w.namedTitle);
    expect(mine.text).toContain(w.questionTitle);
    expect(mine.text).toContain(`/communities/${w.c.slug}`);
    expect(mine.html || "").toContain(w.namedTitle);
    expect(mine.headerLines.find((h) => h.key === "list-unsubscribe")?.line).toContain("/unsubscribe");
    expect(mine.text).not.toContain(w.secret.name.replace(/^Secret /, ""));
  });
});
