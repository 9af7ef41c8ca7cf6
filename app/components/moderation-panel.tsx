/**
 * Moderation on an idea page: the facilitators' Moderate panel (pin, tag,
 * hide with a reason, merge into another idea after a preview), the notice on
 * a hidden idea, per-comment tools, and the participants' Flag control. Every
 * form posts to the idea's /moderate action through a fetcher; the page's data
 * reloads after each action, so what is shown is always what was stored.
 */
import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useBackgroundJson } from "~/components/background-json";
import { FormError, SelectField, TextArea, TextField, type FormFailure, formFailureOf } from "~/components/form";
import { LocalTime } from "~/components/time";
import { useHydrated } from "~/components/motion";

interface Success<R = unknown> {
  ok: true;
  intent: string;
  result: R;
}

type Outcome<R = unknown> = FormFailure | Success<R>;

function successOf<R>(data: unknown): Success<R> | undefined {
  return data && typeof data === "object" && "ok" in data ? (data as Success<R>) : undefined;
}

export function moderateAction(slug: string, ideaId: number) {
  return `/jams/${slug}/ideas/${ideaId}/moderate`;
}

/** A fetcher form to the moderate action; without JavaScript it is a plain post that comes back to the page. */
function ModForm({
  fetcher,
  slug,
  ideaId,
  intent,
  children,
  className = "stack",
  label,
}: {
  fetcher: ReturnType<typeof useFetcher<Outcome>>;
  slug: string;
  ideaId: number;
  intent: string;
  children: ReactNode;
  className?: string;
  label?: string;
}) {
  const hydrated = useHydrated();
  return (
    <fetcher.Form method="post" action={moderateAction(slug, ideaId)} className={className} noValidate aria-label={label}>
      <input type="hidden" name="intent" value={intent} />
      {hydrated ? <input type="hidden" name="js" value="1" /> : null}
      {children}
    </fetcher.Form>
  );
}

function busy(fetcher: { state: string }) {
  return fetcher.state !== "idle";
}

// ---------------------------------------------------------------- hidden notice

export interface HiddenView {
  at: number;
  reason: string;
  mergedInto: { id: number; title: string } | null;
}

/** Shown on a hidden idea's page, which only its author and the facilitators can open. */
export function HiddenNotice({
  slug,
  ideaId,
  hidden,
  canModerate,
}: {
  slug: string;
  ideaId: number;
  hidden: HiddenView;
  canModerate: boolean;
}) {
  const fetcher = useFetcher<Outcome>();
  const failure = formFailureOf(fetcher.data);
  return (
    <div className="alert alert--warn stack hidden-notice" style={{ marginBottom: "var(--s-4)" }}>
      <p style={{ margin: 0 }}>
        <strong>Hidden by a moderator:</strong> {hidden.reason} <span className="small">(<LocalTime at={hidden.at} />)</span>
      </p>
      {hidden.mergedInto ? (
        <p style={{ margin: 0 }}>
          Its votes and comments now belong to{" "}
          <Link to={`/jams/${slug}/ideas/${hidden.mergedInto.id}`}>{hidden.mergedInto.title}</Link>.
        </p>
      ) : (
        <p className="small" style={{ margin: 0 }}>
          Only its author and the facilitators can see this page. Nothing was deleted.
        </p>
      )}
      {canModerate && !hidden.mergedInto ? (
        <ModForm fetcher={fetcher} slug={slug} ideaId={ideaId} intent="restore" className="row">
          <button type="submit" className="btn btn--secondary btn--small" disabled={busy(fetcher)}>
            {busy(fetcher) ? "Restoring…" : "Restore idea"}
          </button>
        </ModForm>
      ) : null}
      <FormError message={failure?.formError} />
    </div>
  );
}

// ---------------------------------------------------------------- flags

