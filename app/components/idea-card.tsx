import { Link, useFetcher, useLocation } from "@remix-run/react";
import { useReducedMotion } from "framer-motion";
import { useEffect, useState } from "react";
import { FORMER_PARTICIPANT, type IdeaCard as IdeaCardData } from "~/domain/views";
import { useLiveVoteCount } from "~/components/live";
import { Swap, useTapScale } from "~/components/motion";
import { LocalTime } from "~/components/time";
import { IdeaTags } from "~/components/idea-tags";
import { CardAnswers } from "~/components/idea-template";
import { CoauthorNames, EditedMark } from "~/components/idea-edits";
import { plural } from "~/components/ui";
import { AttachmentCount, CardThumbnail } from "~/components/attachments";
import { CardStanceTally, DotControls, type DotBudgetData } from "~/components/vote-modes";

export function AuthorLine({
  idea,
  historyHref,
}: {
  idea: Pick<IdeaCardData, "author" | "isAnonymous" | "isMine" | "createdAt" | "coauthors" | "editedAt">;
  /** Where "edited" links to (the idea's history). */
  historyHref?: string;
}) {
  const who = idea.isAnonymous ? (
    idea.isMine ? (
      "Anonymous (you)"
    ) : (
      "Anonymous"
    )
  ) : idea.author ? (
    <>
      <Link to={`/people/${idea.author.id}`}>{idea.author.name}</Link>
      {idea.author.department ? ` · ${idea.author.department}` : ""}
    </>
  ) : (
    // A named idea without an author to show: its author's account was erased.
    FORMER_PARTICIPANT
  );
  return (
    <span>
      {who}
      <CoauthorNames coauthors={idea.coauthors} /> · <LocalTime at={idea.createdAt} />
      {idea.editedAt ? (
        <>
          {" · "}
          {historyHref ? <EditedMark href={historyHref} at={idea.editedAt} /> : <span className="edited-mark">edited</span>}
        </>
      ) : null}
    </span>
  );
}

interface VoteButtonProps {
  slug: string;
  ideaId: number;
  voteCount: number;
  hasVoted: boolean;
  /** Why voting is not possible here, if it is not. */
  disabledReason?: string | null;
}

/**
 * Support (up-vote) toggle. The count changes at once (optimistic) and settles
 * on the server's answer; without JavaScript it is a plain form post.
 */
