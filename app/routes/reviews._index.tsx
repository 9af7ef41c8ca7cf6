import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { LocalTime } from "~/components/time";
import { EmptyState } from "~/components/ui";
import { reviewsHome } from "~/services/pages/reviews.server";

export const meta: MetaFunction = () => [{ title: "Reviews · Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await reviewsHome(user);
}

export default function Reviews() {
  const { mine, running } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Reviews</h1>
          <p>Ideas you were asked to score{running ? ", and the reviews facilitators run" : ""}.</p>
        </div>
      </div>
      <section className="section stack" aria-labelledby="mine-heading">
        <h2 id="mine-heading">To score</h2>
        {mine.length === 0 ? (
          <EmptyState title="Nothing to review">When a facilitator asks you to review ideas, they show here and in your notifications.</EmptyState>
        ) : (
          <ul className="list-plain stack">
            {mine.map((r) => (
              <li key={r.id} className="card review-card">
                <Link to={`/jams/${r.jamSlug}/reviews/${r.id}`} className="break-anywhere">
                  {r.title}
                </Link>
                <div className="small muted">
                  {r.jamTitle} · {r.submitted} of {r.assigned} scored
                  {r.closedAt !== null ? " · closed" : r.dueAt !== null ? (
                    <>
                      {" · due "}
                      <LocalTime at={r.dueAt - 1} withTime={false} />
                    </>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {running ? (
        <section className="section stack" aria-labelledby="running-heading">
          <h2 id="running-heading">All reviews</h2>
          {running.length === 0 ? (
            <EmptyState title="No reviews yet">Open one from a challenge's page: “Open a review”.</EmptyState>
          ) : (
            <ul className="list-plain stack">
              {running.map((r) => (
                <li key={r.id} className="card review-card">
                  <Link to={`/jams/${r.jamSlug}/reviews/${r.id}`} className="break-anywhere">
                    {r.title}
                  </Link>
                  <div className="small muted">
                    {r.jamTitle} · {r.challengeTitle} · {r.ideas} {r.ideas === 1 ? "idea" : "ideas"}
                    {r.blind ? " · blind" : ""}
                    {r.closedAt !== null ? " · closed" : " · open"}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
