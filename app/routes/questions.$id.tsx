import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { formFailureOf, newClientKey } from "~/components/form";
import { AnswerThread, FlagTool, ModerationTools, QuestionStatusBadge } from "~/components/questions";
import { LocalTime } from "~/components/time";
import { Alert, plural } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { FORMER_PARTICIPANT } from "~/domain/views";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import {
  questionPage,
} from "~/services/pages/questions.server";
import {
  acceptCommand,
  answerCommand,
  declineCommand,
  flagCommand,
  hideCommand, restoreCommand
} from "~/services/commands/questions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.question.title ?? "Question"} · Questions · Jamboree` }];

function questionId(raw: string | undefined) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0 || id > Number.MAX_SAFE_INTEGER) throw new Response("No such question.", { status: 404 });
  return id;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = questionId(params.id);
  const page = await orRespond(async () => await questionPage(user, id), { request, user, ip: context.ip });
  return { ...page, clientKey: newClientKey() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = questionId(params.id);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip, values };
  switch (values.intent) {
    case "answer": {
      const outcome = await orFormFailure(async () => await answerCommand(user, id, values), ctx);
      return outcome.ok ? redirect(`/questions/${id}#answer-${outcome.result.id}`) : outcome.response;
    }
    case "accept": {
      const outcome = await orFormFailure(async () => await acceptCommand(user, id, values), ctx);
      if (!outcome.ok) return outcome.response;
      return { done: outcome.result.points > 0 ? `Answer accepted: its author earns ${outcome.result.points} points.` : "Answer accepted." };
    }
    case "decline": {
      const outcome = await orFormFailure(async () => await declineCommand(user, id), ctx);
      if (!outcome.ok) return outcome.response;
      return { done: outcome.result.next ? "Passed on: the next person who knows about it has been asked." : "Passed on. Nobody else is in line; it stays open for anyone to answer." };
    }
    case "hide": {
      const outcome = await orFormFailure(async () => await hideCommand(user, id, values), ctx);
      return outcome.ok ? { done: "Hidden. Nothing was deleted; you can show it again." } : outcome.response;
    }
    case "restore": {
      const outcome = await orFormFailure(async () => await restoreCommand(user, id, values), ctx);
      return outcome.ok ? { done: "Shown again." } : outcome.response;
    }
    case "flag": {
      const outcome = await orFormFailure(async () => await flagCommand(user, id, values), ctx);
      if (!outcome.ok) return outcome.response;
      return { done: outcome.result.created ? "Thank you: a facilitator will look at it." : "You already flagged it." };
    }
    default:
      return unknownIntent();
  }
}

export default function QuestionPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = formFailureOf(result);
  const done = result && "done" in result ? result.done : null;
  const [params] = useSearchParams();
  const { question: q, asker, theme, community, isAsker, moderator, asked, myRoute, answers, canAnswer, clientKey } = data;
  const justAsked = params.get("asked");
  const hidden = q.hiddenReason !== null;
  const askerName = asker ? asker.name : FORMER_PARTICIPANT;
  const otherFailure = failure && failure.values.intent !== "answer" ? failure : undefined;
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/questions">Questions</Link> /
      </div>
      {justAsked !== null && isAsker ? (
        <Alert>
          {Number(justAsked) > 0
            ? `Asked. ${plural(Number(justAsked), "person", "people")} who know about it ${Number(justAsked) === 1 ? "has" : "have"} been told.`
            : "Asked. Nobody has written about these words yet, so nobody in particular was told; anyone can answer, and facilitators see it if it stays unanswered."}
        </Alert>
      ) : null}
      {done ? <Alert>{done}</Alert> : null}
      {otherFailure?.formError ? <Alert kind="error">{otherFailure.formError}</Alert> : null}
      <article className="card stack question" aria-labelledby="question-title">
        <div className="row">
          <QuestionStatusBadge status={q.status} />
          {hidden ? <span className="badge badge--draft">Hidden</span> : null}
          {q.escalated && q.status === "open" ? <span className="small muted">Sent to the facilitators: nobody answered in time.</span> : null}
        </div>
        <h1 id="question-title" style={{ overflowWrap: "anywhere" }}>
          {q.title}
        </h1>
        <p className="small muted">
          Asked by {asker ? <Link to={`/people/${asker.id}`}>{askerName}</Link> : askerName}, <LocalTime at={q.createdAt} />
          {theme ? (
            <>
              {" "}
              · about the theme <Link to={`/jams/${theme.jamSlug}/synthesis`}>“{theme.label}”</Link>
            </>
          ) : null}
          {community ? (
            <>
              {" "}
              · in the community <Link to={`/communities/${community.slug}`}>{community.title}</Link>
              {community.privacy === "members" ? " (members only)" : ""}
            </>
          ) : null}
        </p>
        {hidden ? <Alert kind="warn">Hidden by a facilitator: {q.hiddenReason}</Alert> : null}
        {q.body ? <UserText text={q.body} /> : null}
        {asked.length > 0 ? (
          <p className="small muted">
            Asked: {asked.map((p, i) => (
              <span key={p.id}>
                {i > 0 ? ", " : ""}
                <Link to={`/people/${p.id}`}>{p.name}</Link>
              </span>
            ))}
          </p>
        ) : null}
        <div className="row">
          {myRoute === "asked" && !hidden && q.status !== "accepted" ? (
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="decline" />
              <button type="submit" className="btn btn--secondary btn--small">
                Pass it on to someone else
              </button>
            </Form>
          ) : null}
          {myRoute === "declined" ? <span className="small muted">You passed this question on.</span> : null}
          {moderator ? (
            <ModerationTools targetType="question" targetId={q.id} hidden={hidden} flags={q.openFlags} />
          ) : !hidden && !isAsker ? (
            <FlagTool targetType="question" targetId={q.id} />
          ) : null}
        </div>
        {myRoute === "asked" && !hidden && q.status !== "accepted" ? (
          <p className="small muted">You were asked because your ideas on this drew support. Answer below, or pass it on and the next person in line is asked.</p>
        ) : null}
      </article>
      <AnswerThread
        answers={answers}
        clientKey={clientKey}
        failure={failure}
        canAnswer={canAnswer}
        canAccept={isAsker && q.acceptedAnswerId === null && !hidden}
        moderator={moderator}
      />
    </>
  );
}
