import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { COMMUNITY_LIMITS } from "~/domain/communities";
import { DigestSection, InviteSection, MembersSection, PrivacyBadge, ResourcesSection } from "~/components/communities";
import { FormError, newClientKey, SelectField, TextArea, TextField } from "~/components/form";
import { IdeaCard } from "~/components/idea-card";
import { IdeaForm } from "~/components/idea-form";
import { Alert, EmptyState } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import {
  acceptRequest,
  addResource,
  communityForAction,
  decideProposal,
  editCommunity,
  handOver,
  inviteMembers,
  joinCommunity,
  postInIdeaBox,
  leaveCommunity,
  removeMember,
  removeResource,
  respondToInvitation,
  seedChallenge,
} from "~/services/commands/communities.server";
import { communityPage } from "~/services/pages/communities.server";
import { QuestionList } from "~/components/questions";
import { JellyList } from "~/components/jellies";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.community.title ?? "Community"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const page = await orRespond(
    async () => await communityPage(user, params.slug ?? "", { sort: url.searchParams.get("sort") ?? undefined, cursor: url.searchParams.get("cursor") ?? undefined }),
    { request, user, ip: context.ip },
  );
  return { ...page, viewerId: user.id, clientKey: newClientKey() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const values = formValues(form);
  const ctx = { request, user, ip: context.ip, values };
  const meta = { ip: context.ip };
  const page = `/communities/${params.slug}`;
  const community = await orRespond(async () => await communityForAction(user, params.slug ?? ""), ctx);
  const input = { ...values, communityId: community.id };
  const run = async (work: () => unknown, to = page) => {
    const outcome = await orFormFailure(work, ctx);
    return outcome.ok ? redirect(to) : outcome.response;
  };
  switch (values.intent) {
    case "post": {
      // The idea box is the community's challenge: posting is postIdea's, with its rules and points. Members post.
      const outcome = await orFormFailure(async () => await postInIdeaBox(user, community, values), ctx);
      return outcome.ok ? redirect(`/jams/${outcome.result.jamSlug}/ideas/${outcome.result.id}`) : outcome.response;
    }
    case "join":
      return run(async () => await joinCommunity(user, input, meta));
    case "respond":
      return run(async () => await respondToInvitation(user, input, meta));
    case "leave":
      return run(async () => await leaveCommunity(user, input));
    case "invite":
      return run(async () => await inviteMembers(user, { communityId: community.id, userIds: form.getAll("userIds") }, meta), `${page}#members`);
    case "remove-member":
      return run(async () => await removeMember(user, input, meta), `${page}#members`);
    case "hand-over":
      return run(async () => await handOver(user, input, meta), `${page}#members`);
    case "accept-request":
      return run(async () => await acceptRequest(user, input, meta), `${page}#members`);
    case "edit":
      return run(async () => await editCommunity(user, input, meta));
    case "add-resource":
      return run(async () => await addResource(user, input, meta));
    case "remove-resource":
      return run(async () => await removeResource(user, input));
    case "decide":
      return run(async () => await decideProposal(user, input, meta));
    case "seed": {
      const outcome = await orFormFailure(async () => await seedChallenge(user, input, meta), ctx);
      return outcome.ok ? redirect(`/jams/${outcome.result.jamSlug}/challenges/${outcome.result.challengeId}`) : outcome.response;
    }
    default:
      return unknownIntent();
  }
}

