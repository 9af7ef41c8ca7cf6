import { plural, TableWrap } from "./ui";

export interface GraphNode {
  /** Stable key within this drawing when ids are withheld; edges refer to it (else to id). */
  key?: number;
  /** Null for people who opted out of rankings. */
  id: number | null;
  name: string | null;
  department: string | null;
  departmentId: number | null;
  x: number;
  y: number;
  pagerank: number;
}
export interface GraphEdge {
  source: number;
  target: number;
  weight: number;
}

/** Colour-blind-safe palette (Okabe–Ito), paired with a shape so colour is never the only cue. */
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8a6d00", "var(--c-text)"];
const SHAPES = ["circle", "square", "triangle", "diamond", "pentagon", "cross"] as const;
type Shape = (typeof SHAPES)[number];

export function departmentStyle(index: number) {
  return { colour: COLOURS[index % COLOURS.length]!, shape: SHAPES[index % SHAPES.length]! };
}

function ShapeMark({ shape, x, y, r, fill }: { shape: Shape; x: number; y: number; r: number; fill: string }) {
  const common = { fill, stroke: "var(--c-surface)", strokeWidth: 1.5 };
  switch (shape) {
    case "circle":
      return <circle cx={x} cy={y} r={r} {...common} />;
    case "square":
      return <rect x={x - r * 0.9} y={y - r * 0.9} width={r * 1.8} height={r * 1.8} {...common} />;
    case "triangle":
      return <polygon points={`${x},${y - r * 1.15} ${x + r * 1.05},${y + r * 0.8} ${x - r * 1.05},${y + r * 0.8}`} {...common} />;
    case "diamond":
      return <polygon points={`${x},${y - r * 1.2} ${x + r * 1.2},${y} ${x},${y + r * 1.2} ${x - r * 1.2},${y}`} {...common} />;
    case "pentagon": {
      const pts = Array.from({ length: 5 }, (_, i) => {
        const a = -Math.PI / 2 + (i * 2 * Math.PI) / 5;
        return `${x + r * 1.1 * Math.cos(a)},${y + r * 1.1 * Math.sin(a)}`;
      });
      return <polygon points={pts.join(" ")} {...common} />;
    }
    case "cross": {
      const w = r * 0.45;
      return (
        <path
          d={`M${x - w},${y - r}h${2 * w}v${r - w}h${r - w}v${2 * w}h${-(r - w)}v${r - w}h${-2 * w}v${-(r - w)}h${-(r - w)}v${-2 * w}h${r - w}z`}
          {...common}
        />
      );
    }
  }
}

/** What edges refer to: the drawing key when there is one, else the person id. */
export function nodeKey(n: Pick<GraphNode, "key" | "id">): number {
  return n.key ?? n.id ?? -1;
}

const W = 720;
const H = 480;
const PAD = 28;

/**
 * The interaction network: nodes where the snapshot placed them, sized by
 * PageRank, coloured AND shaped by department (legend below); each node has a
 * title and is focusable, so names are reachable by keyboard too.
 */
