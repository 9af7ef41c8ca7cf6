/**
 * The sections of /network/me that tend one's own learning network: the people one learned from
 * and who learned from one, one's communities, communities to join, and where a new person starts.
 * Presentational: data comes in as props; forms post to the page they are on (/network/me).
 */
import { Form, Link } from "@remix-run/react";
import { EmptyState, plural } from "~/components/ui";
import { LocalTime } from "~/components/time";
import { PrivacyBadge } from "~/components/communities";

type Kind = "answer" | "amendment" | "coauthor" | "builtOn";

export interface LearnedItemView {
  kind: Kind;
  at: number;
  title: string | null;
  href: string | null;
}

export interface LearnedPersonView {
  person: { id: number; name: string; department: string | null } | null;
  latest: number;
  items: LearnedItemView[];
  more: number;
}

const FORMER_PARTICIPANT = "Former participant";

const FROM_TEXT: Record<Kind, string> = {
  answer: "Answered your question",
  amendment: "Proposed a change you took into",
  coauthor: "Writes with you",
  builtOn: "You built on their idea",
};

const TO_TEXT: Record<Kind, string> = {
  answer: "accepted your answer to",
  amendment: "took your change into",
  coauthor: "writes with you",
  builtOn: "built on your idea with",
};

const KIND_MARK: Record<Kind, string> = { answer: "Answer", amendment: "Change", coauthor: "Co-author", builtOn: "Built on" };

function What({ item }: { item: LearnedItemView }) {
  if (item.title === null) return <span className="muted">an idea a moderator hid or you can no longer open</span>;
  const title = `“${item.title}”`;
  return item.href ? <Link to={item.href}>{title}</Link> : <span>{title}</span>;
}

function Person({ person }: { person: LearnedPersonView["person"] }) {
  if (!person) return <span className="learned-card__name">{FORMER_PARTICIPANT}</span>;
  return (
    <Link to={`/people/${person.id}`} className="learned-card__name">
      {person.name}
    </Link>
  );
}

