import { Link } from "@remix-run/react";
import { motion, useReducedMotion } from "framer-motion";
import type { DepartmentRow, LeaderRow } from "~/domain/views";
import { useHydrated } from "~/components/motion";
import { EmptyState, plural, TableWrap } from "~/components/ui";
import { formatNumber } from "~/domain/numbers";

/** People ranked by points. Rows glide to their new place when ranks change. */
export function PeopleBoard({ rows, caption }: { rows: LeaderRow[]; caption: string }) {
  const reduceMotion = useReducedMotion();
  const hydrated = useHydrated();
  if (rows.length === 0) return <EmptyState title="No points yet">Points appear as soon as people post and get support.</EmptyState>;
  return (
    <TableWrap label={caption}>
      <table className="leaderboard">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Person</th>
            <th scope="col" className="num">
              Points
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const cells = (
              <>
                <td className="rank">{r.rank}</td>
                <td>
                  <Link to={`/people/${r.userId}`}>{r.name}</Link>
                  {r.isMe ? <span className="badge badge--brand">You</span> : null}
                  {r.department ? <div className="small muted">{r.department}</div> : null}
                </td>
                <td className="num">{formatNumber(r.total)}</td>
              </>
            );
            const row = { className: r.isMe ? "is-me" : undefined, "aria-current": r.isMe ? ("true" as const) : undefined };
            // A plain row on the server and at hydration (see ./motion.tsx); a moving one once hydrated.
            return hydrated ? (
              <motion.tr
                key={r.userId}
                layout={reduceMotion ? false : "position"}
                initial={false}
                transition={{ type: "spring", stiffness: 500, damping: 40 }}
                {...row}
              >
                {cells}
              </motion.tr>
            ) : (
              <tr key={r.userId} {...row}>
                {cells}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Departments ranked per member (so a small team can win), with the total ranking beside it. */
export function DepartmentBoard({ rows }: { rows: DepartmentRow[] }) {
  const byPerHead = [...rows].sort((a, b) => a.rankPerHead - b.rankPerHead);
  if (rows.length === 0) return <EmptyState title="No departments yet" />;
  return (
    <>
      <TableWrap label="Departments ranked by points per member">
        <table className="leaderboard" aria-describedby="departments-note">
          <caption className="visually-hidden">Departments ranked by points per member</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Department</th>
              <th scope="col" className="num">
                Per member
              </th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col" className="num">
                Rank by total
              </th>
            </tr>
          </thead>
          <tbody>
            {byPerHead.map((d) => (
              <tr key={d.id}>
                <td className="rank">{d.rankPerHead}</td>
                <td>
                  {d.name}
                  <div className="small muted">{plural(d.headcount, "member")}</div>
                </td>
                <td className="num">{formatNumber(d.perHead)}</td>
                <td className="num">{formatNumber(d.total)}</td>
                <td className="num">{d.rankByTotal}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p id="departments-note" className="small muted">
        Ranked by points per member so that small teams can win; the ranking by total is in the last column.
      </p>
    </>
  );
}

export function MyRank({
  me,
  scopeLabel,
  optedOut = false,
}: {
  me: { rank: number | null; total: number } | null;
  scopeLabel: string;
  /** The viewer opted out of rankings: the board leaves them out, and this is for them alone. */
  optedOut?: boolean;
}) {
  return (
    <div className="card my-rank" role="status">
      {me ? (
        <>
          <div className="stat__value">{me.rank ? `#${formatNumber(me.rank)}` : "—"}</div>
          <div className="stat__label">
            {optedOut ? "Where you would rank" : "Your rank"} {scopeLabel} · {plural(me.total, "point")}
            {optedOut ? (
              <div className="small muted">You chose not to appear in rankings: the board leaves you out, and only you see this.</div>
            ) : null}
          </div>
        </>
      ) : (
        <>
          <div className="stat__value">—</div>
          <div className="stat__label">You have no points {scopeLabel} yet. Post an idea to get started.</div>
        </>
      )}
    </div>
  );
}
