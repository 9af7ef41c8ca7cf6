/**
 * What the network pages show: the network engine's view (lookups/network.server.ts)
 * with the page's filters and the jam's themes, in one call per loader.
 */
import { searchQuestions } from "~/services/lookups/questions.server";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { followedAmong, latestThemes, myFollows, peopleToMeet, themeContributorIds } from "~/services/lookups/follows.server";
import { myYearAcrossDepartments } from "~/services/lookups/learning.server";
import { goToPeople, networkView, personalNetwork, searchExperts } from "~/services/lookups/network.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";
import { and, eq, inArray } from "drizzle-orm";
import { db, type Db } from "~db/client";
import { communities } from "~db/schema";
import { upcomingJellyCounts } from "~/services/lookups/jellies.server";
import { communitiesToJoin, dismissedPeople, learnedFrom, learnedFromMe, myCommunities } from "~/services/lookups/my-learning.server";
import { mapInOrder } from "~/domain/in-order";

const Filters = z.object({
  drawing: z.enum(["departments", "people"]).catch("departments"),
  department: z.coerce.number().int().positive().nullable().catch(null),
  theme: z.coerce.number().int().positive().nullable().catch(null),
  q: z.string().trim().max(100).catch(""),
});

const NETWORK_PAGES_STAFF_ONLY = "The network pages are for facilitators, leaders and admins.";

async function experts(conn: Db, viewer: SessionUser, q: string) {
  return (await searchExperts(conn, viewer, q)).map((e) => ({
    id: e.id,
    name: e.name,
    department: e.department,
    detail: `${e.ideas === 1 ? "1 idea" : `${e.ideas} ideas`} on this, ${e.engagement} reactions`,
  }));
}

/** Influencers shown per theme. */
const THEME_INFLUENCERS = 3;

/**
 * The people whose ideas drew the most support, comments and replies in each
 * top-level theme of the jam's latest PUBLISHED synthesis (an unpublished
 * version is still being curated). Anonymous ideas credit nobody; people who
 * opted out of rankings are left out.
 */
async function themeInfluencers(conn: Db, viewer: SessionUser, jamId: number) {
  const themes = (await latestThemes(conn, viewer, jamId, { publishedOnly: true })).filter((t) => !t.label.includes(" › "));
  return (await mapInOrder(themes, async (t) => ({
      id: t.id,
      label: t.label,
      people: (await goToPeople(conn, viewer, t.id, THEME_INFLUENCERS)).map((p) => ({ id: p.id, name: p.name, department: p.department, ideas: p.ideas, support: p.votes, replies: p.comments + p.replies })),
    })))
    .filter((t) => t.people.length > 0);
}

type NetworkQuery = { drawing?: string | null; department?: string | null; theme?: string | null };

/** /jams/:slug/network: the jam's findings and drawing (departments, or people filtered by department and theme). */
export async function jamNetworkPage(viewer: SessionUser, slug: string, input: NetworkQuery) {
  const conn = db();
  const jam = await findVisibleJam(conn, viewer, slug);
  requireCapability(viewer, "seePeopleNetwork", NETWORK_PAGES_STAFF_ONLY);
  const filters = Filters.parse({ drawing: input.drawing, department: input.department || null, theme: input.theme || null, q: "" });
  const themes = await latestThemes(conn, viewer, jam.id);
  const theme = filters.theme !== null && themes.some((t) => t.id === filters.theme) ? filters.theme : null;
  const members = filters.drawing === "people" && theme !== null ? await themeContributorIds(conn, viewer, theme) : null;
  return {
    jam: { id: jam.id, slug: jam.slug, title: jam.title },
    network: await networkView(conn, viewer, jam.slug, { drawing: filters.drawing, department: filters.department, members }),
    themeInfluencers: await themeInfluencers(conn, viewer, jam.id),
    themes,
    department: filters.department,
    theme,
  };
}

/** /network: the organisation's network across jams, and the expert search. */
export async function orgNetworkPage(viewer: SessionUser, input: NetworkQuery & { q?: string | null }) {
  requireCapability(viewer, "seePeopleNetwork", NETWORK_PAGES_STAFF_ONLY);
  const filters = Filters.parse({ drawing: input.drawing, department: input.department || null, theme: null, q: input.q ?? "" });
  return {
    network: await networkView(db(), viewer, null, { drawing: filters.drawing, department: filters.department }),
    department: filters.department,
    q: filters.q,
    experts: filters.q ? await experts(db(), viewer, filters.q) : null,
  };
}

/** /people/search: "who knows about …?" for everyone. */
export async function expertSearchPage(viewer: SessionUser, input: { q?: string | null }) {
  const q = Filters.shape.q.parse(input.q ?? "");
  const conn = db();
  return { q, experts: q ? await experts(conn, viewer, q) : null, questions: q ? await searchQuestions(conn, q, 5) : [] };
}

/** The page lists the strongest ties; the CSV download has them all. */
export const MY_NETWORK_SHOWN = 100;

/**
 * /network/me: the people one learned from (and who learned from one), one's communities and
 * communities to join, whom one should meet, the year across departments, one's own network (the
 * strongest ties) and who one follows.
 */
export async function myNetworkPage(viewer: SessionUser) {
  const conn = db();
  const ties = await personalNetwork(conn, viewer);
  const dismissed = await dismissedPeople(conn, viewer);
  return {
    learnedFrom: await learnedFrom(conn, viewer),
    learnedFromMe: await learnedFromMe(conn, viewer),
    communities: await myCommunities(conn, viewer),
    toJoin: await communitiesToJoin(conn, viewer),
    network: ties.slice(0, MY_NETWORK_SHOWN),
    tieCount: ties.length,
    follows: await myFollows(conn, viewer),
    meet: await peopleToMeet(conn, viewer, dismissed),
    meetDismissed: dismissed.size,
    year: await myYearAcrossDepartments(conn, viewer),
  };
}

/** For the synthesis page's theme cards: which themes the viewer follows, and each theme's go-to people. */
export async function themeCardsSocial(viewer: SessionUser, themeIds: number[]) {
  const followed = await followedAmong(db(), viewer, "theme", themeIds);
  const goTo: Record<number, { id: number; name: string | null; department: string | null }[]> = {};
  for (const id of themeIds) {
    goTo[id] = (await goToPeople(db(), viewer, id))
      .slice(0, 3)
      .map((p) => ({ id: p.id, name: p.name, department: p.department }));
  }
  // "Keep this theme alive": the community each theme became, and whether the viewer may make one.
  const kept: Record<number, { slug: string; title: string }> = {};
  if (themeIds.length > 0) {
    for (const c of await db()
      .select({ themeId: communities.themeId, slug: communities.slug, title: communities.title })
      .from(communities)
      .where(and(inArray(communities.themeId, themeIds), eq(communities.status, "active")))
      .all()) {
      if (c.themeId !== null) kept[c.themeId] = { slug: c.slug, title: c.title };
    }
  }
  return { followed, goTo, communities: kept, canKeepAlive: can(viewer.role, "manageActions"), jellies: await upcomingJellyCounts(db(), themeIds, Date.now()) };
}
