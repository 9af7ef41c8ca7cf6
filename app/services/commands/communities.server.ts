/**
 * Communities of practice (commands): keep a published theme alive as a community, propose one
 * and decide proposals, invite, join, leave, steward (purpose, members, resources, hand-over) and
 * seed a challenge in a jam. Each command validates with zod, checks permission for THIS community,
 * runs one IMMEDIATE transaction and writes its notices and audit rows inside it.
 *
 * The always-open idea box is a jam of kind "community" with one challenge (decision 023): ideas,
 * comments, votes, moderation, anonymity and points are those of any challenge.
 */
import { and, eq, inArray, max } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { jamPhase } from "~/domain/phase";
import { readableText } from "~/domain/text";
import { COMMUNITY_LIMITS } from "~/domain/communities";
import { db, transaction, type Db } from "~db/client";
import {
  challenges,
  communities,
  communityMembers,
  communityResources,
  communitySeeds,
  jams,
  synthesisVersions,
  themes,
  type Community,
} from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { isMember } from "~/services/lookups/community-access.server";
import { Conflict, Forbidden, Invalid, NotFound, validate } from "~/services/errors";
import { requireCapability } from "~/services/lookups/guards.server";
import { slugify } from "~/services/commands/jams.server";
import { notify, type Notice } from "~/services/effects/notifications.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { postIdea } from "~/services/commands/ideas.server";
import { leaveCommunityJellies } from "~/services/commands/jellies.server";
import { findVisibleCommunity, inviteeCandidates, communityBySlug, communityById } from "~/services/lookups/communities.server";

/** A box never ends: 9999-12-31. */
export const BOX_ENDS_AT = Date.UTC(9999, 11, 31);

export { COMMUNITY_LIMITS };

export interface Meta {
  ip?: string | null;
  now?: number;
}

const id = z.coerce.number({ error: "Choose a community." }).int().positive();

const privacy = z.enum(["open", "members"], { error: "Choose who can read it." });

const title = readableText(
  z
    .string({ error: "Give the community a name." })
    .trim()
    .min(3, "Give the community a name of at least 3 characters.")
    .max(COMMUNITY_LIMITS.title, `Keep the name to ${COMMUNITY_LIMITS.title} characters or fewer.`),
);

const purpose = readableText(
  z
    .string({ error: "Say what the community is for." })
    .trim()
    .min(10, "Say in a sentence or two what the community is for.")
    .max(COMMUNITY_LIMITS.purpose, `Keep the purpose to ${COMMUNITY_LIMITS.purpose.toLocaleString("en")} characters or fewer.`),
  { multiline: true },
);

function assertSteward(actor: SessionUser, community: Community) {
  if (community.status !== "active") throw new Conflict("This community is not running.");
  // Admins may step in for a steward who left.
  if (community.stewardId !== actor.id && actor.role !== "admin") throw new Forbidden("Only the community's steward can do that.");
}

async function memberState(conn: Db, communityId: number, userId: number) {
  return (
    (await conn
      .select({ state: communityMembers.state })
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId)))
      .get())?.state ?? null
  );
}

async function uniqueSlug(tx: Db, wanted: string): Promise<string> {
  const base = slugify(wanted) || "community";
  for (let n = 1; ; n += 1) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!await tx.select({ id: communities.id }).from(communities).where(eq(communities.slug, slug)).get()) return slug;
  }
}

