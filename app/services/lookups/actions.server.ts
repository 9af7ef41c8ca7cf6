import { eq, desc, inArray, asc, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { UNPUBLISHED_THEME_LABEL } from "~/domain/actions";
import { can } from "~/domain/permissions";

import { type Db, db } from "~db/client";
import { followUpActions, users, actionIdeas, themes, synthesisVersions } from "~db/schema";

export const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export function canManageActions(viewer: Pick<SessionUser, "role">) {
  return can(viewer.role, "manageActions");
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

/**
 * An action's theme label as the viewer may read it: staff always; everyone else only while
 * the theme's version is the published one. The query left-joins themes and synthesisVersions.
 */
export function themeLabelFor(viewer: Pick<SessionUser, "role">) {
  return can(viewer.role, "seeUnpublishedSynthesis")
    ? themes.label
    : sql<string | null>`CASE WHEN ${synthesisVersions.publishedAt} IS NULL THEN CASE WHEN ${themes.id} IS NULL THEN NULL ELSE ${UNPUBLISHED_THEME_LABEL} END ELSE ${themes.label} END`;
}

export const ACTION_MANAGERS_ONLY = "Only leaders and facilitators can decide on follow-up actions.";

export const Id = z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional());
