import { eq, sql } from "drizzle-orm";
import { addTemplateField } from "~/services/commands/templates.server";
import { ideaTemplatePanel } from "~/services/lookups/templates.server";
import { templateEditorPage } from "~/services/pages/template-editor.server";
import type { Statement } from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { SESSION_IDLE_MS, validateSessionToken, type SessionUser } from "~/auth/session.server";
import { SORTS } from "~/domain/idea-sort";
import { myActivity } from "~/services/pages/activity.server";
import { commandCentre } from "~/services/pages/command-centre.server";
import { ideaPageModeration } from "~/services/lookups/moderation.server";
import { signIn, signUp } from "~/services/commands/accounts.server";
import { listDepartments } from "~/services/lookups/departments.server";
import { listPeople } from "~/services/pages/people-admin.server";
import { postComment } from "~/services/commands/comments.server";
import { postIdea } from "~/services/commands/ideas.server";
import { ideaDetail } from "~/services/pages/idea.server";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { jamChallenges } from "~/services/lookups/jams.server";
import { jamForEdit, jamHome, listJams } from "~/services/pages/jams.server";
import { jamLaunch, jamPreview } from "~/services/pages/launch.server";
import { castVote } from "~/services/commands/votes.server";
import { emailCheckStatus } from "~/services/pages/me.server";
import { checkLinkState } from "~/services/pages/email-check.server";
import { mailMessage, mailOutboxPage } from "~/services/pages/mail-admin.server";
import { mailSettings, unsubscribePreview } from "~/services/pages/mail-preferences.server";
import { requestPasswordReset } from "~/services/commands/password-reset.server";
import { resetLinkState } from "~/services/pages/password-reset.server";
import { unsubscribeToken } from "~/mail/unsubscribe.server";
import { mailOutbox } from "~db/schema";
import { db, openConnections } from "~db/client";
import { ideas } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";
import { mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;

/** Rows changed through every connection of the process (a write runs on the writer, a read on the reader). */
function totalChanges(): number {
  return openConnections().reduce((sum, conn) => sum + (conn.$client.prepare("select total_changes() as n").get() as { n: number }).n, 0);
}

/** Every row of every real table (virtual tables are read through their shadow tables). */
async function snapshot(): Promise<Record<string, string>> {
  const tables = await db().$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
    .all() as { name: string }[];
  return Object.fromEntries(
    await mapInOrder(tables, async ({ name }) => [name, JSON.stringify(await db().$client.prepare(`SELECT * FROM "${name}"`).raw().all())]),
  );
}

/** Runs `read` while recording every SQL statement it prepares. */
async function recordingStatements<T>(read: () => T): Promise<{ result: T; statements: Statement[] }> {
  const clients = openConnections().map((conn) => conn.$client);
  const originals = clients.map((client) => client.prepare);
  const statements: Statement[] = [];
  clients.forEach((client, i) => {
    client.prepare = function (this: typeof client, source: string) {
      const stmt = originals[i]!.call(this, source);
      statements.push(stmt);
      return stmt;
    } as typeof client.prepare;
  });
  try {
    return { result: await read(), statements };
  } finally {
    clients.forEach((client, i) => (client.prepare = originals[i]!));
  }
}

describe("GET requests change no row", () => {
  let participant: SessionUser;
  let facilitator: SessionUser;
  let admin: SessionUser;
  let author: SessionUser;
  let slugs: string[];
  let draftSlug: string;
  let challengeIds: number[];
  let ideaIds: number[];
  let freshToken: string;
  let templateFilters: Record<string, string>[];
  let mailLinks: { reset: string | null; check: string | null; outboxIds: number[] };

  beforeAll(async () => {
    const dept = await makeDepartment();
    participant = await makeUser({ departmentId: dept.id });
    admin = await makeUser({ role: "admin" });
    author = await makeUser();
    const live = await makeJam({ challenges: 2 });
    facilitator = live.facilitator;
    const now = Date.now();
    const ended = await makeJam({ facilitator, startsAt: now - 48 * HOUR, endsAt: now - 24 * HOUR });
    const upcoming = await makeJam({ facilitator, startsAt: now + 24 * HOUR, endsAt: now + 48 * HOUR });
    const draft = await makeJam({ facilitator, isDraft: true });
    slugs = [live.jam.slug, ended.jam.slug, upcoming.jam.slug];
    challengeIds = [...live.challengeIds, ...ended.challengeIds];

    const a = await makeIdea(author, live.challengeIds[0]!, { title: "Open roadmap", body: "Publish the roadmap every quarter." });
    const b = await makeIdea(author, live.challengeIds[0]!, { isAnonymous: true, title: "Honest retros" });
    const c = await makeIdea(participant, live.challengeIds[1]!, { title: "Shared lunch tables" });
    const d = await makeIdea(author, ended.challengeIds[0]!, { now: now - 30 * HOUR });
    const hidden = await makeIdea(author, live.challengeIds[0]!, { title: "Hidden one" });
    await db().update(ideas).set({ hiddenAt: now }).where(eq(ideas.id, hidden.id)).run();
    ideaIds = [a.id, b.id, c.id, d.id];
    await castVote(participant, { ideaId: a.id });
    await castVote(participant, { ideaId: b.id });
    await castVote(author, { ideaId: c.id });
    await castVote(admin, { ideaId: a.id });
    await postComment(participant, { ideaId: a.id, body: "Yes please.", clientKey: "read-test-comment-1" });
    await postComment(author, { ideaId: a.id, body: "Thanks!", clientKey: "read-test-comment-2" });
    draftSlug = draft.jam.slug;
    // An idea template with an answered idea, for the template's reads (editor, idea page, filters).
    const cost = (await addTemplateField(facilitator, { challengeId: live.challengeIds[0], label: "Cost", kind: "number" })).fieldId;
    await postIdea(author, { challengeId: live.challengeIds[0], title: "Answered", clientKey: "read-test-answered", [`field_${cost}`]: "12" });
    templateFilters = [{ [`f${cost}_min`]: "10" }, { [`f${cost}_min`]: "10", [`f${cost}_max`]: "x" }];

    const email = `reader-${Date.now()}@example.test`;
    await signUp({ name: "Reader", email, password: "quiet-lantern-91", departmentId: dept.id }, { ip: null });
    freshToken = (await signIn({ email, password: "quiet-lantern-91" }, { ip: null })).token;
    // Mail: the sign-up queued an address check; a reset link too.
    await requestPasswordReset({ email }, { ip: null });
    const queued = await db().select().from(mailOutbox).all();
    const linkIn = (path: string) => queued.map((m) => new RegExp(`${path}\\?t=([A-Za-z0-9_-]+)`).exec(m.textBody)?.[1]).find(Boolean) ?? null;
    mailLinks = { reset: linkIn("/reset-password"), check: linkIn("/email/check"), outboxIds: queued.map((m) => m.id) };
    if (!mailLinks.reset || !mailLinks.check) throw new Error("the reset and check mails were not queued");
  });

  /** Every read a page loader makes, for several kinds of viewer. */
  async function everyRead() {
    const viewers = [participant, facilitator, admin, author];
    const out: unknown[] = [];
    for (const viewer of viewers) {
      out.push(await listJams(viewer));
      for (const slug of slugs) {
        out.push(await jamHome(viewer, slug));
        out.push(await jamChallenges((await jamHome(viewer, slug)).jam.id));
      }
      for (const challengeId of challengeIds) {
        for (const sort of SORTS) {
          const first = await listChallengeIdeas(viewer, { challengeId, sort });
          out.push(first);
          out.push(await listChallengeIdeas(viewer, { challengeId, sort, cursor: "999999" }));
          out.push(await listChallengeIdeas(viewer, { challengeId, sort, cursor: "1.999999" }));
          out.push(await listChallengeIdeas(viewer, { challengeId, sort, q: "roadmap" }));
          out.push(await listChallengeIdeas(viewer, { challengeId, sort, q: 'quarter OR "x' }));
          for (const filters of templateFilters) out.push(await listChallengeIdeas(viewer, { challengeId, sort, filters }));
        }
      }
      for (const ideaId of ideaIds) out.push(await ideaDetail(viewer, ideaId));
      for (const ideaId of ideaIds) out.push(await ideaTemplatePanel(viewer, ideaId));
      out.push(await myActivity(viewer));
      out.push(await listDepartments());
    }
    out.push(await listPeople(admin, {}));
    out.push(await listPeople(admin, { q: "Reader" }));
    out.push(await listPeople(admin, { after: 1 }));
    for (const slug of [...slugs, draftSlug]) out.push(await jamForEdit(facilitator, slug));
    // The launch checklist and the preview (reads only: the preview has no action at all).
    for (const slug of [...slugs, draftSlug]) {
      out.push(await jamLaunch(facilitator, slug));
      out.push(await jamPreview(facilitator, slug, null));
    }
    // Moderation and the command centre (reads only).
    for (const slug of slugs) out.push(await commandCentre(facilitator, slug));
    for (const ideaId of ideaIds) {
      const detail = await ideaDetail(facilitator, ideaId);
      out.push(await ideaPageModeration(facilitator, { id: ideaId, challengeId: detail.challenge.id, jamId: detail.jam.id }, detail.comments.map((c) => c.id)));
      out.push(await ideaPageModeration(participant, { id: ideaId, challengeId: detail.challenge.id, jamId: detail.jam.id }, detail.comments.map((c) => c.id)));
    }
    out.push(await jamHome(facilitator, draftSlug));
    for (const challengeId of challengeIds) out.push(await templateEditorPage(facilitator, { challengeId, jamSlug: (await jamHome(facilitator, slugs[challengeIds.indexOf(challengeId) < 2 ? 0 : 1]!)).jam.slug }));
    out.push(await validateSessionToken(freshToken));
    // Mail pages: settings, the unsubscribe page, reset and check links, the admin's outbox.
    for (const viewer of viewers) {
      out.push(await mailSettings(viewer));
      out.push(await emailCheckStatus(viewer));
      out.push(await unsubscribePreview(await unsubscribeToken(db(), viewer.id, "pulse")));
    }
    out.push(await resetLinkState(mailLinks.reset), await resetLinkState("x"), await checkLinkState(mailLinks.check), await checkLinkState(null));
    out.push(await mailOutboxPage(admin, {}), await mailOutboxPage(admin, { status: "failed" }), await mailOutboxPage(admin, { before: 2 }));
    for (const id of mailLinks.outboxIds) out.push(await mailMessage(admin, id));
    return out;
  }

  it("every loader-side read leaves total_changes() and every table exactly as they were", async () => {
    const before = await snapshot();
    const changesBefore = totalChanges();
    const results = await everyRead();
    expect(results.length).toBeGreaterThan(100);
    expect(totalChanges()).toBe(changesBefore);
    expect(await snapshot()).toEqual(before);
  });

  it("every statement a read prepares is read-only", async () => {
    const { statements } = await recordingStatements(everyRead);
    expect(statements.length).toBeGreaterThan(100);
    const writers = statements.filter((s) => !s.readonly).map((s) => s.source);
    expect(writers).toEqual([]);
  });

  it("validating a fresh session writes nothing", async () => {
    const changesBefore = totalChanges();
    for (let i = 0; i < 5; i += 1) expect(await validateSessionToken(freshToken)).not.toBeNull();
    expect(totalChanges()).toBe(changesBefore);
  });

  it("validating a session with less than half its idle window left writes its new expiry (the one documented exception)", async () => {
    const changesBefore = totalChanges();
    const later = Date.now() + SESSION_IDLE_MS / 2 + HOUR;
    expect(await validateSessionToken(freshToken, later)).not.toBeNull();
    // This is what the checks above would catch if a read wrote anything.
    expect(totalChanges()).toBe(changesBefore + 1);
    const changesAfter = totalChanges();
    expect(await validateSessionToken(freshToken, later + 1)).not.toBeNull();
    expect(totalChanges()).toBe(changesAfter);
  });

  it("a write is seen by these checks (the measurement works)", async () => {
    const before = await snapshot();
    const changesBefore = totalChanges();
    await db().run(sql`UPDATE ideas SET comment_count = comment_count WHERE id = ${ideaIds[0]!}`);
    expect(totalChanges()).toBe(changesBefore + 1);
    expect(await snapshot()).toEqual(before);
    const { statements } = await recordingStatements(async () => await castVote(facilitator, { ideaId: ideaIds[0]! }));
    expect(statements.some((s) => !s.readonly)).toBe(true);
  });
});