/** Creates the always-open idea box of an active community: a jam of kind "community" with one challenge. */
async function openIdeaBox(tx: Db, community: Community, now: number) {
  const jam = await tx
    .insert(jams)
    .values({
      slug: `community-${community.id}`,
      title: community.title,
      description: community.purpose,
      startsAt: now,
      endsAt: BOX_ENDS_AT,
      isDraft: false,
      kind: "community",
      createdBy: community.stewardId,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  const challenge = await tx
    .insert(challenges)
    .values({ jamId: jam.id, title: community.title, question: community.purpose, position: 0, createdAt: now })
    .returning()
    .get();
  await tx.update(communities).set({ boxJamId: jam.id, boxChallengeId: challenge.id, updatedAt: now }).where(eq(communities.id, community.id)).run();
  return { jam, challenge };
}

async function makeMember(tx: Db, communityId: number, userId: number, invitedBy: number | null, now: number) {
  await tx.insert(communityMembers)
    .values({ communityId, userId, state: "member", invitedBy, createdAt: now, joinedAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [communityMembers.communityId, communityMembers.userId],
      set: { state: "member", joinedAt: now, updatedAt: now },
    })
    .run();
}

function communityLink(c: Pick<Community, "slug">) {
  return `/communities/${c.slug}`;
}

// ------------------------------------------------------------------------ keep a theme alive

export const KeepThemeInput = z.object({
  themeId: z.coerce.number({ error: "Choose a theme." }).int().positive(),
  privacy: privacy.optional().default("open"),
});

/**
 * "Keep this theme alive": a facilitator, leader or admin turns a theme of a PUBLISHED synthesis
 * into an active community they steward. Once per theme: a second call returns the first community.
 */
export async function keepThemeAlive(actor: SessionUser, input: unknown, meta: Meta = {}) {
  requireCapability(actor, "manageActions", "Only facilitators and leaders can turn a theme into a community.");
  const data = validate(KeepThemeInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const theme = await tx
      .select({ id: themes.id, label: themes.label, summary: themes.summary, isOther: themes.isOther, jamId: synthesisVersions.jamId, publishedAt: synthesisVersions.publishedAt })
      .from(themes)
      .innerJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
      .where(eq(themes.id, data.themeId))
      .get();
    if (!theme || theme.publishedAt === null || theme.isOther) throw new NotFound("No such published theme.");
    const existing = await tx.select().from(communities).where(eq(communities.themeId, theme.id)).get();
    if (existing) return { community: existing, created: false };
    const community = await tx
      .insert(communities)
      .values({
        slug: await uniqueSlug(tx, theme.label),
        title: theme.label.slice(0, COMMUNITY_LIMITS.title),
        purpose: theme.summary || `Keeping “${theme.label}” alive after the jam: sharing what works and what we learn.`,
        privacy: data.privacy,
        status: "active",
        stewardId: actor.id,
        proposedBy: actor.id,
        themeId: theme.id,
        sourceJamId: theme.jamId,
        decidedBy: actor.id,
        decidedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    await openIdeaBox(tx, community, now);
    await makeMember(tx, community.id, actor.id, null, now);
    await recordAudit(tx, { action: "community_created", actorId: actor.id, subject: `community:${community.id}`, ip: meta.ip ?? null, detail: { themeId: theme.id }, at: now });
    return { community: await communityById(tx, community.id), created: true };
  });
}

// ------------------------------------------------------------------------ proposals

export const ProposeInput = z.object({ title, purpose, privacy: privacy.optional().default("open") });

/** Anyone proposes a community; a facilitator or admin approves or declines it. The same proposal twice is one. */
export async function proposeCommunity(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(ProposeInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "idea", now);
  return await transaction(async (tx) => {
    const same = await tx
      .select()
      .from(communities)
      .where(and(eq(communities.proposedBy, actor.id), eq(communities.status, "proposed"), eq(communities.title, data.title)))
      .get();
    if (same) return { community: same, created: false };
    const community = await tx
      .insert(communities)
      .values({ slug: await uniqueSlug(tx, data.title), title: data.title, purpose: data.purpose, privacy: data.privacy, status: "proposed", stewardId: actor.id, proposedBy: actor.id, createdAt: now, updatedAt: now })
      .returning()
      .get();
    await recordAudit(tx, { action: "community_proposed", actorId: actor.id, subject: `community:${community.id}`, ip: meta.ip ?? null, at: now });
    return { community, created: true };
  });
}

export const DecideInput = z.discriminatedUnion("decision", [
  z.object({ communityId: id, decision: z.literal("approve") }),
  z.object({
    communityId: id,
    decision: z.literal("decline"),
    reason: readableText(
      z
        .string({ error: "Tell the proposer why." })
        .trim()
        .min(3, "Tell the proposer why, in a few words.")
        .max(COMMUNITY_LIMITS.reason, `Keep the reason to ${COMMUNITY_LIMITS.reason} characters or fewer.`),
      { multiline: true },
    ),
  }),
]);

/** Approves (opens the community, its proposer as steward) or declines (with a reason) a proposal, once. */
export async function decideProposal(actor: SessionUser, input: unknown, meta: Meta = {}) {
  requireCapability(actor, "manageJams", "Only facilitators and admins decide on proposed communities.");
  const data = validate(DecideInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const approve = data.decision === "approve";
    const changed = await tx
      .update(communities)
      .set({ status: approve ? "active" : "declined", decidedBy: actor.id, decidedAt: now, declineReason: approve ? null : data.reason, updatedAt: now })
      .where(and(eq(communities.id, data.communityId), eq(communities.status, "proposed")))
      .run();
    const community = await communityById(tx, data.communityId);
    if (changed.changes === 0) throw new Conflict(`This proposal was already ${community.status === "active" ? "approved" : "declined"}.`);
    if (approve) {
      await openIdeaBox(tx, community, now);
      await makeMember(tx, community.id, community.proposedBy, null, now);
    }
    await notify(
      tx,
      [
        {
          userId: community.proposedBy,
          kind: "communities",
          body: approve
            ? `Your proposed community “${community.title}” was approved: you are its steward.`
            : `Your proposed community “${community.title}” was declined: ${data.decision === "decline" ? data.reason : ""}`,
          link: approve ? communityLink(community) : "/communities?tab=mine",
          dedupeKey: `community:decided:${community.id}`,
          jamId: null,
        },
      ],
      now,
    );
    await recordAudit(tx, { action: approve ? "community_approved" : "community_declined", actorId: actor.id, subject: `community:${community.id}`, ip: meta.ip ?? null, at: now });
    return await communityById(tx, community.id);
  });
}

// ------------------------------------------------------------------------ invitations

export type InviteeReason = "contributor" | "follower" | "go-to";

export interface Invitee {
  id: number;
  name: string;
  reasons: InviteeReason[];
}

export const InviteInput = z.object({
  communityId: id,
  userIds: z
    .array(z.coerce.number().int().positive())
    .min(1, "Choose at least one person to invite.")
    .max(COMMUNITY_LIMITS.invite, `Invite at most ${COMMUNITY_LIMITS.invite} people at a time.`),
});

/** The steward invites people from the preview (nobody else); inviting twice invites once. Returns who was invited now. */
export async function inviteMembers(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(InviteInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    assertSteward(actor, community);
    const allowed = new Set((await inviteeCandidates(tx, community)).map((c) => c.id));
    const chosen = [...new Set(data.userIds)].filter((u) => allowed.has(u));
    const invited: number[] = [];
    for (const userId of chosen) {
      const written = await tx
        .insert(communityMembers)
        .values({ communityId: community.id, userId, state: "invited", invitedBy: actor.id, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .run();
      if (written.changes > 0) invited.push(userId);
    }
    await notify(
      tx,
      invited.map(
        (userId): Notice => ({
          userId,
          kind: "communities",
          body: `${actor.name} invited you to the community “${community.title}”.`,
          link: communityLink(community),
          dedupeKey: `community:invite:${community.id}`,
          jamId: null,
        }),
      ),
      now,
    );
    if (invited.length > 0) {
      await recordAudit(tx, { action: "community_invited", actorId: actor.id, subject: `community:${community.id}`, ip: meta.ip ?? null, detail: { count: invited.length }, at: now });
    }
    return { invited: invited.length };
  });
}

export const RespondInput = z.object({ communityId: id, answer: z.enum(["accept", "decline"], { error: "Accept or decline." }) });

/** The invitee accepts or declines their own invitation, once. */
export async function respondToInvitation(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(RespondInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    const accept = data.answer === "accept";
    const changed = await tx
      .update(communityMembers)
      .set(accept ? { state: "member", joinedAt: now, updatedAt: now } : { state: "declined", updatedAt: now })
      .where(and(eq(communityMembers.communityId, community.id), eq(communityMembers.userId, actor.id), eq(communityMembers.state, "invited")))
      .run();
    if (changed.changes === 0) {
      const state = await memberState(tx, community.id, actor.id);
      if (state === (accept ? "member" : "declined")) return { state };
      throw new Conflict("You have no open invitation to this community.");
    }
    return { state: accept ? "member" : "declined" };
  });
}

/**
 * Joining: an open community takes anyone who was not removed; a members-only one records a request
 * for its steward (who is told). An invitation pending is accepted by joining.
 */
export async function joinCommunity(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const { communityId } = validate(z.object({ communityId: id }), input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, communityId);
    if (community.status !== "active") throw new Conflict("This community is not running.");
    const state = await memberState(tx, community.id, actor.id);
    if (state === "member") return { state };
    if (state === "removed") throw new Forbidden("The steward removed you from this community.");
    if (community.privacy === "open" || state === "invited") {
      await makeMember(tx, community.id, actor.id, null, now);
      return { state: "member" as const };
    }
    if (state === "requested") return { state };
    await tx.insert(communityMembers)
      .values({ communityId: community.id, userId: actor.id, state: "requested", createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [communityMembers.communityId, communityMembers.userId], set: { state: "requested", updatedAt: now } })
      .run();
    await notify(
      tx,
      [{ userId: community.stewardId, kind: "communities", body: `${actor.name} asks to join “${community.title}”.`, link: `${communityLink(community)}#members`, dedupeKey: `community:request:${community.id}:${actor.id}:${now}`, jamId: null }],
      now,
    );
    return { state: "requested" as const };
  });
}

