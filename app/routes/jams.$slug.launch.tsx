import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { requireUser } from "~/auth/guard.server";
import { FormError, formFailureOf, type FormFailure } from "~/components/form";
import { Invitations, type InvitationStep } from "~/components/invitations";
import { JamCrumbs } from "~/components/jam-header";
import { LocalTime } from "~/components/time";
import { PhaseBadge, plural } from "~/components/ui";
import type { LaunchItem } from "~/domain/launch";
import { POINT_REASON_LABELS } from "~/domain/points";
import { VOTE_MODE_LABELS } from "~/domain/vote-modes";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { invitationPreviewDocument, previewInvitation, sendInvitations } from "~/services/commands/invitations.server";
import { jamLaunch } from "~/services/pages/launch.server";
import { scheduleJam, unscheduleJam } from "~/services/commands/launch.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Launch ${data?.jam.title ?? "jam"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const launch = await orRespond(async () => await jamLaunch(user, params.slug ?? ""), { request, user, ip: context.ip });
  return { ...launch, confirming: new URL(request.url).searchParams.has("confirm") };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { jam } = await orRespond(async () => await jamLaunch(user, params.slug ?? ""), { request, user, ip: context.ip });
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip, values };
  const meta = { ip: context.ip };
  const invite = { audience: values.audience ?? "", departmentId: values.departmentId ?? "", emails: values.emails ?? "" };
  if (values.intent === "invitePreview") {
    const preview = await orFormFailure(async () => await previewInvitation(user, jam.slug, invite), ctx);
    if (!preview.ok) return preview.response;
    const { message, ...counts } = preview.result;
    return { invitation: { stage: "preview", counts, message: { subject: message.subject, document: invitationPreviewDocument(message) }, values: invite } satisfies InvitationStep };
  }
  if (values.intent === "invite") {
    const sent = await orFormFailure(async () => await sendInvitations(user, jam.slug, invite, meta), ctx);
    if (!sent.ok) return sent.response;
    return { invitation: { stage: "sent", counts: sent.result } satisfies InvitationStep };
  }
  if (values.intent === "inviteEdit") return { invitation: { stage: "edit", values: invite } satisfies InvitationStep };
  let outcome;
  if (values.intent === "schedule") {
    outcome = await orFormFailure(async () => await scheduleJam(user, jam.id, { confirmedStartsAt: values.confirmedStartsAt }, meta), ctx);
  } else if (values.intent === "unschedule") {
    outcome = await orFormFailure(async () => await unscheduleJam(user, jam.id, meta), ctx);
  } else {
    return unknownIntent();
  }
  if (!outcome.ok) return outcome.response;
  return redirect(`/jams/${jam.slug}/launch`);
}

type Launch = ReturnType<typeof useLoaderData<typeof loader>>;

const ITEM_TITLES: Record<LaunchItem | "preview", string> = {
  challenges: "Challenges",
  schedule: "Start and end",
  voting: "How people vote",
  points: "Points and leaderboards",
  preview: "Preview",
};

function Status({ problems }: { problems: string[] | null }) {
  if (problems === null) return <span className="launch-status launch-status--look">Have a look</span>;
  return problems.length === 0 ? (
    <span className="launch-status launch-status--done">
      <span aria-hidden="true">✓</span> Done
    </span>
  ) : (
    <span className="launch-status launch-status--attention">
      <span aria-hidden="true">!</span> Needs attention
    </span>
  );
}