/** A participant's Flag control: a reason, sent once; afterwards it says so. */
export function FlagControl({
  slug,
  ideaId,
  targetType,
  targetId,
  flagged,
  what,
}: {
  slug: string;
  ideaId: number;
  targetType: "idea" | "comment";
  targetId: number;
  flagged: boolean;
  /** "this idea" or "this comment". */
  what: string;
}) {
  const fetcher = useFetcher<Outcome>();
  const failure = formFailureOf(fetcher.data);
  if (flagged || successOf(fetcher.data)) {
    return (
      <p className="small muted flag-done" role="status">
        You flagged {what}. A facilitator will review it.
      </p>
    );
  }
  return (
    <details className="flag" open={Boolean(failure)}>
      <summary>Flag {what}</summary>
      <ModForm fetcher={fetcher} slug={slug} ideaId={ideaId} intent="flag" label={`Flag ${what}`}>
        <input type="hidden" name="targetType" value={targetType} />
        <input type="hidden" name="targetId" value={targetId} />
        {failure?.formError && !failure.fieldErrors.reason ? <FormError message={failure.formError} /> : null}
        <TextField
          label="What is wrong?"
          name="reason"
          maxLength={300}
          defaultValue={failure?.values.reason}
          errors={failure?.fieldErrors.reason}
          hint="Only the facilitators see your flag and its reason."
        />
        <div>
          <button type="submit" className="btn btn--secondary btn--small" disabled={busy(fetcher)}>
            {busy(fetcher) ? "Sending…" : "Send flag"}
          </button>
        </div>
      </ModForm>
    </details>
  );
}

// ---------------------------------------------------------------- facilitators' panel

export interface ModerationToolsView {
  openFlags: { reason: string; createdAt: number }[];
}

interface MergePreviewView {
  duplicate: { id: number; title: string; voteCount: number; commentCount: number };
  kept: { id: number; title: string; voteCount: number; commentCount: number; challengeTitle: string };
  sameChallenge: boolean;
}

function PinForm({ slug, ideaId, isPinned }: { slug: string; ideaId: number; isPinned: boolean }) {
  const fetcher = useFetcher<Outcome>();
  return (
    <ModForm fetcher={fetcher} slug={slug} ideaId={ideaId} intent={isPinned ? "unpin" : "pin"} className="stack">
      <span className="small muted">{isPinned ? "Pinned at the top of its challenge." : "Not pinned."}</span>
      <div>
        <button type="submit" className="btn btn--secondary btn--small" disabled={busy(fetcher)}>
          {isPinned ? "Unpin" : "Pin to the top of the challenge"}
        </button>
      </div>
      <FormError message={formFailureOf(fetcher.data)?.formError} />
    </ModForm>
  );
}

function TagForm({ slug, ideaId, tag }: { slug: string; ideaId: number; tag: "emerging" | "best" | null }) {
  const fetcher = useFetcher<Outcome>();
  const failure = formFailureOf(fetcher.data);
  return (
    <ModForm fetcher={fetcher} slug={slug} ideaId={ideaId} intent="tag" className="stack">
      <SelectField
        key={tag ?? "none"}
        label="Tag"
        name="tag"
        defaultValue={tag ?? ""}
        options={[
          { value: "", label: "No tag" },
          { value: "emerging", label: "Emerging" },
          { value: "best", label: "Best (earns the author points)" },
        ]}
        errors={failure?.fieldErrors.tag}
      />
      <div>
        <button type="submit" className="btn btn--secondary btn--small" disabled={busy(fetcher)}>
          Save tag
        </button>
      </div>
    </ModForm>
  );
}

function HideForm({ slug, ideaId }: { slug: string; ideaId: number }) {
  const fetcher = useFetcher<Outcome>();
  const failure = formFailureOf(fetcher.data);
  return (
    <details className="moderate__step" open={Boolean(failure)}>
      <summary>Hide this idea…</summary>
      <ModForm fetcher={fetcher} slug={slug} ideaId={ideaId} intent="hide" label="Hide this idea">
        <p className="small muted" style={{ margin: 0 }}>
          Hiding takes the idea and its points away from everyone but its author, who sees your reason. You can restore it later.
        </p>
        {failure?.formError && !failure.fieldErrors.reason ? <FormError message={failure.formError} /> : null}
        <TextArea
          label="Reason (shown to the author)"
          name="reason"
          rows={2}
          maxLength={300}
          defaultValue={failure?.values.reason}
          errors={failure?.fieldErrors.reason}
        />
        <div>
          <button type="submit" className="btn btn--danger btn--small" disabled={busy(fetcher)}>
            {busy(fetcher) ? "Hiding…" : "Hide idea"}
          </button>
        </div>
      </ModForm>
    </details>
  );
}

interface MergeTarget {
  id: number;
  title: string;
  voteCount: number;
  challengeTitle: string;
}

/**
 * The idea to keep, found by typing part of its title or its number (or pasting its address):
 * with JavaScript the matches of the jam show as you type and one is chosen with a click;
 * without, the typed number or address is posted as it is.
 */
