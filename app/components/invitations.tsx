/**
 * The invitations step of a jam's launch checklist: who is invited so far, a form to invite
 * everyone, a department or a pasted list, the confirmation with the count and the message, and
 * what happened once sent. Works without JavaScript: each step is a form post.
 */
import { Form } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { FormError, type FormFailure } from "~/components/form";
import { plural } from "~/components/ui";

export type InviteAudience = "everyone" | "department" | "list";

export interface InvitationCounts {
  audience: InviteAudience;
  label: string;
  newly: number;
  already: number;
  unknown: string[];
  unknownCount: number;
  invalid: string[];
  truncated: boolean;
  waitsForSchedule: boolean;
}

export type InvitationStep =
  | { stage: "preview"; counts: InvitationCounts; message: { subject: string; document: string }; values: InviteValues }
  | { stage: "sent"; counts: InvitationCounts & { queuedNow: number; inBackground: boolean } }
  | { stage: "edit"; values: InviteValues };

export interface InviteValues {
  audience: string;
  departmentId: string;
  emails: string;
}

export interface InvitationsPanel {
  invited: number;
  mailed: number;
  waiting: number;
  everyone: number;
  departments: { id: number; name: string; people: number }[];
}

/** Where the people are: "in Sales", "on your list", "" (everyone). */
function where(counts: Pick<InvitationCounts, "audience" | "label">) {
  return counts.audience === "everyone" ? "" : counts.audience === "department" ? ` in ${counts.label}` : " on your list";
}

