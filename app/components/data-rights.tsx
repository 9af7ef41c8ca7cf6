import { Form, Link } from "@remix-run/react";
import { useId } from "react";
import { FormError, TextField, type FormFailure } from "~/components/form";
import { Alert, plural } from "~/components/ui";

/**
 * "Your data" on My activity: the archive to download, and the way to erase the account (a
 * danger zone that leads to its own confirmation page).
 */
export function YourData({ waitSeconds }: { waitSeconds: number | null }) {
  return (
    <div className="stack section">
      <section className="card stack" aria-labelledby="download-heading">
        <h2 id="download-heading">Download your data</h2>
        <p className="muted">
          One ZIP file with everything you wrote and everything Jamboree holds about you: your profile, ideas (anonymous ones too), comments,
          votes, points, badges, notifications, follows, sign-ins and the audit records about you, as <code>data.json</code> and one
          spreadsheet (CSV) per kind. A README in it says what each file holds and what is left out (other people’s private data).
        </p>
        {waitSeconds !== null ? (
          <Alert kind="warn">
            You have downloaded your data several times just now. Try again in{" "}
            {waitSeconds < 120 ? plural(waitSeconds, "second") : plural(Math.ceil(waitSeconds / 60), "minute")}.
          </Alert>
        ) : null}
        {/* A plain form (not the app's): the browser itself receives the file and saves it. */}
        <form method="post" action="/me/data.zip">
          <button type="submit" className="btn">
            <DownloadIcon /> Download your data
          </button>
        </form>
      </section>
      <section className="card danger-zone stack" aria-labelledby="erase-heading">
        <h2 id="erase-heading">Erase your account</h2>
        <GoesAndStays whose="your" />
        <div>
          <Link to="/me/erase" className="btn btn--danger">
            Erase my account…
          </Link>
        </div>
      </section>
    </div>
  );
}

/** What an erasure takes and what it leaves, said the same way to the person and to an admin. */
export function GoesAndStays({ whose }: { whose: "your" | "their" }) {
  const you = whose === "your";
  return (
    <div className="goes-stays">
      <div>
        <h3 className="goes-stays__title">What goes, at once and for good</h3>
        <ul>
          <li>{you ? "Your" : "Their"} name and e-mail address, everywhere</li>
          <li>
            Signing in: {you ? "you are" : "they are"} signed out on every device, and neither {you ? "your" : "their"} password nor{" "}
            {you ? "your" : "their"} company account signs in as {you ? "you" : "them"} again
          </li>
          <li>Points, badges and places on the leaderboards</li>
          <li>Follows, by {you ? "you" : "them"} and of {you ? "you" : "them"}, and notifications</li>
          <li>{you ? "Your" : "Their"} place in the people network</li>
          <li>
            {you ? "Your" : "Their"} calendar feed and places at jellies still to come (the first person waiting moves up); jellies{" "}
            {you ? "you" : "they"} would have hosted are cancelled, and the people going are told
          </li>
        </ul>
      </div>
      <div>
        <h3 className="goes-stays__title">What stays</h3>
        <ul>
          <li>
            {you ? "Your" : "Their"} ideas and comments, shown as by <strong>Former participant</strong> (anonymous ones stay anonymous),
            unless {you ? "you ask" : "they ask"} for them to go too
          </li>
          <li>Votes {you ? "you" : "they"} cast, in each idea’s count</li>
          <li>The audit log’s records, without the e-mail address</li>
        </ul>
      </div>
    </div>
  );
}

export interface ErasePreview {
  name: string;
  email: string | null;
  erased: boolean;
  confirmsWithPassword: boolean;
  isLastAdmin: boolean;
  visibleIdeas: number;
  visibleComments: number;
}

/**
 * The confirmation form: the choice to also remove what they wrote, and the words that confirm
 * (the person's password, or e-mail address; an admin types the person's e-mail address).
 */
export function EraseForm({
  preview,
  who,
  failure,
  busy,
  userId,
  cancelTo,
}: {
  preview: ErasePreview;
  who: "self" | "admin";
  failure?: FormFailure;
  busy: boolean;
  userId?: number;
  cancelTo: string;
}) {
  const removeId = useId();
  const self = who === "self";
  const written = `${plural(preview.visibleIdeas, "idea")} and ${plural(preview.visibleComments, "comment")}`;
  const blocked = preview.isLastAdmin;
  const confirmLabel = preview.erased
    ? "Type “erased” to confirm"
    : self
      ? preview.confirmsWithPassword
        ? "Your password"
        : "Your e-mail address"
      : `Type ${preview.email} to confirm`;
  return (
    <Form method="post" className="stack" noValidate>
      {userId !== undefined ? <input type="hidden" name="userId" value={userId} /> : null}
      <FormError message={failure?.formError && !failure.fieldErrors.confirmation ? failure.formError : null} />
      {blocked ? (
        <Alert kind="warn">
          {self ? "You are" : "This is"} the last admin. Make someone else an admin on People first, so the company is not left without one.
        </Alert>
      ) : null}
      <fieldset className="stack">
        <legend>{preview.erased ? "What they wrote" : self ? "What you wrote" : "What they wrote"}</legend>
        <div className="checkbox">
          <input
            id={removeId}
            type="checkbox"
            name="removeContent"
            defaultChecked={failure?.values.removeContent === "on" || preview.erased}
            aria-describedby={`${removeId}-hint`}
            disabled={preview.visibleIdeas + preview.visibleComments === 0}
          />
          <label htmlFor={removeId}>{self ? "Also remove what I wrote" : "Also remove what they wrote"}</label>
        </div>
        <p className="field__hint" id={`${removeId}-hint`}>
          {preview.visibleIdeas + preview.visibleComments === 0
            ? "Nothing is left to remove."
            : `${written} would be hidden from everyone, as a moderator hides them (nothing is deleted, and nobody can show them again). Left unticked, they stay as by Former participant.`}
        </p>
      </fieldset>
      <TextField
        label={confirmLabel}
        name="confirmation"
        type={self && preview.confirmsWithPassword && !preview.erased ? "password" : "text"}
        autoComplete={self && preview.confirmsWithPassword ? "current-password" : "off"}
        hint={
          preview.erased
            ? "The account is already erased: this only hides what is still shown of theirs."
            : self
              ? preview.confirmsWithPassword
                ? "To be sure it is you: type the password you sign in with."
                : `To be sure: type your e-mail address, ${preview.email}.`
              : "To be sure it is the right person."
        }
        errors={failure?.fieldErrors.confirmation}
        defaultValue={self ? undefined : failure?.values.confirmation}
      />
      <div className="row">
        <button type="submit" className="btn btn--danger" disabled={busy || blocked}>
          {preview.erased ? "Hide what they wrote" : self ? "Erase my account" : `Erase ${preview.name}’s account`}
        </button>
        <Link to={cancelTo} className="btn btn--secondary">
          Cancel
        </Link>
      </div>
    </Form>
  );
}

function DownloadIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 3v12m0 0 5-5m-5 5-5-5M4 19h16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
