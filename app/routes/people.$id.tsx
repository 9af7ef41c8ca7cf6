import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { BadgeArt } from "~/components/badge-art";
import { FollowButton } from "~/components/follow";
import { CheckboxField, FormError } from "~/components/form";
import { LocalTime } from "~/components/time";
import { Alert, EmptyState, plural } from "~/components/ui";
import { LEVEL_NAMES, progressLabel } from "~/domain/badges";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { setRankingPrivacy } from "~/services/commands/follows.server";
import { personPage } from "~/services/pages/profiles.server";
import { formatNumber } from "~/domain/numbers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "Person"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.id);
  const personId = Number.isInteger(id) && id > 0 ? id : 0;
  return await orRespond(async () => await personPage(user, personId), { request, user, ip: context.ip });
}

/** The profile's own settings: whether one's name shows in rankings (only on one's own profile). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  if (Number(params.id) !== user.id) throw new Response("Not found", { status: 404 });
  if (values.intent !== "privacy") return unknownIntent();
  const outcome = await orFormFailure(async () => await setRankingPrivacy(user, values, { ip: context.ip }), { request, user, ip: context.ip, values });
  return outcome.ok ? redirect(`/people/${user.id}?saved=privacy`) : outcome.response;
}

export default function Profile() {
  const { person, isMe, inRankings, overall, byJam, badges, ideas, comments, social } = useLoaderData<typeof loader>();
  const earned = badges.filter((b) => b.level > 0).length;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{person.name}</h1>
          <p>
            {person.department ?? "No team"}
            {isMe ? " · this is you" : ""}
          </p>
          <div className="row">
            {isMe ? (
              <Link to="/network/me" className="btn btn--secondary btn--small">
                My network
              </Link>
            ) : (
              <FollowButton targetType="person" targetId={person.id} following={social.following} label={person.name} />
            )}
          </div>
        </div>
        <div className="stats" style={{ minWidth: "min(100%, 360px)" }}>
          {inRankings ? (
            <>
              <div className="stat">
                <div className="stat__value">{formatNumber(overall?.total ?? 0)}</div>
                <div className="stat__label">Points</div>
              </div>
              <div className="stat">
                <div className="stat__value">{overall ? `#${formatNumber(overall.rank)}` : "—"}</div>
                <div className="stat__label">
                  <Link to="/leaderboard">Overall rank</Link>
                </div>
              </div>
            </>
          ) : (
            <div className="stat">
              <div className="stat__value">—</div>
              <div className="stat__label">Not in rankings</div>
            </div>
          )}
          <div className="stat">
            <div className="stat__value">{earned}</div>
            <div className="stat__label">Badges</div>
          </div>
        </div>
      </div>

      {isMe && social.hiddenFromRankings !== null ? <PrivacySettings hidden={social.hiddenFromRankings} /> : null}

      <section aria-labelledby="badges-heading" className="stack">
        <h2 id="badges-heading">Badges</h2>
        <ul className="badge-grid list-plain">
          {badges.map((b) => (
            <li key={b.key} className="card badge-card">
              <div className="badge-card__head">
                <BadgeArt badgeKey={b.key} level={b.level} />
                <h3>
                  {b.name}
                  {b.level > 0 ? <span className="muted small"> · {LEVEL_NAMES[b.level]}</span> : null}
                </h3>
              </div>
              <p className="small muted">{b.description}</p>
              <div className="badge-card__progress">
                <p className="small muted">{progressLabel(b)}</p>
                {b.nextAt !== null ? (
                  <div
                    className="progress"
                    role="progressbar"
                    aria-label={`${b.name} progress`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.round(b.progress * 100)}
                  >
                    <div className="progress__bar" style={{ width: `${Math.round(b.progress * 100)}%` }} />
                  </div>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      </section>

      <div className="grid grid--3 section">
        <section aria-labelledby="points-heading" className="stack">
          <h2 id="points-heading">Points by jam</h2>
          {!inRankings ? (
            <EmptyState title="Not shown">{person.name} chose not to appear in rankings.</EmptyState>
          ) : byJam.length === 0 ? (
            <EmptyState title="No points yet" />
          ) : (
            <ul className="list-plain">
              {byJam.map((j) => (
                <li key={j.jamId} className="card">
                  <Link to={`/jams/${j.slug}/leaderboard`}>{j.title}</Link>
                  <div className="small muted">
                    {plural(j.total, "point")}{j.rank ? ` · rank #${formatNumber(j.rank)}` : ""}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="ideas-heading" className="stack">
          <h2 id="ideas-heading">Ideas</h2>
          {ideas.length === 0 ? (
            <EmptyState title="No ideas yet" />
          ) : (
            <ul className="list-plain">
              {ideas.map((i) => (
                <li key={i.id} className="card">
                  {i.hidden ? <span>{i.title}</span> : <Link to={`/jams/${i.jamSlug}/ideas/${i.id}`}>{i.title}</Link>}
                  <div className="small muted row">
                    {i.isAnonymous ? <span className="badge">Anonymous: only you see it here</span> : null}
                    {i.hidden ? <span className="badge badge--draft">Hidden: {i.hiddenReason}</span> : null}
                    <span>
                      {i.jamTitle} · {plural(i.voteCount, "vote")} · <LocalTime at={i.createdAt} withTime={false} />
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="comments-heading" className="stack">
          <h2 id="comments-heading">Comments</h2>
          {comments.length === 0 ? (
            <EmptyState title="No comments yet" />
          ) : (
            <ul className="list-plain">
              {comments.map((c) => (
                <li key={c.id} className="card">
                  <p className="user-text">{c.body.length > 140 ? `${c.body.slice(0, 140)}…` : c.body}</p>
                  <div className="small muted">
                    on <Link to={`/jams/${c.jamSlug}/ideas/${c.ideaId}#comment-${c.id}`}>{c.ideaTitle}</Link>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

function PrivacySettings({ hidden }: { hidden: boolean }) {
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <section aria-labelledby="privacy-heading" className="card stack section">
      <h2 id="privacy-heading">Privacy</h2>
      {params.get("saved") === "privacy" && !failure ? (
        <Alert>Saved. {hidden ? "Rankings leave you out and network pages no longer show your name." : "Rankings and network pages show your name."}</Alert>
      ) : null}
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="privacy" />
        <CheckboxField
          label="Do not show my name in rankings"
          name="hiddenFromRankings"
          defaultChecked={hidden}
          hint="Leaderboards and your department's totals leave you out, and only you see your points and rank. Network pages show “A participant” instead of your name."
        />
        {failure && "formError" in failure ? <FormError message={failure.formError} /> : null}
        <div>
          <button type="submit" className="btn btn--secondary btn--small">
            Save privacy setting
          </button>
        </div>
      </Form>
    </section>
  );
}