/** "everyone", "everyone in Sales", "everyone on your list". */
function everyoneOf(counts: Pick<InvitationCounts, "audience" | "label">) {
  return `everyone${where(counts)}`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function Unmatched({ counts }: { counts: InvitationCounts }) {
  if (counts.unknownCount === 0 && counts.invalid.length === 0 && !counts.truncated) return null;
  return (
    <div className="alert alert--warn stack invite-unmatched" data-testid="invite-unmatched">
      {counts.unknownCount > 0 ? (
        <div>
          <p>
            <strong>{plural(counts.unknownCount, "address matches", "addresses match")} nobody here</strong>, so{" "}
            {counts.unknownCount === 1 ? "it gets" : "they get"} nothing:
          </p>
          <ul className="invite-addresses">
            {counts.unknown.map((a) => (
              <li key={a}>{a}</li>
            ))}
            {counts.unknownCount > counts.unknown.length ? <li>and {plural(counts.unknownCount - counts.unknown.length, "more")}</li> : null}
          </ul>
        </div>
      ) : null}
      {counts.invalid.length > 0 ? (
        <div>
          <p>
            <strong>Not e-mail addresses</strong>, left out:
          </p>
          <ul className="invite-addresses">
            {counts.invalid.map((a, i) => (
              <li key={`${a}-${i}`}>{a}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {counts.truncated ? <p>Only the first 5,000 addresses were read: invite the rest in another list.</p> : null}
    </div>
  );
}

function Preview({ step, busy }: { step: Extract<InvitationStep, { stage: "preview" }>; busy: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { counts, values } = step;
  const nothing = counts.newly === 0;
  return (
    <Form method="post" className="stack" preventScrollReset data-testid="invite-preview">
      <h3 ref={heading} tabIndex={-1} className="invite-confirm__heading">
        {nothing ? "Nobody new to invite" : `Invite ${plural(counts.newly, "person", "people")}?`}
      </h3>
      <p className="launch-opens" data-testid="invite-count">
        {nothing ? (
          <>{capitalise(everyoneOf(counts))} was invited already: nobody gets it twice.</>
        ) : (
          <>
            The invitation goes to <strong>{plural(counts.newly, "person", "people")}</strong>
            {counts.audience === "everyone" ? ", everyone who can sign in" : where(counts)}
            {counts.waitsForSchedule ? ", when you schedule the jam" : ""}.
          </>
        )}
      </p>
      {counts.already > 0 && !nothing ? (
        <p className="small muted">{plural(counts.already, "person", "people")} in it {counts.already === 1 ? "was" : "were"} invited before and will not get it again.</p>
      ) : null}
      {counts.waitsForSchedule ? (
        <p className="small muted">This jam is a draft: the invitations are saved now and e-mailed when it is scheduled, never before.</p>
      ) : null}
      <Unmatched counts={counts} />
      {nothing ? null : (
        <details className="invite-message" open>
          <summary>
            The e-mail: <strong>{step.message.subject}</strong>
          </summary>
          <p className="small muted">Each person sees their own name; people choose how they get invitations (at once, in a digest, or not at all).</p>
          <iframe className="invite-message__frame" title="The invitation e-mail" sandbox="" srcDoc={step.message.document} />
        </details>
      )}
      <input type="hidden" name="audience" value={values.audience} />
      <input type="hidden" name="departmentId" value={values.departmentId} />
      <input type="hidden" name="emails" value={values.emails} />
      <div className="row">
        {nothing ? null : (
          <button type="submit" name="intent" value="invite" className="btn" disabled={busy}>
            {busy ? "Sending…" : counts.waitsForSchedule ? `Save ${plural(counts.newly, "invitation")}` : `Send ${plural(counts.newly, "invitation")}`}
          </button>
        )}
        <button type="submit" name="intent" value="inviteEdit" className="btn btn--ghost" disabled={busy}>
          Change who to invite
        </button>
      </div>
    </Form>
  );
}

function Sent({ counts }: { counts: Extract<InvitationStep, { stage: "sent" }>["counts"] }) {
  return (
    <div className="stack" data-testid="invite-sent">
      <div className="alert alert--info" role="status">
        {counts.newly === 0 ? (
          <>{capitalise(everyoneOf(counts))} was invited already: nobody was sent it twice.</>
        ) : counts.waitsForSchedule ? (
          <>
            Saved {plural(counts.newly, "invitation")}
            {where(counts)}: they are e-mailed when you schedule the jam.
          </>
        ) : (
          <>
            Invited {plural(counts.newly, "person", "people")}
            {where(counts)}.{" "}
            {counts.inBackground
              ? `The first ${counts.queuedNow.toLocaleString("en-GB")} e-mails are on their way; the rest follow within a few minutes.`
              : "Their e-mails are on their way."}
          </>
        )}
      </div>
      <Unmatched counts={counts} />
    </div>
  );
}

function InviteForm({ panel, values, failure, busy }: { panel: InvitationsPanel; values: InviteValues | null; failure: FormFailure | undefined; busy: boolean }) {
  const id = useId();
  const typed = failure?.values ?? values ?? null;
  // Nothing is chosen until the facilitator chooses: inviting everyone is never a default.
  const [audience, setAudience] = useState<string>(typed?.audience ?? "");
  const errors = failure?.fieldErrors ?? {};
  const radio = (value: InviteAudience) => ({
    type: "radio" as const,
    name: "audience",
    value,
    checked: audience === value,
    onChange: () => setAudience(value),
  });
  return (
    <Form method="post" className="stack" preventScrollReset data-testid="invite-form">
      <FormError message={failure?.formError && Object.keys(errors).length === 0 ? failure.formError : null} />
      <fieldset className="invite-audience">
        <legend>Who to invite</legend>
        <div className="invite-choice">
          <input id={`${id}-everyone`} {...radio("everyone")} />
          <label htmlFor={`${id}-everyone`}>
            Everyone <span className="muted small">({plural(panel.everyone, "person", "people")})</span>
          </label>
        </div>
        <div className="invite-choice">
          <input id={`${id}-department`} {...radio("department")} aria-controls={`${id}-department-select`} />
          <label htmlFor={`${id}-department`}>A department</label>
        </div>
        <div className="field invite-choice__detail">
          <label htmlFor={`${id}-department-select`} className="visually-hidden">
            Department to invite
          </label>
          <select
            id={`${id}-department-select`}
            className="select"
            name="departmentId"
            defaultValue={typed?.departmentId ?? ""}
            onFocus={() => setAudience("department")}
            aria-invalid={errors.departmentId?.length ? true : undefined}
            aria-describedby={errors.departmentId?.length ? `${id}-department-error` : undefined}
          >
            <option value="">Choose a department…</option>
            {panel.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({plural(d.people, "person", "people")})
              </option>
            ))}
          </select>
          {errors.departmentId?.length ? (
            <div className="field__error" id={`${id}-department-error`} role="alert">
              {errors.departmentId.join(" ")}
            </div>
          ) : null}
        </div>
        <div className="invite-choice">
          <input id={`${id}-list`} {...radio("list")} aria-controls={`${id}-emails`} />
          <label htmlFor={`${id}-list`}>A list of e-mail addresses</label>
        </div>
        <div className="field invite-choice__detail">
          <label htmlFor={`${id}-emails`} className="visually-hidden">
            Addresses to invite
          </label>
          <textarea
            id={`${id}-emails`}
            className="textarea invite-emails"
            name="emails"
            rows={4}
            defaultValue={typed?.emails ?? ""}
            onFocus={() => setAudience("list")}
            placeholder={"sam.lee@company.com\nAna Ruiz <ana.ruiz@company.com>"}
            aria-invalid={errors.emails?.length ? true : undefined}
            aria-describedby={`${id}-emails-hint${errors.emails?.length ? ` ${id}-emails-error` : ""}`}
          />
          <div className="field__hint" id={`${id}-emails-hint`}>
            Paste addresses one a line, or separated by commas; “Name &lt;address&gt;” works too. Addresses that match nobody are shown to you, not dropped.
          </div>
          {errors.emails?.length ? (
            <div className="field__error" id={`${id}-emails-error`} role="alert">
              {errors.emails.join(" ")}
            </div>
          ) : null}
        </div>
        {errors.audience?.length ? (
          <div className="field__error" role="alert">
            {errors.audience.join(" ")}
          </div>
        ) : null}
      </fieldset>
      <div>
        <button type="submit" name="intent" value="invitePreview" className="btn btn--secondary" disabled={busy}>
          {busy ? "Counting…" : "Preview the invitation…"}
        </button>
      </div>
    </Form>
  );
}

export function Invitations({
  panel,
  step,
  failure,
  busy,
  isDraft,
}: {
  panel: InvitationsPanel;
  step: InvitationStep | null;
  failure: FormFailure | undefined;
  busy: boolean;
  isDraft: boolean;
}) {
  return (
    <section className="card stack section invitations" aria-labelledby="invitations-heading" data-testid="invitations">
      <div className="launch-item__head">
        <h2 id="invitations-heading">Invitations</h2>
        <span className="launch-status launch-status--look">Optional</span>
      </div>
      <p className="small" data-testid="invitations-summary">
        {panel.invited === 0 ? (
          <>Nobody is invited yet. Without invitations, everyone is told by e-mail when the jam opens.</>
        ) : (
          <>
            <strong>{plural(panel.invited, "person", "people")} invited</strong>
            {panel.waiting > 0
              ? isDraft
                ? `: the e-mails go when you schedule the jam.`
                : ` (${panel.waiting.toLocaleString("en-GB")} e-mails still being queued).`
              : "."}{" "}
            They hear when it opens, get a daily pulse while it is live, and a reminder before it ends; so do the people who take part.
          </>
        )}
      </p>
      {step?.stage === "preview" ? (
        <Preview step={step} busy={busy} />
      ) : (
        <>
          {step?.stage === "sent" ? <Sent counts={step.counts} /> : null}
          <InviteForm panel={panel} values={step?.stage === "edit" ? step.values : null} failure={failure} busy={busy} />
        </>
      )}
    </section>
  );
}
