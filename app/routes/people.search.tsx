import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { ExpertSearch } from "~/components/network-view";
import { QuestionList } from "~/components/questions";
import { orRespond } from "~/http/respond.server";
import { expertSearchPage } from "~/services/pages/network.server";

export const meta: MetaFunction = () => [{ title: "Who knows about …? · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const q = new URL(request.url).searchParams.get("q");
  return await orRespond(async () => await expertSearchPage(user, { q }), { request, user, ip: context.ip });
}

export default function PeopleSearch() {
  const { q, experts, questions } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Find people</h1>
          <p>People whose ideas and comments talk about a topic.</p>
        </div>
      </div>
      <ExpertSearch action="/people/search" q={q} results={experts} />
      {q ? (
        <section className="section stack" aria-labelledby="questions-heading">
          <div className="row">
            <h2 id="questions-heading">Questions about “{q}”</h2>
            <Link to={`/questions/new?q=${encodeURIComponent(q)}`} className="btn btn--secondary btn--small">
              Ask the people who know
            </Link>
          </div>
          <QuestionList questions={questions} empty={{ title: "Nobody has asked about this yet", body: "Ask it: it goes to the people above who are willing to be asked." }} />
        </section>
      ) : null}
    </>
  );
}
