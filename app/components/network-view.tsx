import { Form, Link, useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef } from "react";
import { DepartmentMatrix, NetworkGraph, nodeKey, type GraphEdge, type GraphNode } from "./network-graph";
import { LocalTime } from "./time";
import { EmptyState, TableWrap } from "./ui";

export interface NetworkData {
  snapshot: { status: string; computedAt: number | null; running?: boolean; error?: string | null } | null;
  influencers: { id: number | null; name: string | null; department: string | null; pagerank: number }[];
  bridges: { id: number | null; name: string | null; department: string | null; brokerage: number }[];
  departments: { id: number; name: string }[];
  matrix: number[][];
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
}

/** Asks for a snapshot (POST, once) when none exists, and refreshes while one is being computed. */
function useSnapshotProgress(snapshot: NetworkData["snapshot"]) {
  const fetcher = useFetcher();
  const asked = useRef(false);
  const revalidator = useRevalidator();
  const running = !snapshot || snapshot.status === "running" || snapshot.status === "none" || Boolean(snapshot.running);
  useEffect(() => {
    if ((!snapshot || snapshot.status === "none") && !asked.current) {
      asked.current = true;
      fetcher.submit({ intent: "recompute" }, { method: "post" });
    }
  }, [snapshot, fetcher]);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  return running;
}

function Person({ id, name }: { id: number | null; name: string | null }) {
  return name && id !== null ? <Link to={`/people/${id}`}>{name}</Link> : <span className="muted">A participant</span>;
}

