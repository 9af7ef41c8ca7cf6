/**
 * Follow-up actions: leaders and facilitators turn a theme (or one idea) into
 * an action with an owner, a due date and a status, and the people whose ideas
 * fed it hear about each decision in an in-app notification (once per status).
 * Everyone signed in can follow actions; anonymous authors are never shown.
 */
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { isErasedEmail } from "~/domain/erasure";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { ACTION_STATUS_LABELS, ACTION_STATUSES, actionNotice, parseDueDate, UNPUBLISHED_THEME_LABEL, type ActionStatus } from "~/domain/actions";
import { can } from "~/domain/permissions";
import { publish } from "~/live/bus";
import { db, transaction, type Db } from "~db/client";
import { containsText } from "~db/like";
import { jsonText } from "~db/dialect";
import { readableText } from "~/domain/text";
import {
  actionIdeas,
  auditLog,
  followUpActions,
  ideas,
  jams,
  synthesisVersions,
  themeIdeas,
  themes,
  users,
  type Jam,
} from "~db/schema";
import { ideasUnder } from "./synthesis.server";
import { recordAudit } from "./audit.server";
import { Conflict, Invalid, NotFound, validate } from "./errors";
import { acceptedCoauthorIds } from "./coauthors.server";
import { award, recomputeBadges } from "./gamification.server";

import { mailActionStatus } from "./jam-mail.server";
import { notify, type Notice } from "./notifications.server";
import { requireCapability } from "./lookups/guards.server";
import { findVisibleIdea, jamVisibleTo, visibleJamsCondition } from "./lookups/visibility.server";

export const ACTIONS_PAGE = 20;
const MAX_OWNER_CHOICES = 500;
const MAX_SOURCE_VERSIONS = 30;

export interface Meta {
  ip: string | null;
  now?: number;
}

export function canManageActions(viewer: Pick<SessionUser, "role">) {
  return can(viewer.role, "manageActions");
}

const ACTION_MANAGERS_ONLY = "Only leaders and facilitators can decide on follow-up actions.";

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

const Id = z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional());

const Title = readableText(
  z.string({ error: "Give the action a title." }).trim().min(1, "Give the action a title.").max(200, "Keep the title to 200 characters or fewer."),
);

const Description = readableText(z.string().trim().max(4000, "Keep the description to 4,000 characters or fewer."), { multiline: true });

const OwnerId = z.preprocess(
  blankToUndefined,
  z.coerce.number({ error: "Choose who owns this action." }).int("Choose who owns this action.").positive("Choose who owns this action."),
);

const DueDate = z.unknown().transform((value, ctx) => {
  const at = parseDueDate(value);
  if (at === undefined) {
    ctx.addIssue({ code: "custom", message: "Enter a date, like 2025-06-30." });
    return z.NEVER;
  }
  return at;
});

const Status = z.enum(ACTION_STATUSES, { error: "Choose a status from the list." });

const DeclineReason = z.string().trim().max(1000, "Keep the reason to 1,000 characters or fewer.");

export const CreateActionInput = z
  .object({
    themeId: Id,
    ideaId: Id,
    title: Title,
    description: Description.optional().default(""),
    ownerId: OwnerId,
    dueDate: DueDate.optional().transform((v) => v ?? null),
    status: z.preprocess(
      blankToUndefined,
      z.enum(["proposed", "approved", "in_progress"], { error: "A new action is proposed, approved or in progress." }).default("proposed"),
    ),
  })
  .superRefine((v, ctx) => {
    if ((v.themeId === undefined) === (v.ideaId === undefined)) {
      ctx.addIssue({ code: "custom", path: ["source"], message: "Choose the theme or the idea this action grows from." });
    }
  });