/** Leaves a community (the steward hands over first). */
export async function leaveCommunity(actor: SessionUser, input: unknown) {
  const { communityId } = validate(z.object({ communityId: id }), input);
  const now = Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, communityId);
    if (community.stewardId === actor.id) throw new Conflict("Hand the community over to another member before you leave.");
    await tx.update(communityMembers)
      .set({ state: "left", updatedAt: now })
      .where(and(eq(communityMembers.communityId, community.id), eq(communityMembers.userId, actor.id), inArray(communityMembers.state, ["member", "requested", "invited"])))
      .run();
    await leaveCommunityJellies(tx, community.id, actor.id, now);
    return { state: "left" as const };
  });
}

export const MemberInput = z.object({ communityId: id, userId: z.coerce.number({ error: "Choose a person." }).int().positive() });

/** The steward accepts a request to join. */
export async function acceptRequest(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(MemberInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    assertSteward(actor, community);
    const changed = await tx
      .update(communityMembers)
      .set({ state: "member", joinedAt: now, updatedAt: now })
      .where(and(eq(communityMembers.communityId, community.id), eq(communityMembers.userId, data.userId), eq(communityMembers.state, "requested")))
      .run();
    if (changed.changes > 0) {
      await notify(tx, [{ userId: data.userId, kind: "communities", body: `You are now a member of “${community.title}”.`, link: communityLink(community), dedupeKey: `community:accepted:${community.id}:${now}`, jamId: null }], now);
    }
    return { accepted: changed.changes > 0 };
  });
}

