import { placeLabels } from "~/network/labels";
import { plural, TableWrap } from "~/components/ui";

export interface GraphNode {
  /** Stable key within this drawing; edges refer to it. */
  key: number;
  label: string;
  /** Whether the label may be drawn beside the mark. */
  named: boolean;
  departmentId: number | null;
  department: string | null;
  size: number;
  x: number;
  y: number;
}
export interface GraphEdge {
  source: number;
  target: number;
  interactions: number;
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

/** Drawing units. Labels are FONT units tall: at 360 px (about 328 px of drawing) that is 11 px on screen. */
const W = 440;
const FONT = 15;

/**
 * The interaction network, departments (one mark per department, sized by its
 * people) or people (sized by reach), where the service placed them; tie
 * thickness = interactions. Marks are coloured AND shaped by department (legend
 * below). Labels go where they touch no other label or mark (placeLabels);
 * every mark has a title and is focusable, so each name is reachable by
 * keyboard too.
 */
export function NetworkGraph({
  kind,
  nodes,
  edges,
  departments,
  label,
}: {
  kind: "departments" | "people";
  nodes: GraphNode[];
  edges: GraphEdge[];
  departments: { id: number; name: string }[];
  label: string;
}) {
  const H = kind === "departments" ? 360 : 400;
  const pad = kind === "departments" ? 0 : 24;
  const styleOf = new Map(departments.map((d, i) => [d.id, departmentStyle(i)]));
  const fallback = { colour: "#777", shape: "circle" as Shape };
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  // Departments sit on a fixed circle; people fill the frame.
  const [minX, maxX, minY, maxY] = kind === "departments" ? [0, 1, 0, 1] : [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => pad + ((x - minX) / (maxX - minX || 1)) * (W - 2 * pad);
  const sy = (y: number) => pad + ((y - minY) / (maxY - minY || 1)) * (H - 2 * pad);
  const maxSize = Math.max(...nodes.map((n) => n.size), 1e-9);
  const radius = (size: number) => (kind === "departments" ? 7 + 15 * Math.sqrt(size / maxSize) : 4 + 8 * Math.sqrt(size / maxSize));
  const at = new Map(nodes.map((n) => [n.key, n]));
  const maxInteractions = Math.max(...edges.map((e) => e.interactions), 1);
  const widest = kind === "departments" ? 9 : 5;
  const labels = placeLabels(
    nodes.map((n) => ({ key: n.key, x: sx(n.x), y: sy(n.y), r: radius(n.size) + 1, text: n.named ? n.label : "", priority: n.size })),
    { width: W, height: H, fontSize: FONT },
  );
  const noun = kind === "departments" ? plural(nodes.length, "department") : plural(nodes.length, "person", "people");
  return (
    <figure className="network">
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-label={`${label}: ${noun}, ${plural(edges.length, "tie")}`} className="network__svg">
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
                strokeOpacity={0.35 + 0.45 * (e.interactions / maxInteractions)}
                strokeWidth={1 + (widest - 1) * (e.interactions / maxInteractions)}
                strokeLinecap="round"
              />
            );
          })}
        </g>
        {nodes.map((n) => {
          const st = (n.departmentId !== null && styleOf.get(n.departmentId)) || fallback;
          const title =
            kind === "departments"
              ? `${n.label}: ${plural(n.size, "person", "people")} in the network`
              : `${n.label} · ${n.department ?? "No team"} · reach ${n.size}`;
          return (
            <g key={n.key} className="network__node" tabIndex={0} role="img" aria-label={title}>
              <title>{title}</title>
              <ShapeMark shape={st.shape} x={sx(n.x)} y={sy(n.y)} r={radius(n.size)} fill={st.colour} />
            </g>
          );
        })}
        <g aria-hidden="true">
          {labels.map((l) => (
            <text key={l.key} x={l.x} y={l.y} textAnchor={l.anchor} fontSize={FONT} className="network__label">
              {l.text}
            </text>
          ))}
        </g>
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
        <p className="small muted">
          {kind === "departments"
            ? "One mark per department, bigger for more people; a thicker line means more interactions (comments, replies, support) between two departments."
            : "The strongest ties only: bigger marks have more reach; a thicker line means more interactions. Names that do not fit are in the list below; hover or focus a mark for its name."}
        </p>
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