export default function CommunityPage() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const v = failure && "values" in failure ? failure.values : undefined;
  const c = d.community;
  const errors = (intent: string, field: string) => (v?.intent === intent ? failure?.fieldErrors?.[field] : undefined);
  const formError = (intent: string) => (v?.intent === intent && failure && "formError" in failure ? failure.formError : null);
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/communities">Communities</Link>
      </nav>
      <div className="page-head community-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <div className="row">
            <PrivacyBadge privacy={c.privacy} />
            {c.status === "proposed" ? <span className="badge badge--scheduled">Proposed</span> : null}
            {c.status === "declined" ? <span className="badge">Declined</span> : null}
          </div>
          <h1>{c.title}</h1>
          <UserText text={c.purpose} className="community-purpose" />
          <p className="small muted">
            {c.steward ? (
              <>
                {c.status === "active" ? "Steward" : "Proposed by"}: <Link to={`/people/${c.steward.id}`}>{c.steward.name}</Link>
              </>
            ) : null}
            {c.sourceJam ? (
              <>
                {" "}
                · grew from the jam <Link to={`/jams/${c.sourceJam.slug}/synthesis`}>{c.sourceJam.title}</Link>
              </>
            ) : null}
          </p>
        </div>
        <MembershipBox state={d.myState} status={c.status} privacy={c.privacy} communityId={c.id} failure={formError("join") ?? formError("respond")} />
      </div>

      {c.status === "declined" && c.declineReason ? <Alert kind="warn">This proposal was declined: {c.declineReason}</Alert> : null}
      {d.canDecide ? (
        <section className="card stack" aria-labelledby="decide-heading">
          <h2 id="decide-heading">Decide on this proposal</h2>
          <FormError message={formError("decide")} />
          <Form method="post">
            <input type="hidden" name="intent" value="decide" />
            <input type="hidden" name="decision" value="approve" />
            <button className="btn" type="submit">
              Approve
            </button>
          </Form>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="decide" />
            <input type="hidden" name="decision" value="decline" />
            <TextArea label="Reason for declining (the proposer reads it)" name="reason" rows={2} maxLength={COMMUNITY_LIMITS.reason} errors={errors("decide", "reason")} defaultValue={v?.reason} />
            <div>
              <button className="btn btn--secondary" type="submit">
                Decline
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {!d.readable ? (
        c.status === "active" ? (
          <EmptyState title="For members only">Its members, ideas and resources are visible to members. Ask to join to take part.</EmptyState>
        ) : null
      ) : (
        <div className="community-layout">
          <div className="stack community-main">
            <section className="stack" aria-labelledby="box-heading">
              <h2 id="box-heading">Idea box</h2>
              <p className="small muted">Always open: ideas, comments and votes here do not wait for a jam.</p>
              {d.box?.canPost ? (
                <div className="card">
                  <IdeaForm clientKey={d.clientKey} failure={v?.intent === "post" ? failure : undefined} similarUrl={`/jams/${d.box.jamSlug}/challenges/${d.box.challengeId}/similar`} />
                </div>
              ) : (
                <Alert kind="info">Join the community to post in its idea box.</Alert>
              )}
              {d.box && d.box.ideas.length > 0 ? (
                <div className="stack">
                  {d.box.ideas.map((idea) => (
                    <IdeaCard key={idea.id} idea={idea} slug={d.box!.jamSlug} canVote phaseMessage="" dots={null} />
                  ))}
                </div>
              ) : (
                <EmptyState title="No ideas yet">{d.box?.canPost ? "Be the first: share an idea above." : null}</EmptyState>
              )}
              {d.box?.nextCursor ? (
                <nav className="pager" aria-label="Pages">
                  <Link className="btn btn--secondary" to={`?cursor=${d.box.nextCursor}`}>
                    More ideas
                  </Link>
                </nav>
              ) : null}
            </section>
            <section className="card stack" aria-labelledby="questions-heading">
              <div className="section-head">
                <h2 id="questions-heading">Questions</h2>
                {d.canPostHere ? (
                  <Link className="btn btn--secondary btn--small" to={`/questions/new?community=${c.id}`}>
                    Ask the people who know
                  </Link>
                ) : d.fromTheme ? (
                  <Link className="btn btn--secondary btn--small" to={`/questions/new?theme=${d.fromTheme.id}`}>
                    Ask about this theme
                  </Link>
                ) : null}
              </div>
              {d.canPostHere && c.privacy === "members" ? <p className="small muted">Asked here, a question goes to the members who know, and only members see it.</p> : null}
              <QuestionList
                questions={d.questions}
                empty={{
                  title: "No questions yet",
                  body: d.canPostHere ? "Ask one: it goes to the people who know best." : "Members ask questions here; join to ask one.",
                }}
              />
            </section>
            <section className="card stack" aria-labelledby="jellies-heading">
              <div className="section-head">
                <h2 id="jellies-heading">Jellies coming up</h2>
                {d.canPostHere ? (
                  <Link className="btn btn--secondary btn--small" to={`/jellies/new?community=${c.id}`}>
                    Propose a jelly
                  </Link>
                ) : d.fromTheme ? (
                  <Link className="btn btn--secondary btn--small" to={`/jellies/new?theme=${d.fromTheme.id}`}>
                    Propose a jelly on this theme
                  </Link>
                ) : null}
              </div>
              <JellyList jellies={d.jellies} empty={{ title: "No jellies coming up", body: "Propose an informal hour with people who care about this." }} />
            </section>
          </div>
          <aside className="stack community-side">
            {d.digest ? <DigestSection digest={d.digest} /> : null}
            <MembersSection communityId={c.id} members={d.members} isSteward={d.isSteward} viewerId={d.viewerId} requests={d.requests} invited={d.invited} />
            {d.isSteward ? <InviteSection communityId={c.id} candidates={d.candidates} /> : null}
            <ResourcesSection
              resources={d.resources}
              isSteward={d.isSteward}
              communityId={c.id}
              form={
                d.isSteward ? (
                  <Form method="post" className="stack" noValidate>
                    <h3>Add a resource</h3>
                    <input type="hidden" name="intent" value="add-resource" />
                    <FormError message={formError("add-resource")} />
                    <TextField label="Title" name="title" maxLength={COMMUNITY_LIMITS.resourceTitle} errors={errors("add-resource", "title")} defaultValue={v?.intent === "add-resource" ? v.title : undefined} />
                    <TextField label="Link" name="url" type="url" errors={errors("add-resource", "url")} defaultValue={v?.intent === "add-resource" ? v.url : undefined} />
                    <TextArea label="Notes" name="notes" rows={2} maxLength={COMMUNITY_LIMITS.resourceNotes} errors={errors("add-resource", "notes")} defaultValue={v?.intent === "add-resource" ? v.notes : undefined} />
                    <div>
                      <button className="btn btn--secondary" type="submit">
                        Add
                      </button>
                    </div>
                  </Form>
                ) : null
              }
            />
            {d.isSteward ? (
              <section className="card stack" aria-labelledby="edit-heading">
                <h2 id="edit-heading">Purpose and privacy</h2>
                <Form method="post" className="stack" noValidate>
                  <input type="hidden" name="intent" value="edit" />
                  <FormError message={formError("edit")} />
                  <TextArea label="Purpose" name="purpose" rows={3} maxLength={COMMUNITY_LIMITS.purpose} defaultValue={v?.intent === "edit" ? v.purpose : c.purpose} errors={errors("edit", "purpose")} />
                  <SelectField
                    label="Who can read it"
                    name="privacy"
                    defaultValue={c.privacy}
                    options={[
                      { value: "open", label: "Open" },
                      { value: "members", label: "Members only" },
                    ]}
                  />
                  <div>
                    <button className="btn btn--secondary" type="submit">
                      Save
                    </button>
                  </div>
                </Form>
              </section>
            ) : null}
            {d.seedJams.length > 0 ? (
              <section className="card stack" aria-labelledby="seed-heading">
                <h2 id="seed-heading">Seed a challenge</h2>
                <p className="small muted">Adds a challenge with this community's name and purpose to a jam that has not started.</p>
                <Form method="post" className="stack" noValidate>
                  <input type="hidden" name="intent" value="seed" />
                  <FormError message={formError("seed")} />
                  <SelectField label="Jam" name="jamId" placeholder="Choose a jam" options={d.seedJams.map((j) => ({ value: String(j.id), label: j.title }))} errors={errors("seed", "jamId")} />
                  <div>
                    <button className="btn btn--secondary" type="submit">
                      Seed the challenge
                    </button>
                  </div>
                </Form>
              </section>
            ) : null}
          </aside>
        </div>
      )}
    </>
  );
}

