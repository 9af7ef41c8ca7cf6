/**
 * Editing with history, co-authors and build-ons on an idea page: the edit forms (idea and
 * comment), "edited" marks, the word diff, "Edited after you voted", the co-author panel and
 * invitation, and "Build on this" (proposed changes). Every form posts to the idea page's
 * action; a refusal comes back with what was typed.
 */
import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { DiffOp } from "~/domain/diff";
import { LIMITS } from "~/domain/limits";
import { FORMER_PARTICIPANT, type AuthorView } from "~/domain/views";
import { FormError, TextArea, TextField, useKeptFailure, type FormFailure } from "~/components/form";
import { LocalTime } from "~/components/time";
import { plural } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { useHydrated } from "~/components/motion";

/** A word diff: insertions underlined, deletions struck through, line breaks kept; read out as "added" / "removed". */
export function DiffView({ ops, label }: { ops: DiffOp[]; label?: string }) {
  return (
    <div className="diff" aria-label={label}>
      {ops.map((op, i) =>
        op.kind === "same" ? (
          <span key={i}>{op.text}</span>
        ) : op.kind === "added" ? (
          <ins key={i} className="diff__ins">
            <span className="visually-hidden">[added: </span>
            {op.text}
            <span className="visually-hidden">]</span>
          </ins>
        ) : (
          <del key={i} className="diff__del">
            <span className="visually-hidden">[removed: </span>
            {op.text}
            <span className="visually-hidden">]</span>
          </del>
        ),
      )}
    </div>
  );
}

/** Title and body diffs of one change, each only when it changed. */
export function ChangeView({ titleDiff, bodyDiff }: { titleDiff: DiffOp[] | null; bodyDiff: DiffOp[] | null }) {
  const bodyChanged = bodyDiff !== null && bodyDiff.some((o) => o.kind !== "same");
  return (
    <div className="stack change">
      {titleDiff && titleDiff.some((o) => o.kind !== "same") ? (
        <div>
          <div className="change__label">Title</div>
          <DiffView ops={titleDiff} label="Change to the title" />
        </div>
      ) : null}
      {bodyChanged ? (
        <div>
          <div className="change__label">Description</div>
          <DiffView ops={bodyDiff} label="Change to the description" />
        </div>
      ) : null}
      {!bodyChanged && !(titleDiff && titleDiff.some((o) => o.kind !== "same")) ? <p className="muted small">No change to the text.</p> : null}
    </div>
  );
}

/** "edited", linking to the history; its time on hover and for screen readers. */
export function EditedMark({ href, at }: { href: string; at: number }) {
  return (
    <Link to={href} className="edited-mark">
      edited
      <span className="visually-hidden">
        {" "}
        (<LocalTime at={at} />, see the history)
      </span>
    </Link>
  );
}

/** "with Ana and Ben": an idea's accepted co-authors after its author. */
export function CoauthorNames({ coauthors }: { coauthors: AuthorView[] | undefined }) {
  if (!coauthors || coauthors.length === 0) return null;
  return (
    <span className="coauthor-names">
      {" · with "}
      {coauthors.map((c, i) => (
        <span key={c.id}>
          {i > 0 ? (i === coauthors.length - 1 ? " and " : ", ") : null}
          <Link to={`/people/${c.id}`}>{c.name}</Link>
        </span>
      ))}
    </span>
  );
}

/**
 * An edit form that opens from a summary and remembers the version it started from: the
 * version is taken when the form opens (so a live update while typing cannot make a stale
 * edit look fresh), and after a refusal for a stale version it is the version the server
 * reported, so saving again is a deliberate choice over the newer text.
 */
