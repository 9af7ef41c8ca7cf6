import { fileURLToPath } from "node:url";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { raceWorkers } from "./helpers/processes";
import { UNPUBLISHED_THEME_LABEL } from "~/domain/actions";
import { csvCell, mdText } from "~/domain/export-format";
import {
  createAction,
  updateAction,
} from "~/services/commands/actions.server";
import { actionsForIdea, ideaActionsPanel } from "~/services/lookups/actions.server";
import {
  actionDetail, actionsPage, listActions,
  newActionForm
} from "~/services/pages/actions.server";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { IDEAS_CSV_HEADER, ideasCsv, parseOpinions, reportVersion, synthesisMarkdownExport, synthesisReport } from "~/services/pages/exports.server";
import { markRead } from "~/services/commands/notifications.server";
import { listNotifications, unreadCount } from "~/services/pages/notifications.server";
import { db } from "~db/client";
import { actionIdeas, auditLog, followUpActions, ideas, jams, notifications, pointEntries, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { writesMark } from "../support/writes";
import { mapInOrder } from "~/domain/in-order";

const WORKER = fileURLToPath(new URL("./helpers/actions-worker.ts", import.meta.url));
const meta = { ip: "203.0.113.9" };

let versionCounter = 0;

/** A synthesis version with themes, written directly (the engine is not needed here). */
async function makeSynthesis(
  jamId: number,
  createdBy: number,
  themeSpecs: { label: string; ideaIds: number[]; excluded?: number[]; keywords?: string[]; isOther?: boolean }[],
  options: { published?: boolean; opinions?: string | null } = {},
) {
  versionCounter += 1;
  const conn = db();
  const number = ((await conn.get<{ n: number }>(sql`SELECT coalesce(max(number), 0) AS n FROM synthesis_versions WHERE jam_id = ${jamId}`))?.n ?? 0) + 1;
  const version = await conn
    .insert(synthesisVersions)
    .values({
      jamId,
      number,
      kind: "curated",
      opinions: options.opinions ?? null,
      createdBy,
      createdAt: Date.now() + versionCounter,
      publishedAt: options.published ? Date.now() : null,
    })
    .returning()
    .get();
  const themeRows = await mapInOrder(themeSpecs, async (spec, position) => {
    const theme = await conn
      .insert(themes)
      .values({
        versionId: version.id,
        label: spec.label,
        keywords: JSON.stringify(spec.keywords ?? spec.label.toLowerCase().split(" ")),
        representatives: JSON.stringify(spec.ideaIds),
        isOther: spec.isOther ?? false,
        position,
      })
      .returning()
      .get();
    for (const ideaId of [...spec.ideaIds, ...(spec.excluded ?? [])]) {
      await conn
        .insert(themeIdeas)
        .values({ versionId: version.id, ideaId, themeId: theme.id, excluded: (spec.excluded ?? []).includes(ideaId) })
        .run();
    }
    return theme;
  });
  return { version, themes: themeRows };
}

/** A live jam with ideas by three authors (one anonymous) and a published synthesis of two themes. */
async function scenario(options: { published?: boolean } = {}) {
  const { jam, challengeIds, facilitator } = await makeJam();
  const challengeId = challengeIds[0]!;
  const leader = await makeUser({ role: "leader" });
  const alice = await makeUser({ name: `Alice ${Math.random().toString(36).slice(2, 7)}` });
  const bob = await makeUser({ name: `Bob ${Math.random().toString(36).slice(2, 7)}` });
  const secret = await makeUser({ name: `Zorya Secretauthor${Math.random().toString(36).slice(2, 7)}` });
  const a1 = (await makeIdea(alice, challengeId, { title: "Quiet mornings for deep work" })).id;
  const a2 = (await makeIdea(alice, challengeId, { title: "No meetings on Fridays" })).id;
  const b1 = (await makeIdea(bob, challengeId, { title: "Shared focus calendar" })).id;
  const s1 = (await makeIdea(secret, challengeId, { title: "Anonymous focus hours", isAnonymous: true })).id;
  const excluded = (await makeIdea(bob, challengeId, { title: "Free snacks" })).id;
  const other = (await makeIdea(bob, challengeId, { title: "Better coffee" })).id;
  const synthesis = await makeSynthesis(
    jam.id,
    facilitator.id,
    [
      { label: "Focus time", ideaIds: [a1, a2, b1, s1], excluded: [excluded], keywords: ["focus", "meetings"] },
      { label: "Office perks", ideaIds: [other] },
    ],
    { published: options.published ?? true },
  );
  return { jam, challengeId, facilitator, leader, alice, bob, secret, ideas: { a1, a2, b1, s1, excluded, other }, synthesis, focus: synthesis.themes[0]!, perks: synthesis.themes[1]! };
}

async function notificationsOf(userId: number) {
  return await db().select().from(notifications).where(eq(notifications.userId, userId)).all();
}

async function linkedIdeaIds(actionId: number) {
  return (await db()
    .select({ id: actionIdeas.ideaId })
    .from(actionIdeas)
    .where(eq(actionIdeas.actionId, actionId))
    .all())
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

/** A minimal RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i += 1) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && src[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 1;
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe("creating actions", () => {
  it("an action from a theme links every idea of the theme that is not excluded, and tells each author once", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.focus.id, title: "Pilot focus mornings", ownerId: s.facilitator.id, dueDate: "2030-03-31" }, meta);
    expect(action.status).toBe("proposed");
    expect(action.themeId).toBe(s.focus.id);
    expect(action.dueDate).toBe(Date.UTC(2030, 2, 31));
    expect(await linkedIdeaIds(action.id)).toEqual([s.ideas.a1, s.ideas.a2, s.ideas.b1, s.ideas.s1].sort((a, b) => a - b));
    // Alice has two linked ideas but hears once; the anonymous author hears privately too.
    expect(await notificationsOf(s.alice.id)).toHaveLength(1);
    expect((await notificationsOf(s.alice.id))[0]!.body).toContain("and 1 more");
    expect(await notificationsOf(s.bob.id)).toHaveLength(1);
    expect(await notificationsOf(s.secret.id)).toHaveLength(1);
    expect((await notificationsOf(s.secret.id))[0]!.body).toContain("Anonymous focus hours");
    expect((await notificationsOf(s.secret.id))[0]!.link).toBe(`/actions/${action.id}`);
    // Alice and Bob for their named ideas, and the anonymous idea on its own.
    expect(action.notified).toBe(3);
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "action_created"), eq(auditLog.subject, `action:${action.id}`))).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(s.leader.id);
  });

  it("hidden ideas are not linked, and an action from one idea links just that idea", async () => {
    const s = await scenario();
    await db().update(ideas).set({ hiddenAt: Date.now(), hiddenReason: "test" }).where(eq(ideas.id, s.ideas.b1)).run();
    const fromTheme = await createAction(s.facilitator, { themeId: s.focus.id, title: "Focus", ownerId: s.leader.id }, meta);
    expect(await linkedIdeaIds(fromTheme.id)).not.toContain(s.ideas.b1);
    const fromIdea = await createAction(s.facilitator, { ideaId: String(s.ideas.other), title: "Better coffee machine", ownerId: s.leader.id, dueDate: "" }, meta);
    expect(await linkedIdeaIds(fromIdea.id)).toEqual([s.ideas.other]);
    expect(fromIdea.themeId).toBeNull();
    expect(fromIdea.dueDate).toBeNull();
    expect((await actionsForIdea(db(), s.ideas.other)).map((a) => a.id)).toEqual([fromIdea.id]);
    expect(await ideaActionsPanel(s.alice, s.ideas.a1)).toMatchObject({ canCreate: false, actions: [{ id: fromTheme.id, status: "proposed" }] });
  });

  it("asks for a source, a title, an existing owner and a real date", async () => {
    const s = await scenario();
    const fail = async (input: Record<string, unknown>) => {
      try {
        await createAction(s.leader, input, meta);
      } catch (error) {
        expect(error).toBeInstanceOf(Invalid);
        return Object.keys((error as Invalid).fieldErrors).sort();
      }
      throw new Error("expected Invalid");
    };
    expect(await fail({ title: "x", ownerId: s.leader.id })).toEqual(["source"]);
    expect(await fail({ themeId: s.focus.id, ideaId: s.ideas.a1, title: "x", ownerId: s.leader.id })).toEqual(["source"]);
    expect(await fail({ themeId: s.focus.id, title: "  ", ownerId: "" })).toEqual(["ownerId", "title"]);
    expect(await fail({ themeId: s.focus.id, title: "x", ownerId: s.leader.id, dueDate: "2030-02-31" })).toEqual(["dueDate"]);
    expect(await fail({ themeId: s.focus.id, title: "x", ownerId: 99_999_999 })).toEqual(["ownerId"]);
    await expect(async () => await createAction(s.leader, { themeId: 99_999_999, title: "x", ownerId: s.leader.id }, meta)).rejects.toThrow(NotFound);
    expect(await db().select().from(followUpActions).where(eq(followUpActions.jamId, s.jam.id)).all()).toHaveLength(0);
  });

  it("participants cannot create or change actions; leaders, facilitators and admins can", async () => {
    const s = await scenario();
    await expect(async () => await createAction(s.alice, { themeId: s.focus.id, title: "Mine", ownerId: s.alice.id }, meta)).rejects.toThrow(Forbidden);
    await expect(async () => await newActionForm(db(), s.alice)).rejects.toThrow(Forbidden);
    const action = await createAction(s.leader, { themeId: s.focus.id, title: "Theirs", ownerId: s.leader.id }, meta);
    await expect(async () => await updateAction(s.alice, action.id, { status: "approved" }, meta)).rejects.toThrow(Forbidden);
    await expect(async () => await updateAction(s.alice, 99_999_999, { status: "approved" }, meta)).rejects.toThrow(NotFound);
    expect((await db().select().from(followUpActions).where(eq(followUpActions.id, action.id)).get())!.status).toBe("proposed");
    const admin = await makeUser({ role: "admin" });
    expect((await updateAction(admin, action.id, { status: "approved" }, meta)).status).toBe("approved");
    expect((await updateAction(s.facilitator, action.id, { status: "in_progress" }, meta)).status).toBe("in_progress");
    expect((await actionsPage(s.alice, {})).form).toBeNull();
  });
});

describe("changing an action's status", () => {
  it("declining needs a reason, which the contributors read", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.perks.id, title: "Coffee", ownerId: s.leader.id }, meta);
    let error: unknown;
    try {
      await updateAction(s.leader, action.id, { status: "declined", declineReason: "   " }, meta);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).fieldErrors.declineReason).toBeDefined();
    expect((await db().select().from(followUpActions).where(eq(followUpActions.id, action.id)).get())!.status).toBe("proposed");
    const declined = await updateAction(s.leader, action.id, { status: "declined", declineReason: "The budget is spent this year." }, meta);
    expect(declined.status).toBe("declined");
    expect(declined.declineReason).toBe("The budget is spent this year.");
    const told = (await notificationsOf(s.bob.id)).find((n) => n.dedupeKey === `action:${action.id}:declined`);
    expect(told?.body).toContain("The budget is spent this year.");
    // Reopening clears the reason.
    expect((await updateAction(s.leader, action.id, { status: "proposed" }, meta)).declineReason).toBeNull();
  });

  it("notifies each linked author once per status, even when the same change is sent twice", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.focus.id, title: "Focus mornings", ownerId: s.leader.id }, meta);
    const first = await updateAction(s.leader, action.id, { status: "approved" }, meta);
    expect(first.notified).toBe(3);
    // The same change again (a double submit without the expected status) changes nothing and tells nobody.
    expect((await updateAction(s.leader, action.id, { status: "approved" }, meta)).notified).toBe(0);
    // With the status the person saw, the second submit is refused.
    await expect(async () => await updateAction(s.leader, action.id, { status: "approved", expectedStatus: "proposed" }, meta)).rejects.toThrow(Conflict);
    // Back and forth: approved again does not tell anyone twice.
    await updateAction(s.leader, action.id, { status: "in_progress" }, meta);
    await updateAction(s.leader, action.id, { status: "approved" }, meta);
    for (const person of [s.alice, s.bob]) {
      const keys = (await notificationsOf(person.id)).map((n) => n.dedupeKey).sort();
      expect(keys).toEqual([`action:${action.id}:approved`, `action:${action.id}:in_progress`, `action:${action.id}:proposed`]);
    }
    // The anonymous idea is told about on its own (never merged with its author's named ideas).
    expect((await notificationsOf(s.secret.id)).map((n) => n.dedupeKey).sort()).toEqual(
      ["approved", "in_progress", "proposed"].map((status) => `action:${action.id}:${status}:anonymous:${s.ideas.s1}`),
    );
    expect((await notificationsOf(s.alice.id)).find((n) => n.dedupeKey.endsWith(":approved"))!.body).toMatch(
      /^Your ideas “.+” and 1 more are now part of an approved action: Focus mornings$/,
    );
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, "action_updated"), eq(auditLog.subject, `action:${action.id}`))).all();
    expect(audits).toHaveLength(3);
    expect(JSON.parse(audits[0]!.detail!)).toEqual({ status: { from: "proposed", to: "approved" } });
  });

  it("approval earns the authors idea_selected once per idea (never for an anonymous idea)", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.focus.id, title: "Focus", ownerId: s.leader.id }, meta);
    await updateAction(s.leader, action.id, { status: "approved" }, meta);
    const second = await createAction(s.leader, { ideaId: s.ideas.b1, title: "Calendar", ownerId: s.leader.id, status: "approved" }, meta);
    expect(second.status).toBe("approved");
    const entries = await db().select().from(pointEntries).where(eq(pointEntries.reason, "idea_selected")).all();
    const mine = entries.filter((e) => [s.alice.id, s.bob.id, s.secret.id].includes(e.userId));
    expect(mine.map((e) => e.source).sort()).toEqual([`selected:${s.ideas.a1}`, `selected:${s.ideas.a2}`, `selected:${s.ideas.b1}`].sort());
    expect(mine.every((e) => e.points > 0)).toBe(true);
  });

  it("a change based on a stale status is refused, so a concurrent decision is not overwritten", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.perks.id, title: "Coffee", ownerId: s.leader.id }, meta);
    await updateAction(s.facilitator, action.id, { status: "approved", expectedStatus: "proposed" }, meta);
    await expect(async () =>
      await updateAction(s.leader, action.id, { status: "declined", declineReason: "No", expectedStatus: "proposed" }, meta),
    ).rejects.toThrow(/changed this action to “Approved”/);
    const row = (await db().select().from(followUpActions).where(eq(followUpActions.id, action.id)).get())!;
    expect(row.status).toBe("approved");
    // Owner, due date and title change without touching the status.
    const other = await makeUser({ role: "leader" });
    const updated = await updateAction(s.leader, action.id, { ownerId: String(other.id), dueDate: "2031-01-15", title: "Coffee, properly" }, meta);
    expect(updated).toMatchObject({ ownerId: other.id, dueDate: Date.UTC(2031, 0, 15), title: "Coffee, properly", status: "approved" });
    expect((await updateAction(s.leader, action.id, { dueDate: "" }, meta)).dueDate).toBeNull();
  });

  it("racing processes approving the same action notify each author exactly once", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.focus.id, title: "Race", ownerId: s.leader.id }, meta);
    const deciders = [s.leader, s.facilitator, await makeUser({ role: "leader" }), await makeUser({ role: "admin" })];
    const results = await race(
      deciders.map((user, i) => ({
        user,
        actionId: action.id,
        changes: i % 2 === 0 ? [{ status: "approved", expectedStatus: "proposed" }] : [{ status: "approved" }, { status: "approved" }],
      })),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    // Whoever won, the approval was announced once, to the three authors.
    expect(results.reduce((n, r) => n + r.notified, 0)).toBe(3);
    for (const person of [s.alice, s.bob, s.secret]) {
      expect((await notificationsOf(person.id)).filter((n) => n.dedupeKey.startsWith(`action:${action.id}:approved`))).toHaveLength(1);
    }
    const changes = await db().select().from(auditLog).where(and(eq(auditLog.action, "action_updated"), eq(auditLog.subject, `action:${action.id}`))).all();
    expect(changes).toHaveLength(1);
  }, 60_000);
});

const race = (jobs: Record<string, unknown>[]) => raceWorkers<WorkerResult>(WORKER, jobs);

interface WorkerResult {
  ok: number;
  notified: number;
  refused: string[];
  errors: string[];
}



describe("listing actions", () => {
  it("filters by status, jam, owner and words, and pages with a cursor", async () => {
    const s = await scenario();
    const t = await scenario();
    const owner = await makeUser({ role: "leader" });
    const made: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      made.push((await createAction(s.leader, { themeId: s.perks.id, title: `Perk step ${i}`, ownerId: i < 3 ? owner.id : s.leader.id }, meta)).id);
    }
    await updateAction(s.leader, made[0]!, { status: "approved" }, meta);
    await updateAction(s.leader, made[1]!, { status: "declined", declineReason: "Not now" }, meta);
    const elsewhere = await createAction(t.leader, { themeId: t.focus.id, title: "Unrelated initiative", ownerId: owner.id }, meta);

    const first = await listActions(db(), s.alice, { jam: s.jam.slug });
    expect(first.actions).toHaveLength(20);
    expect(first.actions[0]!.id).toBe(made[24]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listActions(db(), s.alice, { jam: s.jam.slug, cursor: first.nextCursor });
    expect(second.actions).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const seen = [...first.actions, ...second.actions].map((a) => a.id);
    expect(new Set(seen).size).toBe(25);
    expect(seen.sort((a, b) => a - b)).toEqual(made);

    expect((await listActions(db(), s.alice, { jam: s.jam.slug, status: "approved" })).actions.map((a) => a.id)).toEqual([made[0]]);
    expect((await listActions(db(), s.alice, { status: "declined", jamId: s.jam.id })).actions.map((a) => a.id)).toEqual([made[1]]);
    expect((await listActions(db(), s.alice, { ownerId: String(owner.id) })).actions.map((a) => a.id)).toEqual([elsewhere.id, made[2], made[1], made[0]]);
    expect((await listActions(db(), s.alice, { q: "unrelated" })).actions.map((a) => a.id)).toEqual([elsewhere.id]);
    expect((await listActions(db(), s.alice, { q: "100%_" })).actions).toEqual([]);
    // Nonsense filters are ignored, not errors.
    expect((await listActions(db(), s.alice, { status: "bogus", jam: s.jam.slug, cursor: "x" })).actions).toHaveLength(20);
    expect(first.actions[0]).toMatchObject({ jam: { slug: s.jam.slug }, owner: { id: s.leader.id }, themeLabel: "Office perks", ideaCount: 1 });
  });

  it("actions of a draft jam are not found by those who cannot see drafts", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.perks.id, title: "Drafty", ownerId: s.leader.id }, meta);
    await db().update(jams).set({ isDraft: true }).where(eq(jams.id, s.jam.id)).run();
    await expect(async () => await actionDetail(s.alice, action.id)).rejects.toThrow(NotFound);
    await expect(async () => await updateAction(s.alice, action.id, { status: "approved" }, meta)).rejects.toThrow(NotFound);
    expect((await listActions(db(), s.alice, { jam: s.jam.slug })).actions).toEqual([]);
    expect((await listActions(db(), s.leader, { jam: s.jam.slug })).actions.map((a) => a.id)).toEqual([action.id]);
    await expect(async () => await synthesisReport(s.alice, s.jam.slug)).rejects.toThrow(NotFound);
    await expect(async () => await ideasCsv(s.alice, s.jam.slug)).rejects.toThrow(NotFound);
  });
});

describe("themes of a synthesis version that is not published", () => {
  it("are not named to those who cannot see the version, on /actions, an action's page or the report, until it is published", async () => {
    const s = await scenario();
    // A newer version, not published, with a theme whose label says more than the jam wants to say yet.
    const secretLabel = "Close the Leeds office";
    const draft = await makeSynthesis(s.jam.id, s.facilitator.id, [{ label: secretLabel, ideaIds: [s.ideas.a1, s.ideas.b1] }]);
    const action = await createAction(s.leader, { themeId: draft.themes[0]!.id, title: "Review office space", ownerId: s.leader.id }, meta);
    const shown = async (viewer: typeof s.alice) => ({
      list: (await listActions(db(), viewer, { jam: s.jam.slug })).actions.find((a) => a.id === action.id)!.themeLabel,
      detail: (await actionDetail(viewer, action.id)).theme?.label,
      report: (await synthesisMarkdownExport(viewer, s.jam.slug)).body,
      page: JSON.stringify([await actionsPage(viewer, {}), await actionDetail(viewer, action.id), await synthesisReport(viewer, s.jam.slug)]),
    });

    const participant = await shown(s.alice);
    expect(participant.list).toBe(UNPUBLISHED_THEME_LABEL);
    expect(participant.detail).toBe(UNPUBLISHED_THEME_LABEL);
    expect(participant.report).toContain(mdText(UNPUBLISHED_THEME_LABEL));
    for (const text of [participant.report, participant.page]) expect(text).not.toContain(secretLabel);

    // Staff see the version, so they read its theme's label.
    const staff = await shown(s.facilitator);
    expect(staff.list).toBe(secretLabel);
    expect(staff.detail).toBe(secretLabel);
    expect(staff.report).toContain(secretLabel);

    // Once the version is published, everyone reads it.
    await db().update(synthesisVersions).set({ publishedAt: null }).where(eq(synthesisVersions.jamId, s.jam.id)).run();
    await db().update(synthesisVersions).set({ publishedAt: Date.now() }).where(eq(synthesisVersions.id, draft.version.id)).run();
    const afterPublishing = await shown(s.alice);
    expect(afterPublishing.list).toBe(secretLabel);
    expect(afterPublishing.detail).toBe(secretLabel);
    expect(afterPublishing.report).toContain(secretLabel);
  });
});

describe("anonymous authors", () => {
  it("never appear in action details, others' notifications or the CSV", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.focus.id, title: "Focus", ownerId: s.leader.id }, meta);
    await updateAction(s.leader, action.id, { status: "approved" }, meta);
    const traces = [s.secret.name, s.secret.email];

    for (const viewer of [s.alice, s.leader, s.facilitator]) {
      const detail = await actionDetail(viewer, action.id);
      const anonymous = detail.ideas.find((i) => i.id === s.ideas.s1)!;
      expect(anonymous.author).toBeNull();
      expect(anonymous.isAnonymous).toBe(true);
      const text = JSON.stringify(detail.ideas);
      for (const trace of traces) expect(text).not.toContain(trace);
      // (Staff get the owner picker, a list of everybody; nothing in it ties a person to an idea.)
      const aboutTheAction = JSON.stringify({ ...detail, owners: [] });
      for (const trace of traces) expect(aboutTheAction).not.toContain(trace);
      expect(aboutTheAction).not.toContain(`"authorId"`);
    }
    expect((await actionDetail(s.alice, action.id)).owners).toEqual([]);
    // The author sees it is theirs, nobody else does.
    expect((await actionDetail(s.secret, action.id)).ideas.find((i) => i.id === s.ideas.s1)!.isMine).toBe(true);
    expect((await actionDetail(s.alice, action.id)).ideas.find((i) => i.id === s.ideas.s1)!.isMine).toBe(false);
    expect((await actionDetail(s.alice, action.id)).ideas.find((i) => i.id === s.ideas.a1)!.author!.name).toBe(s.alice.name);

    const others = await db().select().from(notifications).where(inArray(notifications.userId, [s.alice.id, s.bob.id, s.leader.id, s.facilitator.id])).all();
    expect(others.length).toBeGreaterThan(0);
    for (const n of others) for (const trace of traces) expect(n.body).not.toContain(trace);
    // The anonymous idea's title only ever reaches its author.
    expect(others.some((n) => n.body.includes("Anonymous focus hours"))).toBe(false);

    const csv = (await ideasCsv(s.alice, s.jam.slug)).body;
    for (const trace of traces) expect(csv).not.toContain(trace);
    const rows = parseCsv(csv);
    const anonRow = rows.find((r) => r[0] === String(s.ideas.s1))!;
    expect(anonRow[IDEAS_CSV_HEADER.indexOf("author")]).toBe("");
    expect(rows.find((r) => r[0] === String(s.ideas.a1))![IDEAS_CSV_HEADER.indexOf("author")]).toBe(s.alice.name);
    const md = (await synthesisMarkdownExport(s.alice, s.jam.slug)).body;
    for (const trace of traces) expect(md).not.toContain(trace);
  });
});

describe("notifications", () => {
  it("counts unread ones, lists them newest first by page, and marks one's own read", async () => {
    const s = await scenario();
    const ids: number[] = [];
    for (let i = 0; i < 23; i += 1) ids.push((await createAction(s.leader, { ideaId: s.ideas.b1, title: `Step ${i}`, ownerId: s.leader.id }, meta)).id);
    expect(await unreadCount(s.bob)).toBe(23);
    const page1 = await listNotifications(s.bob);
    expect(page1.notifications).toHaveLength(20);
    expect(page1.notifications[0]!.link).toBe(`/actions/${ids[22]}`);
    const page2 = await listNotifications(s.bob, page1.nextCursor);
    expect(page2.notifications).toHaveLength(3);
    expect(page2.nextCursor).toBeNull();

    const aliceNotice = await createAction(s.leader, { ideaId: s.ideas.a1, title: "For Alice", ownerId: s.leader.id }, meta);
    const aliceId = (await notificationsOf(s.alice.id)).find((n) => n.link === `/actions/${aliceNotice.id}`)!.id;
    // Someone else's id is ignored.
    expect(await markRead(s.bob, [aliceId])).toBe(0);
    expect(await unreadCount(s.alice)).toBe(1);
    expect(await markRead(s.bob, [page1.notifications[0]!.id, page1.notifications[1]!.id])).toBe(2);
    expect(await unreadCount(s.bob)).toBe(21);
    expect(await markRead(s.bob, "all")).toBe(21);
    expect(await unreadCount(s.bob)).toBe(0);
    expect((await listNotifications(s.bob)).notifications.every((n) => n.isRead)).toBe(true);
    await expect(async () => await markRead(s.bob, ["nope"])).rejects.toThrow(Invalid);
  });
});

describe("exports", () => {
  it("csv cells are escaped and protected against formulas", () => {
    expect(csvCell('He said "hi", twice\nthen left')).toBe('"He said ""hi"", twice\nthen left"');
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
  });

  it("the ideas CSV holds every visible idea with its counts, theme and author, safely", async () => {
    const s = await scenario();
    const tricky = (await makeIdea(s.bob, s.challengeId, { title: '=cmd|"/c calc"!A0', body: 'Line one, with a comma\nLine "two"' })).id;
    await db().update(ideas).set({ hiddenAt: Date.now(), hiddenReason: "x" }).where(eq(ideas.id, s.ideas.excluded)).run();
    const file = await ideasCsv(s.alice, s.jam.slug);
    expect(file.filename).toMatch(new RegExp(`^${s.jam.slug}-ideas-v\\d+\\.csv$`));
    expect(file.body.startsWith("\uFEFF")).toBe(true);
    const rows = parseCsv(file.body);
    expect(rows[0]).toEqual(IDEAS_CSV_HEADER);
    const byId = new Map(rows.slice(1).map((r) => [Number(r[0]), r]));
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual([s.ideas.a1, s.ideas.a2, s.ideas.b1, s.ideas.s1, s.ideas.other, tricky].sort((a, b) => a - b));
    const col = (name: string) => IDEAS_CSV_HEADER.indexOf(name);
    const t = byId.get(tricky)!;
    expect(t[col("title")]).toBe(`'=cmd|"/c calc"!A0`);
    expect(t[col("body")]).toBe('Line one, with a comma\nLine "two"');
    expect(t[col("theme")]).toBe("");
    expect(t[col("created_at")]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(t[col("challenge")]).toBe("Challenge 1");
    expect(byId.get(s.ideas.a1)![col("theme")]).toBe("Focus time");
    expect(byId.get(s.ideas.other)![col("theme")]).toBe("Office perks");
    expect(byId.get(s.ideas.a1)![col("support_votes")]).toBe("0");
    // Every row has every column.
    expect(rows.every((r) => r.length === IDEAS_CSV_HEADER.length)).toBe(true);
  });

  it("version selection: the newest published version for everyone, the newest (or a chosen one) for staff", async () => {
    const s = await scenario({ published: true });
    const draft = await makeSynthesis(s.jam.id, s.facilitator.id, [{ label: "Draft theme", ideaIds: [s.ideas.a1, s.ideas.b1] }]);
    expect((await reportVersion(db(), s.alice, s.jam.id))!.id).toBe(s.synthesis.version.id);
    expect((await reportVersion(db(), s.alice, s.jam.id, draft.version.id))!.id).toBe(s.synthesis.version.id);
    expect((await reportVersion(db(), s.leader, s.jam.id))!.id).toBe(draft.version.id);
    expect((await reportVersion(db(), s.leader, s.jam.id, s.synthesis.version.id))!.id).toBe(s.synthesis.version.id);
    const elsewhere = await scenario();
    await expect(async () => await reportVersion(db(), s.leader, s.jam.id, elsewhere.synthesis.version.id)).rejects.toThrow(NotFound);

    const col = IDEAS_CSV_HEADER.indexOf("theme");
    const participantRow = parseCsv((await ideasCsv(s.alice, s.jam.slug)).body).find((r) => r[0] === String(s.ideas.a1))!;
    expect(participantRow[col]).toBe("Focus time");
    const staffRow = parseCsv((await ideasCsv(s.leader, s.jam.slug)).body).find((r) => r[0] === String(s.ideas.a1))!;
    expect(staffRow[col]).toBe("Draft theme");
    expect((await synthesisMarkdownExport(s.alice, s.jam.slug)).body).not.toContain("Draft theme");
    expect((await synthesisMarkdownExport(s.leader, s.jam.slug)).body).toContain("Draft theme");
  });

  it("without a published version, only staff can export", async () => {
    const s = await scenario({ published: false });
    await expect(async () => await synthesisReport(s.alice, s.jam.slug)).rejects.toThrow(NotFound);
    await expect(async () => await ideasCsv(s.alice, s.jam.slug)).rejects.toThrow(NotFound);
    expect((await synthesisMarkdownExport(s.facilitator, s.jam.slug)).body).toContain("not published");
    expect((await ideasCsv(s.leader, s.jam.slug)).body).toContain("Focus time");
    const bare = await makeJam();
    await expect(async () => await synthesisReport(bare.facilitator, bare.jam.slug)).rejects.toThrow(NotFound);
    expect(parseCsv((await ideasCsv(bare.facilitator, bare.jam.slug)).body)).toEqual([IDEAS_CSV_HEADER]);
  });

  it("the Markdown report has the themes, their ideas, consensus and the actions with owners and status", async () => {
    const { jam, challengeIds, facilitator } = await makeJam({ title: "Report *jam*" });
    const author = await makeUser();
    const owner = await makeUser({ role: "leader", name: "Olive Owner" });
    const i1 = (await makeIdea(author, challengeIds[0]!, { title: "Walking [meetings](http://x)" })).id;
    const i2 = (await makeIdea(author, challengeIds[0]!, { title: "Standing desks" })).id;
    const i3 = (await makeIdea(author, challengeIds[0]!, { title: "# Loud heading" })).id;
    const opinions = JSON.stringify({ participants: 12, groups: [{ size: 7, representativeIds: [i2] }], consensusIds: [i1], divisiveIds: [i3] });
    const syn = await makeSynthesis(
      jam.id,
      facilitator.id,
      [
        { label: "Healthy work", ideaIds: [i1, i2], keywords: ["walking", "desks"] },
        { label: "Other", ideaIds: [i3], isOther: true },
      ],
      { published: true, opinions },
    );
    const action = await createAction(facilitator, { themeId: syn.themes[0]!.id, title: "Buy standing desks", ownerId: owner.id, dueDate: "2030-05-01" }, meta);
    await updateAction(facilitator, action.id, { status: "approved" }, meta);
    const { filename, body } = await synthesisMarkdownExport(author, jam.slug);
    expect(filename).toBe(`${jam.slug}-synthesis-v1.md`);
    expect(body).toContain("# Synthesis: Report \\*jam\\*");
    expect(body).toContain("### 1\\. Healthy work");
    expect(body).toContain("- Size: 2 ideas");
    expect(body).toContain("- Keywords: walking, desks");
    expect(body).toContain("- Walking \\[meetings\\](http://x) (0 votes)");
    expect(body).toContain("- Standing desks");
    expect(body).toContain("### 2\\. Other");
    expect(body).toContain("## Where people agree");
    expect(body).toContain("## Where opinions divide\n\n- \\# Loud heading");
    expect(body).toContain("Group A (7 people): Standing desks");
    expect(body).toContain("Buy standing desks: Approved, owner Olive Owner, due 1 May 2030");
    expect(body).toContain("| Buy standing desks | Healthy work | Olive Owner | Approved | 2030-05-01 |");
    const report = await synthesisReport(author, jam.slug);
    expect(report.themes.map((t) => t.label)).toEqual(["Healthy work", "Other"]);
  });

  it("reads a malformed opinion summary as none", async () => {
    expect(parseOpinions("{not json")).toBeNull();
    expect(parseOpinions("[1,2]")).toBeNull();
    expect(parseOpinions(JSON.stringify({ groups: "x", consensusIds: ["a", 3, -1, { id: 4 }] }))).toEqual({
      participants: null,
      groups: [],
      consensus: [3, 4],
      divisive: [],
    });
    const s = await scenario();
    await db().update(synthesisVersions).set({ opinions: "{broken" }).where(eq(synthesisVersions.id, s.synthesis.version.id)).run();
    await db().update(themes).set({ keywords: "nope", representatives: "{" }).where(eq(themes.id, s.focus.id)).run();
    const md = (await synthesisMarkdownExport(s.alice, s.jam.slug)).body;
    expect(md).toContain("Focus time");
    expect(md).not.toContain("Where people agree");
  });

  it("markdown text from people cannot become markup", () => {
    expect(mdText("<img src=x onerror=alert(1)>")).toBe("\\<img src=x onerror=alert(1)\\>");
    expect(mdText("a\nb\r\n\nc")).toBe("a b c");
    expect(mdText("1. first")).toBe("1\\. first");
    expect(mdText("- item | pipe")).toBe("\\- item \\| pipe");
  });
});

describe("reading", () => {
  it("pages and downloads change nothing", async () => {
    const s = await scenario();
    const action = await createAction(s.leader, { themeId: s.focus.id, title: "Read only", ownerId: s.leader.id }, meta);
    const before = await writesMark();
    for (const viewer of [s.alice, s.leader, s.secret]) {
      await actionsPage(viewer, { themeId: String(s.focus.id) });
      await actionsPage(viewer, { ideaId: String(s.ideas.a1), q: "read" });
      await actionDetail(viewer, action.id);
      await ideaActionsPanel(viewer, s.ideas.a1);
      await listNotifications(viewer);
      await unreadCount(viewer);
      await synthesisReport(viewer, s.jam.slug);
      await synthesisMarkdownExport(viewer, s.jam.slug);
      await ideasCsv(viewer, s.jam.slug);
    }
    expect(await writesMark()).toBe(before);
    expect(await newActionForm(db(), s.leader, { themeId: String(s.focus.id) })).toMatchObject({ selected: `theme:${s.focus.id}` });
    expect((await newActionForm(db(), s.leader, { ideaId: String(s.ideas.a1) })).selected).toBe(`idea:${s.ideas.a1}`);
  });
});