/** The steward removes a member (or turns down a request). They can no longer read a members-only community. */
export async function removeMember(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(MemberInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    assertSteward(actor, community);
    if (data.userId === community.stewardId) throw new Conflict("The steward cannot be removed; hand the community over first.");
    const changed = await tx
      .update(communityMembers)
      .set({ state: "removed", updatedAt: now })
      .where(and(eq(communityMembers.communityId, community.id), eq(communityMembers.userId, data.userId), inArray(communityMembers.state, ["member", "requested", "invited"])))
      .run();
    if (changed.changes > 0) await leaveCommunityJellies(tx, community.id, data.userId, now);
    if (changed.changes > 0) await recordAudit(tx, { action: "community_member_removed", actorId: actor.id, subject: `community:${community.id}`, ip: meta.ip ?? null, detail: { userId: data.userId }, at: now });
    return { removed: changed.changes > 0 };
  });
}

/** The steward hands the community over to another member. */
export async function handOver(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(MemberInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    assertSteward(actor, community);
    if (!await isMember(tx, community.id, data.userId)) throw new Invalid({ userId: ["Hand over to a member of the community."] });
    await tx.update(communities).set({ stewardId: data.userId, updatedAt: now }).where(eq(communities.id, community.id)).run();
    await notify(tx, [{ userId: data.userId, kind: "communities", body: `${actor.name} handed “${community.title}” over to you: you are its steward now.`, link: communityLink(community), dedupeKey: `community:steward:${community.id}:${now}`, jamId: null }], now);
    await recordAudit(tx, { action: "community_handed_over", actorId: actor.id, subject: `community:${community.id}`, ip: meta.ip ?? null, detail: { to: data.userId }, at: now });
    return { stewardId: data.userId };
  });
}

export const EditInput = z.object({ communityId: id, purpose, privacy });

/** The steward edits the purpose and who can read it. The box's challenge question follows the purpose. */
export async function editCommunity(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(EditInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    assertSteward(actor, community);
    await tx.update(communities).set({ purpose: data.purpose, privacy: data.privacy, updatedAt: now }).where(eq(communities.id, community.id)).run();
    if (community.boxChallengeId !== null) await tx.update(challenges).set({ question: data.purpose }).where(eq(challenges.id, community.boxChallengeId)).run();
    if (community.boxJamId !== null) await tx.update(jams).set({ description: data.purpose, updatedAt: now }).where(eq(jams.id, community.boxJamId)).run();
    await recordAudit(tx, { action: "community_updated", actorId: actor.id, subject: `community:${community.id}`, ip: meta.ip ?? null, detail: { privacy: data.privacy }, at: now });
    return await communityById(tx, community.id);
  });
}

// ------------------------------------------------------------------------ resources

const url = z
  .string()
  .trim()
  .max(COMMUNITY_LIMITS.url, `Keep the link to ${COMMUNITY_LIMITS.url} characters or fewer.`)
  .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "A link starts with https:// (or http://).");

