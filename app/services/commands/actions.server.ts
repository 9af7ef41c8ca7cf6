/**
 * Follow-up actions: leaders and facilitators turn a theme (or one idea) into
 * an action with an owner, a due date and a status, and the people whose ideas
 * fed it hear about each decision in an in-app notification (once per status).
 * Everyone signed in can follow actions; anonymous authors are never shown.
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { ACTION_STATUS_LABELS, ACTION_STATUSES, actionNotice, parseDueDate, type ActionStatus } from "~/domain/actions";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
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
import { ideasUnder } from "~/services/lookups/synthesis.server";
import { recordAudit } from "~/services/effects/audit.server";
import { Conflict, Invalid, NotFound, validate } from "~/services/errors";
import { acceptedCoauthorIds } from "~/services/lookups/coauthors.server";
import { award, recomputeBadges } from "~/services/effects/gamification.server";

import { mailActionStatus } from "~/services/lookups/mail.server";
import { notify, type Notice } from "~/services/effects/notifications.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleIdea, jamVisibleTo } from "~/services/lookups/visibility.server";
import { Id, ACTION_MANAGERS_ONLY, blankToUndefined } from "~/services/lookups/actions.server";

export interface Meta {
  ip: string | null;
  now?: number;
}

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

/**
 * Whether the action had this status before the change just audited (its audit rows say so). The
 * rows of one action are few, so their JSON details are read here rather than in SQL, which both
 * engines then share.
 */
async function statusAnnouncedBefore(tx: Db, actionId: number, status: ActionStatus): Promise<boolean> {
  const rows = await tx
    .select({ action: auditLog.action, detail: auditLog.detail })
    .from(auditLog)
    .where(and(eq(auditLog.subject, `action:${actionId}`), inArray(auditLog.action, ["action_created", "action_updated"])))
    .all();
  const times = rows.filter(({ action, detail }) => {
    const parsed = detail ? (JSON.parse(detail) as { status?: unknown }) : {};
    const reached = action === "action_created" ? parsed.status : (parsed.status as { to?: unknown } | undefined)?.to;
    return reached === status;
  }).length;
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

export interface SourceChoice {
  value: string;
  label: string;
}

/** Splits the form's "grows from" choice (`theme:12` or `idea:34`) into the service's fields. */
export function sourceFields(value: string | undefined): { themeId?: string; ideaId?: string } {
  const m = value?.match(/^(theme|idea):(\d+)$/);
  if (!m) return {};
  return m[1] === "theme" ? { themeId: m[2] } : { ideaId: m[2] };
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