function KeepIdeaSearch({ slug, ideaId, failure }: { slug: string; ideaId: number; failure?: FormFailure }) {
  const [text, setText] = useState(failure?.values.intoNumber ?? "");
  const [chosen, setChosen] = useState<MergeTarget | null>(null);
  const query = text.trim();
  const lookup = useBackgroundJson<{ ideas: MergeTarget[] }>(
    query && !chosen ? `${moderateAction(slug, ideaId)}?q=${encodeURIComponent(query.slice(0, 200))}` : null,
    200,
  );
  const matches = lookup.state === "done" ? lookup.data.ideas : lookup.state === "loading" ? (lookup.data?.ideas ?? []) : [];
  const label = (i: MergeTarget) => `${i.title} (#${i.id}, ${i.voteCount} ${i.voteCount === 1 ? "vote" : "votes"}, ${i.challengeTitle})`;
  if (chosen) {
    return (
      <div className="field">
        <span className="merge-chosen__label">Keep this idea</span>
        <input type="hidden" name="intoId" value={chosen.id} />
        <p className="merge-chosen" role="status">
          <strong>{chosen.title}</strong> <span className="small muted">(#{chosen.id}, {chosen.challengeTitle})</span>{" "}
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setChosen(null)}>
            Change
          </button>
        </p>
      </div>
    );
  }
  return (
    <div className="stack merge-search">
      <TextField
        label="Keep this idea"
        name="intoNumber"
        defaultValue={text}
        onChange={setText}
        autoComplete="off"
        errors={failure?.fieldErrors.intoId}
        hint="Type part of its title or its number, or paste its address. Any idea of this jam."
      />
      <div aria-live="polite">
        {query && lookup.state === "done" ? (
          matches.length === 0 ? (
            <p className="small muted">No visible idea of this jam matches “{query}”.</p>
          ) : (
            <ul className="list-plain merge-matches" aria-label="Matching ideas">
              {matches.map((i) => (
                <li key={i.id}>
                  <button type="button" className="merge-match" onClick={() => setChosen(i)}>
                    {label(i)}
                  </button>
                </li>
              ))}
            </ul>
          )
        ) : null}
      </div>
    </div>
  );
}

function MergeForm({ slug, ideaId }: { slug: string; ideaId: number }) {
  const previewFetcher = useFetcher<Outcome<MergePreviewView>>();
  const mergeFetcher = useFetcher<Outcome>();
  const [preview, setPreview] = useState<MergePreviewView | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const previewed = successOf<MergePreviewView>(previewFetcher.data);
  useEffect(() => {
    if (previewed?.intent === "merge-preview") setPreview(previewed.result);
  }, [previewed]);
  useEffect(() => {
    if (preview) confirmHeading.current?.focus();
  }, [preview]);
  const failure = formFailureOf(previewFetcher.data);
  const mergeFailure = formFailureOf(mergeFetcher.data);
  return (
    <details className="moderate__step" open={Boolean(failure || preview || mergeFailure)}>
      <summary>Merge into another idea…</summary>
      {preview ? (
        <div className="stack merge-confirm">
          <h3 ref={confirmHeading} tabIndex={-1}>
            Merge “{preview.duplicate.title}” into “{preview.kept.title}”?
          </h3>
          <ul className="small">
            <li>
              Its {preview.duplicate.voteCount === 1 ? "vote moves" : `${preview.duplicate.voteCount} votes move`} to “{preview.kept.title}”
              {preview.sameChallenge ? "" : ` (in ${preview.kept.challengeTitle})`}: a person who supported both keeps one vote, and
              votes by the kept idea's author are dropped.
            </li>
            <li>
              Its {preview.duplicate.commentCount === 1 ? "comment moves" : `${preview.duplicate.commentCount} comments move`} too.
            </li>
            <li>This idea is hidden with the reason “Merged into …”, its points are reversed, and a merge cannot be undone.</li>
          </ul>
          <FormError message={mergeFailure?.formError} />
          <ModForm fetcher={mergeFetcher} slug={slug} ideaId={ideaId} intent="merge" className="row">
            <input type="hidden" name="intoId" value={preview.kept.id} />
            <button type="submit" className="btn btn--danger btn--small" disabled={busy(mergeFetcher)}>
              {busy(mergeFetcher) ? "Merging…" : "Confirm merge"}
            </button>
            <button type="button" className="btn btn--secondary btn--small" onClick={() => setPreview(null)}>
              Cancel
            </button>
          </ModForm>
        </div>
      ) : (
        <ModForm fetcher={previewFetcher} slug={slug} ideaId={ideaId} intent="merge-preview" label="Merge into another idea">
          <p className="small muted" style={{ margin: 0 }}>
            For a duplicate: its votes and comments move to the idea you keep. You will see both titles before anything changes.
          </p>
          {failure?.formError && !failure.fieldErrors.intoId ? <FormError message={failure.formError} /> : null}
          <KeepIdeaSearch slug={slug} ideaId={ideaId} failure={failure} />
          <div>
            <button type="submit" className="btn btn--secondary btn--small" disabled={busy(previewFetcher)}>
              Review merge
            </button>
          </div>
        </ModForm>
      )}
    </details>
  );
}

