import { sql, eq, and, or, lt, desc, asc, isNull, inArray } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { ACTION_STATUSES, ACTION_STATUS_LABELS, type ActionStatus } from "~/domain/actions";
import { isErasedEmail } from "~/domain/erasure";
import { can } from "~/domain/permissions";
import type { SourceChoice, LinkedIdeaView } from "~/services/commands/actions.server";
import { ACTION_MANAGERS_ONLY, Id, themeLabelFor, canManageActions } from "~/services/lookups/actions.server";
import { validate, NotFound } from "~/services/errors";
import { requireCapability } from "~/services/lookups/guards.server";
import { visibleJamsCondition, jamVisibleTo, findVisibleIdea } from "~/services/lookups/visibility.server";
import { type Db, db } from "~db/client";
import { containsText } from "~db/like";
import { followUpActions, jams, users, themes, synthesisVersions, ideas, actionIdeas, auditLog } from "~db/schema";

export const ACTIONS_PAGE = 20;

const MAX_OWNER_CHOICES = 500;

const MAX_SOURCE_VERSIONS = 30;

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
      .orderBy(asc(jams.title), asc(jams.slug))
      .all(),
    owners: await conn
      .selectDistinct({ id: users.id, name: users.name })
      .from(followUpActions)
      .innerJoin(users, eq(users.id, followUpActions.ownerId))
      .innerJoin(jams, eq(jams.id, followUpActions.jamId))
      .where(visible)
      .orderBy(asc(users.name), asc(users.id))
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

/** Everything the /actions page shows: the list, its filters, and (for staff) the new-action form. */
export async function actionsPage(viewer: SessionUser, query: Record<string, string | undefined>) {
  const list = await listActions(db(), viewer, query);
  return {
    ...list,
    options: await actionFilterOptions(db(), viewer),
    form: canManageActions(viewer) ? await newActionForm(db(), viewer, { themeId: query.themeId, ideaId: query.ideaId }) : null,
  };
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
