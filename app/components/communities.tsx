/**
 * Communities of practice: the sections of a community's page, each a component another page can
 * render (a person's network page, a jam's synthesis). Presentational: data comes in as props.
 */
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { EmptyState, plural } from "~/components/ui";
import { LocalTime } from "~/components/time";
import { UserText } from "~/components/user-text";

/** On a published theme's card: the community it became, or "Keep this theme alive" for facilitators and leaders. */
export function KeepThemeAlive({
  themeId,
  label,
  community,
  canCreate,
}: {
  themeId: number;
  label: string;
  community: { slug: string; title: string } | null;
  canCreate: boolean;
}) {
  if (community) {
    return (
      <p className="small community-link">
        Kept alive as the community <Link to={`/communities/${community.slug}`}>{community.title}</Link>
      </p>
    );
  }
  if (!canCreate) return null;
  return (
    <Form method="post" action="/communities" className="row keep-alive">
      <input type="hidden" name="intent" value="keep-theme" />
      <input type="hidden" name="themeId" value={themeId} />
      <button type="submit" className="btn btn--secondary btn--small" aria-label={`Keep the theme “${label}” alive as a community`}>
        Keep this theme alive
      </button>
    </Form>
  );
}

export function PrivacyBadge({ privacy }: { privacy: "open" | "members" }) {
  return <span className={`badge ${privacy === "open" ? "badge--brand" : "badge--draft"}`}>{privacy === "open" ? "Open" : "Members only"}</span>;
}

const STATE_LABELS: Record<string, string> = {
  member: "Member",
  invited: "Invited",
  requested: "Asked to join",
  declined: "Declined",
  removed: "Removed",
  left: "Left",
};

export function CommunityCard({
  c,
}: {
  c: { slug: string; title: string; purpose: string; privacy: "open" | "members"; status: string; members: number; myState: string | null; declineReason: string | null };
}) {
  return (
    <li className="card stack community-card">
      <div className="row community-card__head">
        <h3>
          <Link to={`/communities/${c.slug}`}>{c.title}</Link>
        </h3>
        <PrivacyBadge privacy={c.privacy} />
        {c.status === "proposed" ? <span className="badge badge--scheduled">Proposed</span> : null}
        {c.status === "declined" ? <span className="badge">Declined</span> : null}
        {c.myState && STATE_LABELS[c.myState] ? <span className="badge">{STATE_LABELS[c.myState]}</span> : null}
      </div>
      <p className="muted community-card__purpose">{c.purpose}</p>
      {c.declineReason ? <p className="small">Reason: {c.declineReason}</p> : null}
      <p className="small muted">{plural(c.members, "member")}</p>
    </li>
  );
}

export interface MemberView {
  id: number;
  name: string;
  department: string | null;
  isSteward?: boolean;
}