export function NetworkView({
  data,
  title,
  themes,
  themeMembers,
  department,
  theme,
}: {
  data: NetworkData;
  title: string;
  themes: { id: number; label: string }[];
  themeMembers: number[] | null;
  department: number | null;
  theme: number | null;
}) {
  const running = useSnapshotProgress(data.snapshot);
  const recompute = useFetcher<{ formError?: string | null }>();
  const busy = recompute.state !== "idle";
  const { nodes, edges } = useMemo(() => {
    const members = themeMembers ? new Set(themeMembers) : null;
    const kept = data.graph.nodes.filter(
      (n) => (department === null || n.departmentId === department) && (members === null || (n.id !== null && members.has(n.id))),
    );
    const ids = new Set(kept.map((n) => nodeKey(n)));
    return { nodes: kept, edges: data.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
  }, [data.graph, department, themeMembers]);

  return (
    <div className="stack">
      <div className="row network-toolbar">
        <p className="muted" role="status" aria-live="polite">
          {data.snapshot && data.snapshot.status === "done" && data.snapshot.computedAt !== null ? (
            <>
              Snapshot computed <LocalTime at={data.snapshot.computedAt} />
              {data.snapshot.running ? "; a newer one is being computed…" : "."}
            </>
          ) : data.snapshot?.status === "failed" ? (
            `The last computation failed${data.snapshot.error ? ` (${data.snapshot.error})` : ""}; recompute to try again.`
          ) : (
            "Computing the network… this page refreshes by itself."
          )}
        </p>
        <recompute.Form method="post">
          <input type="hidden" name="intent" value="recompute" />
          <button type="submit" className="btn btn--secondary btn--small" disabled={busy || running}>
            Recompute
          </button>
          {recompute.state === "idle" && recompute.data?.formError ? (
            <span className="field__error small" role="alert">
              {recompute.data.formError}
            </span>
          ) : null}
        </recompute.Form>
      </div>

      {!data.snapshot || (data.snapshot.status !== "done" && data.graph.nodes.length === 0) ? (
        <EmptyState
          title={running ? "Computing the network" : "No network yet"}
          action={
            running ? (
              <div className="progressbar network-progress" role="progressbar" aria-label="Network computation" aria-valuetext="In progress">
                <div />
              </div>
            ) : null
          }
        >
          {running ? "Counting who commented on and voted for whose ideas." : "Nobody has interacted yet."}
        </EmptyState>
      ) : (
        <>
          <Form method="get" className="inline-form" aria-label="Filter the network">
            <div className="field">
              <label htmlFor="net-department">Department</label>
              <select id="net-department" name="department" className="select" defaultValue={department ?? ""}>
                <option value="">All departments</option>
                {data.departments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </div>
            {themes.length > 0 ? (
              <div className="field">
                <label htmlFor="net-theme">Theme</label>
                <select id="net-theme" name="theme" className="select" defaultValue={theme ?? ""}>
                  <option value="">All themes</option>
                  {themes.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <button type="submit" className="btn btn--secondary btn--small">
              Filter
            </button>
          </Form>
          <section aria-labelledby="graph-heading" className="stack">
            <h2 id="graph-heading">Who interacts with whom</h2>
            {nodes.length === 0 ? (
              <EmptyState title="Nobody matches this filter" />
            ) : (
              <NetworkGraph nodes={nodes} edges={edges} departments={data.departments} label={title} />
            )}
          </section>
          <div className="grid grid--2">
            <section aria-labelledby="influencers-heading" className="stack">
              <h2 id="influencers-heading">Top influencers</h2>
              <RankTable
                caption="People whose ideas and comments draw the most interaction (PageRank)"
                rows={data.influencers.map((r) => ({ ...r, score: (r.pagerank * 100).toFixed(1) }))}
                scoreLabel="PageRank ×100"
              />
            </section>
            <section aria-labelledby="bridges-heading" className="stack">
              <h2 id="bridges-heading">Bridges</h2>
              <RankTable
                caption="People who connect departments that otherwise rarely meet (brokerage)"
                rows={data.bridges.map((r) => ({ ...r, score: r.brokerage.toLocaleString("en", { maximumFractionDigits: 2 }) }))}
                scoreLabel="Brokerage"
              />
            </section>
          </div>
          <section aria-labelledby="matrix-heading" className="stack">
            <h2 id="matrix-heading">Between departments</h2>
            <DepartmentMatrix departments={data.departments} matrix={data.matrix} />
          </section>
        </>
      )}
    </div>
  );
}

function RankTable({
  caption,
  rows,
  scoreLabel,
}: {
  caption: string;
  rows: { id: number | null; name: string | null; department: string | null; score: string }[];
  scoreLabel: string;
}) {
  if (rows.length === 0) return <EmptyState title="Nobody yet" />;
  return (
    <TableWrap label={caption}>
      <table>
        <caption className="small muted">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Person</th>
            <th scope="col">Department</th>
            <th scope="col" className="num">
              {scoreLabel}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.id}-${i}`}>
              <td>{i + 1}</td>
              <td>
                <Person id={r.id} name={r.name} />
              </td>
              <td>{r.department ?? "—"}</td>
              <td className="num">{r.score}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** "Who knows about …?": a search box (GET) and the experts found. */
export function ExpertSearch({
  action,
  q,
  results,
}: {
  action: string;
  q: string;
  results: { id: number; name: string | null; department: string | null; detail?: string }[] | null;
}) {
  return (
    <section aria-labelledby="experts-heading" className="stack">
      <h2 id="experts-heading">Who knows about …?</h2>
      <Form method="get" action={action} className="inline-form" role="search">
        <div className="field">
          <label htmlFor="expert-q">Topic</label>
          <input id="expert-q" name="q" type="search" className="input" defaultValue={q} placeholder="e.g. onboarding" />
        </div>
        <button type="submit" className="btn btn--secondary btn--small">
          Search
        </button>
      </Form>
      {results === null ? null : results.length === 0 ? (
        <p className="muted">Nobody has written about “{q}” yet.</p>
      ) : (
        <ul className="list-plain stack">
          {results.map((r, i) => (
            <li key={`${r.id}-${i}`} className="card">
              <Person id={r.id} name={r.name} />
              <div className="small muted">
                {r.department ?? "No team"}
                {r.detail ? ` · ${r.detail}` : ""}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
