import { Form, Link, useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { DepartmentMatrix, NetworkGraph, type GraphEdge, type GraphNode } from "~/components/network-graph";
import { LocalTime } from "~/components/time";
import { EmptyState, plural, TableWrap } from "~/components/ui";

interface PersonRow {
  id: number | null;
  name: string | null;
  department: string | null;
}

export interface NetworkData {
  snapshot: { status: string; computedAt: number | null; running?: boolean; error?: string | null } | null;
  findings: {
    silent: string[];
    neverMet: { a: string; b: string }[];
    neverMetCount: number;
    leastMet: { a: string; b: string; interactions: number }[];
    brokers: (PersonRow & { departmentsReached: number; crossInteractions: number })[];
    influencers: (PersonRow & { reach: number })[];
  };
  departments: { id: number; name: string }[];
  matrix: number[][];
  drawing: { kind: "departments" | "people"; nodes: GraphNode[]; edges: GraphEdge[]; ties: number };
}

export interface ThemeInfluencers {
  id: number;
  label: string;
  people: (PersonRow & { id: number; ideas: number; support: number; replies: number })[];
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
  path,
  themes,
  themeInfluencers,
  department,
  theme,
}: {
  data: NetworkData;
  title: string;
  /** The page's address, for the drawing's links. */
  path: string;
  themes: { id: number; label: string }[];
  /** Null where themes do not apply (the organisation's page). */
  themeInfluencers: ThemeInfluencers[] | null;
  department: number | null;
  theme: number | null;
}) {
  const running = useSnapshotProgress(data.snapshot);
  const recompute = useFetcher<{ formError?: string | null }>();
  const busy = recompute.state !== "idle";
  const { drawing, findings } = data;
  const people = drawing.kind === "people";

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

      {!data.snapshot || data.snapshot.status !== "done" ? (
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
          <section aria-labelledby="findings-heading" className="stack">
            <h2 id="findings-heading">What the network says</h2>
            <div className="grid grid--2 network-findings">
              <Finding
                id="never-met"
                title="Departments that never met"
                action={
                  findings.neverMet.length > 0
                    ? `Invite ${pairName(findings.neverMet[0]!)} to one session, or give them one challenge to answer together.`
                    : findings.silent.length > 0
                      ? `Ask ${findings.silent[0]}'s head to bring their team into the next jam.`
                      : null
                }
              >
                {findings.silent.length > 0 ? (
                  <p>
                    <strong>No interaction with any other department:</strong> {findings.silent.join(", ")}.
                  </p>
                ) : null}
                {findings.neverMet.length > 0 ? (
                  <>
                    <p>These pairs never commented on, replied to or supported each other:</p>
                    <ul className="network-pairs">
                      {findings.neverMet.map((p) => (
                        <li key={`${p.a}|${p.b}`}>{pairName(p)}</li>
                      ))}
                    </ul>
                    {findings.neverMetCount > findings.neverMet.length ? (
                      <p className="small muted">and {plural(findings.neverMetCount - findings.neverMet.length, "more pair")}.</p>
                    ) : null}
                  </>
                ) : findings.silent.length === 0 ? (
                  <p>Every pair of departments interacted at least once.</p>
                ) : null}
                {findings.leastMet.length > 0 ? (
                  <>
                    <SmallTable
                      caption="Departments that met least"
                      head={["Departments", "Interactions"]}
                      rows={findings.leastMet.map((p) => [pairName(p), p.interactions.toLocaleString("en")])}
                    />
                    <p className="network-action">
                      → Put one person from {pairName(findings.leastMet[0]!)} on the same follow-up action.
                    </p>
                  </>
                ) : null}
              </Finding>
              <Finding
                id="brokers"
                title="People who connect departments"
                explain="A broker comments on, replies to or supports people in other departments, and they do the same back. “Departments” counts those other departments; “Across” counts those interactions."
                action={findings.brokers.length > 0 ? "Ask them to carry ideas across, and bring them in when an action needs several departments." : null}
              >
                {findings.brokers.length === 0 ? (
                  <p>Nobody has ties across departments yet.</p>
                ) : (
                  <SmallTable
                    caption="Brokers"
                    head={["Person", "Departments", "Across"]}
                    rows={findings.brokers.map((b) => [<Person key="p" {...b} />, b.departmentsReached, b.crossInteractions])}
                  />
                )}
              </Finding>
              {themeInfluencers !== null ? (
                <Finding
                  id="theme-influencers"
                  title="Influencers per theme"
                  explain="Whose ideas drew the most support, comments and replies in each theme of the published synthesis."
                  action={themeInfluencers.length > 0 ? "Ask each to champion their theme, or to own its follow-up action." : null}
                >
                  {themeInfluencers.length === 0 ? (
                    <p>No published themes yet: publish the synthesis to see who leads each theme.</p>
                  ) : (
                    <ul className="list-plain stack">
                      {themeInfluencers.map((t) => (
                        <li key={t.id}>
                          <strong>{t.label}</strong>
                          <div className="small">
                            {t.people.map((p, i) => (
                              <span key={p.id}>
                                {i > 0 ? ", " : ""}
                                <Person {...p} /> ({plural(p.support, "vote")}, {plural(p.replies, "comment or reply", "comments and replies")})
                              </span>
                            ))}
                          </div>
                        </li>
                      ))}
                    </ul>
                  )}
                </Finding>
              ) : null}
              <Finding
                id="reach"
                title="Most reach in the network"
                explain="Reach: how much attention comes to a person, directly or through people who are noticed themselves. The best placed scores 100."
                action={findings.influencers.length > 0 ? "Ask them to spread the word when the next jam opens." : null}
              >
                {findings.influencers.length === 0 ? (
                  <p>Nobody yet.</p>
                ) : (
                  <SmallTable
                    caption="People with the most reach"
                    head={["Person", "Department", "Reach"]}
                    rows={findings.influencers.map((r) => [<Person key="p" {...r} />, r.department ?? "—", r.reach])}
                  />
                )}
              </Finding>
            </div>
          </section>

          <section aria-labelledby="graph-heading" className="stack">
            <h2 id="graph-heading">Who interacts with whom</h2>
            <nav aria-label="Drawing" className="tabs network-tabs">
              <Link to={path} aria-current={people ? undefined : "page"} preventScrollReset>
                Departments
              </Link>
              <Link to={`${path}?drawing=people`} aria-current={people ? "page" : undefined} preventScrollReset>
                People (strongest ties)
              </Link>
            </nav>
            {people ? (
              <Form method="get" className="inline-form" aria-label="Filter the people">
                <input type="hidden" name="drawing" value="people" />
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
            ) : null}
            {drawing.nodes.length === 0 ? (
              <EmptyState title={people ? "Nobody matches this filter" : "No departments yet"} />
            ) : (
              <NetworkGraph kind={drawing.kind} nodes={drawing.nodes} edges={drawing.edges} departments={data.departments} label={title} />
            )}
            {people && drawing.edges.length > 0 ? (
              <SmallTable
                caption={`The ${plural(drawing.edges.length, "strongest tie")} of ${drawing.ties.toLocaleString("en")}`}
                head={["Person", "Person", "Interactions"]}
                rows={drawing.edges.map((e) => [drawing.nodes[e.source]?.label ?? "", drawing.nodes[e.target]?.label ?? "", e.interactions])}
              />
            ) : null}
          </section>
          <section aria-labelledby="matrix-heading" className="stack">
            <h2 id="matrix-heading">Interactions between departments</h2>
            <DepartmentMatrix departments={data.departments} matrix={data.matrix} />
          </section>
        </>
      )}
    </div>
  );
}

const pairName = (p: { a: string; b: string }) => `${p.a} and ${p.b}`;

/** One finding: what it is, the evidence, and what to do with it in one line. */
function Finding({ id, title, explain, action, children }: { id: string; title: string; explain?: string; action: string | null; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="card stack network-finding">
      <h3 id={`${id}-heading`}>{title}</h3>
      {explain ? <p className="small muted">{explain}</p> : null}
      {children}
      {action ? <p className="network-action">→ {action}</p> : null}
    </section>
  );
}

function SmallTable({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <TableWrap label={caption}>
      <table>
        <caption className="small muted">{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h + i} scope="col" className={i > 0 && typeof rows[0]?.[i] === "number" ? "num" : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((cell, j) => (
                <td key={j} className={typeof cell === "number" ? "num" : undefined}>
                  {typeof cell === "number" ? cell.toLocaleString("en") : cell}
                </td>
              ))}
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