export function NetworkGraph({
  nodes,
  edges,
  departments,
  label,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  departments: { id: number; name: string }[];
  label: string;
}) {
  const styleOf = new Map(departments.map((d, i) => [d.id, departmentStyle(i)]));
  const fallback = { colour: "#777", shape: "circle" as Shape };
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => PAD + ((x - minX) / (maxX - minX || 1)) * (W - 2 * PAD);
  const sy = (y: number) => PAD + ((y - minY) / (maxY - minY || 1)) * (H - 2 * PAD);
  const maxRank = Math.max(...nodes.map((n) => n.pagerank), 1e-9);
  const radius = (p: number) => 4 + 10 * Math.sqrt(p / maxRank);
  const at = new Map(nodes.map((n) => [nodeKey(n), n]));
  const maxWeight = Math.max(...edges.map((e) => e.weight), 1);
  const topNamed = new Set(
    [...nodes]
      .filter((n) => n.name)
      .sort((a, b) => b.pagerank - a.pagerank)
      .slice(0, 6)
      .map((n) => nodeKey(n)),
  );
  return (
    <figure className="network">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="group"
        aria-label={`${label}: ${plural(nodes.length, "person", "people")}, ${plural(edges.length, "connection")}`}
        className="network__svg"
      >
        <g aria-hidden="true">
          {edges.map((e) => {
            const a = at.get(e.source);
            const b = at.get(e.target);
            if (!a || !b) return null;
            return (
              <line
                key={`${e.source}-${e.target}`}
                x1={sx(a.x)}
                y1={sy(a.y)}
                x2={sx(b.x)}
                y2={sy(b.y)}
                stroke="#8a8796"
                strokeOpacity={0.25 + 0.5 * (e.weight / maxWeight)}
                strokeWidth={0.5 + 2 * (e.weight / maxWeight)}
              />
            );
          })}
        </g>
        {nodes.map((n) => {
          const st = (n.departmentId !== null && styleOf.get(n.departmentId)) || fallback;
          const title = `${n.name ?? "A participant"} · ${n.department ?? "No team"} · PageRank ${(n.pagerank * 100).toFixed(1)}`;
          return (
            <g key={nodeKey(n)} className="network__node" tabIndex={0} role="img" aria-label={title}>
              <title>{title}</title>
              <ShapeMark shape={st.shape} x={sx(n.x)} y={sy(n.y)} r={radius(n.pagerank)} fill={st.colour} />
              {topNamed.has(nodeKey(n)) ? (
                <text x={sx(n.x) + radius(n.pagerank) + 3} y={sy(n.y) + 4} className="network__label">
                  {n.name}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="network__legend list-plain" aria-label="Departments">
          {departments.map((d, i) => {
            const st = departmentStyle(i);
            return (
              <li key={d.id}>
                <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
                  <ShapeMark shape={st.shape} x={8} y={8} r={5.5} fill={st.colour} />
                </svg>
                {d.name}
              </li>
            );
          })}
        </ul>
        <p className="small muted">Bigger marks: more central people (PageRank). The most central are labelled; hover or focus a mark for a name.</p>
      </figcaption>
    </figure>
  );
}

/** The department-by-department interaction matrix as a table: numbers, with heat shading as a second cue. */
export function DepartmentMatrix({ departments, matrix }: { departments: { id: number; name: string }[]; matrix: number[][] }) {
  const max = Math.max(1, ...matrix.flatMap((row, i) => row.filter((_, j) => j !== i)));
  const isolated = departments.filter((_, i) => {
    const out = (matrix[i] ?? []).reduce((s, v, j) => (j === i ? s : s + v), 0);
    const inn = matrix.reduce((s, row, j) => (j === i ? s : s + (row[i] ?? 0)), 0);
    return out + inn === 0;
  });
  return (
    <div className="stack">
      <TableWrap label="Interactions between departments">
        <table className="matrix">
          <caption className="visually-hidden">Interactions from the row’s department to the column’s department</caption>
          <thead>
            <tr>
              <th scope="col">From ↓ / to →</th>
              {departments.map((d) => (
                <th key={d.id} scope="col" className="num">
                  {d.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {departments.map((d, i) => (
              <tr key={d.id}>
                <th scope="row">{d.name}</th>
                {departments.map((to, j) => {
                  const v = matrix[i]?.[j] ?? 0;
                  const heat = i === j ? 0 : v / max;
                  return (
                    <td
                      key={to.id}
                      className={`num${i === j ? " matrix__self" : ""}`}
                      style={heat > 0 ? { background: `rgb(91 60 196 / ${Math.round(8 + heat * 40)}%)` } : undefined}
                    >
                      {v.toLocaleString("en")}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {isolated.length > 0 ? (
        <p className="alert alert--warn">
          {isolated.length === 1 ? "Isolated department" : "Isolated departments"}: {isolated.map((d) => d.name).join(", ")}: no
          interaction with any other department yet.
        </p>
      ) : (
        <p className="small muted">Every department interacts with at least one other.</p>
      )}
    </div>
  );
}
