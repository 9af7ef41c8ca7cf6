import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { DepartmentBoard, MyRank, PeopleBoard } from "~/components/leaderboard";
import { orRespond } from "~/http/respond.server";
import { overallLeaderboard } from "~/services/pages/leaderboards.server";

export const meta: MetaFunction = () => [{ title: "Leaderboard · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return await orRespond(async () => await overallLeaderboard(user, { cursor: url.searchParams.get("cursor") ?? undefined }), {
    request,
    user,
    ip: context.ip,
  });
}

export default function Leaderboard() {
  const { list, nextCursor, me, optedOut, departments, isFirstPage } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Leaderboard</h1>
          <p>Points from every jam. Points reward ideas people support and conversations that go somewhere.</p>
        </div>
      </div>
      <MyRank me={me} scopeLabel="across all jams" optedOut={optedOut} />
      <div className="grid grid--2 section">
        <section aria-labelledby="people-heading" className="stack">
          <h2 id="people-heading">People</h2>
          <PeopleBoard rows={list} caption="People ranked by points across all jams" />
          <nav className="pager" aria-label="Pages">
            {!isFirstPage ? (
              <Link className="btn btn--secondary" to="/leaderboard">
                Top
              </Link>
            ) : null}
            {nextCursor ? (
              <Link className="btn btn--secondary" to={`/leaderboard?cursor=${nextCursor}`}>
                Next page
              </Link>
            ) : null}
          </nav>
        </section>
        {isFirstPage ? (
          <section aria-labelledby="departments-heading" className="stack">
            <h2 id="departments-heading">Departments</h2>
            <DepartmentBoard rows={departments} />
          </section>
        ) : null}
      </div>
    </>
  );
}
