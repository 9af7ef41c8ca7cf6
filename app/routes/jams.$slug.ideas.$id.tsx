import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser, safeRedirect } from "~/auth/guard.server";
import { CommentForm, CommentThread } from "~/components/comment-thread";
import { newClientKey } from "~/components/form";
import { AuthorLine, IdeaVote, voteRefusal } from "~/components/idea-card";
import { StanceChoice } from "~/components/vote-modes";
import { JamClock, JamCrumbs } from "~/components/jam-header";
import { useThrottledRevalidate } from "~/components/live";
import { LiveJam } from "~/components/live-jam";
import { IdeaTags } from "~/components/idea-tags";
import { CommentModeration, FlagControl, HiddenNotice, ModeratePanel } from "~/components/moderation-panel";
import { UserText } from "~/components/user-text";
import { Alert, EmptyState, plural } from "~/components/ui";
import { phaseRefusal } from "~/domain/phase";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { postComment } from "~/services/comments.server";
import { NotFound } from "~/services/errors";
import { ideaDetail, ideaForRoute } from "~/services/ideas.server";
import { castVote, withdrawVote } from "~/services/votes.server";
import { ideaPageModeration } from "~/services/moderation.server";
import { dotsSummary } from "~/services/dots.server";
import { ideaActionsPanel } from "~/services/actions.server";
import { IdeaActions } from "~/components/idea-actions";
import { livePosition } from "~/live/bus";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.idea.title ?? "Idea"} · Jamboree` }];

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request);
  // First, before the page's data: the live stream replays what changes after this.
  const liveFrom = livePosition();
  const detail = orRespond(
    () => {
      const d = ideaDetail(user, Number(params.id));
      if (d.jam.slug !== params.slug) throw new NotFound("No such idea.");
      return d;
    },
    { request, user, ip: context.ip },
  );
  // Dots challenges: the viewer's budget, so − and + know what is left.
  const dots = detail.challenge.voteMode === "dots" ? dotsSummary(user, { challengeId: detail.challenge.id }) : null;
  const moderation = ideaPageModeration(
    user,
    { id: detail.idea.id, challengeId: detail.challenge.id, jamId: detail.jam.id },
    detail.comments.map((c) => c.id),
  );
  const ideaActions = ideaActionsPanel(user, detail.idea.id);
  return { ...detail, dots, moderation, ideaActions, liveFrom, clientKey: newClientKey(), now: Date.now() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip };
  const { jam } = orRespond(() => ideaForRoute(user, Number(params.id), params.slug ?? ""), ctx);
  const ideaId = params.id;

  if (values.intent === "vote" || values.intent === "unvote") {
    const vote = values.intent === "vote" ? castVote : withdrawVote;
    const outcome = await orFormFailure(() => vote(user, { ideaId }), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    // Without JavaScript the vote was a plain form post: go back where it came from.
    if (values.js !== "1" && values.redirectTo) return redirect(safeRedirect(values.redirectTo));
    return outcome.result;
  }
  if (values.intent === "comment") {
    const outcome = await orFormFailure(() => postComment(user, { ...values, ideaId }), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    return redirect(`/jams/${jam.slug}/ideas/${outcome.result.ideaId}#comment-${outcome.result.id}`);
  }
  return unknownIntent();
}

export default function IdeaPage() {
  const { jam, challenge, idea, comments, canComment, canVote, clientKey, now, dots, liveFrom } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && "fieldErrors" in result ? result : undefined;
  const refresh = useThrottledRevalidate(500);
  const { moderation } = useLoaderData<typeof loader>();
  const { ideaActions } = useLoaderData<typeof loader>();
  return (
    <>
      <LiveJam
        slug={jam.slug}
        from={liveFrom}
        challengeId={challenge.id}
        onEvent={(type, data) => {
          if ((type === "comment.created" || type === "idea.changed") && data.ideaId === idea.id) refresh();
          if (type === "jam.changed") refresh();
        }}
      />
      <JamCrumbs slug={jam.slug} title={jam.title}>
        <Link to={`/jams/${jam.slug}/challenges/${challenge.id}`}>{challenge.title}</Link>
      </JamCrumbs>
      {idea.hidden ? (
        <HiddenNotice slug={jam.slug} ideaId={idea.id} hidden={idea.hidden} canModerate={moderation.canModerate} />
      ) : null}
      <article className="card stack" aria-labelledby="idea-title">
        <JamClock phase={jam.phase} startsAt={0} endsAt={jam.endsAt} now={now} />
        <div className="idea">
          <IdeaVote
            idea={idea}
            slug={jam.slug}
            dots={dots}
            disabledReason={voteRefusal(idea, canVote, phaseRefusal(jam.phase))}
          />
          <div className="stack" style={{ gap: "var(--s-2)" }}>
            <h1 id="idea-title" style={{ overflowWrap: "anywhere" }}>
              {idea.title}
            </h1>
            <div className="idea__meta">
              <AuthorLine idea={idea} />
              <IdeaTags idea={idea} />
            </div>
          </div>
        </div>
        {idea.body ? <UserText text={idea.body} /> : <p className="muted">No description.</p>}
        {idea.voteMode === "stance" ? (
          <StanceChoice
            slug={jam.slug}
            idea={idea}
            disabledReason={voteRefusal(idea, canVote, phaseRefusal(jam.phase))}
          />
        ) : null}
        <p className="small muted">In answer to: {challenge.question}</p>
        {!idea.hidden && !moderation.canModerate && !idea.isMine ? (
          <FlagControl
            slug={jam.slug}
            ideaId={idea.id}
            targetType="idea"
            targetId={idea.id}
            flagged={moderation.flagged.idea}
            what="this idea"
          />
        ) : null}
      </article>
      {!idea.hidden && moderation.tools ? <ModeratePanel slug={jam.slug} idea={idea} tools={moderation.tools} /> : null}
      <IdeaActions ideaId={idea.id} panel={ideaActions} now={now} />

      <section className="section stack" aria-labelledby="comments-heading">
        <h2 id="comments-heading">Discussion ({plural(comments.length, "comment")})</h2>
        {canComment ? (
          <div className="card">
            <CommentForm clientKey={clientKey} failure={failure} label="Add a comment" />
          </div>
        ) : (
          <Alert kind="warn">{phaseRefusal(jam.phase)} The discussion is closed.</Alert>
        )}
        {comments.length === 0 ? (
          <EmptyState title="No comments yet">{canComment ? "Build on this idea: add the first comment." : null}</EmptyState>
        ) : (
          <CommentThread
            comments={comments}
            canReply={canComment}
            clientKey={clientKey}
            failure={failure}
            tools={(c) => (
              <CommentModeration
                slug={jam.slug}
                ideaId={idea.id}
                comment={c}
                canModerate={moderation.canModerate}
                flagged={moderation.flagged.comments.includes(c.id)}
              />
            )}
          />
        )}
      </section>
    </>
  );
}