function VersionedEdit({
  summary,
  intent,
  version,
  failure,
  matches,
  hidden,
  children,
}: {
  summary: string;
  intent: string;
  version: number;
  failure?: FormFailure;
  /** Whether a failure belongs to this form (several edit forms share the page's answer). */
  matches: (values: Record<string, string>) => boolean;
  hidden: Record<string, string>;
  children: (values: Record<string, string> | undefined, errors: Record<string, string[]>) => ReactNode;
}) {
  const navigation = useNavigation();
  const sending = navigation.state !== "idle" && navigation.formData?.get("intent") === intent && matchesForm(navigation.formData, hidden);
  const mine = failure && failure.values.intent === intent && matches(failure.values) ? failure : undefined;
  const shown = useKeptFailure(mine, sending);
  const [open, setOpen] = useState(Boolean(shown));
  const [base, setBase] = useState(version);
  const wasSending = useRef(false);
  useEffect(() => {
    if (shown) setOpen(true);
  }, [shown]);
  // Saved: the form closes and starts from the new version next time.
  useEffect(() => {
    if (sending) {
      wasSending.current = true;
      return;
    }
    if (wasSending.current && navigation.state === "idle") {
      wasSending.current = false;
      if (!mine) {
        setOpen(false);
        setBase(version);
      }
    }
  }, [sending, navigation.state, mine, version]);
  const busy = sending && navigation.state === "submitting";
  // The form is in the page only while open once JavaScript runs (a closed box holds no copy of
  // the text for search or assistive tools to find twice); without JavaScript it is always there.
  // True at once for a form mounted after hydration (a comment just posted): no flash of a second copy.
  const hydrated = useHydrated();
  return (
    <details
      className="edit-box"
      open={open}
      onToggle={(e) => {
        const nowOpen = e.currentTarget.open;
        if (nowOpen && !open && !shown) setBase(version);
        setOpen(nowOpen);
      }}
    >
      <summary className="btn btn--ghost btn--small">{summary}</summary>
      {open || !hydrated ? (
      <Form key={base} method="post" className="stack edit-box__form" noValidate preventScrollReset>
        <input type="hidden" name="intent" value={intent} />
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="baseVersion" value={shown?.values.baseVersion ?? String(base)} />
        <FormError message={shown?.formError} />
        {children(shown?.values, shown?.fieldErrors ?? {})}
        <div className="row">
          <button type="submit" className="btn btn--small" disabled={busy}>
            {busy ? "Saving…" : "Save changes"}
          </button>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </Form>
      ) : null}
    </details>
  );
}

function matchesForm(data: FormData, hidden: Record<string, string>) {
  return Object.entries(hidden).every(([k, v]) => data.get(k) === v);
}

export function IdeaEditForm({
  version,
  title,
  body,
  failure,
  extra,
}: {
  version: number;
  title: string;
  body: string;
  failure?: FormFailure;
  /** More fields under the description (the idea template's), given what was typed and the errors. */
  extra?: (typed: Record<string, string> | undefined, errors: Record<string, string[]>) => ReactNode;
}) {
  return (
    <VersionedEdit summary="Edit idea" intent="edit" version={version} failure={failure} matches={() => true} hidden={{}}>
      {(v, errors) => (
        <>
          <TextField label="Title" name="title" defaultValue={v?.title ?? title} errors={errors.title} hint={`Up to ${LIMITS.ideaTitle} characters.`} />
          <TextArea label="Description" name="body" rows={6} defaultValue={v?.body ?? body} errors={errors.body} maxLength={LIMITS.ideaBody} />
          {extra ? extra(v, errors) : null}
          <p className="small muted">Every version is kept: people can see what changed in the history.</p>
        </>
      )}
    </VersionedEdit>
  );
}

export function CommentEditForm({ commentId, version, body, failure }: { commentId: number; version: number; body: string; failure?: FormFailure }) {
  return (
    <VersionedEdit
      summary="Edit"
      intent="editComment"
      version={version}
      failure={failure}
      matches={(values) => values.commentId === String(commentId)}
      hidden={{ commentId: String(commentId) }}
    >
      {(v, errors) => <TextArea label="Your comment" name="body" rows={3} defaultValue={v?.body ?? body} errors={errors.body} maxLength={LIMITS.comment} />}
    </VersionedEdit>
  );
}

export interface SinceVote {
  votedAt: number;
  fromVersion: number;
  toVersion: number;
  titleDiff: DiffOp[] | null;
  bodyDiff: DiffOp[];
}

/** For someone who voted before the idea last changed: what changed since. */
export function EditedSinceVote({ change, historyHref }: { change: SinceVote; historyHref: string }) {
  return (
    <section className="alert alert--warn since-vote" aria-labelledby="since-vote-heading">
      <h2 id="since-vote-heading" className="since-vote__title">
        Edited after you voted
      </h2>
      <p className="small">
        You voted <LocalTime at={change.votedAt} />. Here is what changed since (version {change.fromVersion} to {change.toVersion}); your vote stands
        until you change it. <Link to={historyHref}>Full history</Link>
      </p>
      <ChangeView titleDiff={change.titleDiff} bodyDiff={change.bodyDiff} />
    </section>
  );
}

// ---------------------------------------------------------------- co-authors

interface CoauthorRow {
  userId: number;
  name: string;
  department: string | null;
  status: "invited" | "accepted" | "declined" | "removed";
}