export function MembersSection({
  communityId,
  members,
  isSteward,
  viewerId,
  requests,
  invited,
}: {
  communityId: number;
  members: MemberView[];
  isSteward: boolean;
  viewerId: number;
  requests: MemberView[];
  invited: MemberView[];
}) {
  return (
    <section className="card stack" aria-labelledby="members-heading" id="members">
      <h2 id="members-heading">Members ({members.length})</h2>
      {members.length === 0 ? (
        <EmptyState title="No members yet" />
      ) : (
        <ul className="member-list">
          {members.map((m) => (
            <li key={m.id} className="member-list__item">
              <span>
                <Link to={`/people/${m.id}`}>{m.name}</Link>
                {m.department ? <span className="muted small"> · {m.department}</span> : null}
                {m.isSteward ? <span className="badge badge--brand"> Steward</span> : null}
              </span>
              {isSteward && !m.isSteward ? (
                <span className="row member-list__tools">
                  <Form method="post">
                    <input type="hidden" name="intent" value="hand-over" />
                    <input type="hidden" name="userId" value={m.id} />
                    <input type="hidden" name="communityId" value={communityId} />
                    <button className="btn btn--ghost btn--small" type="submit" aria-label={`Hand the community over to ${m.name}`}>
                      Make steward
                    </button>
                  </Form>
                  <Form
                    method="post"
                    onSubmit={(e) => {
                      if (!confirm(`Remove ${m.name} from the community?`)) e.preventDefault();
                    }}
                  >
                    <input type="hidden" name="intent" value="remove-member" />
                    <input type="hidden" name="userId" value={m.id} />
                    <input type="hidden" name="communityId" value={communityId} />
                    <button className="btn btn--ghost btn--small" type="submit" aria-label={`Remove ${m.name}`}>
                      Remove
                    </button>
                  </Form>
                </span>
              ) : null}
              {m.id === viewerId && !m.isSteward ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="leave" />
                  <input type="hidden" name="communityId" value={communityId} />
                  <button className="btn btn--ghost btn--small" type="submit">
                    Leave
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {isSteward && requests.length > 0 ? (
        <>
          <h3>Asking to join</h3>
          <ul className="member-list">
            {requests.map((m) => (
              <li key={m.id} className="member-list__item">
                <span>{m.name}</span>
                <Form method="post">
                  <input type="hidden" name="intent" value="accept-request" />
                  <input type="hidden" name="userId" value={m.id} />
                  <input type="hidden" name="communityId" value={communityId} />
                  <button className="btn btn--small" type="submit" aria-label={`Let ${m.name} join`}>
                    Let in
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {isSteward && invited.length > 0 ? (
        <p className="small muted">
          Invited, not answered yet: {invited.slice(0, 6).map((m) => m.name).join(", ")}
          {invited.length > 6 ? ` and ${plural(invited.length - 6, "more", "more")}` : ""}.
        </p>
      ) : null}
    </section>
  );
}

export function InviteSection({
  communityId,
  candidates,
}: {
  communityId: number;
  candidates: { id: number; name: string; reasons: string[] }[];
}) {
  const reasonLabel: Record<string, string> = { contributor: "contributed", follower: "follows the theme", "go-to": "go-to person" };
  return (
    <section className="card stack" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite from the theme</h2>
      {candidates.length === 0 ? (
        <EmptyState title="Nobody left to invite">
          Everyone who contributed to the theme by name, follows it or is a go-to person for it is already invited.
        </EmptyState>
      ) : (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="invite" />
          <input type="hidden" name="communityId" value={communityId} />
          <fieldset className="stack invite-list">
            <legend className="small muted">
              Who will be invited ({plural(candidates.length, "person", "people")}). Anonymous ideas never put anyone on this list.
            </legend>
            {candidates.map((c) => (
              <label key={c.id} className="row invite-list__item">
                <input type="checkbox" name="userIds" value={c.id} defaultChecked />
                <span>
                  {c.name} <span className="small muted">({c.reasons.map((r) => reasonLabel[r] ?? r).join(", ")})</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div>
            <button className="btn" type="submit">
              Invite the people ticked
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}

export function ResourcesSection({
  resources,
  isSteward,
  communityId,
  form,
}: {
  resources: { id: number; title: string; url: string | null; notes: string }[];
  isSteward: boolean;
  communityId: number;
  form?: ReactNode;
}) {
  return (
    <section className="card stack" aria-labelledby="resources-heading">
      <h2 id="resources-heading">Resources</h2>
      {resources.length === 0 ? (
        <EmptyState title="No resources yet">{isSteward ? "Add the links and notes the community keeps coming back to." : "The steward has not added any yet."}</EmptyState>
      ) : (
        <ul className="resource-list stack">
          {resources.map((r) => (
            <li key={r.id} className="resource-list__item">
              <div className="row resource-list__head">
                {r.url ? (
                  <a href={r.url} rel="noopener noreferrer nofollow" target="_blank">
                    {r.title}
                  </a>
                ) : (
                  <strong>{r.title}</strong>
                )}
                {isSteward ? (
                  <Form
                    method="post"
                    onSubmit={(e) => {
                      if (!confirm(`Remove “${r.title}”?`)) e.preventDefault();
                    }}
                  >
                    <input type="hidden" name="intent" value="remove-resource" />
                    <input type="hidden" name="resourceId" value={r.id} />
                    <input type="hidden" name="communityId" value={communityId} />
                    <button className="btn btn--ghost btn--small" type="submit" aria-label={`Remove the resource ${r.title}`}>
                      Remove
                    </button>
                  </Form>
                ) : null}
              </div>
              {r.notes ? <UserText text={r.notes} /> : null}
            </li>
          ))}
        </ul>
      )}
      {form}
    </section>
  );
}

export function DigestSection({
  digest,
}: {
  digest: {
    since: number;
    ideas: number;
    comments: number;
    newIdeas: { id: number; title: string }[];
    newMembers: { id: number; name: string }[];
    questions: number;
    answered: number;
    comingJellies: { id: number; title: string }[];
    newResources: { id: number; title: string }[];
  };
  ideaHref?: (id: number) => string;
}) {
  const quiet = digest.ideas === 0 && digest.comments === 0 && digest.newMembers.length === 0 && digest.questions === 0 && digest.answered === 0 && digest.newResources.length === 0;
  return (
    <section className="card stack" aria-labelledby="digest-heading">
      <h2 id="digest-heading">This week</h2>
      {quiet ? (
        <EmptyState title="A quiet week">No new ideas, comments, questions or members since <LocalTime at={digest.since} />.</EmptyState>
      ) : (
        <>
          <p>
            {plural(digest.ideas, "new idea")}, {plural(digest.comments, "comment")}, {plural(digest.questions, "question")} asked,{" "}
            {plural(digest.answered, "question")} answered, {plural(digest.newMembers.length, "new member")}
            {digest.newResources.length > 0 ? <>, {plural(digest.newResources.length, "new resource")}</> : null}.
          </p>
          {digest.newMembers.length > 0 ? <p className="small muted">Welcome {digest.newMembers.map((m) => m.name).join(", ")}.</p> : null}
        </>
      )}
      {digest.comingJellies.length > 0 ? <p className="small muted">{plural(digest.comingJellies.length, "jelly", "jellies")} coming up.</p> : null}
    </section>
  );
}

