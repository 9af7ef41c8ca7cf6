import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { requireUser } from "~/auth/guard.server";
import { FormError, SelectField, TextArea, TextField, formFailureOf } from "~/components/form";
import { DecideForm, formatScore, QueueList, ReviewFacts, StageBadge } from "~/components/reviews";
import { Alert, EmptyState, plural, TableWrap } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { reviewPage } from "~/services/pages/reviews.server";
import { assignReviewerByHand, assignReviewers, closeReview, decideIdea } from "~/services/commands/reviews.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.review.title ?? "Review"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await reviewPage(user, params.slug ?? "", Number(params.id)), { request, user, ip: context.ip });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip };
  const { review } = await orRespond(async () => await reviewPage(user, params.slug ?? "", Number(params.id)), ctx);
  const meta = { ip: context.ip };
  if (values.intent === "decide") {
    const outcome = await orFormFailure(async () => await decideIdea(user, review.id, values, meta), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    const r = outcome.result;
    return { saved: !r.changed ? "Nothing changed: it already had that stage." : r.stage === "selected" ? "Selected: it is now a follow-up action, and its author was told." : "Saved: its author was told." };
  }
  if (values.intent === "assign-one") {
    const outcome = await orFormFailure(async () => await assignReviewerByHand(user, review.id, values, meta), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    return { saved: "Reviewer added: they were told." };
  }
  if (values.intent === "assign-pool") {
    const outcome = await orFormFailure(async () => await assignReviewers(user, review.id, values, meta), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    const { added, short } = outcome.result;
    return { saved: `${plural(added, "assignment")} added.${short > 0 ? ` ${plural(short, "idea")} could not get enough reviewers from that pool.` : ""}` };
  }
  if (values.intent === "close") {
    const outcome = await orFormFailure(async () => await closeReview(user, review.id, meta), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    return { saved: "The review is closed: no more scoring. You can still decide." };
  }
  return unknownIntent();
}

export default function ReviewPage() {
  const { review, jam, challenge, criteria, mine, manage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = formFailureOf(result);
  const saved = result && "saved" in result ? result.saved : null;
  const [search] = useSearchParams();
  const open = review.closedAt === null;
  return (
    <>
      <div className="breadcrumbs">
        <Link to={`/jams/${jam.slug}`}>{jam.title}</Link> / <Link to={`/jams/${jam.slug}/challenges/${challenge.id}`}>{challenge.title}</Link> /{" "}
        <Link to="/reviews">Reviews</Link>
      </div>
      <div className="page-head">
        <div>
          <h1 className="break-anywhere">{review.title}</h1>
          <ReviewFacts review={review} />
        </div>
      </div>
      {search.get("opened") === "1" && !result ? <Alert>The review is open: its reviewers and the authors of its ideas were told.</Alert> : null}
      {saved ? <Alert>{saved}</Alert> : null}
      {failure && !failure.values.ideaId ? <FormError message={failure.formError} /> : null}

      <section className="section card stack" aria-labelledby="criteria-heading">
        <h2 id="criteria-heading">Criteria</h2>
        <ul className="list-plain criteria-list">
          {criteria.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> <span className="small muted">× {c.weight}</span>
              {c.description ? <div className="small muted">{c.description}</div> : null}
            </li>
          ))}
        </ul>
      </section>

      {mine.length > 0 ? (
        <section className="section card stack" aria-labelledby="mine-heading">
          <h2 id="mine-heading">Your ideas to score</h2>
          <p className="small muted">
            {plural(mine.filter((m) => m.submittedAt !== null).length, "idea")} of {mine.length} scored.
            {review.blind ? " Blind review: authors are not shown, and others' scores of an idea only once you have submitted yours." : ""}
          </p>
          <QueueList slug={jam.slug} reviewId={review.id} queue={mine} />
        </section>
      ) : null}

      {manage ? (
        <>
          <section className="section stack" aria-labelledby="shortlist-heading">
            <h2 id="shortlist-heading">Ranked shortlist</h2>
            <p className="small muted">
              Each reviewer's score is the weighted mean of the criteria they scored; an idea's score is the mean over its reviewers. Reviewers disagreed when the standard
              deviation of their scores is 1 or more. Ties go to more reviewers, then less spread, then the older idea.
            </p>
            {manage.shortlist.length === 0 ? (
              <EmptyState title="No ideas left in this review">Its ideas were hidden by moderation.</EmptyState>
            ) : (
              <ol className="list-plain stack shortlist">
                {manage.shortlist.map((row) => (
                  <li key={row.idea.id} className="card stack shortlist__item" aria-labelledby={`idea-${row.idea.id}`}>
                    <div className="shortlist__head">
                      <span className="shortlist__rank" aria-label={`Rank ${row.rank}`}>
                        {row.rank}
                      </span>
                      <div className="stack" style={{ gap: "var(--s-1)" }}>
                        <h3 id={`idea-${row.idea.id}`} className="break-anywhere">
                          <Link to={`/jams/${jam.slug}/ideas/${row.idea.id}`}>{row.idea.title}</Link>
                        </h3>
                        <span className="small muted">{row.idea.author ?? "Anonymous"}</span>
                      </div>
                      <div className="shortlist__score">
                        <strong>{formatScore(row.score)}</strong>
                        <span className="small muted"> / 5</span>
                      </div>
                    </div>
                    <p className="row small">
                      <StageBadge stage={row.stage} label={row.stageLabel} />
                      {row.disagreed ? <span className="badge badge--emerging">Reviewers disagreed</span> : null}
                      <span className="muted">
                        {row.score === null
                          ? "No scores yet"
                          : `${plural(row.reviewers.filter((r) => r.score !== null).length, "reviewer")} · spread ${formatScore(row.sd)} (${formatScore(row.min)}–${formatScore(row.max)})`}
                      </span>
                    </p>
                    {row.reason ? <p className="small">Not selected: {row.reason}</p> : null}
                    {row.reviewers.length > 0 ? (
                      <details>
                        <summary>Scores and comments</summary>
                        <ul className="list-plain stack review-comments">
                          {row.reviewers.map((r) => (
                            <li key={r.id}>
                              <strong>{r.name}</strong> <span className="small muted">{r.submitted ? formatScore(r.score) : "not scored yet"}</span>
                              {r.comment ? <UserText text={r.comment} /> : null}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
                    {row.stage === "selected" ? (
                      row.actionId ? (
                        <p>
                          <Link to={`/actions/${row.actionId}`}>Follow-up action</Link>
                        </p>
                      ) : null
                    ) : (
                      <DecideForm ideaId={row.idea.id} stage={row.stage} failure={failure} />
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section className="section card stack" aria-labelledby="progress-heading">
            <h2 id="progress-heading">Progress</h2>
            <p>
              {manage.progress.submitted} of {plural(manage.progress.total, "assignment")} scored.
            </p>
            {manage.progress.byReviewer.length === 0 ? (
              <EmptyState title="No reviewers yet">Add reviewers below, from a list or a department, or by hand on each idea.</EmptyState>
            ) : (
              <TableWrap label="Progress per reviewer">
                <table>
                  <caption className="visually-hidden">Progress per reviewer</caption>
                  <thead>
                    <tr>
                      <th scope="col">Reviewer</th>
                      <th scope="col">Scored</th>
                      <th scope="col">Reminded</th>
                    </tr>
                  </thead>
                  <tbody>
                    {manage.progress.byReviewer.map((p) => (
                      <tr key={p.id}>
                        <td>{p.name}</td>
                        <td>
                          {p.submitted} / {p.assigned}
                        </td>
                        <td>{p.reminded ? "Yes" : "No"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            <h3>Per idea</h3>
            <ul className="list-plain stack">
              {manage.progress.byIdea.map((i) => (
                <li key={i.ideaId} className="progress-idea">
                  <div className="break-anywhere">{i.title}</div>
                  <div className="small muted">
                    {i.reviewers.length === 0 ? "No reviewer yet" : i.reviewers.map((r) => `${r.name}${r.submitted ? " ✓" : ""}`).join(", ")}
                  </div>
                  {open && !i.isAnonymous ? <AssignOneForm ideaId={i.ideaId} title={i.title} failure={failure} /> : null}
                </li>
              ))}
            </ul>
          </section>

          {open ? (
            <section className="section card stack" aria-labelledby="add-heading">
              <h2 id="add-heading">Add reviewers</h2>
              <AssignPoolForm departments={manage.departments} failure={failure} />
            </section>
          ) : null}

          {open ? (
            <section className="section card stack" aria-labelledby="close-heading">
              <h2 id="close-heading">Close the review</h2>
              <details>
                <summary>Close the review…</summary>
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="close" />
                  <p>Reviewers will no longer be able to score or change their scores. You can still decide about each idea.</p>
                  <div>
                    <button className="btn btn--danger btn--small" type="submit">
                      Yes, close it
                    </button>
                  </div>
                </Form>
              </details>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function AssignOneForm({ ideaId, title, failure }: { ideaId: number; title: string; failure?: ReturnType<typeof formFailureOf> }) {
  const id = useId();
  const mine = failure && failure.values.intent === "assign-one" && failure.values.ideaId === String(ideaId) ? failure : undefined;
  return (
    <Form method="post" className="inline-form assign-one" noValidate>
      <input type="hidden" name="intent" value="assign-one" />
      <input type="hidden" name="ideaId" value={ideaId} />
      <label htmlFor={`${id}-email`} className="visually-hidden">
        Reviewer's e-mail for {title}
      </label>
      <input
        id={`${id}-email`}
        className="input"
        name="email"
        type="email"
        placeholder="Reviewer's e-mail"
        defaultValue={mine?.values.email ?? ""}
        aria-invalid={mine?.fieldErrors.email ? true : undefined}
        aria-describedby={mine?.fieldErrors.email ? `${id}-error` : undefined}
      />
      <button className="btn btn--secondary btn--small" type="submit">
        Add
      </button>
      {mine?.fieldErrors.email ? (
        <div className="field__error" id={`${id}-error`} role="alert">
          {mine.fieldErrors.email.join(" ")}
        </div>
      ) : null}
    </Form>
  );
}

function AssignPoolForm({ departments, failure }: { departments: { id: number; name: string }[]; failure?: ReturnType<typeof formFailureOf> }) {
  const mine = failure && failure.values.intent === "assign-pool" ? failure : undefined;
  const busy = useNavigation().state === "submitting";
  const v = mine?.values ?? {};
  const errors = mine?.fieldErrors ?? {};
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="assign-pool" />
      <p className="small muted">Round-robin: each idea is topped up to this many reviewers, from the people with the fewest ideas so far; never its author.</p>
      <SelectField
        label="From"
        name="assign"
        defaultValue={v.assign ?? "people"}
        options={[
          { value: "people", label: "The people listed below" },
          { value: "department", label: "The department chosen below" },
        ]}
      />
      <TextArea label="Reviewers' e-mail addresses" name="reviewers" rows={2} defaultValue={v.reviewers ?? ""} errors={errors.reviewers} />
      <SelectField
        label="Department"
        name="departmentId"
        defaultValue={v.departmentId ?? ""}
        placeholder="Choose a department"
        options={departments.map((d) => ({ value: String(d.id), label: d.name }))}
        errors={errors.departmentId}
      />
      <TextField label="Reviewers per idea" name="perIdea" type="number" defaultValue={v.perIdea ?? "2"} errors={errors.perIdea} />
      <div>
        <button className="btn btn--secondary" type="submit" disabled={busy}>
          Add reviewers
        </button>
      </div>
    </Form>
  );
}
