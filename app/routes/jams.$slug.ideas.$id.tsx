import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
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
import { postComment } from "~/services/commands/comments.server";
import { ideaForRoute } from "~/services/lookups/ideas.server";
import { ideaPage } from "~/services/pages/idea.server";
import { castVote, withdrawVote } from "~/services/commands/votes.server";
import { IdeaActions } from "~/components/idea-actions";
import { livePosition } from "~/live/bus";
import { StageBadge } from "~/components/reviews";
import { StaleEdit } from "~/services/errors";
import { editComment, editIdea } from "~/services/commands/revisions.server";
import { answerInvitation, inviteCoauthor, removeCoauthor } from "~/services/commands/coauthors.server";
import { acceptAmendment, leaveAmendmentStanding, postAmendmentAsIdea, proposeAmendment } from "~/services/commands/amendments.server";
import { IdeaAnswers, TemplateFieldInputs } from "~/components/idea-template";
import { AttachmentsSection } from "~/components/attachments";
import {
  BuildOnThis,
  BuiltOnLinks,
  CoauthorsPanel,
  CommentEditForm,
  EditedSinceVote,
  IdeaEditForm,
  InvitationPrompt,
} from "~/components/idea-edits";

/**
 * A refused stale edit (409) reloads the page's data (a 4xx action otherwise does not), so the
 * person sees the newer text beside what they typed, which the form keeps.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 ? true : defaultShouldRevalidate;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.idea.title ?? "Idea"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // First, before the page's data: the live stream replays what changes after this.
  const liveFrom = await livePosition();
  const page = await orRespond(
    async () =>
      await ideaPage(user, { slug: params.slug ?? "", ideaId: Number(params.id), coauthorQuery: new URL(request.url).searchParams.get("coauthor") }),
    { request, user, ip: context.ip },
  );
  return { ...page, liveFrom, clientKey: newClientKey(), now: Date.now() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip };
  const { jam } = await orRespond(async () => await ideaForRoute(user, Number(params.id), params.slug ?? ""), ctx);
  const ideaId = params.id;

  if (values.intent === "vote" || values.intent === "unvote") {
    const vote = values.intent === "vote" ? castVote : withdrawVote;
    const outcome = await orFormFailure(async () => await vote(user, { ideaId }), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    // Without JavaScript the vote was a plain form post: go back where it came from.
    if (values.js !== "1" && values.redirectTo) return redirect(safeRedirect(values.redirectTo));
    return outcome.result;
  }
  if (values.intent === "comment") {
    const outcome = await orFormFailure(async () => await postComment(user, { ...values, ideaId }), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    return redirect(`/jams/${jam.slug}/ideas/${outcome.result.ideaId}#comment-${outcome.result.id}`);
  }
  const here = `/jams/${jam.slug}/ideas/${ideaId}`;
  // A stale edit comes back with the version it is now, so saving again is a deliberate choice over it.
  const edit = <T,>(work: () => Promise<T>) => async (): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StaleEdit) values.baseVersion = String(error.currentVersion);
      throw error;
    }
  };
  const respond = async <T,>(work: () => Promise<T>, to: (result: T) => string) => {
    const outcome = await orFormFailure(work, { ...ctx, values });
    return outcome.ok ? redirect(to(outcome.result)) : outcome.response;
  };
  switch (values.intent) {
    case "edit":
      return respond(edit(async () => await editIdea(user, { ...values, ideaId })), () => here);
    case "editComment":
      return respond(edit(async () => await editComment(user, values)), (r) => `${here}#comment-${r.commentId}`);
    case "invite":
      return respond(async () => await inviteCoauthor(user, { ...values, ideaId }), () => `${here}#coauthors`);
    case "answerInvite":
      return respond(async () => await answerInvitation(user, { ...values, ideaId }), () => `${here}#coauthors`);
    case "removeCoauthor":
      return respond(async () => await removeCoauthor(user, { ...values, ideaId }), () => `${here}#coauthors`);
    case "propose":
      return respond(async () => await proposeAmendment(user, { ...values, ideaId }), (r) => `${here}#amendment-${r.amendmentId}`);
    case "acceptAmendment":
      return respond(async () => await acceptAmendment(user, values), () => `${here}#idea-title`);
    case "leaveAmendment":
      return respond(async () => await leaveAmendmentStanding(user, values), (r) => `${here}#amendment-${r.amendmentId}`);
    case "postAmendment":
      return respond(async () => await postAmendmentAsIdea(user, values), (r) => `/jams/${r.jamSlug}/ideas/${r.ideaId}`);
  }
  return unknownIntent();
}

export default function IdeaPage() {
  const { jam, challenge, idea, comments, canComment, canVote, clientKey, now, dots, liveFrom } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && "fieldErrors" in result ? result : undefined;
  const refresh = useThrottledRevalidate(500);
  const { moderation } = useLoaderData<typeof loader>();
  const { ideaActions, stage, edits, template, attachments } = useLoaderData<typeof loader>();
  const historyHref = `/jams/${jam.slug}/ideas/${idea.id}/history`;
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
              <AuthorLine idea={idea} historyHref={historyHref} />
              <IdeaTags idea={idea} />
              {stage ? (
                <span className="idea-stage">
                  <span className="visually-hidden">Stage: </span>
                  <StageBadge stage={stage.stage} label={stage.label} />
                </span>
              ) : null}
            </div>
            {stage?.reason ? <p className="small">Not selected: {stage.reason}</p> : null}
            <BuiltOnLinks slug={jam.slug} builtOn={edits.builtOn} builtOnThis={edits.builtOnThis} />
          </div>
        </div>
        {edits.sinceVote ? <EditedSinceVote change={edits.sinceVote} historyHref={historyHref} /> : null}
        {idea.body ? <UserText text={idea.body} /> : <p className="muted">No description.</p>}
        <IdeaAnswers answers={template.answers} />
        {idea.voteMode === "stance" ? (
          <StanceChoice
            slug={jam.slug}
            idea={idea}
            disabledReason={voteRefusal(idea, canVote, phaseRefusal(jam.phase))}
          />
        ) : null}
        <p className="small muted">In answer to: {challenge.question}</p>
        <div className="row idea-page__tools">
          {edits.canEdit ? (
            <IdeaEditForm
              version={edits.version}
              title={edits.title}
              body={edits.body}
              failure={failure}
              extra={(typed, errors) => <TemplateFieldInputs fields={template.fields} values={typed ?? template.values} errors={errors} />}
            />
          ) : null}
          <Link to={historyHref} className="btn btn--ghost btn--small">
            History
          </Link>
        </div>
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
      <AttachmentsSection panel={attachments} />
      {edits.invitation ? <InvitationPrompt inviter={edits.invitation.inviter} canAnswer={edits.canAnswerInvitation} /> : null}
      {edits.isWriter && !idea.isAnonymous ? (
        <CoauthorsPanel
          coauthors={edits.coauthors}
          isAuthor={edits.isAuthor}
          canInvite={edits.canInvite}
          query={edits.coauthorQuery}
          candidates={edits.candidates}
          failure={failure}
          viewerId={edits.viewerId}
        />
      ) : null}
      {!idea.hidden ? (
        <BuildOnThis
          amendments={edits.amendments}
          canPropose={edits.canPropose}
          canDecide={edits.canDecide}
          canPostAsIdea={edits.canPostAsIdea}
          version={edits.version}
          title={edits.title}
          body={edits.body}
          clientKey={clientKey}
          failure={failure}
        />
      ) : null}
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
            historyBase={historyHref}
            tools={(c) => (
              <>
              {c.isMine && canComment && !c.hiddenReason ? (
                <CommentEditForm commentId={c.id} version={c.version ?? 1} body={c.body} failure={failure} />
              ) : null}
              <CommentModeration
                slug={jam.slug}
                ideaId={idea.id}
                comment={c}
                canModerate={moderation.canModerate}
                flagged={moderation.flagged.comments.includes(c.id)}
              />
              </>
            )}
          />
        )}
      </section>
    </>
  );
}