export function InvitationPrompt({ inviter, canAnswer }: { inviter: string; canAnswer: boolean }) {
  return (
    <section className="alert alert--info invitation section" aria-labelledby="invitation-heading">
      <h2 id="invitation-heading" className="since-vote__title">
        {inviter} invited you to co-author this idea
      </h2>
      <p className="small">
        Co-authors edit the idea, answer proposed changes, are named on it and share the points it earns from now on. You cannot vote on an idea you
        co-author.
      </p>
      {canAnswer ? (
        <div className="row">
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="answerInvite" />
            <input type="hidden" name="answer" value="accept" />
            <button type="submit" className="btn btn--small">
              Accept
            </button>
          </Form>
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="answerInvite" />
            <input type="hidden" name="answer" value="decline" />
            <button type="submit" className="btn btn--secondary btn--small">
              Decline
            </button>
          </Form>
        </div>
      ) : (
        <p className="small muted">The jam is not open for changes now.</p>
      )}
    </section>
  );
}

export function CoauthorsPanel({
  coauthors,
  isAuthor,
  canInvite,
  query,
  candidates,
  failure,
  viewerId,
}: {
  coauthors: CoauthorRow[];
  isAuthor: boolean;
  canInvite: boolean;
  query: string;
  candidates: AuthorView[];
  failure?: FormFailure;
  viewerId: number;
}) {
  const failed = failure && ["invite", "removeCoauthor"].includes(failure.values.intent ?? "") ? failure : undefined;
  return (
    <section className="card stack section" id="coauthors" aria-labelledby="coauthors-heading">
      <h2 id="coauthors-heading">Co-authors</h2>
      <FormError message={failed?.formError} />
      {coauthors.length === 0 ? (
        <p className="muted small">{isAuthor ? "Write this idea with colleagues: invite them as co-authors." : "No co-authors yet."}</p>
      ) : (
        <ul className="list-plain coauthor-list">
          {coauthors.map((c) => (
            <li key={c.userId} className="coauthor-list__item">
              <span>
                <Link to={`/people/${c.userId}`}>{c.name}</Link>
                {c.department ? <span className="muted"> · {c.department}</span> : null}{" "}
                <span className={`badge ${c.status === "accepted" ? "badge--live" : "badge--scheduled"}`}>{c.status === "accepted" ? "Co-author" : "Invited"}</span>
              </span>
              {isAuthor || c.userId === viewerId ? (
                <Form
                  method="post"
                  preventScrollReset
                  onSubmit={(e) => {
                    const what = c.userId === viewerId ? "Leave this idea as a co-author?" : `Remove ${c.name} from this idea?`;
                    if (!window.confirm(what)) e.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="removeCoauthor" />
                  <input type="hidden" name="userId" value={c.userId} />
                  <button type="submit" className="btn btn--small btn--ghost btn--ghost-danger">
                    {c.userId === viewerId ? "Leave" : c.status === "invited" ? "Withdraw invitation" : "Remove"}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canInvite ? (
        <div className="stack">
          <Form method="get" className="search coauthor-search" preventScrollReset role="search" aria-label="Find a colleague to invite">
            <div className="field">
              <label htmlFor="coauthor-q">Invite a colleague</label>
              <div className="row">
                <input id="coauthor-q" className="input" name="coauthor" defaultValue={query} placeholder="Their name" autoComplete="off" />
                <button type="submit" className="btn btn--secondary btn--small">
                  Find
                </button>
              </div>
            </div>
          </Form>
          {query !== "" ? (
            candidates.length === 0 ? (
              <p className="muted small">Nobody else by that name.</p>
            ) : (
              <ul className="list-plain coauthor-list" aria-label="Colleagues found">
                {candidates.map((p) => (
                  <li key={p.id} className="coauthor-list__item">
                    <span>
                      {p.name}
                      {p.department ? <span className="muted"> · {p.department}</span> : null}
                    </span>
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="intent" value="invite" />
                      <input type="hidden" name="userId" value={p.id} />
                      <button type="submit" className="btn btn--small" aria-label={`Invite ${p.name}`}>
                        Invite
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------- build on this

interface AmendmentView {
  id: number;
  note: string;
  status: "open" | "standing";
  createdAt: number;
  titleDiff: DiffOp[] | null;
  bodyDiff: DiffOp[] | null;
  proposer: AuthorView | null;
  isMine: boolean;
}

export function BuildOnThis({
  amendments,
  canPropose,
  canDecide,
  canPostAsIdea,
  version,
  title,
  body,
  clientKey,
  failure,
}: {
  amendments: AmendmentView[];
  canPropose: boolean;
  canDecide: boolean;
  canPostAsIdea: boolean;
  version: number;
  title: string;
  body: string;
  clientKey: string;
  failure?: FormFailure;
}) {
  const navigation = useNavigation();
  const proposing = navigation.state !== "idle" && navigation.formData?.get("intent") === "propose";
  const mine = failure && failure.values.intent === "propose" ? failure : undefined;
  const shown = useKeptFailure(mine, proposing);
  const decideFailure = failure && ["acceptAmendment", "leaveAmendment", "postAmendment"].includes(failure.values.intent ?? "") ? failure : undefined;
  return (
    <section className="section stack" id="amendments" aria-labelledby="amendments-heading">
      <h2 id="amendments-heading">Build on this ({plural(amendments.length, "proposed change")})</h2>
      <FormError message={decideFailure?.formError} />
      {amendments.length === 0 ? (
        <p className="muted small">{canPropose ? "See a way to make this idea better? Propose a change: its authors can accept it into the idea." : "No proposed changes."}</p>
      ) : (
        <ul className="list-plain stack">
          {amendments.map((a) => (
            <li key={a.id} id={`amendment-${a.id}`} className="card stack amendment">
              <div className="comment__meta">
                <strong>{a.proposer ? <Link to={`/people/${a.proposer.id}`}>{a.proposer.name}</Link> : FORMER_PARTICIPANT}</strong> proposed ·{" "}
                <LocalTime at={a.createdAt} />
                {a.status === "standing" ? <span className="badge badge--scheduled">Left standing</span> : null}
              </div>
              {a.note ? <UserText text={a.note} /> : null}
              <ChangeView titleDiff={a.titleDiff} bodyDiff={a.bodyDiff} />
              <div className="row">
                {canDecide ? (
                  <>
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="intent" value="acceptAmendment" />
                      <input type="hidden" name="amendmentId" value={a.id} />
                      <input type="hidden" name="baseVersion" value={version} />
                      <button type="submit" className="btn btn--small">
                        Accept into the idea
                      </button>
                    </Form>
                    {a.status === "open" ? (
                      <Form method="post" preventScrollReset>
                        <input type="hidden" name="intent" value="leaveAmendment" />
                        <input type="hidden" name="amendmentId" value={a.id} />
                        <button type="submit" className="btn btn--secondary btn--small">
                          Leave standing
                        </button>
                      </Form>
                    ) : null}
                  </>
                ) : null}
                {a.isMine && canPostAsIdea ? (
                  <Form
                    method="post"
                    onSubmit={(e) => {
                      if (!window.confirm("Post this change as an idea of your own? It can then no longer be accepted into this idea.")) e.preventDefault();
                    }}
                  >
                    <input type="hidden" name="intent" value="postAmendment" />
                    <input type="hidden" name="amendmentId" value={a.id} />
                    <input type="hidden" name="clientKey" value={`${clientKey}-${a.id}`.slice(0, 64)} />
                    <button type="submit" className="btn btn--secondary btn--small">
                      Post as my own idea
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {canPropose ? (
        <details className="card edit-box" open={Boolean(shown)}>
          <summary className="btn btn--secondary btn--small">Propose a change</summary>
          <Form method="post" className="stack edit-box__form" noValidate preventScrollReset>
            <input type="hidden" name="intent" value="propose" />
            <input type="hidden" name="clientKey" value={shown?.values.clientKey ?? clientKey} />
            <input type="hidden" name="baseVersion" value={shown?.values.baseVersion ?? version} />
            <FormError message={shown?.fieldErrors.body ? null : shown?.formError} />
            <TextField label="Title" name="title" defaultValue={shown?.values.title ?? title} errors={shown?.fieldErrors.title} />
            <TextArea label="Description" name="body" rows={6} defaultValue={shown?.values.body ?? body} errors={shown?.fieldErrors.body} maxLength={LIMITS.ideaBody} />
            <TextArea label="Why this change? (optional)" name="note" rows={2} defaultValue={shown?.values.note} errors={shown?.fieldErrors.note} maxLength={LIMITS.comment} />
            <div>
              <button type="submit" className="btn btn--small" disabled={proposing && navigation.state === "submitting"}>
                {proposing ? "Proposing…" : "Propose this change"}
              </button>
            </div>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

/** "Built on …" and "Built on by …" lines. */
export function BuiltOnLinks({ slug, builtOn, builtOnThis }: { slug: string; builtOn: { id: number; title: string } | null; builtOnThis: { id: number; title: string }[] }) {
  if (!builtOn && builtOnThis.length === 0) return null;
  return (
    <div className="built-on small">
      {builtOn ? (
        <p>
          Built on <Link to={`/jams/${slug}/ideas/${builtOn.id}`}>“{builtOn.title}”</Link>
        </p>
      ) : null}
      {builtOnThis.length > 0 ? (
        <p>
          Ideas built on this:{" "}
          {builtOnThis.map((b, i) => (
            <span key={b.id}>
              {i > 0 ? ", " : null}
              <Link to={`/jams/${slug}/ideas/${b.id}`}>“{b.title}”</Link>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