export const ResourceInput = z
  .object({
    communityId: id,
    title: readableText(
      z
        .string({ error: "Give the resource a title." })
        .trim()
        .min(1, "Give the resource a title.")
        .max(COMMUNITY_LIMITS.resourceTitle, `Keep the title to ${COMMUNITY_LIMITS.resourceTitle} characters or fewer.`),
    ),
    url: url.optional().default(""),
    notes: readableText(z.string().trim().max(COMMUNITY_LIMITS.resourceNotes, `Keep the notes to ${COMMUNITY_LIMITS.resourceNotes} characters or fewer.`), { multiline: true })
      .optional()
      .default(""),
  })
  .refine((r) => r.url !== "" || r.notes !== "", { message: "Add a link or a few notes.", path: ["url"] });

export async function addResource(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(ResourceInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    assertSteward(actor, community);
    const same = await tx
      .select({ id: communityResources.id })
      .from(communityResources)
      .where(and(eq(communityResources.communityId, community.id), eq(communityResources.title, data.title), eq(communityResources.createdAt, now)))
      .get();
    if (same) return same;
    return await tx
      .insert(communityResources)
      .values({ communityId: community.id, title: data.title, url: data.url || null, notes: data.notes, addedBy: actor.id, createdAt: now })
      .returning({ id: communityResources.id })
      .get();
  });
}

export async function removeResource(actor: SessionUser, input: unknown) {
  const data = validate(z.object({ communityId: id, resourceId: z.coerce.number().int().positive() }), input);
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    assertSteward(actor, community);
    const gone = await tx
      .delete(communityResources)
      .where(and(eq(communityResources.id, data.resourceId), eq(communityResources.communityId, community.id)))
      .run();
    return { removed: gone.changes > 0 };
  });
}

export const SeedInput = z.object({ communityId: id, jamId: z.coerce.number({ error: "Choose a jam." }).int().positive("Choose a jam.") });

/**
 * A facilitator seeds a challenge in a draft or scheduled jam from the community: its title and
 * purpose, and a link back (community_seeds). Once per community and jam.
 */
export async function seedChallenge(actor: SessionUser, input: unknown, meta: Meta = {}) {
  requireCapability(actor, "manageJams", "Only facilitators can add challenges to a jam.");
  const data = validate(SeedInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, data.communityId);
    if (community.status !== "active") throw new Conflict("This community is not running.");
    const jam = await tx.select().from(jams).where(and(eq(jams.id, data.jamId), eq(jams.kind, "jam"))).get();
    if (!jam) throw new Invalid({ jamId: ["Choose a jam."] });
    const phase = jamPhase(jam, now);
    if (phase !== "draft" && phase !== "scheduled") throw new Invalid({ jamId: ["Choose a jam that has not started yet."] });
    const seeded = await tx
      .select({ challengeId: communitySeeds.challengeId })
      .from(communitySeeds)
      .where(and(eq(communitySeeds.communityId, community.id), eq(communitySeeds.jamId, jam.id)))
      .get();
    if (seeded) return { challengeId: seeded.challengeId, jamSlug: jam.slug, created: false };
    const last = (await tx.select({ p: max(challenges.position) }).from(challenges).where(eq(challenges.jamId, jam.id)).get())?.p ?? -1;
    const challenge = await tx
      .insert(challenges)
      .values({ jamId: jam.id, title: community.title, question: community.purpose, position: last + 1, createdAt: now })
      .returning({ id: challenges.id })
      .get();
    await tx.insert(communitySeeds).values({ challengeId: challenge.id, communityId: community.id, jamId: jam.id, seededBy: actor.id, createdAt: now }).run();
    await recordAudit(tx, { action: "community_seeded_challenge", actorId: actor.id, subject: `community:${community.id}`, ip: meta.ip ?? null, detail: { jamId: jam.id, challengeId: challenge.id }, at: now });
    return { challengeId: challenge.id, jamSlug: jam.slug, created: true };
  });
}

/** The community a form on its page acts on, if the viewer may see it. */
export async function communityForAction(actor: SessionUser, slug: string): Promise<Community> {
  const conn = db();
  const found = await communityBySlug(conn, slug);
  if (!found) throw new NotFound("No such community.");
  return await findVisibleCommunity(conn, actor, found.id);
}

/** Posts in the community's idea box: members post; the rest is postIdea's (rules, anonymity, points, double submits). */
export async function postInIdeaBox(actor: SessionUser, community: Community, input: Record<string, unknown>, meta: { now?: number } = {}) {
  if (community.status !== "active" || community.boxChallengeId === null) throw new Conflict("This community is not running.");
  if (!await isMember(db(), community.id, actor.id)) throw new Conflict("Join the community to post in its idea box.");
  return await postIdea(actor, { ...input, challengeId: community.boxChallengeId }, meta);
}
