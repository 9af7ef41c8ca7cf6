import { Form, Link, useNavigation } from "@remix-run/react";
import { useId } from "react";
import type { IdeaStage } from "~/domain/evaluation";
import { FormError, type FormFailure } from "~/components/form";
import { LocalTime } from "~/components/time";

/** An idea's stage as a badge ("In review", "Selected", …). */
export function StageBadge({ stage, label }: { stage: IdeaStage; label: string }) {
  return <span className={`badge stage stage--${stage.replace("_", "-")}`}>{label}</span>;
}

/** The facts at the top of a review: open or closed, blind, due. */
export function ReviewFacts({ review }: { review: { blind: boolean; dueAt: number | null; closedAt?: number | null; open?: boolean } }) {
  const closed = review.open === false || (review.closedAt !== undefined && review.closedAt !== null);
  return (
    <p className="row small review-facts">
      <span className={`badge ${closed ? "" : "badge--live"}`}>{closed ? "Closed" : "Open"}</span>
      {review.blind ? <span className="badge badge--brand">Blind</span> : null}
      {review.dueAt !== null ? (
        <span className="muted">
          Due <LocalTime at={review.dueAt - 1} withTime={false} />
        </span>
      ) : (
        <span className="muted">No due date</span>
      )}
    </p>
  );
}

/** A score out of 5 with two decimals, or a dash. */
export function formatScore(score: number | null): string {
  return score === null ? "–" : score.toFixed(2);
}

/** The facilitator's decision on one idea of the ranked shortlist. */
export function DecideForm({
  ideaId,
  stage,
  failure,
}: {
  ideaId: number;
  stage: IdeaStage;
  failure?: FormFailure;
}) {
  const id = useId();
  const busy = useNavigation().state === "submitting";
  const mine = failure && failure.values.ideaId === String(ideaId) ? failure : undefined;
  return (
    <Form method="post" className="stack decide-form" noValidate>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="ideaId" value={ideaId} />
      {mine ? <FormError message={mine.formError} /> : null}
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason (needed when not selected)</label>
        <textarea
          id={`${id}-reason`}
          className="textarea"
          name="reason"
          rows={2}
          defaultValue={mine?.values.reason ?? ""}
          aria-invalid={mine?.fieldErrors.reason ? true : undefined}
          aria-describedby={mine?.fieldErrors.reason ? `${id}-reason-error` : undefined}
        />
        {mine?.fieldErrors.reason ? (
          <div className="field__error" id={`${id}-reason-error`} role="alert">
            {mine.fieldErrors.reason.join(" ")}
          </div>
        ) : null}
      </div>
      <div className="row">
        {stage !== "shortlisted" && stage !== "not_selected" ? (
          <button className="btn btn--secondary btn--small" type="submit" name="decision" value="shortlisted" disabled={busy}>
            Shortlist
          </button>
        ) : null}
        {stage === "not_selected" ? (
          <button className="btn btn--secondary btn--small" type="submit" name="decision" value="shortlisted" disabled={busy}>
            Shortlist after all
          </button>
        ) : null}
        <button className="btn btn--small" type="submit" name="decision" value="selected" disabled={busy}>
          Select and make it an action
        </button>
        {stage !== "not_selected" ? (
          <button className="btn btn--ghost btn--small" type="submit" name="decision" value="not_selected" disabled={busy}>
            Not selected
          </button>
        ) : null}
      </div>
    </Form>
  );
}

/** A link to an idea's score page, with whether the reviewer has submitted it. */
export function QueueList({ slug, reviewId, queue }: { slug: string; reviewId: number; queue: { ideaId: number; title: string; author?: string | null; submittedAt?: number | null; submitted?: boolean }[] }) {
  return (
    <ol className="list-plain stack review-queue">
      {queue.map((q) => {
        const done = q.submitted ?? (q.submittedAt !== null && q.submittedAt !== undefined);
        return (
          <li key={q.ideaId} className="review-queue__item">
            <Link to={`/jams/${slug}/reviews/${reviewId}/ideas/${q.ideaId}`}>{q.title}</Link>
            <span className="small muted">
              {q.author ? `${q.author} · ` : ""}
              {done ? "Scored" : "To score"}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