function MembershipBox({
  state,
  status,
  privacy,
  communityId,
  failure,
}: {
  state: string | null;
  status: string;
  privacy: "open" | "members";
  communityId: number;
  failure: string | null;
}) {
  if (status !== "active") return null;
  return (
    <div className="stack membership-box">
      <FormError message={failure} />
      {state === "invited" ? (
        <div className="row">
          <span>You are invited.</span>
          <Form method="post">
            <input type="hidden" name="intent" value="respond" />
            <input type="hidden" name="communityId" value={communityId} />
            <input type="hidden" name="answer" value="accept" />
            <button className="btn" type="submit">
              Accept
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="respond" />
            <input type="hidden" name="communityId" value={communityId} />
            <input type="hidden" name="answer" value="decline" />
            <button className="btn btn--secondary" type="submit">
              Decline
            </button>
          </Form>
        </div>
      ) : state === "member" ? (
        <span className="badge badge--brand">You are a member</span>
      ) : state === "requested" ? (
        <span className="badge">You asked to join</span>
      ) : state === "removed" ? null : (
        <Form method="post">
          <input type="hidden" name="intent" value="join" />
          <button className="btn" type="submit">
            {privacy === "open" ? "Join" : "Ask to join"}
          </button>
        </Form>
      )}
    </div>
  );
}