/** "People you learned from": one card per person, most recent first, with what and when. */
export function LearnedFromSection({ learned, shownOf }: { learned: LearnedPersonView[]; shownOf: number }) {
  return (
    <section aria-labelledby="learned-heading" className="stack section">
      <div>
        <h2 id="learned-heading">People you learned from</h2>
        <p className="muted small">Answers you accepted, changes you took into your ideas, the people you write ideas with, and ideas you built on.</p>
      </div>
      {learned.length === 0 ? (
        <EmptyState
          title="Nobody yet"
          action={
            <div className="row learned-empty__actions">
              <Link className="btn btn--small" to="/questions/new">
                Ask a question
              </Link>
              <Link className="btn btn--secondary btn--small" to="/jams">
                Improve a colleague’s idea
              </Link>
            </div>
          }
        >
          Ask the people who know and accept the answer that helps, or take a colleague’s change into your idea: they show here.
        </EmptyState>
      ) : (
        <>
          {shownOf > learned.length ? <p className="muted small">The {learned.length} most recent of {shownOf.toLocaleString("en")} people.</p> : null}
          <ul className="list-plain grid grid--2 learned-list">
            {learned.map((p) => (
              <li key={p.person?.id ?? "former"} className="card stack learned-card">
                <div>
                  <Person person={p.person} />
                  {p.person?.department ? <div className="small muted">{p.person.department}</div> : null}
                </div>
                <ul className="list-plain learned-card__items">
                  {p.items.map((item, i) => (
                    <li key={i}>
                      <span className="badge learned-kind">{KIND_MARK[item.kind]}</span>{" "}
                      <span>
                        {FROM_TEXT[item.kind]}
                        {item.kind === "coauthor" || item.kind === "answer" ? ": " : " "}
                        <What item={item} />
                      </span>{" "}
                      <span className="small muted">
                        · <LocalTime at={item.at} withTime={false} />
                      </span>
                    </li>
                  ))}
                </ul>
                {p.more > 0 ? <p className="small muted">and {plural(p.more, "more")}</p> : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The other way, small: who accepted one's answers and changes, or built on one's ideas. */
export function LearnedFromMeSection({ people, total }: { people: LearnedPersonView[]; total: number }) {
  return (
    <section aria-labelledby="learned-me-heading" className="stack learned-me">
      <h3 id="learned-me-heading">People who learned from you</h3>
      {people.length === 0 ? (
        <p className="small muted">
          Nobody yet. <Link to="/questions?tab=open">Answer an open question</Link> or propose a change to an idea: whoever takes it up shows here.
        </p>
      ) : (
        <ul className="list-plain learned-me__list">
          {people.map((p) => {
            const item = p.items[0]!;
            return (
              <li key={p.person?.id ?? "former"} className="small">
                <Person person={p.person} /> {TO_TEXT[item.kind]} <What item={item} />
                {p.more > 0 ? <span className="muted"> (+{p.more})</span> : null}
              </li>
            );
          })}
          {total > people.length ? <li className="small muted">and {plural(total - people.length, "more person", "more people")}</li> : null}
        </ul>
      )}
    </section>
  );
}

export interface MyCommunityView {
  id: number;
  slug: string;
  title: string;
  purpose: string;
  privacy: "open" | "members";
  role: "steward" | "member" | "invited" | "requested";
  members: number;
}

const ROLE_LABEL: Record<MyCommunityView["role"], string> = { steward: "Steward", member: "Member", invited: "Invited", requested: "Asked to join" };

/** The communities one runs, belongs to, is invited to or asked to join. */
export function MyCommunitiesSection({ communities }: { communities: MyCommunityView[] }) {
  return (
    <section aria-labelledby="my-communities-heading" className="stack section">
      <div className="section-head row">
        <h2 id="my-communities-heading">Your communities</h2>
        <Link to="/communities" className="small">
          All communities
        </Link>
      </div>
      {communities.length === 0 ? (
        <EmptyState title="You are in no community yet">Join one below or from the list of communities: its ideas, questions and jellies keep a theme alive after the jam.</EmptyState>
      ) : (
        <ul className="list-plain grid grid--3 my-communities">
          {communities.map((c) => (
            <li key={c.id} className="card stack community-card">
              <div className="row community-card__head">
                <h3>
                  <Link to={`/communities/${c.slug}`}>{c.title}</Link>
                </h3>
              </div>
              <div className="row">
                <span className={`badge ${c.role === "steward" ? "badge--brand" : c.role === "invited" ? "badge--scheduled" : ""}`}>{ROLE_LABEL[c.role]}</span>
                <PrivacyBadge privacy={c.privacy} />
                <span className="small muted">{plural(c.members, "member")}</span>
              </div>
              {c.role === "invited" ? (
                <Link to={`/communities/${c.slug}`} className="btn btn--small" aria-label={`Answer the invitation to ${c.title}`}>
                  Answer the invitation
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export interface SuggestedCommunityView {
  id: number;
  slug: string;
  title: string;
  purpose: string;
  members: number;
  reasons: string[];
}

/** Open communities suggested from what one contributed to, follows and is asked about, each with why; Join or Not interested. */
export function CommunitiesToJoinSection({ suggestions, dismissed }: { suggestions: SuggestedCommunityView[]; dismissed: number }) {
  return (
    <section aria-labelledby="to-join-heading" className="stack section">
      <div>
        <h2 id="to-join-heading">Communities to join</h2>
        <p className="muted small">Open communities on the themes of your ideas, the questions you answered, the themes and the people you follow.</p>
      </div>
      {suggestions.length === 0 ? (
        <EmptyState title="No suggestions right now">
          Post ideas in a jam and follow themes and people: open communities on the same topics are suggested here. Or <Link to="/communities">browse them all</Link>.
        </EmptyState>
      ) : (
        <ul className="list-plain grid grid--2 to-join">
          {suggestions.map((c) => (
            <li key={c.id} className="card stack community-card">
              <div className="row community-card__head">
                <h3>
                  <Link to={`/communities/${c.slug}`}>{c.title}</Link>
                </h3>
                <span className="small muted">{plural(c.members, "member")}</span>
              </div>
              {c.purpose ? <p className="muted community-card__purpose">{c.purpose}</p> : null}
              <ul className="small to-join__why" aria-label={`Why ${c.title} is suggested`}>
                {c.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <div className="row">
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="join" />
                  <input type="hidden" name="communityId" value={c.id} />
                  <button type="submit" className="btn btn--small" aria-label={`Join ${c.title}`}>
                    Join
                  </button>
                </Form>
                <NotInterested kind="community" targetId={c.id} label={`Not interested in ${c.title}`} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <SuggestAgain kind="community" dismissed={dismissed} />
    </section>
  );
}

/** For a person with nothing on the page yet: what to do first. */
/** "Not interested" in a suggested person or community (kept per person; the page's `dismiss` intent). */
export function NotInterested({ kind, targetId, label }: { kind: "person" | "community"; targetId: number; label: string }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="dismiss" />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="targetId" value={targetId} />
      <button type="submit" className="btn btn--ghost btn--small" aria-label={label}>
        Not interested
      </button>
    </Form>
  );
}

/** How many suggestions of a kind were dismissed, with "Suggest them again" (the page's `restore` intent). */
export function SuggestAgain({ kind, dismissed }: { kind: "person" | "community"; dismissed: number }) {
  if (dismissed === 0) return null;
  return (
    <Form method="post" className="row small muted">
      <input type="hidden" name="intent" value="restore" />
      <input type="hidden" name="kind" value={kind} />
      <span>You said not interested to {kind === "person" ? plural(dismissed, "person", "people") : plural(dismissed, "community", "communities")}.</span>
      <button type="submit" className="btn btn--ghost btn--small">
        Suggest them again
      </button>
    </Form>
  );
}

export function StartHere() {
  return (
    <section aria-labelledby="start-heading" className="card stack start-here">
      <h2 id="start-heading">Start your network</h2>
      <p className="muted">Your network grows from what you do with colleagues. Four good first steps:</p>
      <ol className="start-here__steps">
        <li>
          <Link to="/questions/new">Ask the people who know</Link>: your question goes to colleagues whose ideas are about it.
        </li>
        <li>
          <Link to="/communities">Join a community</Link> on a topic you care about.
        </li>
        <li>
          <Link to="/jams">Take part in a jam</Link>: comment on and support ideas from other departments.
        </li>
        <li>
          <Link to="/people/search">Find who knows about something</Link> and follow them.
        </li>
      </ol>
    </section>
  );
}
