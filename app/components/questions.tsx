/**
 * "Ask the people who know": the pieces other pages can render too (a community page lists its
 * questions with QuestionList and asks with AskQuestionForm).
 */
import { Form, Link, useLocation, useNavigation } from "@remix-run/react";
import { QUESTION_STATUS_LABELS, type QuestionStatus } from "~/domain/questions";
import { FORMER_PARTICIPANT } from "~/domain/views";
import type { AnswerView, QuestionSummary } from "~/services/pages/questions.server";
import { FormError, SelectField, TextArea, TextField, useKeptFailure, type FormFailure } from "~/components/form";
import { LocalTime } from "~/components/time";
import { EmptyState, plural } from "~/components/ui";
import { UserText } from "~/components/user-text";

const STATUS_CLASS: Record<QuestionStatus, string> = {
  open: "badge badge--scheduled",
  answered: "badge badge--live",
  accepted: "badge badge--best",
};

export function QuestionStatusBadge({ status }: { status: QuestionStatus }) {
  return <span className={STATUS_CLASS[status]}>{QUESTION_STATUS_LABELS[status]}</span>;
}

/** A list of questions, each with where it stands; `empty` when there are none. */
export function QuestionList({ questions, empty }: { questions: QuestionSummary[]; empty: { title: string; body?: string; action?: React.ReactNode } }) {
  if (questions.length === 0) {
    return (
      <EmptyState title={empty.title} action={empty.action}>
        {empty.body}
      </EmptyState>
    );
  }
  return (
    <ul className="list-plain stack question-list">
      {questions.map((q) => (
        <li key={q.id} className="card question-item">
          <Link to={`/questions/${q.id}`} className="question-item__title">
            {q.title}
          </Link>
          <div className="small muted row">
            <QuestionStatusBadge status={q.status} />
            {q.hidden ? <span className="badge badge--draft">Hidden</span> : null}
            <span>
              {q.askerName} · <LocalTime at={q.createdAt} withTime={false} /> · {plural(q.answers, "answer")}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The form to ask a question; from a theme it names the theme and goes to its go-to people first. */
export function AskQuestionForm({
  clientKey,
  failure,
  theme,
  title,
  action = "/questions/new",
  community = null,
  communities = [],
}: {
  clientKey: string;
  failure?: FormFailure;
  theme: { id: number; label: string } | null;
  title?: string;
  action?: string;
  /** Asked from a community's page: in that community. */
  community?: { id: number; title: string; privacy: "open" | "members" } | null;
  /** Otherwise the communities it may be asked in (the asker's own), to choose from or not. */
  communities?: { id: number; title: string }[];
}) {
  const navigation = useNavigation();
  const sending = navigation.state !== "idle" && navigation.formData?.get("intent") === "ask";
  const shown = useKeptFailure(failure, sending);
  return (
    <Form method="post" action={action} className="card stack ask-form" noValidate>
      <input type="hidden" name="intent" value="ask" />
      <input type="hidden" name="clientKey" value={shown?.values.clientKey ?? clientKey} />
      {theme ? <input type="hidden" name="themeId" value={theme.id} /> : null}
      {theme ? (
        <p className="small muted">
          About the theme “{theme.label}”: its go-to people are asked first.
        </p>
      ) : null}
      {community ? <input type="hidden" name="communityId" value={community.id} /> : null}
      {community ? (
        <p className="small muted">
          In the community “{community.title}”
          {community.privacy === "members" ? ": it goes to the members who know best (or its steward), and only members can read it." : "."}
        </p>
      ) : null}
      {shown?.formError && !shown.fieldErrors.title && !shown.fieldErrors.body ? <FormError message={shown.formError} /> : null}
      <TextField
        label="Your question"
        name="title"
        defaultValue={shown?.values.title ?? title}
        errors={shown?.fieldErrors.title}
        hint="One line, as you would ask a colleague."
        maxLength={150}
      />
      <TextArea
        label="Details (optional)"
        name="body"
        rows={5}
        defaultValue={shown?.values.body}
        errors={shown?.fieldErrors.body}
        maxLength={4000}
      />
      {!community && communities.length > 0 ? (
        <SelectField
          label="In a community (optional)"
          name="communityId"
          defaultValue={shown?.values.communityId ?? ""}
          options={[{ value: "", label: "No community: open to everyone" }, ...communities.map((c) => ({ value: String(c.id), label: c.title }))]}
          errors={shown?.fieldErrors.communityId}
          hint="A members-only community’s question goes to its members and only they can read it."
        />
      ) : null}
      {community?.privacy === "members" ? null : (
        <p className="small muted">
          It goes to up to three people whose named ideas on these words drew the most support. Unless it is asked in a members-only community, anyone signed in can read and answer it.
        </p>
      )}
      <div>
        <button type="submit" className="btn" disabled={sending && navigation.state === "submitting"}>
          {sending ? "Asking…" : "Ask"}
        </button>
      </div>
    </Form>
  );
}

function AnswerForm({ clientKey, parentId, failure, label }: { clientKey: string; parentId?: number; failure?: FormFailure; label: string }) {
  const navigation = useNavigation();
  const mine = (failure?.values.parentId ?? "") === (parentId ? String(parentId) : "") && failure?.values.intent === "answer";
  const sending =
    navigation.state !== "idle" && navigation.formData?.get("intent") === "answer" && navigation.formData.get("parentId") === (parentId ? String(parentId) : "");
  const shown = useKeptFailure(mine ? failure : undefined, sending);
  return (
    <Form method="post" className="stack" noValidate preventScrollReset key={clientKey}>
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="clientKey" value={shown?.values.clientKey ?? clientKey} />
      <input type="hidden" name="parentId" value={parentId ?? ""} />
      {shown?.formError && !shown.fieldErrors.body ? <FormError message={shown.formError} /> : null}
      <TextArea label={label} name="body" rows={parentId ? 2 : 4} defaultValue={shown?.values.body} errors={shown?.fieldErrors.body} maxLength={4000} />
      <div>
        <button type="submit" className="btn btn--small" disabled={sending && navigation.state === "submitting"}>
          {sending ? "Posting…" : parentId ? "Post reply" : "Post answer"}
        </button>
      </div>
    </Form>
  );
}

interface ThreadProps {
  answers: AnswerView[];
  clientKey: string;
  failure?: FormFailure;
  canAnswer: boolean;
  canAccept: boolean;
  moderator: boolean;
}

function AnswerItem({ answer: a, replies, ...props }: ThreadProps & { answer: AnswerView; replies: AnswerView[] }) {
  const justPosted = useLocation().hash === `#answer-${a.id}`;
  const hidden = a.hiddenReason !== null;
  const author = a.author ? a.author.name : FORMER_PARTICIPANT;
  const classes = ["card", "answer", a.accepted ? "answer--accepted" : "", hidden ? "comment--hidden" : "", justPosted ? "comment--new" : ""].filter(Boolean).join(" ");
  return (
    <li id={`answer-${a.id}`}>
      <article className={classes} aria-label={`${a.parentId ? "Reply" : a.accepted ? "Accepted answer" : "Answer"} by ${author}`}>
        <div className="comment__meta row">
          <strong>{a.author ? <Link to={`/people/${a.author.id}`}>{a.author.name}</Link> : FORMER_PARTICIPANT}</strong>
          {a.author?.department ? <span className="muted">{a.author.department}</span> : null}
          <span className="muted">
            <LocalTime at={a.createdAt} />
          </span>
          {a.accepted ? (
            <span className="badge badge--best">
              Accepted answer{a.points > 0 ? ` · +${a.points} points to ${a.isMine ? "you" : author}` : ""}
            </span>
          ) : null}
        </div>
        {hidden ? <p className="small muted">Hidden by a facilitator: {a.hiddenReason}</p> : null}
        <UserText text={a.body} />
        <div className="row answer__tools">
          {props.canAccept && !a.parentId && !hidden && !a.isMine ? (
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="accept" />
              <input type="hidden" name="answerId" value={a.id} />
              <button type="submit" className="btn btn--small">
                Accept this answer
              </button>
            </Form>
          ) : null}
          {props.moderator ? <ModerationTools targetType="answer" targetId={a.id} hidden={hidden} flags={a.openFlags} /> : !hidden ? <FlagTool targetType="answer" targetId={a.id} /> : null}
        </div>
        {props.canAnswer && !a.parentId && !hidden ? (
          <details className="reply" open={props.failure?.values.parentId === String(a.id)}>
            <summary>Reply</summary>
            <AnswerForm clientKey={props.clientKey} parentId={a.id} failure={props.failure} label={`Reply to ${author}`} />
          </details>
        ) : null}
      </article>
      {replies.length > 0 ? (
        <ul className="comments">
          {replies.map((r) => (
            <AnswerItem key={r.id} {...props} answer={r} replies={[]} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The answers (the accepted one first), each with its replies, and the form to answer. */
export function AnswerThread(props: ThreadProps) {
  const top = props.answers.filter((a) => a.parentId === null).sort((x, y) => Number(y.accepted) - Number(x.accepted) || x.id - y.id);
  return (
    <section className="section stack" aria-labelledby="answers-heading">
      <h2 id="answers-heading">{top.length === 0 ? "Answers" : plural(top.filter((a) => a.hiddenReason === null).length, "answer")}</h2>
      {top.length === 0 ? (
        <EmptyState title="No answers yet">The people asked have been told. Anyone who knows can answer too.</EmptyState>
      ) : (
        <ul className="comments">
          {top.map((a) => (
            <AnswerItem key={a.id} {...props} answer={a} replies={props.answers.filter((r) => r.parentId === a.id)} />
          ))}
        </ul>
      )}
      {props.canAnswer ? (
        <div className="card">
          <AnswerForm clientKey={props.clientKey} failure={props.failure} label="Your answer" />
        </div>
      ) : null}
    </section>
  );
}

export function FlagTool({ targetType, targetId }: { targetType: "question" | "answer"; targetId: number }) {
  return (
    <details className="reply flag-tool">
      <summary>Flag</summary>
      <Form method="post" className="stack" preventScrollReset>
        <input type="hidden" name="intent" value="flag" />
        <input type="hidden" name="targetType" value={targetType} />
        <input type="hidden" name="targetId" value={targetId} />
        <TextField label="What is wrong?" name="reason" hint="A facilitator will look at it." />
        <div>
          <button type="submit" className="btn btn--secondary btn--small">
            Send to the facilitators
          </button>
        </div>
      </Form>
    </details>
  );
}

export function ModerationTools({ targetType, targetId, hidden, flags }: { targetType: "question" | "answer"; targetId: number; hidden: boolean; flags: number }) {
  return (
    <>
      {flags > 0 ? <span className="badge badge--draft">{plural(flags, "open flag")}</span> : null}
      {hidden ? (
        <Form method="post" preventScrollReset>
          <input type="hidden" name="intent" value="restore" />
          <input type="hidden" name="targetType" value={targetType} />
          <input type="hidden" name="targetId" value={targetId} />
          <button type="submit" className="btn btn--secondary btn--small">
            Show again
          </button>
        </Form>
      ) : (
        <details className="reply">
          <summary>Hide</summary>
          <Form method="post" className="stack" preventScrollReset>
            <input type="hidden" name="intent" value="hide" />
            <input type="hidden" name="targetType" value={targetType} />
            <input type="hidden" name="targetId" value={targetId} />
            <TextField label="Why is it hidden?" name="reason" hint="The author sees this reason. Nothing is deleted." />
            <div>
              <button type="submit" className="btn btn--danger btn--small">
                Hide {targetType === "question" ? "the question" : "this answer"}
              </button>
            </div>
          </Form>
        </details>
      )}
    </>
  );
}