export const UpdateActionInput = z.object({
  status: z.preprocess(blankToUndefined, Status.optional()),
  /** The status the person saw when they changed it: a change made meanwhile is not overwritten. */
  expectedStatus: z.preprocess(blankToUndefined, Status.optional()),
  declineReason: z.preprocess((v) => (v === null ? undefined : v), DeclineReason.optional()),
  ownerId: z.preprocess(blankToUndefined, OwnerId.optional()),
  dueDate: DueDate.optional(),
  title: z.preprocess((v) => (v === null ? undefined : v), Title.optional()),
  description: z.preprocess((v) => (v === null ? undefined : v), Description.optional()),
});

type ActionRow = typeof followUpActions.$inferSelect;

/**
 * An action's theme label as the viewer may read it: staff always; everyone else only while
 * the theme's version is the published one. The query left-joins themes and synthesisVersions.
 */
function themeLabelFor(viewer: Pick<SessionUser, "role">) {
  return can(viewer.role, "seeUnpublishedSynthesis")
    ? themes.label
    : sql<string | null>`CASE WHEN ${synthesisVersions.publishedAt} IS NULL THEN CASE WHEN ${themes.id} IS NULL THEN NULL ELSE ${UNPUBLISHED_THEME_LABEL} END ELSE ${themes.label} END`;
}

async function assertOwnerExists(tx: Db, ownerId: number) {
  const owner = await tx.select({ id: users.id }).from(users).where(eq(users.id, ownerId)).get();
  if (!owner) throw new Invalid({ ownerId: ["Choose an owner from the list."] });
}

/** The visible ideas of a theme (not excluded by curation, not hidden by moderation). */
async function themeIdeaIds(tx: Db, themeId: number, versionId: number): Promise<number[]> {
  return (await tx
    .select({ id: themeIdeas.ideaId })
    .from(themeIdeas)
    .innerJoin(ideas, eq(ideas.id, themeIdeas.ideaId))
    .where(
      and(ideasUnder(themeId), eq(themeIdeas.versionId, versionId), eq(themeIdeas.excluded, false), isNull(ideas.hiddenAt)),
    )
    .orderBy(asc(themeIdeas.ideaId))
    .all())
    .map((r) => r.id);
}

/** The theme with its version's jam, if the viewer may see the jam. */
async function findTheme(tx: Db, viewer: SessionUser, themeId: number) {
  const row = await tx
    .select({ theme: themes, versionId: synthesisVersions.id, jam: jams })
    .from(themes)
    .innerJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
    .innerJoin(jams, eq(jams.id, synthesisVersions.jamId))
    .where(eq(themes.id, themeId))
    .get();
  if (!row || !jamVisibleTo(viewer, row.jam)) throw new NotFound("No such theme.");
  return row;
}

/**
 * Creates an action from a theme (linking every idea of the theme in its
 * version) or from one idea. Its contributors are notified in the same
 * transaction; an action created as approved also earns them `idea_selected`.
 */
