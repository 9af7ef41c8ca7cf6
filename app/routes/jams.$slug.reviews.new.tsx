import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId, useState } from "react";
import { requireUser } from "~/auth/guard.server";
import { CheckboxField, FormError, SelectField, TextArea, TextField } from "~/components/form";
import { EmptyState } from "~/components/ui";
import { MAX_CRITERIA, MAX_REVIEWERS_PER_IDEA, WEIGHT_MAX, WEIGHT_MIN } from "~/domain/evaluation";
import { criterionFieldErrors, openReviewInputFromForm } from "~/http/review-form.server";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { newReviewPage } from "~/services/pages/reviews.server";
import { openReview } from "~/services/commands/reviews.server";

export const meta: MetaFunction = () => [{ title: "Open a review · Jamboree" }];

function challengeOf(request: Request) {
  const id = Number(new URL(request.url).searchParams.get("challenge"));
  return Number.isInteger(id) && id > 0 ? id : 0;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await newReviewPage(user, params.slug ?? "", challengeOf(request)), { request, user, ip: context.ip });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent !== "open") return unknownIntent();
  const ctx = { request, user, ip: context.ip };
  // The challenge must be this jam's (and visible to the facilitator).
  await orRespond(async () => await newReviewPage(user, params.slug ?? "", Number(values.challengeId)), ctx);
  const outcome = await orFormFailure(async () => await openReview(user, openReviewInputFromForm(values), { ip: context.ip }), {
    ...ctx,
    values,
    mapErrors: (errors) => criterionFieldErrors(errors, values),
  });
  if (!outcome.ok) return outcome.response;
  return redirect(`/jams/${outcome.result.jamSlug}/reviews/${outcome.result.id}?opened=1`);
}

const SCOPES = [
  { value: "all", label: "Every visible idea of the challenge" },
  { value: "top", label: "The most supported ideas" },
  { value: "shortlisted", label: "Ideas shortlisted in an earlier review" },
  { value: "picked", label: "Ideas I pick" },
];

