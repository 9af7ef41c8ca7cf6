/**
 * The ideas on a 2-D map, coloured by theme and, so that colour is never the
 * only cue, drawn with a different marker shape per theme (the legend repeats
 * both with the theme's name).
 */
const COLOURS = ["#5b3cc4", "#e8590c", "#0f8b8d", "#c2255c", "#0b7a43", "#d4a017", "#1f6feb", "#8a5a00", "#6b7280", "#9333ea"];
const SHAPES = ["circle", "square", "triangle", "diamond", "cross"] as const;

/** Colour and shape of the n-th theme; past ten themes the colours repeat with a shifted shape. */
export function themeStyle(index: number) {
  const round = Math.floor(index / COLOURS.length);
  return { colour: COLOURS[index % COLOURS.length]!, shape: SHAPES[(index + round) % SHAPES.length]! };
}

function Marker({ x, y, index, title }: { x: number; y: number; index: number; title?: string }) {
  const { colour, shape } = themeStyle(index);
  const r = 3.2;
  const t = title ? <title>{title}</title> : null;
  switch (shape) {
    case "square":
      return (
        <rect x={x - r} y={y - r} width={r * 2} height={r * 2} fill={colour}>
          {t}
        </rect>
      );
    case "triangle":
      return (
        <polygon points={`${x},${y - r * 1.2} ${x - r * 1.1},${y + r} ${x + r * 1.1},${y + r}`} fill={colour}>
          {t}
        </polygon>
      );
    case "diamond":
      return (
        <polygon points={`${x},${y - r * 1.3} ${x + r * 1.3},${y} ${x},${y + r * 1.3} ${x - r * 1.3},${y}`} fill={colour}>
          {t}
        </polygon>
      );
    case "cross":
      return (
        <path d={`M${x - r} ${y - r}L${x + r} ${y + r}M${x + r} ${y - r}L${x - r} ${y + r}`} stroke={colour} strokeWidth={2}>
          {t}
        </path>
      );
    default:
      return (
        <circle cx={x} cy={y} r={r} fill={colour}>
          {t}
        </circle>
      );
  }
}

export function ThemeMap({
  points,
  themes,
}: {
  points: { ideaId: number; themeId: number; x: number; y: number; title: string }[];
  themes: { id: number; label: string }[];
}) {
  if (points.length === 0) return null;
  const index = new Map(themes.map((t, i) => [t.id, i]));
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const W = 600;
  const H = 380;
  const pad = 12;
  const sx = (x: number) => pad + ((x - minX) / (maxX - minX || 1)) * (W - 2 * pad);
  const sy = (y: number) => pad + ((y - minY) / (maxY - minY || 1)) * (H - 2 * pad);
  return (
    <figure className="theme-map">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="theme-map-caption">
        <rect x={0} y={0} width={W} height={H} fill="var(--c-surface)" />
        {points.map((p) => (
          <Marker key={p.ideaId} x={sx(p.x)} y={sy(p.y)} index={index.get(p.themeId) ?? 0} title={p.title} />
        ))}
      </svg>
      <figcaption id="theme-map-caption" className="small muted">
        Each mark is an idea; ideas that say similar things sit close together. Marker shape and colour show the theme.
      </figcaption>
      <ul className="theme-legend list-plain">
        {themes.map((t, i) => (
          <li key={t.id}>
            <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
              <Marker x={7} y={7} index={i} />
            </svg>{" "}
            {t.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** A tiny bar chart of ideas per day, with its numbers for screen readers. */
export function Timeline({ series, label }: { series: number[]; label: string }) {
  const max = Math.max(1, ...series);
  const W = 120;
  const H = 28;
  const w = W / Math.max(1, series.length);
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ideas per day ${series.join(", ")}`}>
      {series.map((n, i) => (
        <rect key={i} x={i * w + 1} y={H - (n / max) * (H - 2)} width={Math.max(1, w - 2)} height={(n / max) * (H - 2)} fill="var(--c-brand)" />
      ))}
    </svg>
  );
}
