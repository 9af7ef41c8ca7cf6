import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { formFailureOf, FormError, newClientKey, SelectField, TextArea, TextField } from "~/components/form";
import { JellyStateBadge, JellyTime } from "~/components/jellies";
import { Alert, EmptyState, plural } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { JELLY_IDEA_BODY_MAX, JELLY_IDEA_TITLE_MAX, JELLY_NOTES_MAX } from "~/domain/jellies";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { addJellyIdea, cancelJelly, cancelRsvp, checkIn, postNotes, rsvp } from "~/services/commands/jellies.server";
import { jellyPage } from "~/services/pages/jellies.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.jelly.title ?? "Jelly"} · Jellies · Jamboree` }];

function jellyId(raw: string | undefined) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new Response("No such jelly.", { status: 404 });
  return id;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = jellyId(params.id);
  const page = await orRespond(async () => await jellyPage(user, id), {
    request,
    user,
    ip: context.ip,
  });
  // A key per rendered idea form: a double submit notes (and posts) one idea.
  return { ...page, ideaKey: newClientKey() };
}

type Done = { intent: string; message: string; points?: number };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = jellyId(params.id);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip, values };
  const input = { ...values, jellyId: id };
  switch (values.intent) {
    case "rsvp": {
      const outcome = await orFormFailure(async () => await rsvp(user, input), ctx);
      if (!outcome.ok) return outcome.response;
      const message =
        outcome.result.status === "going"
          ? "You are going. Add it to your calendar below."
          : "It is full: you are on the waiting list. If a place opens up, it is yours and you are told.";
      return { intent: "rsvp", message } satisfies Done;
    }
    case "cancelRsvp": {
      const outcome = await orFormFailure(async () => await cancelRsvp(user, input), ctx);
      if (!outcome.ok) return outcome.response;
      return {
        intent: "cancelRsvp",
        message: "Your place is given up.",
      } satisfies Done;
    }
    case "checkIn": {
      const outcome = await orFormFailure(async () => await checkIn(user, input), ctx);
      if (!outcome.ok) return outcome.response;
      const { points, alreadyCheckedIn } = outcome.result;
      return {
        intent: "checkIn",
        message: alreadyCheckedIn ? "You had already checked in." : `You checked in: +${points} points.`,
        points,
      } satisfies Done;
    }
    case "cancelJelly": {
      const outcome = await orFormFailure(async () => await cancelJelly(user, id, { ip: context.ip }), ctx);
      if (!outcome.ok) return outcome.response;
      return {
        intent: "cancelJelly",
        message: "The jelly is cancelled; everyone going or waiting was told.",
      } satisfies Done;
    }
    case "notes": {
      const outcome = await orFormFailure(async () => await postNotes(user, id, values), ctx);
      if (!outcome.ok) return outcome.response;
      return {
        intent: "notes",
        message: "The notes are saved.",
      } satisfies Done;
    }
    case "idea": {
      const outcome = await orFormFailure(async () => await addJellyIdea(user, id, values), ctx);
      if (!outcome.ok) return outcome.response;
      return {
        intent: "idea",
        message: outcome.result.ideaId !== null ? "The idea is noted, with credit, and posted in the community’s idea box as theirs." : "The idea is noted, with credit.",
      } satisfies Done;
    }
    default:
      return unknownIntent();
  }
}

function Intent({ value }: { value: string }) {
  return <input type="hidden" name="intent" value={value} />;
}

