import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { FormError, TextArea } from "~/components/form";
import { QueueList, ReviewFacts } from "~/components/reviews";
import { Alert } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { REVIEW_COMMENT_MAX, SCORE_MAX, SCORE_MIN } from "~/domain/evaluation";
import { scoresFromForm } from "~/http/review-form.server";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { scoreIdeaPage } from "~/services/pages/reviews.server";
import { submitScores } from "~/services/commands/reviews.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Score: ${data?.idea.title ?? "Idea"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await scoreIdeaPage(user, params.slug ?? "", Number(params.id), Number(params.ideaId)), { request, user, ip: context.ip });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip };
  const page = await orRespond(async () => await scoreIdeaPage(user, params.slug ?? "", Number(params.id), Number(params.ideaId)), ctx);
  if (values.intent !== "score") return unknownIntent();
  const outcome = await orFormFailure(async () => await submitScores(user, page.review.id, page.idea.id, scoresFromForm(values), { ip: context.ip }), {
    ...ctx,
    values,
    mapErrors: (errors) => Object.fromEntries(Object.entries(errors).map(([k, m]) => [k.replace(/^scores\./, "score-"), m])),
  });
  if (!outcome.ok) return outcome.response;
  const base = `/jams/${page.jam.slug}/reviews/${page.review.id}`;
  return redirect(outcome.result.nextIdeaId ? `${base}/ideas/${outcome.result.nextIdeaId}?saved=${page.idea.id}` : `${base}/ideas/${page.idea.id}?saved=${page.idea.id}`);
}

const CHOICES = Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => SCORE_MIN + i);

export default function ScoreIdea() {
  const { review, jam, idea, criteria, mine, others, queue } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [search] = useSearchParams();
  const savedId = Number(search.get("saved"));
  const savedTitle = savedId ? queue.find((q) => q.ideaId === savedId)?.title : undefined;
  const v = failure?.values;
  const errors = failure?.fieldErrors ?? {};
  const left = queue.filter((q) => !q.submitted).length;
  return (
    <>
      <div className="breadcrumbs">
        <Link to={`/jams/${jam.slug}`}>{jam.title}</Link> / <Link to={`/jams/${jam.slug}/reviews/${review.id}`}>{review.title}</Link>
      </div>
      {savedTitle && !failure ? (
        <Alert>
          Your scores of “{savedTitle}” are saved. {left === 0 ? "You have scored every idea given to you: thank you." : `${left} left to score.`}
        </Alert>
      ) : null}
      <article className="card stack" aria-labelledby="idea-title">
        <ReviewFacts review={review} />
        <h1 id="idea-title" className="break-anywhere">
          {idea.title}
        </h1>
        <p className="small muted">{review.blind ? "Blind review: the author is not shown." : idea.author ? `By ${idea.author}` : "Anonymous"}</p>
        {idea.body ? <UserText text={idea.body} /> : <p className="muted">No description.</p>}
      </article>

      <section className="section card stack" aria-labelledby="score-heading">
        <h2 id="score-heading">Your scores</h2>
        {!review.open ? (
          <Alert kind="warn">This review is closed: scores can no longer change.</Alert>
        ) : (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="score" />
            {failure ? <FormError message={failure.formError} /> : null}
            <p className="small muted">5 is best on every criterion. Leave one as “Can't judge” if you cannot: it does not count as a low score.</p>
            {criteria.map((c) => {
              const name = `score-${c.id}`;
              const current = v ? (v[name] ?? "") : mine.scores[String(c.id)] !== undefined ? String(mine.scores[String(c.id)]) : "";
              return (
                <fieldset key={c.id} className="field score-choice" aria-describedby={c.description ? `${name}-hint` : undefined}>
                  <legend>
                    {c.name} <span className="small muted">(weight {c.weight})</span>
                  </legend>
                  {c.description ? (
                    <div className="field__hint" id={`${name}-hint`}>
                      {c.description}
                    </div>
                  ) : null}
                  <div className="score-choice__options">
                    {CHOICES.map((n) => (
                      <label key={n} className="score-choice__option">
                        <input type="radio" name={name} value={n} defaultChecked={current === String(n)} aria-label={`${c.name}: ${n}`} />
                        <span aria-hidden="true">{n}</span>
                      </label>
                    ))}
                    <label className="score-choice__option score-choice__option--skip">
                      <input type="radio" name={name} value="" defaultChecked={current === ""} />
                      <span>Can't judge</span>
                    </label>
                  </div>
                  {errors[name] ? (
                    <div className="field__error" role="alert">
                      {errors[name]!.join(" ")}
                    </div>
                  ) : null}
                </fieldset>
              );
            })}
            <TextArea label="Comment (optional)" name="comment" rows={3} maxLength={REVIEW_COMMENT_MAX} defaultValue={v?.comment ?? mine.comment} errors={errors.comment} />
            <div>
              <button className="btn" type="submit" disabled={busy}>
                {mine.submittedAt ? "Update my scores" : "Submit my scores"}
              </button>
            </div>
          </Form>
        )}
      </section>

      <section className="section card stack" aria-labelledby="others-heading">
        <h2 id="others-heading">Other reviewers</h2>
        {others === null ? (
          <p className="muted">Blind review: other reviewers' scores of this idea show once you have submitted yours.</p>
        ) : others.length === 0 ? (
          <p className="muted">Nobody else reviews this idea.</p>
        ) : (
          <ul className="list-plain stack">
            {others.map((o, n) => (
              <li key={n}>
                <strong>{o.name}</strong>{" "}
                <span className="small muted">
                  {o.submitted ? criteria.map((c) => `${c.name} ${o.scores[String(c.id)] ?? "–"}`).join(" · ") : "not scored yet"}
                </span>
                {o.comment ? <UserText text={o.comment} /> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section card stack" aria-labelledby="queue-heading">
        <h2 id="queue-heading">Your ideas in this review</h2>
        <QueueList slug={jam.slug} reviewId={review.id} queue={queue} />
      </section>
    </>
  );
}
