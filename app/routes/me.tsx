import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { StageBadge } from "~/components/reviews";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { readSessionToken } from "~/auth/session.server";
import { CompanySignInButton } from "~/components/company-sign-in";
import { YourData } from "~/components/data-rights";
import { LocalTime } from "~/components/time";
import { Alert, EmptyState, plural } from "~/components/ui";
import { formValues, orFormFailure, unknownIntent } from "~/http/respond.server";
import { endOtherSessions } from "~/services/commands/accounts.server";
import { mePage } from "~/services/pages/me.server";
import { ACTION_STATUS_LABELS, type ActionStatus } from "~/domain/actions";
import type { ActivityTab } from "~/services/pages/activity.server";
import { isSignOnRefusal, SIGN_ON_REFUSALS } from "~/domain/sign-on";
import { sendEmailCheckAgain } from "~/services/commands/email-check.server";
import { formatNumber } from "~/domain/numbers";
import { CalendarFeedCard } from "~/components/jellies";
import { resetCalendarFeed } from "~/services/commands/jellies.server";

export const meta: MetaFunction = () => [{ title: "My activity · Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const wait = Number(url.searchParams.get("wait"));
  return {
    ...(await mePage(user, { tab: url.searchParams.get("tab"), page: url.searchParams.get("page"), sessionToken: readSessionToken(request) })),
    /** Set when the archive was refused for a while (its form is a plain one, sent back here). */
    waitSeconds: Number.isInteger(wait) && wait > 0 && wait < 86_400 ? wait : null,
  };
}

/**
 * "Sign out everywhere else": every session of this person but this browser's ends. "Send it
 * again": a new address-check e-mail (3 an hour).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent === "sendEmailCheck") {
    const outcome = await orFormFailure(async () => await sendEmailCheckAgain(user, { ip: context.ip }), { request, user, ip: context.ip, values });
    return outcome.ok ? { checkSentTo: outcome.result.email } : outcome.response;
  }
  if (values.intent === "resetCalendarFeed") {
    const { token } = await resetCalendarFeed(user, { ip: context.ip });
    return { calendarFeedUrl: `${new URL(request.url).origin}/calendar/${token}.ics` };
  }
  if (values.intent !== "endOtherSessions") return unknownIntent();
  return await endOtherSessions(user, readSessionToken(request), { ip: context.ip });
}

const TAB_LABELS: Record<ActivityTab, string> = { ideas: "Ideas", comments: "Comments", votes: "Votes", sessions: "Sign-ins", data: "Your data" };

function tabHref(tab: ActivityTab, page = 1) {
  const search = new URLSearchParams();
  if (tab !== "ideas") search.set("tab", tab);
  if (page > 1) search.set("page", String(page));
  const s = search.toString();
  return s ? `/me?${s}` : "/me";
}

/**
 * My activity: one tab at a time (ideas, comments, votes, where one is signed in), each a
 * link with its count, so it works without JavaScript; long lists come a page at a time.
 */
export default function MyActivity() {
  const { name, tab, counts, window, ideas, comments, votes, otherSessions, companyAccount, emailCheck, waitSeconds, calendarFeed } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const tabCount: Record<ActivityTab, number | null> = { ...counts, sessions: otherSessions + 1, data: null };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My activity</h1>
          <p>
            {name}: {plural(counts.ideas, "idea")}, {plural(counts.comments, "comment")}, {plural(counts.votes, "vote")}
          </p>
        </div>
        <div className="row">
          <Link to="/network/me" className="btn btn--secondary">
            My network
          </Link>
          <Link to="/people/search" className="btn btn--secondary">
            Find people
          </Link>
        </div>
      </div>
      {emailCheck.needsCheck && emailCheck.mailLeaves ? <EmailCheckBanner email={emailCheck.email} answer={done} busy={busy} /> : null}
      {counts.hidden > 0 ? (
        <Alert kind="warn">
          A moderator hid {counts.hidden === 1 ? "one of your contributions" : `${counts.hidden} of your contributions`}. Each shows the
          reason in its list; only you and the facilitators can still see them.
        </Alert>
      ) : null}
      <nav className="tabs activity-tabs" aria-label="My activity">
        {(Object.keys(TAB_LABELS) as ActivityTab[]).map((t) => (
          <Link key={t} to={tabHref(t)} aria-current={t === tab ? "page" : undefined}>
            {TAB_LABELS[t]} {tabCount[t] === null ? null : <span className="tab-count">{formatNumber(tabCount[t])}</span>}
          </Link>
        ))}
      </nav>
      {tab === "ideas" ? (
        <section aria-labelledby="my-ideas" className="stack section">
          <h2 id="my-ideas">My ideas</h2>
          <Showing window={window} one="idea" />
          {ideas.length === 0 ? (
            <EmptyState title="No ideas yet">
              <Link to="/jams">Find a live jam</Link> and share one.
            </EmptyState>
          ) : (
            <ul className="list-plain">
              {ideas.map((i) => (
                <li key={i.id} className="card">
                  <Link to={`/jams/${i.jamSlug}/ideas/${i.id}`}>{i.title}</Link>
                  <div className="small muted">
                    {i.jamTitle} · {i.challengeTitle}
                  </div>
                  <div className="small muted row">
                    <StageBadge stage={i.stage.stage} label={i.stage.label} />
                    {i.isAnonymous ? <span className="badge">Anonymous</span> : null}
                    {i.isHidden ? <span className="badge badge--draft">Hidden by a moderator</span> : null}
                    <span>
                      {plural(i.voteCount, "vote")} · {plural(i.commentCount, "comment")} · <LocalTime at={i.createdAt} />
                    </span>
                  </div>
                  {i.hiddenReason !== null ? <HiddenReason reason={i.hiddenReason} /> : null}
                  {i.stage.reason ? <p className="small">Not selected: {i.stage.reason}</p> : null}
                  <Fed fed={i.fed} />
                </li>
              ))}
            </ul>
          )}
          <Pager tab={tab} window={window} />
        </section>
      ) : tab === "comments" ? (
        <section aria-labelledby="my-comments" className="stack section">
          <h2 id="my-comments">My comments</h2>
          <Showing window={window} one="comment" />
          {comments.length === 0 ? (
            <EmptyState title="No comments yet" />
          ) : (
            <ul className="list-plain">
              {comments.map((c) => (
                <li key={c.id} className="card">
                  <p className="user-text">{c.body.length > 160 ? `${c.body.slice(0, 160)}…` : c.body}</p>
                  <div className="small muted">
                    on <Link to={`/jams/${c.jamSlug}/ideas/${c.ideaId}#comment-${c.id}`}>{c.ideaTitle}</Link> ·{" "}
                    <LocalTime at={c.createdAt} />
                  </div>
                  {c.hiddenReason !== null ? (
                    <>
                      <span className="badge badge--draft">Hidden by a moderator</span>
                      <HiddenReason reason={c.hiddenReason} />
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          <Pager tab={tab} window={window} />
        </section>
      ) : tab === "votes" ? (
        <section aria-labelledby="my-votes" className="stack section">
          <h2 id="my-votes">My votes</h2>
          <Showing window={window} one="vote" />
          {votes.length === 0 ? (
            <EmptyState title="No votes yet" />
          ) : (
            <ul className="list-plain">
              {votes.map((v) => (
                <li key={v.ideaId} className="card">
                  <Link to={`/jams/${v.jamSlug}/ideas/${v.ideaId}`}>{v.ideaTitle}</Link>
                  <div className="small muted">
                    {plural(v.voteCount, "vote")} in all · voted <LocalTime at={v.createdAt} />
                  </div>
                </li>
              ))}
            </ul>
          )}
          <Pager tab={tab} window={window} />
        </section>
      ) : tab === "data" ? (
        <>
          <CalendarFeedCard
            exists={calendarFeed.exists}
            createdAt={calendarFeed.createdAt}
            freshUrl={done && "calendarFeedUrl" in done ? (done.calendarFeedUrl ?? null) : null}
            busy={busy}
          />
          <YourData waitSeconds={waitSeconds} />
        </>
      ) : (
        <section aria-labelledby="my-sessions" className="card stack section">
          <h2 id="my-sessions">Where you are signed in</h2>
          {done && "ended" in done ? (
            <p role="status" className="alert alert--info">
              {done.ended === 0
                ? "You were signed in nowhere else."
                : `Signed out of ${plural(done.ended, "other browser or device", "other browsers or devices")}.`}
            </p>
          ) : null}
          <p className="muted">
            {otherSessions === 0
              ? "Only here: no other browser or device is signed in to your account."
              : `You are signed in here and in ${plural(otherSessions, "other browser or device", "other browsers or devices")}. If one is not yours, or you stayed signed in on a shared computer, sign them out from here.`}
          </p>
          <Form method="post" action="/me?tab=sessions">
            <input type="hidden" name="intent" value="endOtherSessions" />
            <button type="submit" className="btn btn--secondary" disabled={busy || otherSessions === 0}>
              Sign out everywhere else
            </button>
          </Form>
        </section>
      )}
      {tab === "sessions" ? <CompanyAccount account={companyAccount} /> : null}
    </>
  );
}

type Window = ReturnType<typeof useLoaderData<typeof loader>>["window"];

/** "3 comments", or on a long list "Showing 21–40 of 45 comments". */
function Showing({ window, one }: { window: Window; one: string }) {
  if (window.total === 0) return null;
  return (
    <p className="small muted">
      {window.pages === 1
        ? plural(window.total, one)
        : `Showing ${formatNumber(window.from)}–${formatNumber(window.to)} of ${plural(window.total, one)}`}
    </p>
  );
}

function Pager({ tab, window }: { tab: ActivityTab; window: Window }) {
  if (window.pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {window.page > 1 ? (
        <Link className="btn btn--secondary" to={tabHref(tab, window.page - 1)}>
          Newer
        </Link>
      ) : null}
      <span className="small muted pager__where">
        Page {window.page} of {window.pages}
      </span>
      {window.page < window.pages ? (
        <Link className="btn btn--secondary" to={tabHref(tab, window.page + 1)}>
          Older
        </Link>
      ) : null}
    </nav>
  );
}

/** "Fed into theme X · Action Y (In progress)": where the idea went after the jam. */
function Fed({ fed }: { fed: { theme: string | null; actions: { id: number; title: string; status: ActionStatus }[] } }) {
  if (!fed.theme && fed.actions.length === 0) return null;
  return (
    <p className="small idea-outcome">
      {fed.theme ? (
        <>
          Fed into theme <strong>{fed.theme}</strong>
        </>
      ) : (
        "Fed into"
      )}
      {fed.actions.map((a) => (
        <span key={a.id}>
          {" · "}Action <Link to={`/actions/${a.id}`}>{a.title}</Link> ({ACTION_STATUS_LABELS[a.status]})
        </span>
      ))}
    </p>
  );
}

function HiddenReason({ reason }: { reason: string }) {
  return (
    <p className="small hidden-reason">
      <strong>Reason:</strong> {reason}
    </p>
  );
}

type CompanyAccountInfo = ReturnType<typeof useLoaderData<typeof loader>>["companyAccount"];

/**
 * The company account that signs in as this person: connected ones, or the button that connects
 * one (the person proves the password account by being signed in, and the company account at the
 * company's sign-in). Shown only where sign-on is set up, or once one is connected.
 */
function CompanyAccount({ account }: { account: CompanyAccountInfo }) {
  const [params] = useSearchParams();
  const code = params.get("signOnError");
  const refusal = isSignOnRefusal(code) ? SIGN_ON_REFUSALS[code] : null;
  if (!account.available && account.connected.length === 0) return null;
  return (
    <section aria-labelledby="company-account" className="card stack section">
      <h2 id="company-account">Company account</h2>
      {params.get("connected") === "1" && !refusal ? <Alert>Connected: you can now sign in with your company account.</Alert> : null}
      {refusal ? <Alert kind="error">{refusal}</Alert> : null}
      {account.connected.length > 0 ? (
        <ul className="list-plain">
          {account.connected.map((c, i) => (
            <li key={i}>
              Signs in through <strong>{c.provider}</strong> · connected <LocalTime at={c.since} />
            </li>
          ))}
        </ul>
      ) : (
        <>
          <p className="muted">
            Connect your company account to sign in with it as well as with your password. You sign in at your company’s page once, and
            it is joined to this account.
          </p>
          <div>
            <CompanySignInButton intent="connect" label="Connect your company account" secondary />
          </div>
        </>
      )}
    </section>
  );
}

/**
 * Until the person confirms their address: what we sent, why it matters, and "Send it again".
 * Gentle: a note, not an error; it goes once the address is confirmed.
 */
function EmailCheckBanner({ email, answer, busy }: { email: string; answer: unknown; busy: boolean }) {
  const sent = answer && typeof answer === "object" && "checkSentTo" in answer;
  const refusal = answer && typeof answer === "object" && "formError" in answer ? (answer as { formError: string | null }).formError : null;
  return (
    <section className="alert alert--info email-check-banner" aria-labelledby="email-check-title">
      <div>
        <h2 id="email-check-title" className="email-check-banner__title">
          Confirm your e-mail address
        </h2>
        <p>
          We sent a link to <strong>{email}</strong>. Until you follow it, Jamboree sends you no invitations or news of your ideas by
          e-mail (you still see everything here).
        </p>
        {sent ? <p role="status">Sent again: look for the newest e-mail from Jamboree (and in your spam folder).</p> : null}
        {refusal ? <p role="alert">{refusal}</p> : null}
      </div>
      <Form method="post" replace>
        <input type="hidden" name="intent" value="sendEmailCheck" />
        <button type="submit" className="btn btn--secondary btn--small" disabled={busy}>
          Send it again
        </button>
      </Form>
    </section>
  );
}