export default function NewReview() {
  const { jam, challenge, ideas, departments, criteria } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const v = failure?.values ?? {};
  const errors = failure?.fieldErrors ?? {};
  const [scope, setScope] = useState(v.scope ?? "all");
  const [assign, setAssign] = useState(v.assign ?? "people");
  const id = useId();
  const rows = Array.from({ length: 5 }, (_, i) => criteria[i] ?? null);
  return (
    <>
      <div className="breadcrumbs">
        <Link to={`/jams/${jam.slug}`}>{jam.title}</Link> / <Link to={`/jams/${jam.slug}/challenges/${challenge.id}`}>{challenge.title}</Link>
      </div>
      <div className="page-head">
        <div>
          <h1>Open a review</h1>
          <p>People who know score the ideas of “{challenge.title}” on the criteria you set; you read a ranked shortlist and decide.</p>
        </div>
      </div>
      {ideas.length === 0 ? (
        <EmptyState title="No ideas to review yet">This challenge has no visible idea that is not already selected.</EmptyState>
      ) : (
        <Form method="post" className="stack review-form" noValidate>
          <input type="hidden" name="intent" value="open" />
          <input type="hidden" name="challengeId" value={challenge.id} />
          {failure ? <FormError message={failure.formError} /> : null}
          <section className="card stack" aria-labelledby={`${id}-what`}>
            <h2 id={`${id}-what`}>What is reviewed</h2>
            <TextField label="Title" name="title" defaultValue={v.title ?? `${challenge.title}: first review`} errors={errors.title} maxLength={120} />
            <fieldset className="field review-choices">
              <legend>Which ideas</legend>
              {SCOPES.map((s) => (
                <div className="checkbox" key={s.value}>
                  <input id={`${id}-scope-${s.value}`} type="radio" name="scope" value={s.value} checked={scope === s.value} onChange={() => setScope(s.value)} />
                  <label htmlFor={`${id}-scope-${s.value}`}>{s.label}</label>
                </div>
              ))}
              {errors.scope ? <div className="field__error" role="alert">{errors.scope.join(" ")}</div> : null}
            </fieldset>
            {scope === "top" ? <TextField label="How many of the most supported" name="topN" type="number" defaultValue={v.topN ?? "10"} errors={errors.topN} /> : null}
            {scope === "picked" ? (
              <fieldset className="field review-picker">
                <legend>Ideas to review ({ideas.length})</legend>
                <ul className="list-plain stack">
                  {ideas.map((idea) => (
                    <li key={idea.id} className="checkbox">
                      <input id={`${id}-pick-${idea.id}`} type="checkbox" name={`pick-${idea.id}`} defaultChecked={v[`pick-${idea.id}`] === "on"} />
                      <label htmlFor={`${id}-pick-${idea.id}`}>
                        {idea.title} <span className="small muted">· {idea.support} support · {idea.stage}</span>
                      </label>
                    </li>
                  ))}
                </ul>
                {errors.picked ? <div className="field__error" role="alert">{errors.picked.join(" ")}</div> : null}
              </fieldset>
            ) : null}
          </section>

          <section className="card stack" aria-labelledby={`${id}-criteria`}>
            <h2 id={`${id}-criteria`}>Criteria</h2>
            <p className="small muted">
              Reviewers score each criterion from 1 to 5, where 5 is best (for cost, 5 means cheap). A weight from {WEIGHT_MIN} to {WEIGHT_MAX} says how much it counts. Leave a
              name empty to drop a row; up to {MAX_CRITERIA} criteria.
            </p>
            {errors.criteria ? <div className="field__error" role="alert">{errors.criteria.join(" ")}</div> : null}
            {rows.map((c, i) => (
              <div className="criterion-row" key={i}>
                <TextField label={`Criterion ${i + 1}`} name={`criterion-${i}-name`} defaultValue={v[`criterion-${i}-name`] ?? c?.name ?? ""} errors={errors[`criterion-${i}-name`]} />
                <TextField
                  label="Weight"
                  name={`criterion-${i}-weight`}
                  type="number"
                  defaultValue={v[`criterion-${i}-weight`] ?? String(c?.weight ?? 1)}
                  errors={errors[`criterion-${i}-weight`]}
                />
                <TextField
                  label="Hint for reviewers"
                  name={`criterion-${i}-description`}
                  defaultValue={v[`criterion-${i}-description`] ?? c?.description ?? ""}
                  errors={errors[`criterion-${i}-description`]}
                />
              </div>
            ))}
          </section>

          <section className="card stack" aria-labelledby={`${id}-who`}>
            <h2 id={`${id}-who`}>Reviewers</h2>
            <fieldset className="field review-choices">
              <legend>How reviewers are assigned</legend>
              {[
                { value: "people", label: "Round-robin from people I list" },
                { value: "department", label: "Round-robin from a department" },
                { value: "hand", label: "By hand, idea by idea, after opening" },
              ].map((m) => (
                <div className="checkbox" key={m.value}>
                  <input id={`${id}-assign-${m.value}`} type="radio" name="assign" value={m.value} checked={assign === m.value} onChange={() => setAssign(m.value)} />
                  <label htmlFor={`${id}-assign-${m.value}`}>{m.label}</label>
                </div>
              ))}
            </fieldset>
            {assign === "people" ? (
              <TextArea label="Reviewers' e-mail addresses" name="reviewers" rows={3} defaultValue={v.reviewers ?? ""} errors={errors.reviewers} hint="One a line. Nobody is given an idea they wrote." />
            ) : null}
            {assign === "department" ? (
              <SelectField
                label="Department"
                name="departmentId"
                defaultValue={v.departmentId ?? ""}
                placeholder="Choose a department"
                options={departments.map((d) => ({ value: String(d.id), label: d.name }))}
                errors={errors.departmentId}
              />
            ) : null}
            {assign !== "hand" ? (
              <TextField
                label="Reviewers per idea"
                name="perIdea"
                type="number"
                defaultValue={v.perIdea ?? "2"}
                errors={errors.perIdea}
                hint={`From 1 to ${MAX_REVIEWERS_PER_IDEA}; each idea goes to the people with the fewest ideas so far.`}
              />
            ) : null}
            <CheckboxField
              label="Blind review"
              name="blind"
              defaultChecked={v.blind === "on"}
              hint="Reviewers see no authors, and nobody else's scores of an idea until they have submitted their own."
            />
            <TextField label="Due date (optional)" name="dueDate" type="date" defaultValue={v.dueDate ?? ""} errors={errors.dueDate} hint="Reviewers who have not finished are reminded once, a day before it ends." />
          </section>
          <div className="row">
            <button className="btn" type="submit" disabled={busy}>
              {busy ? "Opening…" : "Open the review"}
            </button>
            <Link className="btn btn--ghost" to={`/jams/${jam.slug}/challenges/${challenge.id}`}>
              Cancel
            </Link>
          </div>
        </Form>
      )}
    </>
  );
}
