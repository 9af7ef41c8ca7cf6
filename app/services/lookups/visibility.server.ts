/**
 * Who may see what: the one place the draft check lives. A draft jam (and everything in it) is
 * seen only by staff (`seeDraftJams`); everyone else is told it does not exist (not found beats
 * forbidden). Every lookup takes the connection or transaction first (decision 021).
 */
import { eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { preparedQuery, type Db } from "~db/client";
import { challenges, ideas, jams, type Idea, type Jam } from "~db/schema";
import { mayReadJamContent } from "~/services/lookups/community-access.server";
import { NotFound } from "~/services/errors";

/** Whether the viewer sees draft jams (staff) at all. */
export function seesDraftJams(viewer: Pick<SessionUser, "role">): boolean {
  return can(viewer.role, "seeDraftJams");
}

/** Whether the viewer may see this jam: drafts only for staff. */
export function jamVisibleTo(viewer: Pick<SessionUser, "role">, jam: Pick<Jam, "isDraft">): boolean {
  return !jam.isDraft || seesDraftJams(viewer);
}

/**
 * The same rule as a condition on `jams` for lists: nothing for staff, `is_draft = FALSE` for others
 * (a query that left-joins jams passes `orNoJam` so rows without a jam stay).
 */
export function visibleJamsCondition(viewer: Pick<SessionUser, "role">, options: { orNoJam?: boolean } = {}): SQL | undefined {
  if (seesDraftJams(viewer)) return undefined;
  return options.orNoJam ? or(isNull(jams.id), eq(jams.isDraft, false)) : eq(jams.isDraft, false);
}

function visibleTo(viewer: SessionUser, jam: Jam | undefined): jam is Jam {
  return jam !== undefined && jamVisibleTo(viewer, jam);
}

/** The jam with this slug if the viewer may see it (drafts only for staff); not found otherwise. */
const jamBySlug = preparedQuery((conn) => conn.select().from(jams).where(eq(jams.slug, sql.placeholder("slug"))).prepare());

const jamById = preparedQuery((conn) => conn.select().from(jams).where(eq(jams.id, sql.placeholder("id"))).prepare());

export async function findVisibleJam(conn: Db, viewer: SessionUser, slug: string, options: { communityBox?: boolean } = {}): Promise<Jam> {
  const jam = await jamBySlug(conn).get({ slug });
  if (!visibleTo(viewer, jam)) throw new NotFound("No such jam.");
  // A community's idea box is no jam: its jam pages (home, leaderboard, synthesis, exports) do not
  // exist; only the live stream of its ideas does, for the community's readers.
  if (jam.kind === "community" && !(options.communityBox && await mayReadJamContent(conn, viewer, jam))) throw new NotFound("No such jam.");
  return jam;
}

/** Whether the viewer may (still) see the jam with this id: it exists, is not a draft hidden from them, and (a community's box) they may read it. */
export async function canSeeJam(conn: Db, viewer: SessionUser, jamId: number): Promise<boolean> {
  const jam = await jamById(conn).get({ id: jamId });
  return visibleTo(viewer, jam) && await mayReadJamContent(conn, viewer, jam);
}

const challengeWithJam = preparedQuery((conn) =>
  conn
    .select({ challenge: challenges, jam: jams })
    .from(challenges)
    .innerJoin(jams, eq(jams.id, challenges.jamId))
    .where(eq(challenges.id, sql.placeholder("id")))
    .prepare(),
);

/** The challenge and its jam, if the viewer may see them (and, given a jam slug, the challenge belongs to that jam). */
export async function findVisibleChallenge(conn: Db, viewer: SessionUser, challengeId: number, jamSlug?: string) {
  const row = await challengeWithJam(conn).get({ id: challengeId });
  if (!row || !jamVisibleTo(viewer, row.jam)) throw new NotFound("No such challenge.");
  if (!await mayReadJamContent(conn, viewer, row.jam)) throw new NotFound("No such challenge.");
  if (jamSlug !== undefined && row.jam.slug !== jamSlug) throw new NotFound("No such challenge.");
  return row;
}

const ideaWithJam = preparedQuery((conn) =>
  conn
    .select({ idea: ideas, jam: jams })
    .from(ideas)
    .innerJoin(jams, eq(jams.id, ideas.jamId))
    .where(eq(ideas.id, sql.placeholder("id")))
    .prepare(),
);

/** A visible idea with its jam: hidden ideas, draft jams and (given a jam slug) ideas of another jam are not found. */
export async function findVisibleIdea(conn: Db, viewer: SessionUser, ideaId: number, jamSlug?: string): Promise<{ idea: Idea; jam: Jam }> {
  const row = await ideaWithJam(conn).get({ id: ideaId });
  if (!row || row.idea.hiddenAt !== null || !jamVisibleTo(viewer, row.jam)) {
    throw new NotFound("No such idea.");
  }
  if (!await mayReadJamContent(conn, viewer, row.jam)) throw new NotFound("No such idea.");
  if (jamSlug !== undefined && row.jam.slug !== jamSlug) throw new NotFound("No such idea.");
  return row;
}

/**
 * An idea for its own page: a visible one, or a hidden one for its author and
 * for facilitators (they are shown why it is hidden). Others are not told it exists.
 */
export async function findIdeaForPage(conn: Db, viewer: SessionUser, ideaId: number): Promise<{ idea: Idea; jam: Jam }> {
  const row = await ideaWithJam(conn).get({ id: ideaId });
  if (!row || !jamVisibleTo(viewer, row.jam)) throw new NotFound("No such idea.");
  if (!await mayReadJamContent(conn, viewer, row.jam)) throw new NotFound("No such idea.");
  if (row.idea.hiddenAt !== null && row.idea.authorId !== viewer.id && !can(viewer.role, "manageJams")) {
    throw new NotFound("No such idea.");
  }
  return row;
}