/** One checklist item: its state, what it holds now, what needs fixing, and where to fix it. */
function Item({
  item,
  problems,
  fix,
  children,
}: {
  item: LaunchItem | "preview";
  problems: string[] | null;
  fix: { to: string; label: string };
  children: ReactNode;
}) {
  const headingId = `launch-${item}`;
  return (
    <li
      className={`card launch-item${problems === null ? " launch-item--look" : problems.length ? " launch-item--attention" : ""}`}
      data-testid={`launch-${item}`}
    >
      <div className="launch-item__head">
        <h2 id={headingId}>{ITEM_TITLES[item]}</h2>
        <Status problems={problems} />
      </div>
      <div className="small">{children}</div>
      {problems?.length ? (
        <ul className="launch-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div>
        <Link to={fix.to} className={`btn btn--small ${problems?.length ? "" : "btn--secondary"}`}>
          {fix.label}
        </Link>
      </div>
    </li>
  );
}

/** How long a jam lasts, in words: "3 days", "2 days 4 hours", "90 minutes". */
function length(ms: number) {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 2) return plural(Math.round(ms / 60_000), "minute");
  const days = Math.floor(hours / 24);
  if (days === 0) return plural(hours, "hour");
  return hours % 24 ? `${plural(days, "day")} ${plural(hours % 24, "hour")}` : plural(days, "day");
}

function Opens({ opensNow, at }: { opensNow: boolean; at: number }) {
  return opensNow ? (
    <>Opens now</>
  ) : (
    <>
      Opens to everyone on <LocalTime at={at} />
    </>
  );
}

/** The action's answer when it is a refusal of one of the launch forms (schedule, back to draft), not of the invitations. */
function useLaunchFailure(): FormFailure | undefined {
  const failure = formFailureOf(useActionData<typeof action>());
  return failure?.values?.intent?.startsWith("invite") ? undefined : failure;
}

function ScheduleStep({ launch }: { launch: Launch }) {
  const failure = useLaunchFailure();
  const busy = useNavigation().state === "submitting";
  const heading = useRef<HTMLHeadingElement>(null);
  const { jam, confirming, ready } = launch;
  useEffect(() => {
    if (confirming) heading.current?.focus();
  }, [confirming]);
  const refused = failure?.fieldErrors?.checklist ?? [];
  return (
    <section className="card stack section launch-schedule" aria-labelledby="schedule-step-heading">
      <h2 id="schedule-step-heading" ref={heading} tabIndex={-1}>
        {confirming && ready ? "Schedule this jam?" : "Schedule"}
      </h2>
      {failure?.formError ? (
        <div className="alert alert--error launch-refusal" role="alert">
          <p>{failure.formError}</p>
          {refused.length > 0 ? (
            <ul>
              {refused.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {confirming && !ready ? (
        <div className="alert alert--error launch-refusal" role="alert">
          <p>It cannot be scheduled yet:</p>
          <ul>
            {Object.values(launch.problems)
              .flat()
              .map((p) => (
                <li key={p}>{p}</li>
              ))}
          </ul>
          <p>Fix the items marked “Needs attention”, then schedule it.</p>
        </div>
      ) : null}
      {confirming && ready ? (
        <Form method="post" className="stack" preventScrollReset>
          <p className="launch-opens">
            <strong>
              <Opens opensNow={launch.opensNow} at={launch.opensAt} />
            </strong>
            {launch.opensNow ? " (its start has passed): everyone can take part at once." : "."} It ends on{" "}
            <LocalTime at={jam.endsAt} />.
          </p>
          <p className="small muted">
            {launch.opensNow
              ? "Participants find it under “Live now” on the jams page."
              : "Until then participants see it under “Upcoming” on the jams page; you can take it back to draft before it starts."}
          </p>
          <input type="hidden" name="intent" value="schedule" />
          <input type="hidden" name="confirmedStartsAt" value={jam.startsAt} />
          <div className="row">
            <button type="submit" className="btn" disabled={busy}>
              {busy ? "Scheduling…" : launch.opensNow ? "Open it now" : "Schedule it"}
            </button>
            <Link to={`/jams/${jam.slug}/launch`} className="btn btn--ghost" preventScrollReset>
              Cancel
            </Link>
          </div>
        </Form>
      ) : confirming ? null : (
        <>
          <p className="small muted">
            {ready
              ? "Everything is ready. Scheduling publishes the jam: participants see it on the jams page."
              : "Scheduling publishes the jam. It is refused while an item above needs attention."}
          </p>
          <div>
            <Link to="?confirm" className={ready ? "btn" : "btn btn--secondary"} preventScrollReset>
              Schedule…
            </Link>
          </div>
        </>
      )}
    </section>
  );
}

function Published({ launch }: { launch: Launch }) {
  const failure = useLaunchFailure();
  const busy = useNavigation().state === "submitting";
  const { jam } = launch;
  return (
    <section className="card stack section" aria-labelledby="published-heading">
      <h2 id="published-heading">{jam.phase === "scheduled" ? "Scheduled" : jam.phase === "live" ? "Live" : "Ended"}</h2>
      <p>
        {jam.phase === "scheduled" ? (
          <>
            Opens to everyone on <LocalTime at={jam.startsAt} />. Participants see it under “Upcoming” until then.
          </>
        ) : jam.phase === "live" ? (
          <>
            Open to everyone until <LocalTime at={jam.endsAt} />.
          </>
        ) : (
          <>
            Ended on <LocalTime at={jam.endsAt} />.
          </>
        )}
      </p>
      <FormError message={failure?.formError} />
      {launch.backToDraftRefusal === null ? (
        <Form method="post" className="stack" preventScrollReset>
          <input type="hidden" name="intent" value="unschedule" />
          <p className="small muted">Back to draft hides it from participants again until you schedule it once more.</p>
          <div>
            <button type="submit" className="btn btn--secondary" disabled={busy}>
              Take it back to draft
            </button>
          </div>
        </Form>
      ) : (
        <p className="small muted">{launch.backToDraftRefusal}</p>
      )}
      <div>
        <Link to={`/jams/${jam.slug}`} className="btn btn--secondary">
          Open the jam page
        </Link>
      </div>
    </section>
  );
}

function InvitationsStep({ launch }: { launch: Launch }) {
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && String(navigation.formData?.get("intent") ?? "").startsWith("invite");
  const failure = formFailureOf(answer);
  const step = answer && "invitation" in answer ? (answer.invitation as InvitationStep) : null;
  return (
    <Invitations
      key={step?.stage ?? "form"}
      panel={launch.invitations}
      step={step}
      failure={failure?.values?.intent?.startsWith("invite") ? failure : undefined}
      busy={busy}
      isDraft={launch.jam.phase === "draft"}
    />
  );
}

export default function LaunchChecklist() {
  const launch = useLoaderData<typeof loader>();
  const { jam, challenges, gamification, problems } = launch;
  const edit = `/jams/${jam.slug}/edit`;
  const rules = gamification.rules;
  const isDraft = jam.phase === "draft";
  const toFix = Object.values(problems).filter((p) => p.length > 0).length;
  return (
    <>
      <JamCrumbs slug={jam.slug} title={jam.title}>
        Launch checklist
      </JamCrumbs>
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <div className="row small">
            <PhaseBadge phase={jam.phase} />
            <span>{isDraft ? "Only facilitators and leaders see this jam." : "Participants see this jam."}</span>
          </div>
          <h1>Launch checklist</h1>
          <p className="muted">
            {jam.title}:{" "}
            {toFix === 0 ? "everything is ready." : `${plural(toFix, "item needs", "items need")} attention before it can be scheduled.`}
          </p>
        </div>
      </div>

      <ol className="launch-list stack">
        <Item item="challenges" problems={problems.challenges} fix={{ to: `${edit}#challenges`, label: problems.challenges.length ? "Fix the challenges" : "Edit the challenges" }}>
          {challenges.length === 0 ? (
            <p>No challenges yet.</p>
          ) : (
            <ol className="launch-challenges">
              {challenges.map((c) => (
                <li key={c.id}>
                  <strong>{c.title}</strong>
                  {c.question ? <span className="muted"> · {c.question}</span> : <span className="muted"> · no question yet</span>}
                </li>
              ))}
            </ol>
          )}
        </Item>
        <Item item="schedule" problems={problems.schedule} fix={{ to: `${edit}#schedule`, label: problems.schedule.length ? "Fix the dates" : "Change the dates" }}>
          <p>
            Starts <LocalTime at={jam.startsAt} />, ends <LocalTime at={jam.endsAt} />
            {jam.endsAt > jam.startsAt ? ` (${length(jam.endsAt - jam.startsAt)})` : ""}.
          </p>
        </Item>
        <Item item="voting" problems={problems.voting} fix={{ to: `${edit}#challenges`, label: "Change how people vote" }}>
          {challenges.length === 0 ? (
            <p>Chosen per challenge, once there are challenges.</p>
          ) : (
            <ul className="launch-challenges">
              {challenges.map((c) => (
                <li key={c.id}>
                  {c.title}: <strong>{VOTE_MODE_LABELS[c.voteMode]}</strong>
                  {c.voteMode === "dots" ? ` (${plural(c.dotBudget, "dot")} each, at most ${c.dotMaxPerIdea} on one idea)` : ""}
                </li>
              ))}
            </ul>
          )}
        </Item>
        <Item item="points" problems={problems.points} fix={{ to: `${edit}#points`, label: "Change the points" }}>
          <p>
            {POINT_REASON_LABELS.idea_posted}: {rules.idea_posted} · {POINT_REASON_LABELS.support_received.toLowerCase()}: {rules.support_received} ·
            daily cap {rules.dailyCap}. Leaderboards {gamification.leaderboardsHidden ? "hidden from participants" : "shown to everyone"}.
          </p>
        </Item>
        <Item item="preview" problems={null} fix={{ to: `/jams/${jam.slug}/preview`, label: "Open the preview" }}>
          <p>See the jam’s page and its challenges as a participant will, before anyone else does.</p>
        </Item>
      </ol>

      {jam.phase === "ended" ? null : <InvitationsStep launch={launch} />}

      {isDraft ? <ScheduleStep launch={launch} /> : <Published launch={launch} />}
    </>
  );
}