/** The facilitators' Moderate panel on a visible idea. */
export function ModeratePanel({
  slug,
  idea,
  tools,
}: {
  slug: string;
  idea: { id: number; isPinned?: boolean; tag?: "emerging" | "best" | null };
  tools: ModerationToolsView;
}) {
  return (
    <section className="card stack moderate" aria-labelledby="moderate-heading">
      <h2 id="moderate-heading">Moderate</h2>
      {tools.openFlags.length > 0 ? (
        <div className="alert alert--warn" role="status">
          <strong>
            Flagged by {tools.openFlags.length === 1 ? "one person" : `${tools.openFlags.length} people`}:
          </strong>
          <ul className="small" style={{ margin: "var(--s-1) 0 0" }}>
            {tools.openFlags.map((f, i) => (
              <li key={i}>
                {f.reason} (<LocalTime at={f.createdAt} />)
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="grid grid--2">
        <PinForm slug={slug} ideaId={idea.id} isPinned={Boolean(idea.isPinned)} />
        <TagForm slug={slug} ideaId={idea.id} tag={idea.tag ?? null} />
      </div>
      <HideForm slug={slug} ideaId={idea.id} />
      <MergeForm slug={slug} ideaId={idea.id} />
    </section>
  );
}

// ---------------------------------------------------------------- comments

/** Under each comment: why it is hidden (its author and facilitators), Hide / Restore (facilitators), or Flag (others). */
export function CommentModeration({
  slug,
  ideaId,
  comment,
  canModerate,
  flagged,
}: {
  slug: string;
  ideaId: number;
  comment: { id: number; isMine: boolean; hiddenReason?: string | null };
  canModerate: boolean;
  flagged: boolean;
}) {
  const fetcher = useFetcher<Outcome>();
  const failure = formFailureOf(fetcher.data);
  const hidden = comment.hiddenReason !== null && comment.hiddenReason !== undefined;
  if (hidden) {
    return (
      <div className="stack" style={{ gap: "var(--s-2)" }}>
        <p className="small hidden-reason" style={{ margin: 0 }}>
          <strong>Hidden by a moderator:</strong> {comment.hiddenReason}
        </p>
        {canModerate ? (
          <ModForm fetcher={fetcher} slug={slug} ideaId={ideaId} intent="restore-comment" className="row">
            <input type="hidden" name="commentId" value={comment.id} />
            <button type="submit" className="btn btn--secondary btn--small" disabled={busy(fetcher)}>
              Restore comment
            </button>
            <FormError message={failure?.formError} />
          </ModForm>
        ) : null}
      </div>
    );
  }
  if (canModerate) {
    return (
      <details className="moderate__step" open={Boolean(failure)}>
        <summary>Hide comment…</summary>
        <ModForm fetcher={fetcher} slug={slug} ideaId={ideaId} intent="hide-comment" label="Hide this comment">
          <input type="hidden" name="commentId" value={comment.id} />
          {failure?.formError && !failure.fieldErrors.reason ? <FormError message={failure.formError} /> : null}
          <TextField
            label="Reason (shown to the author)"
            name="reason"
            maxLength={300}
            defaultValue={failure?.values.reason}
            errors={failure?.fieldErrors.reason}
          />
          <div>
            <button type="submit" className="btn btn--danger btn--small" disabled={busy(fetcher)}>
              Hide comment
            </button>
          </div>
        </ModForm>
      </details>
    );
  }
  if (comment.isMine) return null;
  return <FlagControl slug={slug} ideaId={ideaId} targetType="comment" targetId={comment.id} flagged={flagged} what="this comment" />;
}