/** The jelly page: what, when, where, who is going; RSVP, calendar, check-in; the host's tools; notes and ideas. */
export default function JellyPage() {
  const page = useLoaderData<typeof loader>();
  const { jelly, state, host, isHost, theme, pair, going, waitingCount, myWaitingPosition, mine, canRsvp, checkInWindow, ideas, creditable, community, box, ideaKey } = page;
  const answer = useActionData<typeof action>();
  const failure = formFailureOf(answer);
  const done = answer && "message" in answer ? (answer as Done) : null;
  const navigation = useNavigation();
  const sending = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const failedIntent = failure?.values.intent ?? null;
  const [search] = useSearchParams();
  const full = going.length >= jelly.capacity;
  const canCheckIn = mine?.status === "going" && !mine.checkedIn && checkInWindow === "open" && jelly.status === "scheduled";
  const where = jelly.place || jelly.callLink;

  return (
    <>
      <div className="breadcrumbs">
        <Link to="/jellies">Jellies</Link> / {jelly.title}
      </div>
      <article className="card stack jelly-head" aria-labelledby="jelly-title">
        <div className="row">
          <JellyStateBadge state={state} />
          {theme ? (
            <span className="small muted">
              From the theme <Link to={`/jams/${theme.jamSlug}/synthesis`}>{theme.label}</Link>
            </span>
          ) : null}
          {pair ? <span className="small muted">A meetup with {pair.name}</span> : null}
          {community ? (
            <span className="small muted">
              Of the community <Link to={`/communities/${community.slug}`}>{community.title}</Link>
              {community.privacy === "members" ? " (members only)" : ""}
            </span>
          ) : null}
        </div>
        <h1 id="jelly-title" className="break-anywhere">
          {jelly.title}
        </h1>
        <dl className="action-facts jelly-facts">
          <div>
            <dt>When</dt>
            <dd>
              <JellyTime at={jelly.startsAt} end={jelly.endsAt} zone={jelly.timeZone} />
            </dd>
          </div>
          <div>
            <dt>Where</dt>
            <dd className="break-anywhere">
              {jelly.place ? <div>{jelly.place}</div> : null}
              {jelly.callLink ? (
                <div>
                  <a href={jelly.callLink} rel="nofollow noopener noreferrer" target="_blank">
                    Join the call
                  </a>
                </div>
              ) : null}
              {!where ? "—" : null}
            </dd>
          </div>
          <div>
            <dt>Host</dt>
            <dd>{isHost ? `${host.name} (you)` : host.name}</dd>
          </div>
          <div>
            <dt>Places</dt>
            <dd>
              {going.length} of {jelly.capacity} going
              {waitingCount > 0 ? ` · ${plural(waitingCount, "person", "people")} waiting` : ""}
            </dd>
          </div>
        </dl>
        <UserText text={jelly.about} />
      </article>

      {search.get("changed") ? (
        <div className="section">
          <Alert>Saved. The people going or waiting were told, and their calendars pick up the change.</Alert>
        </div>
      ) : null}
      {done ? (
        <div className="section">
          <Alert>{done.intent === "checkIn" && done.points ? <strong className="points-gain-inline">{done.message}</strong> : done.message}</Alert>
        </div>
      ) : null}
      {failure && ["rsvp", "cancelRsvp", "cancelJelly"].includes(failedIntent ?? "") ? (
        <div className="section">
          <FormError message={failure.formError} />
        </div>
      ) : null}

      <section className="section card stack" aria-labelledby="place-heading">
        <h2 id="place-heading">{isHost ? "You are the host" : "Your place"}</h2>
        {jelly.status === "cancelled" ? (
          <Alert kind="warn">This jelly was cancelled by its host.</Alert>
        ) : isHost ? (
          <>
            <p className="small muted">At the meetup, show the check-in code on a screen: people going type it on this page and score points.</p>
            <div className="row">
              <Link to={`/jellies/${jelly.id}/code`} className="btn">
                Show the check-in code
              </Link>
              {state === "upcoming" ? (
                <Link to={`/jellies/${jelly.id}/edit`} className="btn btn--secondary">
                  Edit
                </Link>
              ) : null}
            </div>
            {state !== "past" ? (
              <details className="jelly-cancel">
                <summary>Cancel this jelly…</summary>
                <Form method="post" className="stack">
                  <Intent value="cancelJelly" />
                  <p className="small">
                    Everyone going or waiting ({plural(going.length + waitingCount, "person", "people")}) is told, and their calendars mark it
                    cancelled. The jelly stays, marked cancelled. This cannot be undone.
                  </p>
                  <div>
                    <button type="submit" className="btn btn--danger" disabled={sending("cancelJelly")}>
                      Yes, cancel the jelly
                    </button>
                  </div>
                </Form>
              </details>
            ) : null}
          </>
        ) : mine?.status === "going" ? (
          <>
            <p>
              <strong>You are going.</strong> {mine.checkedIn ? "You checked in." : null}
            </p>
            {state === "upcoming" ? (
              <Form method="post">
                <Intent value="cancelRsvp" />
                <button type="submit" className="btn btn--secondary" disabled={sending("cancelRsvp")}>
                  I can no longer come
                </button>
              </Form>
            ) : null}
          </>
        ) : mine?.status === "waiting" ? (
          <>
            <p>
              <strong>You are on the waiting list</strong> (number {myWaitingPosition}). When a place opens up, it is yours and you are told.
            </p>
            <Form method="post">
              <Intent value="cancelRsvp" />
              <button type="submit" className="btn btn--secondary" disabled={sending("cancelRsvp")}>
                Leave the waiting list
              </button>
            </Form>
          </>
        ) : canRsvp ? (
          <Form method="post" className="stack">
            {full ? (
              <p className="small muted">
                It is full{waitingCount > 0 ? ` and ${plural(waitingCount, "person is", "people are")} waiting` : ""}. When someone gives up their
                place, the first person waiting gets it and is told.
              </p>
            ) : null}
            <Intent value="rsvp" />
            <div>
              <button type="submit" className="btn" disabled={sending("rsvp")}>
                {full ? "Join the waiting list" : "I’m going"}
              </button>
            </div>
          </Form>
        ) : (
          <p className="muted">RSVPs are closed: this jelly has {state === "past" ? "ended" : "started"}.</p>
        )}
        {jelly.status === "scheduled" && state !== "past" && (isHost || mine?.status === "going") ? (
          <div className="row small">
            <a href={`/jellies/${jelly.id}/calendar.ics`} download className="btn btn--secondary btn--small">
              Download for your calendar (.ics)
            </a>
            <Link to="/me?tab=data#calendar">or subscribe to your calendar feed</Link>
          </div>
        ) : null}
      </section>

      {canCheckIn ? (
        <section className="section card stack" aria-labelledby="checkin-heading">
          <h2 id="checkin-heading">Check in</h2>
          <p className="small muted">Type the code the host shows at the jelly.</p>
          <Form method="post" className="inline-form jelly-checkin" noValidate>
            <Intent value="checkIn" />
            {failedIntent === "checkIn" && failure?.formError ? <FormError message={failure.formError} /> : null}
            <TextField
              label="Check-in code"
              name="code"
              autoComplete="off"
              defaultValue={failedIntent === "checkIn" ? failure?.values.code : ""}
              errors={failedIntent === "checkIn" ? failure?.fieldErrors.code : undefined}
            />
            <button type="submit" className="btn" disabled={sending("checkIn")}>
              Check in
            </button>
          </Form>
        </section>
      ) : null}

      <section className="section stack" aria-labelledby="going-heading">
        <h2 id="going-heading">Who is going</h2>
        <div className="card">
          <ul className="list-plain jelly-people">
            <li>
              {host.name} <span className="small muted">host</span>
            </li>
            {going.map((p) => (
              <li key={p.id}>
                {p.name}
                {p.checkedIn ? <span className="small muted"> · checked in</span> : null}
              </li>
            ))}
          </ul>
        </div>
        {waitingCount > 0 ? <p className="small muted">{plural(waitingCount, "person", "people")} on the waiting list.</p> : null}
      </section>

      {state !== "upcoming" || jelly.notes ? (
        <section className="section stack" aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notes</h2>
          {jelly.notes ? (
            <div className="card">
              <UserText text={jelly.notes} />
            </div>
          ) : !isHost ? (
            <EmptyState title="No notes yet">The host posts what was said after the jelly.</EmptyState>
          ) : null}
          {isHost && jelly.status === "scheduled" && state !== "upcoming" ? (
            jelly.notes ? (
              <details className="jelly-edit" open={failedIntent === "notes"}>
                <summary>Change the notes</summary>
                <NotesForm />
              </details>
            ) : (
              <NotesForm />
            )
          ) : null}
        </section>
      ) : null}

      {state !== "upcoming" || ideas.length > 0 ? (
        <section className="section stack" aria-labelledby="ideas">
          <h2 id="ideas">Ideas from this jelly ({ideas.length})</h2>
          {ideas.length === 0 ? (
            <EmptyState title="No ideas noted yet">
              {isHost ? "Note the ideas that came up, with credit to whoever had them." : "The host notes the ideas that came up, with credit."}
            </EmptyState>
          ) : (
            <ul className="list-plain stack">
              {ideas.map((i) => (
                <li key={i.id} className="card">
                  <strong className="break-anywhere">{i.title}</strong>
                  <div className="small muted">
                    Credited to {i.creditedName}
                    {i.ideaHref ? (
                      <>
                        {" · "}
                        <Link to={i.ideaHref}>In the community’s idea box</Link>
                      </>
                    ) : null}
                  </div>
                  {i.body ? <UserText text={i.body} /> : null}
                </li>
              ))}
            </ul>
          )}
          {isHost && jelly.status === "scheduled" && state !== "upcoming" ? (
            <Form method="post" className="card stack" key={ideas.length}>
              <h3>Note an idea</h3>
              {box ? <p className="small muted">It goes into the idea box of {box.title} as the idea of the person you credit.</p> : null}
              <Intent value="idea" />
              <input type="hidden" name="clientKey" value={failedIntent === "idea" ? (failure?.values.clientKey ?? ideaKey) : ideaKey} />
              {failedIntent === "idea" && failure?.formError ? <FormError message={failure.formError} /> : null}
              <TextField
                label="The idea"
                name="title"
                defaultValue={failedIntent === "idea" ? failure?.values.title : ""}
                errors={failedIntent === "idea" ? failure?.fieldErrors.title : undefined}
                maxLength={JELLY_IDEA_TITLE_MAX}
              />
              <TextArea
                label="More about it (optional)"
                name="body"
                defaultValue={failedIntent === "idea" ? failure?.values.body : ""}
                errors={failedIntent === "idea" ? failure?.fieldErrors.body : undefined}
                maxLength={JELLY_IDEA_BODY_MAX}
                rows={3}
              />
              <SelectField
                label="Whose idea was it"
                name="creditedId"
                defaultValue={failedIntent === "idea" ? failure?.values.creditedId : ""}
                placeholder="Choose a person"
                options={creditable.map((p) => ({
                  value: String(p.id),
                  label: p.id === host.id ? `${p.name} (you)` : p.name,
                }))}
                errors={failedIntent === "idea" ? failure?.fieldErrors.creditedId : undefined}
              />
              <div>
                <button type="submit" className="btn" disabled={sending("idea")}>
                  Note the idea
                </button>
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function NotesForm() {
  const { jelly } = useLoaderData<typeof loader>();
  const failure = formFailureOf(useActionData<typeof action>());
  const failedIntent = failure?.values.intent ?? null;
  const navigation = useNavigation();
  const sending = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" className="card stack" key={jelly.notesAt ?? 0}>
      <Intent value="notes" />
      {failedIntent === "notes" && failure?.formError ? <FormError message={failure.formError} /> : null}
      <TextArea
        label={jelly.notes ? "The notes (plain text)" : "What was said (plain text)"}
        name="notes"
        defaultValue={failedIntent === "notes" ? failure?.values.notes : jelly.notes ?? ""}
        errors={failedIntent === "notes" ? failure?.fieldErrors.notes : undefined}
        maxLength={JELLY_NOTES_MAX}
        rows={6}
      />
      <div>
        <button type="submit" className="btn" disabled={sending("notes")}>
          Save the notes
        </button>
      </div>
    </Form>
  );
}
