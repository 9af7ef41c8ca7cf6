import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { JamCrumbs } from "~/components/jam-header";
import { useThrottledRevalidate } from "~/components/live";
import { LiveJam } from "~/components/live-jam";
import { DepartmentBoard, MyRank, PeopleBoard } from "~/components/leaderboard";
import { LocalTime } from "~/components/time";
import { Alert, TableWrap } from "~/components/ui";
import { orRespond } from "~/http/respond.server";
import { jamLeaderboard } from "~/services/pages/leaderboards.server";
import { livePosition } from "~/live/bus";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Leaderboard · ${data?.jam.title ?? "Jam"} · Jamboree` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // First, before the page's data: the live stream replays what changes after this.
  const liveFrom = await livePosition();
  const url = new URL(request.url);
  const board = await orRespond(async () => await jamLeaderboard(user, params.slug ?? "", { cursor: url.searchParams.get("cursor") ?? undefined }), {
    request,
    user,
    ip: context.ip,
  });
  return { ...board, liveFrom };
}

export default function JamLeaderboard() {
  const data = useLoaderData<typeof loader>();
  const { jam } = data;
  const base = `/jams/${jam.slug}/leaderboard`;
  const refresh = useThrottledRevalidate(3000);
  return (
    <>
      <LiveJam slug={jam.slug} from={data.liveFrom} onEvent={(type) => type === "points.changed" && refresh()} />
      <JamCrumbs slug={jam.slug} title={jam.title}>
        Leaderboard
      </JamCrumbs>
      <div className="page-head">
        <div>
          <h1>Leaderboard</h1>
          <p>Points earned in {jam.title}.</p>
        </div>
        {data.canManage ? (
          <Link to={`/jams/${jam.slug}/edit#gamification-heading`} className="btn btn--secondary">
            Point rules
          </Link>
        ) : null}
      </div>
      {data.hidden ? (
        <div className="stack">
          <Alert>The facilitators have hidden this jam’s leaderboards. Your own points still count.</Alert>
          <MyRank me={data.me} scopeLabel="in this jam" optedOut={data.optedOut} />
        </div>
      ) : (
        <>
          {jam.leaderboardsHidden ? (
            <Alert kind="warn">Hidden from participants: only staff see this leaderboard.</Alert>
          ) : null}
          <MyRank me={data.me} scopeLabel="in this jam" optedOut={data.optedOut} />
          <div className="grid grid--2 section">
            <section aria-labelledby="people-heading" className="stack">
              <h2 id="people-heading">People</h2>
              <PeopleBoard rows={data.list} caption={`People ranked by points in ${jam.title}`} />
              <nav className="pager" aria-label="Pages">
                {!data.isFirstPage ? (
                  <Link className="btn btn--secondary" to={base}>
                    Top
                  </Link>
                ) : null}
                {data.nextCursor ? (
                  <Link className="btn btn--secondary" to={`${base}?cursor=${data.nextCursor}`}>
                    Next page
                  </Link>
                ) : null}
              </nav>
            </section>
            {data.isFirstPage ? (
              <section aria-labelledby="departments-heading" className="stack">
                <h2 id="departments-heading">Departments</h2>
                <DepartmentBoard rows={data.departments} />
              </section>
            ) : null}
          </div>
          {data.canManage ? (
            <section className="section stack" aria-labelledby="serial-heading">
              <h2 id="serial-heading">Serial voting</h2>
              {data.serialVoting.length === 0 ? (
                <p className="muted">No one has voted for one author’s ideas unusually often.</p>
              ) : (
                <div>
                  <TableWrap label="Serial voting reports">
                    <table>
                      <caption className="visually-hidden">
                        Votes by one person on one author’s ideas beyond the limit
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">Voter</th>
                          <th scope="col">Author</th>
                          <th scope="col" className="num">
                            Votes
                          </th>
                          <th scope="col">Last</th>
                        </tr>
                      </thead>
                      <tbody>
                        {data.serialVoting.map((r) => (
                          <tr key={r.id}>
                            <td>{r.voter}</td>
                            <td>{r.author}</td>
                            <td className="num">{r.votes}</td>
                            <td>
                              <LocalTime at={r.lastAt} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableWrap>
                  <p className="small muted">These votes count as support but earn their author no points.</p>
                </div>
              )}
            </section>
          ) : null}
        </>
      )}
    </>
  );
}
