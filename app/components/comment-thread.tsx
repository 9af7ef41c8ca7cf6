import { Form, Link, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { LIMITS } from "~/domain/limits";
import { FORMER_PARTICIPANT, type CommentView } from "~/domain/views";
import { FormError, TextArea, useKeptFailure, type FormFailure } from "~/components/form";
import { LocalTime } from "~/components/time";
import { UserText } from "~/components/user-text";
import { EditedMark } from "~/components/idea-edits";

export function CommentForm({
  clientKey,
  parentId,
  failure,
  label,
}: {
  clientKey: string;
  parentId?: number;
  failure?: FormFailure;
  label: string;
}) {
  const navigation = useNavigation();
  const mine = failure?.values.intent === "comment" && (failure.values.parentId ?? "") === (parentId ? String(parentId) : "");
  const failed = failure && mine ? failure : undefined;
  const sending =
    navigation.state !== "idle" &&
    navigation.formData?.get("intent") === "comment" &&
    navigation.formData.get("parentId") === (parentId ? String(parentId) : "");
  const busy = sending && navigation.state === "submitting";
  const shown = useKeptFailure(failed, sending);
  // Once this form's comment is posted (its send ends without a refusal), the box starts empty
  // again, so a second click cannot post the same text twice.
  const form = useRef<HTMLFormElement>(null);
  const wasSending = useRef(false);
  useEffect(() => {
    if (sending) {
      wasSending.current = true;
      return;
    }
    if (wasSending.current && navigation.state === "idle") {
      wasSending.current = false;
      if (!failed) form.current?.reset();
    }
  }, [sending, navigation.state, failed]);
  return (
    <Form ref={form} method="post" className="stack" noValidate preventScrollReset>
      <input type="hidden" name="intent" value="comment" />
      <input type="hidden" name="clientKey" value={shown?.values.clientKey ?? clientKey} />
      <input type="hidden" name="parentId" value={parentId ?? ""} />
      {shown?.formError && !shown.fieldErrors.body ? <FormError message={shown.formError} /> : null}
      <TextArea
        label={label}
        name="body"
        rows={parentId ? 2 : 3}
        defaultValue={shown?.values.body}
        errors={shown?.fieldErrors.body ?? shown?.fieldErrors.parentId}
        maxLength={LIMITS.comment}
      />
      <div>
        <button type="submit" className="btn btn--small" disabled={busy}>
          {busy ? "Posting…" : parentId ? "Post reply" : "Post comment"}
        </button>
      </div>
    </Form>
  );
}

interface Node {
  comment: CommentView;
  replies: Node[];
}

function buildTree(comments: CommentView[]): Node[] {
  const nodes = new Map<number, Node>(comments.map((c) => [c.id, { comment: c, replies: [] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.comment.parentId ? nodes.get(node.comment.parentId) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  return roots;
}

/** Extra controls under a comment (moderation: flag, hide, restore, and why it is hidden). */
type CommentTools = (comment: CommentView) => ReactNode;

function CommentItem({
  node,
  canReply: canReplyHere,
  clientKey,
  failure,
  tools,
  historyBase,
}: {
  node: Node;
  canReply: boolean;
  clientKey: string;
  failure?: FormFailure;
  tools?: CommentTools;
  historyBase?: string;
}) {
  const c = node.comment;
  const isHidden = c.hiddenReason !== null && c.hiddenReason !== undefined;
  // A hidden comment takes no replies (the service refuses them too).
  const canReply = canReplyHere && !isHidden;
  const replyFailed = failure?.values.parentId === String(c.id);
  // The comment just posted (the page came back at its address) stands out.
  const justPosted = useLocation().hash === `#comment-${c.id}`;
  return (
    <li id={`comment-${c.id}`}>
      <article
        className={[isHidden ? "card comment--hidden" : "card", justPosted ? "comment--new" : ""].join(" ").trim()}
        aria-label={`${isHidden ? "Hidden comment" : "Comment"} by ${c.author?.name ?? "a former participant"}`}
      >
        <div className="comment__meta">
          <strong>{c.author ? <Link to={`/people/${c.author.id}`}>{c.author.name}</Link> : FORMER_PARTICIPANT}</strong>
          {c.author?.department ? ` · ${c.author.department}` : ""} · <LocalTime at={c.createdAt} />
          {c.editedAt && historyBase ? (
            <>
              {" · "}
              <EditedMark href={`${historyBase}?comment=${c.id}`} at={c.editedAt} />
            </>
          ) : null}
        </div>
        <UserText text={c.body} />
        {tools?.(c)}
        {canReply ? (
          <details className="reply" open={replyFailed}>
            <summary>Reply</summary>
            <CommentForm clientKey={clientKey} parentId={c.id} failure={failure} label={`Reply to ${c.author?.name ?? "this comment"}`} />
          </details>
        ) : null}
      </article>
      {node.replies.length > 0 ? (
        <ul className="comments">
          {node.replies.map((r) => (
            <CommentItem key={r.comment.id} node={r} canReply={canReplyHere} clientKey={clientKey} failure={failure} tools={tools} historyBase={historyBase} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function CommentThread({
  comments,
  canReply,
  clientKey,
  failure,
  tools,
  historyBase,
}: {
  comments: CommentView[];
  canReply: boolean;
  clientKey: string;
  failure?: FormFailure;
  tools?: CommentTools;
  /** The idea's history address: an edited comment links to its own history there. */
  historyBase?: string;
}) {
  const tree = buildTree(comments);
  return (
    <ul className="comments">
      {tree.map((node) => (
        <CommentItem key={node.comment.id} node={node} canReply={canReply} clientKey={clientKey} failure={failure} tools={tools} historyBase={historyBase} />
      ))}
    </ul>
  );
}
