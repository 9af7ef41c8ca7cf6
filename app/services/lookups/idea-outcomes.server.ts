import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import type { Db } from "~db/client";
import { actionIdeas, followUpActions, ideas, synthesisVersions, themeIdeas, themes } from "~db/schema";

export interface IdeaOutcome {
  theme: string | null;
  actions: { id: number; title: string; status: (typeof followUpActions.$inferSelect)["status"] }[];
}

/**
 * For the author's own ideas (on /me): the published theme each one is part of (its top-level
 * theme's label with it) and the follow-up actions it fed, with their status.
 */
export async function ideaOutcomes(conn: Db, viewer: Pick<SessionUser, "id" | "role">, ideaIds: number[]): Promise<Map<number, IdeaOutcome>> {
  const out = new Map<number, IdeaOutcome>();
  if (ideaIds.length === 0) return out;
  const own = (await conn
    .select({ id: ideas.id })
    .from(ideas)
    .where(and(inArray(ideas.id, ideaIds), eq(ideas.authorId, viewer.id)))
    .all())
    .map((r) => r.id);
  if (own.length === 0) return out;
  for (const id of own) out.set(id, { theme: null, actions: [] });
  const inThemes = await conn
    .select({
      ideaId: themeIdeas.ideaId,
      label: themes.label,
      parentLabel: sql<string | null>`(SELECT p.label FROM themes p WHERE p.id = ${themes.parentId})`,
    })
    .from(themeIdeas)
    .innerJoin(synthesisVersions, eq(synthesisVersions.id, themeIdeas.versionId))
    .innerJoin(themes, eq(themes.id, themeIdeas.themeId))
    .where(
      and(
        inArray(themeIdeas.ideaId, own),
        // The published version; staff may also read unpublished ones, but /me shows what everyone reads.
        isNotNull(synthesisVersions.publishedAt),
        eq(themeIdeas.excluded, false),
        eq(themes.isOther, false),
      ),
    )
    .all();
  for (const t of inThemes) out.get(t.ideaId)!.theme = t.parentLabel ? `${t.parentLabel} › ${t.label}` : t.label;
  const fed = await conn
    .select({ ideaId: actionIdeas.ideaId, id: followUpActions.id, title: followUpActions.title, status: followUpActions.status })
    .from(actionIdeas)
    .innerJoin(followUpActions, eq(followUpActions.id, actionIdeas.actionId))
    .where(inArray(actionIdeas.ideaId, own))
    .orderBy(asc(followUpActions.id))
    .all();
  for (const a of fed) out.get(a.ideaId)!.actions.push({ id: a.id, title: a.title, status: a.status });
  return out;
}