export async function createAction(actor: SessionUser, input: unknown, meta: Meta = { ip: null }) {
  requireCapability(actor, "manageActions", ACTION_MANAGERS_ONLY);
  const data = validate(CreateActionInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    let jam: Jam;
    let ideaIds: number[];
    let themeId: number | null = null;
    if (data.themeId !== undefined) {
      const found = await findTheme(tx, actor, data.themeId);
      jam = found.jam;
      themeId = found.theme.id;
      ideaIds = await themeIdeaIds(tx, found.theme.id, found.versionId);
      if (ideaIds.length === 0) throw new Invalid({ source: ["This theme has no ideas left to act on."] });
    } else {
      const found = await findVisibleIdea(tx, actor, data.ideaId!);
      jam = found.jam;
      ideaIds = [found.idea.id];
    }
    await assertOwnerExists(tx, data.ownerId);
    const action = await tx
      .insert(followUpActions)
      .values({
        jamId: jam.id,
        themeId,
        title: data.title,
        description: data.description,
        ownerId: data.ownerId,
        dueDate: data.dueDate,
        status: data.status,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    // Two bound values per row: chunks stay well under SQLite's variable limit.
    for (let i = 0; i < ideaIds.length; i += 400) {
      await tx.insert(actionIdeas)
        .values(ideaIds.slice(i, i + 400).map((ideaId) => ({ actionId: action.id, ideaId })))
        .onConflictDoNothing()
        .run();
    }
    await recordAudit(
      tx, {
        action: "action_created",
        actorId: actor.id,
        subject: `action:${action.id}`,
        ip: meta.ip,
        at: now,
        detail: { jamId: jam.id, themeId, ideaId: data.ideaId ?? null, ideas: ideaIds.length, ownerId: data.ownerId, status: data.status },
      },
    );
    const notified = await announce(tx, actor, action, jam, now);
    return { ...action, linkedIdeas: ideaIds.length, notified };
  });
}

/**
 * Changes an action's status, owner, due date or title. The status changes
 * with a conditional update (`WHERE status = <the status the person saw>`), so
 * two people deciding at once cannot silently overwrite each other: the second
 * is told what changed. Declining needs a reason, which contributors read.
 */
export async function updateAction(actor: SessionUser, actionId: number, input: unknown, meta: Meta = { ip: null }) {
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const found = await tx
      .select({ action: followUpActions, jam: jams })
      .from(followUpActions)
      .innerJoin(jams, eq(jams.id, followUpActions.jamId))
      .where(eq(followUpActions.id, actionId))
      .get();
    if (!found || !jamVisibleTo(actor, found.jam)) throw new NotFound("No such action.");
    requireCapability(actor, "manageActions", ACTION_MANAGERS_ONLY);
    const data = validate(UpdateActionInput, input);
    const before = found.action;
    const status = data.status ?? before.status;
    const expected = data.expectedStatus ?? before.status;
    if (expected !== before.status) throw changedMeanwhile(before.status);

    let declineReason: string | null = null;
    if (status === "declined") {
      declineReason = (data.declineReason ?? (before.status === "declined" ? (before.declineReason ?? "") : "")).trim();
      if (declineReason === "") {
        throw new Invalid({ declineReason: ["Say why the action is declined: the people whose ideas fed it will read this."] });
      }
    }
    if (data.ownerId !== undefined) await assertOwnerExists(tx, data.ownerId);

    const next = {
      status,
      declineReason,
      ownerId: data.ownerId ?? before.ownerId,
      dueDate: data.dueDate === undefined ? before.dueDate : data.dueDate,
      title: data.title ?? before.title,
      description: data.description ?? before.description,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== before[k]);
    if (changed.length === 0) return { ...before, notified: 0 };

    const updated = await tx
      .update(followUpActions)
      .set({ ...next, updatedAt: now })
      .where(and(eq(followUpActions.id, before.id), eq(followUpActions.status, expected)))
      .returning()
      .get();
    if (!updated) throw changedMeanwhile(await currentStatus(tx, before.id));

    await recordAudit(
      tx, {
        action: "action_updated",
        actorId: actor.id,
        subject: `action:${before.id}`,
        ip: meta.ip,
        at: now,
        detail: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: next[k] }])),
      },
    );
    const notified = updated.status !== before.status ? await announce(tx, actor, updated, found.jam, now) : 0;
    return { ...updated, notified };
  });
}

