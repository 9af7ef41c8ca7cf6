/**
 * The idea page's part for editing, co-authors and build-ons (a page service: the idea page's
 * loader calls it beside ideaDetail). The permission decisions for what the page offers live here.
 */
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { jamPhase, phaseAllows } from "~/domain/phase";
import { db } from "~db/client";
import { buildOns, openAmendments } from "./amendments.server";
import { coauthorCandidates, coauthorList, ideaForViewer, pendingInvitation, writesIdea } from "./coauthors.server";
import { changesSinceVote, peopleById } from "./revisions.server";

export const CoauthorQuery = z.string().trim().max(80).catch("");

/**
 * What editing, co-authors and build-ons add to an idea page for this viewer: whether they may
 * edit (and the version their edit is based on), what changed since their vote, the co-author
 * list and invitation, the proposed changes, and the ideas it was built on or that build on it.
 */
export async function ideaEditsPanel(viewer: SessionUser, input: { ideaId: number; coauthorQuery?: string | null }, now = Date.now()) {
  const conn = db();
  const { idea, jam } = await ideaForViewer(conn, viewer, input.ideaId);
  const phase = jamPhase(jam, now);
  const open = phaseAllows(phase, "edit") && idea.hiddenAt === null;
  const isAuthor = idea.authorId === viewer.id;
  const isWriter = await writesIdea(conn, idea, viewer.id);
  const canInvite = isAuthor && open && !idea.isAnonymous;
  const q = CoauthorQuery.parse(input.coauthorQuery ?? "");
  const amendments = await openAmendments(conn, idea);
  const people = await peopleById(conn, amendments.map((a) => a.proposerId));
  return {
    viewerId: viewer.id,
    version: idea.version,
    title: idea.title,
    body: idea.body,
    editedAt: idea.editedAt,
    isAuthor,
    isWriter,
    canEdit: isWriter && open,
    sinceVote: isWriter ? null : await changesSinceVote(conn, idea, viewer.id),
    coauthors: isWriter && !idea.isAnonymous ? await coauthorList(conn, idea.id) : [],
    canInvite,
    coauthorQuery: q,
    candidates: canInvite && q !== "" ? await coauthorCandidates(conn, idea, q) : [],
    invitation: idea.isAnonymous ? null : (await pendingInvitation(conn, idea.id, viewer.id) ?? null),
    canAnswerInvitation: open,
    amendments: amendments.map(({ proposerId, ...a }) => ({
      ...a,
      proposer: people.get(proposerId) ?? null,
      isMine: proposerId === viewer.id,
    })),
    canPropose: !isWriter && open,
    canDecide: isWriter && open,
    canPostAsIdea: phaseAllows(phase, "postIdea") && idea.hiddenAt === null,
    ...await buildOns(conn, idea),
  };
}
