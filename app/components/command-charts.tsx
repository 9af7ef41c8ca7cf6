/**
 * The command centre's charts. SVG, readable without colour: ideas are solid
 * bars and comments hatched ones, the axes are labelled, a sentence sums the
 * chart up, and every number is also in a table.
 */
import { useId } from "react";
import { plural, TableWrap } from "~/components/ui";

export interface MinuteBucket {
  at: number;
  ideas: number;
  comments: number;
}

export interface DepartmentActivity {
  department: string;
  ideas: number;
  comments: number;
}

/** The smallest of 1, 2, 5, 10, 20, 50, … at or above n. */
function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

function minutesAgo(index: number, length: number) {
  return length - 1 - index;
}

function agoLabel(minutes: number) {
  return minutes === 0 ? "this minute" : `${minutes} min ago`;
}

/** The chart's content in one sentence (also the SVG's description). */
export function contributionsSummary(buckets: MinuteBucket[]): string {
  const ideas = buckets.reduce((n, b) => n + b.ideas, 0);
  const comments = buckets.reduce((n, b) => n + b.comments, 0);
  if (ideas + comments === 0) return `No ideas or comments in the last ${buckets.length} minutes.`;
  let busiest = 0;
  buckets.forEach((b, i) => {
    const best = buckets[busiest]!;
    if (b.ideas + b.comments >= best.ideas + best.comments) busiest = i;
  });
  const top = buckets[busiest]!;
  return (
    `${plural(ideas + comments, "contribution")} in the last ${buckets.length} minutes: ${plural(ideas, "idea")} and ` +
    `${plural(comments, "comment")}. Busiest minute: ${agoLabel(minutesAgo(busiest, buckets.length))}, with ` +
    `${plural(top.ideas + top.comments, "contribution")}.`
  );
}

const W = 640;
const H = 200;
const M = { top: 12, right: 8, bottom: 30, left: 34 };

export function ContributionsChart({ buckets }: { buckets: MinuteBucket[] }) {
  const id = useId().replace(/:/g, "");
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const max = niceCeiling(Math.max(0, ...buckets.map((b) => b.ideas + b.comments)));
  const slot = plotW / buckets.length;
  const barW = Math.max(1, slot - 2);
  const y = (v: number) => M.top + plotH - (v / max) * plotH;
  const summary = contributionsSummary(buckets);
  const ticks = [0, max / 2, max].filter((t, i, all) => Number.isInteger(t) && all.indexOf(t) === i);
  const xTicks = [0, 15, 30, 45, buckets.length - 1].filter((i) => i < buckets.length);
  const active = buckets.map((b, i) => ({ ...b, ago: minutesAgo(i, buckets.length) })).filter((b) => b.ideas + b.comments > 0);
  return (
    <figure className="chart stack" style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="chart__svg"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>Ideas and comments per minute, last hour</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <defs>
          <pattern id={`${id}-hatch`} width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="4" height="4" className="chart__comments-bg" />
            <line x1="0" y1="0" x2="0" y2="4" className="chart__comments-line" strokeWidth="2" />
          </pattern>
        </defs>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="chart__grid" />
            <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end" className="chart__label">
              {t}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = M.left + i * slot + 1;
          const ideasTop = y(b.ideas);
          const allTop = y(b.ideas + b.comments);
          return (
            <g key={b.at}>
              {b.ideas > 0 ? <rect x={x} y={ideasTop} width={barW} height={y(0) - ideasTop} className="chart__ideas" /> : null}
              {b.comments > 0 ? (
                <rect
                  x={x}
                  y={allTop}
                  width={barW}
                  height={ideasTop - allTop}
                  fill={`url(#${id}-hatch)`}
                  className="chart__comments"
                />
              ) : null}
            </g>
          );
        })}
        <line x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} className="chart__axis" />
        {xTicks.map((i) => {
          const ago = minutesAgo(i, buckets.length);
          return (
            <text
              key={i}
              x={M.left + i * slot + slot / 2}
              y={H - M.bottom + 18}
              textAnchor={i === 0 ? "start" : i === buckets.length - 1 ? "end" : "middle"}
              className="chart__label"
            >
              {ago === 0 ? "now" : `−${ago + 1} min`}
            </text>
          );
        })}
      </svg>
      <figcaption className="stack" style={{ gap: "var(--s-2)" }}>
        <div className="chart__legend row small" aria-hidden="true">
          <span className="row" style={{ gap: "var(--s-1)" }}>
            <svg width="14" height="14" viewBox="0 0 14 14">
              <rect width="14" height="14" className="chart__ideas" />
            </svg>
            Ideas (solid)
          </span>
          <span className="row" style={{ gap: "var(--s-1)" }}>
            <svg width="14" height="14" viewBox="0 0 14 14">
              <rect width="14" height="14" fill={`url(#${id}-hatch)`} className="chart__comments" />
            </svg>
            Comments (hatched)
          </span>
        </div>
        <p className="small" style={{ margin: 0 }}>
          {summary}
        </p>
        <details>
          <summary className="small">Show the numbers as a table</summary>
          {active.length === 0 ? (
            <p className="small muted">No minute had any ideas or comments.</p>
          ) : (
            <TableWrap label="Contributions per minute">
              <table className="small">
                <caption className="visually-hidden">Ideas and comments per minute; minutes not listed had none</caption>
                <thead>
                  <tr>
                    <th scope="col">Minute</th>
                    <th scope="col" className="num">
                      Ideas
                    </th>
                    <th scope="col" className="num">
                      Comments
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...active].reverse().map((b) => (
                    <tr key={b.at}>
                      <th scope="row">{agoLabel(b.ago)}</th>
                      <td className="num">{b.ideas}</td>
                      <td className="num">{b.comments}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </details>
      </figcaption>
    </figure>
  );
}

/** Contributions by department: a table whose bars repeat the numbers written beside them. */
export function DepartmentBreakdown({ rows }: { rows: DepartmentActivity[] }) {
  if (rows.length === 0) return <p className="small muted">No contributions in the last hour.</p>;
  const max = Math.max(...rows.map((r) => r.ideas + r.comments));
  return (
    <TableWrap label="Contributions by department, last hour">
      <table className="small departments-table">
        <thead>
          <tr>
            <th scope="col">Department</th>
            <th scope="col" className="num">
              Ideas
            </th>
            <th scope="col" className="num">
              Comments
            </th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">
              <span className="visually-hidden">Share of the busiest department</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.department}>
              <th scope="row">{r.department}</th>
              <td className="num">{r.ideas}</td>
              <td className="num">{r.comments}</td>
              <td className="num">{r.ideas + r.comments}</td>
              <td style={{ width: "40%" }}>
                <div className="meter" aria-hidden="true">
                  <div className="meter__bar" style={{ width: `${((r.ideas + r.comments) / max) * 100}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