/** Whether the action had this status before the change just audited (its audit rows say so). */
async function statusAnnouncedBefore(tx: Db, actionId: number, status: ActionStatus): Promise<boolean> {
  const times =
    (await tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log
      WHERE subject = ${`action:${actionId}`}
        AND ((action = 'action_created' AND ${jsonText(sql`detail`, "status")} = ${status})
          OR (action = 'action_updated' AND ${jsonText(sql`detail`, "status", "to")} = ${status}))`))?.n ?? 0;
  return times > 1;
}

async function currentStatus(tx: Db, actionId: number): Promise<ActionStatus> {
  return (await tx.select({ s: followUpActions.status }).from(followUpActions).where(eq(followUpActions.id, actionId)).get())?.s ?? "proposed";
}

function changedMeanwhile(status: ActionStatus) {
  return new Conflict(`Someone changed this action to “${ACTION_STATUS_LABELS[status]}” meanwhile. Review it and try again.`);
}

/**
 * Tells each author of a linked (visible) idea about the action's current
 * status: once per (action, status) per person for their named ideas, and once
 * per (action, status) for each anonymous idea, privately, in a notice of its
 * own. Never merged: how many notices are written is shown to staff, and a merge
 * would tell them whether an anonymous idea's author also wrote a named one.
 * Returns how many were written now. Approval also awards `idea_selected` per
 * idea (the ledger keeps it to once per idea). The authors are e-mailed too, as
 * each chose (`mailActionStatus`).
 */
async function announce(tx: Db, actor: SessionUser, action: ActionRow, jam: Jam, now: number): Promise<number> {
  const linked = await tx
    .select({ id: ideas.id, title: ideas.title, authorId: ideas.authorId, isAnonymous: ideas.isAnonymous })
    .from(actionIdeas)
    .innerJoin(ideas, eq(ideas.id, actionIdeas.ideaId))
    .where(and(eq(actionIdeas.actionId, action.id), isNull(ideas.hiddenAt)))
    .orderBy(asc(ideas.id))
    .all();
  const dedupeKey = `action:${action.id}:${action.status}`;
  const notice = (userId: number, ideaTitles: string[], anonymous: boolean, key: string): Notice => ({
    userId,
    kind: "actions",
    body: actionNotice({ status: action.status, actionTitle: action.title, ideaTitles, declineReason: action.declineReason, anonymous }),
    link: `/actions/${action.id}`,
    dedupeKey: key,
    jamId: jam.id,
  });
  const byAuthor = new Map<number, string[]>();
  for (const idea of linked) if (!idea.isAnonymous) byAuthor.set(idea.authorId, [...(byAuthor.get(idea.authorId) ?? []), idea.title]);
  const notices: Notice[] = [
    ...[...byAuthor].map(([userId, titles]) => notice(userId, titles, false, dedupeKey)),
    ...linked.filter((i) => i.isAnonymous).map((i) => notice(i.authorId, [i.title], true, `${dedupeKey}:anonymous:${i.id}`)),
  ];
  await notify(tx, notices, now);
  await mailActionStatus(tx, { actorId: actor.id, action, jamId: jam.id, linked }, now);
  // How many were told, as staff read it: every addressee the first time the action reaches this
  // status, whether or not they chose to get this kind of news. A count of rows written would
  // drop by the notices of someone who switched actions off, and a drop of two (a named and an
  // anonymous idea) would say that one person wrote both.
  const notified = await statusAnnouncedBefore(tx, action.id, action.status) ? 0 : notices.length;

  if (action.status === "approved") {
    let points = 0;
    const credited: number[] = [];
    for (const idea of linked) {
      // The author and each accepted co-author, each once (decision 026).
      for (const earnerId of [idea.authorId, ...(idea.isAnonymous ? [] : await acceptedCoauthorIds(tx, idea.id))]) {
        credited.push(earnerId);
        points += await award(tx, {
          earnerId,
          actorId: actor.id,
          jam,
          reason: "idea_selected",
          source: `selected:${idea.id}`,
          subject: `idea:${idea.id}`,
          anonymous: idea.isAnonymous,
          now,
        });
      }
    }
    if (points > 0) {
      await recomputeBadges(tx, credited, now);
      await publish(tx, jam.id, "points.changed", {});
    }
  }
  return notified;
}

export const ListActionsInput = z.object({
  status: z.enum(ACTION_STATUSES).optional().catch(undefined),
  jam: z.string().trim().max(60).optional().catch(undefined),
  jamId: z.coerce.number().int().positive().optional().catch(undefined),
  ownerId: z.coerce.number().int().positive().optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  cursor: z.coerce.number().int().positive().optional().catch(undefined),
});

function ideaCountSql() {
  return sql<number>`(SELECT count(*) FROM "action_ideas" ai JOIN "ideas" i ON i."id" = ai."idea_id" WHERE ai."action_id" = "follow_up_actions"."id" AND i."hidden_at" IS NULL)`;
}

/**
 * Actions, newest first, a page at a time (the cursor is the last id shown),
 * filtered by status, jam (slug or id), owner and words in the title or
 * description. Actions of a draft jam only for those who may see drafts.
 */
export async function listActions(conn: Db, viewer: SessionUser, input: unknown = {}) {
  const f = validate(ListActionsInput, input);
  const blank = (v: string | undefined) => (v === "" ? undefined : v);
  const q = blank(f.q);
  const jamSlug = blank(f.jam);
  const rows = await conn
    .select({
      id: followUpActions.id,
      title: followUpActions.title,
      status: followUpActions.status,
      dueDate: followUpActions.dueDate,
      createdAt: followUpActions.createdAt,
      updatedAt: followUpActions.updatedAt,
      jam: { slug: jams.slug, title: jams.title },
      owner: { id: users.id, name: users.name },
      themeLabel: themeLabelFor(viewer),
      ideaCount: ideaCountSql(),
    })
    .from(followUpActions)
    .innerJoin(jams, eq(jams.id, followUpActions.jamId))
    .innerJoin(users, eq(users.id, followUpActions.ownerId))
    .leftJoin(themes, eq(themes.id, followUpActions.themeId))
    .leftJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
    .where(
      and(
        visibleJamsCondition(viewer),
        f.status ? eq(followUpActions.status, f.status) : undefined,
        jamSlug ? eq(jams.slug, jamSlug) : undefined,
        f.jamId ? eq(jams.id, f.jamId) : undefined,
        f.ownerId ? eq(followUpActions.ownerId, f.ownerId) : undefined,
        q ? or(containsText(followUpActions.title, q), containsText(followUpActions.description, q)) : undefined,
        f.cursor ? lt(followUpActions.id, f.cursor) : undefined,
      ),
    )
    .orderBy(desc(followUpActions.id))
    .limit(ACTIONS_PAGE + 1)
    .all();
  const page = rows.slice(0, ACTIONS_PAGE);
  return {
    actions: page,
    nextCursor: rows.length > ACTIONS_PAGE ? String(page.at(-1)!.id) : null,
    filters: { status: f.status ?? "", jam: jamSlug ?? "", ownerId: f.ownerId ? String(f.ownerId) : "", q: q ?? "", cursor: f.cursor ? String(f.cursor) : "" },
  };
}

/** What the filters offer: jams that have actions, and people who own some. */
export async function actionFilterOptions(conn: Db, viewer: SessionUser) {
  const visible = visibleJamsCondition(viewer);
  return {
    jams: await conn
      .selectDistinct({ slug: jams.slug, title: jams.title })
      .from(followUpActions)
      .innerJoin(jams, eq(jams.id, followUpActions.jamId))
      .where(visible)
      .orderBy(asc(jams.title))
      .all(),
    owners: await conn
      .selectDistinct({ id: users.id, name: users.name })
      .from(followUpActions)
      .innerJoin(users, eq(users.id, followUpActions.ownerId))
      .innerJoin(jams, eq(jams.id, followUpActions.jamId))
      .where(visible)
      .orderBy(asc(users.name))
      .all(),
  };
}

/** People an action can be given to: staff first, then everyone else, by name (bounded). */
export async function ownerChoices(conn: Db, include?: number) {
  const rows = await conn
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    // An erased account cannot own anything new (an action it already owns keeps showing it).
    .where(isNull(users.erasedAt))
    .orderBy(sql`CASE ${users.role} WHEN 'participant' THEN 1 ELSE 0 END`, asc(users.name), asc(users.id))
    .limit(MAX_OWNER_CHOICES)
    .all();
  if (include !== undefined && !rows.some((r) => r.id === include)) {
    const extra = await conn.select({ id: users.id, name: users.name, email: users.email, role: users.role }).from(users).where(eq(users.id, include)).get();
    if (extra) rows.unshift(extra);
  }
  return rows.map((r) => ({ id: r.id, name: r.name, email: isErasedEmail(r.email) ? "" : r.email }));
}

export interface SourceChoice {
  value: string;
  label: string;
}

/**
 * What a new action can grow from: the themes of each jam's newest synthesis
 * version (or a theme or idea named in the address), for the "New action" form.
 */
export async function newActionForm(conn: Db, actor: SessionUser, input: { themeId?: string | null; ideaId?: string | null } = {}) {
  requireCapability(actor, "manageActions", ACTION_MANAGERS_ONLY);
  const wanted = z.object({ themeId: Id, ideaId: Id }).catch({ themeId: undefined, ideaId: undefined }).parse(input);
  const newest = await conn
    .select({ versionId: sql<number>`max(${synthesisVersions.id})`.as("version_id"), jamId: synthesisVersions.jamId })
    .from(synthesisVersions)
    .innerJoin(jams, eq(jams.id, synthesisVersions.jamId))
    .where(visibleJamsCondition(actor))
    .groupBy(synthesisVersions.jamId)
    .orderBy(desc(sql`max(${synthesisVersions.id})`))
    .limit(MAX_SOURCE_VERSIONS)
    .all();
  const versionIds = newest.map((v) => v.versionId);
  if (wanted.themeId !== undefined) {
    const t = await conn.select({ versionId: themes.versionId }).from(themes).where(eq(themes.id, wanted.themeId)).get();
    if (t && !versionIds.includes(t.versionId)) versionIds.unshift(t.versionId);
  }
  const themeRows =
    versionIds.length === 0
      ? []
      : (await conn
          .select({
            id: themes.id,
            label: themes.label,
            versionId: themes.versionId,
            versionNumber: synthesisVersions.number,
            jamTitle: jams.title,
            jamDraft: jams.isDraft,
            size: sql<number>`(SELECT count(*) FROM "theme_ideas" ti JOIN "ideas" i ON i."id" = ti."idea_id" WHERE ti."theme_id" = "themes"."id" AND ti."version_id" = "themes"."version_id" AND ti."excluded" = FALSE AND i."hidden_at" IS NULL)`,
          })
          .from(themes)
          .innerJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
          .innerJoin(jams, eq(jams.id, synthesisVersions.jamId))
          .where(inArray(themes.versionId, versionIds))
          .orderBy(desc(themes.versionId), asc(themes.position), asc(themes.id))
          .all())
          .filter((t) => jamVisibleTo(actor, { isDraft: t.jamDraft }));
  const groups = new Map<number, { label: string; options: SourceChoice[] }>();
  for (const t of themeRows) {
    if (t.size === 0) continue;
    const group = groups.get(t.versionId) ?? { label: `${t.jamTitle} · synthesis v${t.versionNumber}`, options: [] };
    group.options.push({ value: `theme:${t.id}`, label: `Theme: ${t.label} (${t.size} ${t.size === 1 ? "idea" : "ideas"})` });
    groups.set(t.versionId, group);
  }
  const sources = [...groups.values()];
  let selected = "";
  if (wanted.ideaId !== undefined) {
    try {
      const { idea, jam } = await findVisibleIdea(conn, actor, wanted.ideaId);
      sources.unshift({ label: jam.title, options: [{ value: `idea:${idea.id}`, label: `Idea: ${idea.title}` }] });
      selected = `idea:${idea.id}`;
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
    }
  } else if (wanted.themeId !== undefined && themeRows.some((t) => t.id === wanted.themeId)) {
    selected = `theme:${wanted.themeId}`;
  }
  return { sources, selected, owners: await ownerChoices(conn) };
}

/** Splits the form's "grows from" choice (`theme:12` or `idea:34`) into the service's fields. */
export function sourceFields(value: string | undefined): { themeId?: string; ideaId?: string } {
  const m = value?.match(/^(theme|idea):(\d+)$/);
  if (!m) return {};
  return m[1] === "theme" ? { themeId: m[2] } : { ideaId: m[2] };
}

/** Everything the /actions page shows: the list, its filters, and (for staff) the new-action form. */
export async function actionsPage(viewer: SessionUser, query: Record<string, string | undefined>) {
  const list = await listActions(db(), viewer, query);
  return {
    ...list,
    options: await actionFilterOptions(db(), viewer),
    form: canManageActions(viewer) ? await newActionForm(db(), viewer, { themeId: query.themeId, ideaId: query.ideaId }) : null,
  };
}

export interface LinkedIdeaView {
  id: number;
  title: string;
  jamSlug: string;
  /** Null for an anonymous idea: its author is never named. */
  author: { id: number; name: string } | null;
  isAnonymous: boolean;
  isMine: boolean;
  votes: number;
  hidden: boolean;
}

/** One action with the ideas it grew from, its history and (for staff) what the edit form needs. */
export async function actionDetail(viewer: SessionUser, actionId: number) {
  const conn = db();
  const row = await conn
    .select({
      action: followUpActions,
      jam: { id: jams.id, slug: jams.slug, title: jams.title, isDraft: jams.isDraft },
      owner: { id: users.id, name: users.name },
      theme: { id: themes.id, label: themeLabelFor(viewer) },
    })
    .from(followUpActions)
    .innerJoin(jams, eq(jams.id, followUpActions.jamId))
    .innerJoin(users, eq(users.id, followUpActions.ownerId))
    .leftJoin(themes, eq(themes.id, followUpActions.themeId))
    .leftJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
    .where(eq(followUpActions.id, actionId))
    .get();
  if (!row || !jamVisibleTo(viewer, row.jam)) throw new NotFound("No such action.");
  const moderator = can(viewer.role, "manageJams");
  const linkedRows = await conn
    .select({
      id: ideas.id,
      title: ideas.title,
      authorId: ideas.authorId,
      authorName: users.name,
      isAnonymous: ideas.isAnonymous,
      votes: sql<number>`${ideas.voteCount} + ${ideas.agreeCount} + ${ideas.dotCount}`,
      hiddenAt: ideas.hiddenAt,
    })
    .from(actionIdeas)
    .innerJoin(ideas, eq(ideas.id, actionIdeas.ideaId))
    .innerJoin(users, eq(users.id, ideas.authorId))
    .where(and(eq(actionIdeas.actionId, actionId), moderator ? undefined : isNull(ideas.hiddenAt)))
    .orderBy(desc(sql`${ideas.voteCount} + ${ideas.agreeCount} + ${ideas.dotCount}`), asc(ideas.id))
    .all();
  const linked: LinkedIdeaView[] = linkedRows.map((i) => ({
    id: i.id,
    title: i.title,
    jamSlug: row.jam.slug,
    author: i.isAnonymous ? null : { id: i.authorId, name: i.authorName },
    isAnonymous: i.isAnonymous,
    isMine: i.authorId === viewer.id,
    votes: i.votes,
    hidden: i.hiddenAt !== null,
  }));
  const creator = await conn.select({ name: users.name }).from(users).where(eq(users.id, row.action.createdBy)).get();
  const manage = canManageActions(viewer);
  const { createdBy: _createdBy, ...action } = row.action;
  return {
    action,
    jam: { slug: row.jam.slug, title: row.jam.title },
    owner: row.owner,
    theme: row.theme?.id ? row.theme : null,
    createdByName: creator?.name ?? "",
    ideas: linked,
    history: await actionHistory(conn, actionId),
    canManage: manage,
    owners: manage ? await ownerChoices(conn, row.action.ownerId) : [],
  };
}

/** The action's audit trail: who created it and each change, oldest first. */
async function actionHistory(conn: Db, actionId: number) {
  return (await conn
    .select({ at: auditLog.at, action: auditLog.action, detail: auditLog.detail, actor: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.subject, `action:${actionId}`), or(eq(auditLog.action, "action_created"), eq(auditLog.action, "action_updated"))))
    .orderBy(asc(auditLog.id))
    .limit(100)
    .all())
    .map((h) => ({ at: h.at, actor: h.actor ?? "Someone", summary: historySummary(h.action, h.detail) }));
}

function historySummary(kind: string, detailJson: string | null): string {
  let detail: Record<string, unknown> = {};
  try {
    detail = detailJson ? (JSON.parse(detailJson) as Record<string, unknown>) : {};
  } catch {
    detail = {};
  }
  const label = (s: unknown) => (typeof s === "string" && s in ACTION_STATUS_LABELS ? ACTION_STATUS_LABELS[s as ActionStatus] : String(s));
  if (kind === "action_created") return `created it as ${label(detail.status ?? "proposed")}`;
  const parts: string[] = [];
  const status = detail.status as { from?: unknown; to?: unknown } | undefined;
  if (status) parts.push(`changed the status from ${label(status.from)} to ${label(status.to)}`);
  if (detail.ownerId) parts.push("changed the owner");
  if (detail.dueDate) parts.push("changed the due date");
  if (detail.title) parts.push("renamed it");
  if (detail.description) parts.push("edited the description");
  return parts.length ? parts.join(", ") : "edited it";
}

/** The actions an idea fed ("Ideas show the actions they fed"); the caller has checked the idea is visible. */
export async function actionsForIdea(conn: Db, ideaId: number) {
  return await conn
    .select({
      id: followUpActions.id,
      title: followUpActions.title,
      status: followUpActions.status,
      dueDate: followUpActions.dueDate,
      ownerName: users.name,
    })
    .from(actionIdeas)
    .innerJoin(followUpActions, eq(followUpActions.id, actionIdeas.actionId))
    .innerJoin(users, eq(users.id, followUpActions.ownerId))
    .where(eq(actionIdeas.ideaId, ideaId))
    .orderBy(desc(followUpActions.id))
    .limit(50)
    .all();
}

/** For the idea page: the actions the idea fed, and whether the viewer may start one from it. */
export async function ideaActionsPanel(viewer: SessionUser, ideaId: number) {
  return { actions: await actionsForIdea(db(), ideaId), canCreate: canManageActions(viewer) };
}

/** Actions per theme, for the synthesis page and the report (themes of one version). */
export async function actionsForThemes(conn: Db, themeIds: number[]) {
  if (themeIds.length === 0) return [];
  return await conn
    .select({
      id: followUpActions.id,
      themeId: followUpActions.themeId,
      title: followUpActions.title,
      status: followUpActions.status,
      dueDate: followUpActions.dueDate,
      ownerName: users.name,
    })
    .from(followUpActions)
    .innerJoin(users, eq(users.id, followUpActions.ownerId))
    .where(inArray(followUpActions.themeId, themeIds))
    .orderBy(asc(followUpActions.id))
    .all();
}

/** Every action of a jam, oldest first (the report lists them with owners and status). */
export async function jamActions(conn: Db, viewer: Pick<SessionUser, "role">, jamId: number) {
  return await conn
    .select({
      id: followUpActions.id,
      title: followUpActions.title,
      status: followUpActions.status,
      dueDate: followUpActions.dueDate,
      declineReason: followUpActions.declineReason,
      themeId: followUpActions.themeId,
      themeLabel: themeLabelFor(viewer),
      ownerName: users.name,
    })
    .from(followUpActions)
    .innerJoin(users, eq(users.id, followUpActions.ownerId))
    .leftJoin(themes, eq(themes.id, followUpActions.themeId))
    .leftJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
    .where(eq(followUpActions.jamId, jamId))
    .orderBy(asc(followUpActions.id))
    .all();
}

