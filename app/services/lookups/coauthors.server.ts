import { eq, and, sql, isNull, asc, inArray, ne } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import type { AuthorView } from "~/domain/views";
import { NotFound } from "~/services/errors";
import { type Db, preparedQuery } from "~db/client";
import { inList, jsonList } from "~db/lists";
import { type Idea, type Jam, ideas, jams, ideaCoauthors, users, departments } from "~db/schema";

/**
 * The idea and its jam as the viewer may see them (hidden ideas only for moderators and
 * their author; draft jams only for those who may open drafts); others are not told it exists.
 */
export async function ideaForViewer(conn: Db, viewer: SessionUser, id: number): Promise<{ idea: Idea; jam: Jam }> {
  const row = await conn.select({ idea: ideas, jam: jams }).from(ideas).innerJoin(jams, eq(jams.id, ideas.jamId)).where(eq(ideas.id, id)).get();
  if (!row || (row.jam.isDraft && !can(viewer.role, "seeDraftJams"))) throw new NotFound("No such idea.");
  if (row.idea.hiddenAt !== null && row.idea.authorId !== viewer.id && !can(viewer.role, "manageJams")) throw new NotFound("No such idea.");
  return row;
}

/** The people credited with an idea beside its author: its accepted co-authors' ids. */
export async function acceptedCoauthorIds(conn: Db, id: number): Promise<number[]> {
  return (await conn
    .select({ userId: ideaCoauthors.userId })
    .from(ideaCoauthors)
    .where(and(eq(ideaCoauthors.ideaId, id), eq(ideaCoauthors.status, "accepted")))
    .all())
    .map((r) => r.userId);
}

/** Whether the person writes the idea: its author or an accepted co-author. */
export async function writesIdea(conn: Db, idea: Pick<Idea, "id" | "authorId">, personId: number): Promise<boolean> {
  if (idea.authorId === personId) return true;
  return (
    await conn
      .select({ one: sql<number>`1` })
      .from(ideaCoauthors)
      .where(and(eq(ideaCoauthors.ideaId, idea.id), eq(ideaCoauthors.userId, personId), eq(ideaCoauthors.status, "accepted")))
      .get() !== undefined
  );
}

/** Accepted co-authors of a page of ideas (prepared: every challenge page asks). */
const coauthorsQuery = preparedQuery((conn) =>
  conn
    .select({ ideaId: ideaCoauthors.ideaId, id: users.id, name: users.name, department: departments.name })
    .from(ideaCoauthors)
    .innerJoin(users, eq(users.id, ideaCoauthors.userId))
    .leftJoin(departments, eq(departments.id, users.departmentId))
    // An erased co-author is nobody: they leave the card.
    .where(and(inList(ideaCoauthors.ideaId, "ids"), eq(ideaCoauthors.status, "accepted"), isNull(users.erasedAt)))
    .orderBy(asc(ideaCoauthors.respondedAt), asc(users.id))
    .prepare(),
);

/** Accepted co-authors of these ideas, for their cards (one query for a page of cards). Never asked for anonymous ideas. */
export async function coauthorsOfIdeas(conn: Db, ids: number[]): Promise<Map<number, AuthorView[]>> {
  const byIdea = new Map<number, AuthorView[]>();
  if (ids.length === 0) return byIdea;
  for (const { ideaId: key, ...person } of await coauthorsQuery(conn).all({ ids: jsonList(ids) })) {
    const list = byIdea.get(key);
    if (list) list.push(person);
    else byIdea.set(key, [person]);
  }
  return byIdea;
}

/** Everyone on an idea's co-author list that its author manages: invited and accepted. */
export async function coauthorList(conn: Db, id: number) {
  return await conn
    .select({ userId: users.id, name: users.name, department: departments.name, status: ideaCoauthors.status, invitedAt: ideaCoauthors.invitedAt })
    .from(ideaCoauthors)
    .innerJoin(users, eq(users.id, ideaCoauthors.userId))
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(and(eq(ideaCoauthors.ideaId, id), inArray(ideaCoauthors.status, ["invited", "accepted"]), isNull(users.erasedAt)))
    .orderBy(asc(ideaCoauthors.invitedAt), asc(users.id))
    .all();
}

/** The viewer's own open invitation to co-author this idea, if any. */
export async function pendingInvitation(conn: Db, id: number, viewerId: number) {
  return await conn
    .select({ invitedAt: ideaCoauthors.invitedAt, inviter: users.name })
    .from(ideaCoauthors)
    .innerJoin(users, eq(users.id, ideaCoauthors.invitedById))
    .where(and(eq(ideaCoauthors.ideaId, id), eq(ideaCoauthors.userId, viewerId), eq(ideaCoauthors.status, "invited")))
    .get();
}

const MATCHES = 8;

/** Colleagues the author may invite whose name contains what they typed (active, not already on the list). */
export async function coauthorCandidates(conn: Db, idea: Pick<Idea, "id" | "authorId">, q: string) {
  const words = q
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 4)
    .map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (words.length === 0) return [];
  return await conn
    .select({ id: users.id, name: users.name, department: departments.name })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(
      and(
        ...words.map((w) => sql`lower(${users.name}) like ${w} escape '\\'`),
        ne(users.id, idea.authorId),
        isNull(users.erasedAt),
        isNull(users.deactivatedAt),
        sql`${users.id} NOT IN (SELECT user_id FROM idea_coauthors WHERE idea_id = ${idea.id} AND status IN ('invited', 'accepted'))`,
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .limit(MATCHES)
    .all();
}