export function VoteButton({ slug, ideaId, voteCount, hasVoted, disabledReason }: VoteButtonProps) {
  const fetcher = useFetcher<{ voteCount?: number; hasVoted?: boolean; formError?: string | null }>();
  const location = useLocation();
  const reduceMotion = useReducedMotion();
  const tapRef = useTapScale<HTMLButtonElement>(0.9);
  // Once hydrated the vote goes through the fetcher and needs no redirect.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const liveCount = useLiveVoteCount(ideaId);
  const pendingIntent = fetcher.formData?.get("intent");
  const voted = pendingIntent ? pendingIntent === "vote" : fetcher.data?.hasVoted ?? hasVoted;
  // The live stream reports every committed vote, so when it has spoken it is the freshest count.
  let count = liveCount ?? fetcher.data?.voteCount ?? voteCount;
  if (pendingIntent) {
    const base = liveCount ?? fetcher.data?.voteCount ?? voteCount;
    const wasVoted = fetcher.data?.hasVoted ?? hasVoted;
    count = base + (pendingIntent === "vote" && !wasVoted ? 1 : pendingIntent === "unvote" && wasVoted ? -1 : 0);
  }
  const action = disabledReason ? "Votes" : voted ? "Withdraw your vote" : "Vote for this idea";
  return (
    <fetcher.Form method="post" action={`/jams/${slug}/ideas/${ideaId}`}>
      <input type="hidden" name="intent" value={voted ? "unvote" : "vote"} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {hydrated ? <input type="hidden" name="js" value="1" /> : null}
      <button
        ref={tapRef}
        type="submit"
        className="vote"
        aria-pressed={voted}
        title={disabledReason ?? undefined}
        disabled={Boolean(disabledReason)}
      >
        <span className="visually-hidden">{action}: </span>
        <svg className="vote__icon" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
          <path d="M12 4l8 9h-5v7H9v-7H4z" />
        </svg>
        <Swap
          as="span"
          swapKey={count}
          className="vote__count"
          initial={reduceMotion ? false : { y: voted ? 8 : -8, opacity: 0 }}
          animate={{ y: 0, opacity: 1 }}
          exit={reduceMotion ? undefined : { y: voted ? -8 : 8, opacity: 0 }}
          transition={{ duration: 0.18 }}
        >
          {count}
        </Swap>
        <span className="visually-hidden">
          {count === 1 ? " vote" : " votes"}
          {disabledReason ? `. ${disabledReason}` : ""}
        </span>
      </button>
      {/* A refused vote (rate limit, the jam's phase) snaps back and says why. */}
      {fetcher.state === "idle" && fetcher.data?.formError ? (
        <span className="field__error small" role="alert">
          {fetcher.data.formError}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

export function voteRefusal(idea: { isMine: boolean }, canVote: boolean, phaseMessage: string): string | null {
  if (idea.isMine) return "You cannot vote on your own idea.";
  // A live jam has no phase message: voting is closed for this idea alone (it is hidden).
  if (!canVote) return phaseMessage || "Voting is closed for this idea.";
  return null;
}

/**
 * The vote control for the way the idea's challenge votes: the support
 * button, the agree / disagree / pass tally, or the dots (with − and + when
 * the page knows the viewer's dot budget).
 */
export function IdeaVote({
  idea,
  slug,
  disabledReason,
  dots = null,
}: {
  idea: IdeaCardData;
  slug: string;
  disabledReason: string | null;
  dots?: DotBudgetData | null;
}) {
  if (idea.voteMode === "stance") return <CardStanceTally idea={idea} />;
  if (idea.voteMode === "dots") return <DotControls slug={slug} idea={idea} summary={dots} disabledReason={disabledReason} />;
  return <VoteButton slug={slug} ideaId={idea.id} voteCount={idea.voteCount} hasVoted={idea.hasVoted} disabledReason={disabledReason} />;
}

export function IdeaCard({
  idea,
  slug,
  canVote,
  phaseMessage,
  list = "ideas",
  dots = null,
}: {
  idea: IdeaCardData;
  slug: string;
  canVote: boolean;
  phaseMessage: string;
  /** Names the list the card is in, so a card shown in two lists on one page keeps unique ids. */
  list?: string;
  /** The viewer's dot budget in the card's challenge (dots mode), so the card can offer − and +. */
  dots?: DotBudgetData | null;
}) {
  const titleId = `${list}-idea-${idea.id}-title`;
  return (
    <article className="card idea" aria-labelledby={titleId}>
      <IdeaVote idea={idea} slug={slug} dots={dots} disabledReason={voteRefusal(idea, canVote, phaseMessage)} />
      <div>
        <h3 className="idea__title" id={titleId}>
          <Link to={`/jams/${slug}/ideas/${idea.id}`}>{idea.title}</Link>
        </h3>
        <IdeaTags idea={idea} />
        {idea.excerpt ? <p className="idea__excerpt">{idea.excerpt}</p> : null}
        <CardAnswers answers={idea.answers} />
        {idea.attachments?.thumbnail ? <CardThumbnail thumbnail={idea.attachments.thumbnail} href={`/jams/${slug}/ideas/${idea.id}#attachments`} /> : null}
        <div className="idea__meta row">
          <AuthorLine idea={idea} historyHref={`/jams/${slug}/ideas/${idea.id}/history`} />
          <span>· {plural(idea.commentCount, "comment")}</span>
          {idea.attachments ? <AttachmentCount count={idea.attachments.count} /> : null}
        </div>
      </div>
    </article>
  );
}
