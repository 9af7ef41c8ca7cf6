import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { COMMUNITY_LIMITS } from "~/domain/communities";
import { CommunityCard } from "~/components/communities";
import { FormError, SelectField, TextArea, TextField } from "~/components/form";
import { EmptyState } from "~/components/ui";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { decideProposal, keepThemeAlive, proposeCommunity } from "~/services/commands/communities.server";
import { communityDirectory } from "~/services/pages/communities.server";
import { LearningNav } from "~/components/learning-nav";

export const meta: MetaFunction = () => [{ title: "Communities · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return await orRespond(
    async () => await communityDirectory(user, { tab: url.searchParams.get("tab"), q: url.searchParams.get("q"), cursor: url.searchParams.get("cursor") }),
    { request, user, ip: context.ip },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip, values };
  const meta = { ip: context.ip };
  switch (values.intent) {
    case "keep-theme": {
      const outcome = await orFormFailure(async () => await keepThemeAlive(user, values, meta), ctx);
      return outcome.ok ? redirect(`/communities/${outcome.result.community.slug}`) : outcome.response;
    }
    case "propose": {
      const outcome = await orFormFailure(async () => await proposeCommunity(user, values, meta), ctx);
      return outcome.ok ? redirect(`/communities/${outcome.result.community.slug}`) : outcome.response;
    }
    case "decide": {
      const outcome = await orFormFailure(async () => await decideProposal(user, values, meta), ctx);
      return outcome.ok ? redirect(`/communities/${outcome.result.slug}`) : outcome.response;
    }
    default:
      return unknownIntent();
  }
}

const TABS = [
  { tab: "open", label: "All communities" },
  { tab: "mine", label: "Mine" },
  { tab: "proposals", label: "Proposals" },
] as const;

export default function Communities() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const v = failure && "values" in failure ? failure.values : undefined;
  const link = (params: Record<string, string | null>) => {
    const s = new URLSearchParams();
    for (const [k, val] of Object.entries(params)) if (val) s.set(k, val);
    return `/communities${s.toString() ? `?${s}` : ""}`;
  };
  return (
    <>
      <LearningNav />
      <div className="page-head">
        <div>
          <h1>Communities of practice</h1>
          <p>Themes kept alive after the jam: people who keep learning from each other, with an idea box that never closes.</p>
        </div>
      </div>
      {d.pendingInvitations > 0 ? (
        <p className="card small" role="status">
          You have {d.pendingInvitations === 1 ? "an invitation" : `${d.pendingInvitations} invitations`} waiting:{" "}
          <Link to={link({ tab: "mine" })}>see yours</Link>.
        </p>
      ) : null}
      <nav className="tabs section communities-tabs" aria-label="Communities">
        {TABS.filter((t) => t.tab !== "proposals" || d.canDecide).map((t) => (
          <Link key={t.tab} to={link({ tab: t.tab, q: d.q || null })} aria-current={d.tab === t.tab ? "page" : undefined}>
            {t.label}
            {t.tab === "proposals" && d.proposals > 0 ? <span className="tab-count"> {d.proposals}</span> : null}
          </Link>
        ))}
      </nav>
      <Form method="get" className="row search-row" role="search">
        <input type="hidden" name="tab" value={d.tab} />
        <label htmlFor="community-search" className="visually-hidden">
          Search communities
        </label>
        <input id="community-search" className="input" type="search" name="q" defaultValue={d.q} placeholder="Search by name or purpose" />
        <button type="submit" className="btn btn--secondary">
          Search
        </button>
      </Form>
      <section className="section stack" aria-label="Communities found">
        {d.communities.length === 0 ? (
          <EmptyState title={d.q ? "Nothing found" : d.tab === "mine" ? "You are in no community yet" : d.tab === "proposals" ? "No proposals waiting" : "No communities yet"}>
            {d.q ? "Try other words." : d.tab === "proposals" ? "Proposed communities appear here for a decision." : "Propose one below, or keep a theme alive from a jam's synthesis."}
          </EmptyState>
        ) : (
          <ul className="stack community-list">
            {d.communities.map((c) => (
              <CommunityCard key={c.id} c={c} />
            ))}
          </ul>
        )}
        <nav className="pager" aria-label="Pages">
          {!d.isFirstPage ? (
            <Link className="btn btn--secondary" to={link({ tab: d.tab, q: d.q || null })}>
              First page
            </Link>
          ) : null}
          {d.nextCursor ? (
            <Link className="btn btn--secondary" to={link({ tab: d.tab, q: d.q || null, cursor: d.nextCursor })}>
              Next page
            </Link>
          ) : null}
        </nav>
      </section>
      <section className="card stack section" aria-labelledby="propose-heading">
        <h2 id="propose-heading">Propose a community</h2>
        <p className="small muted">A facilitator approves or declines it; you are told either way and, once approved, you steward it.</p>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="propose" />
          <FormError message={failure && "formError" in failure && v?.intent === "propose" ? failure.formError : null} />
          <TextField label="Name" name="title" maxLength={COMMUNITY_LIMITS.title} defaultValue={v?.title} errors={failure?.fieldErrors?.title} />
          <TextArea label="Purpose" name="purpose" maxLength={COMMUNITY_LIMITS.purpose} rows={3} defaultValue={v?.purpose} errors={failure?.fieldErrors?.purpose} />
          <SelectField
            label="Who can read it"
            name="privacy"
            defaultValue={v?.privacy ?? "open"}
            options={[
              { value: "open", label: "Open: anyone reads and joins" },
              { value: "members", label: "Members only: others see its name and purpose" },
            ]}
          />
          <div>
            <button className="btn" type="submit">
              Propose
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
