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

/**
 * The ideas on a 2-D map. Each theme's number (its rank on the page) sits at the middle of
 * its ideas, so the map reads without the legend; the legend repeats number, marker and name.
 */
export function ThemeMap({
  points,
  themes,
}: {
  points: { ideaId: number; themeId: number; x: number; y: number; title: string }[];
  /** In page order; Other (if any) last, with no number. */
  themes: { id: number; label: string; isOther?: boolean }[];
}) {
  if (points.length === 0) return null;
  const index = new Map(themes.map((t, i) => [t.id, i]));
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const W = 600;
  const H = 380;
  const pad = 16;
  // A flat spread (one idea, or ideas the map could not tell apart) sits in the middle, not on an edge.
  const sx = (x: number) => (maxX > minX ? pad + ((x - minX) / (maxX - minX)) * (W - 2 * pad) : W / 2);
  const sy = (y: number) => (maxY > minY ? pad + ((y - minY) / (maxY - minY)) * (H - 2 * pad) : H / 2);
  // Where each theme's number goes: the mean position of its ideas, kept inside the plot.
  const sums = new Map<number, { x: number; y: number; n: number }>();
  for (const p of points) {
    const s = sums.get(p.themeId) ?? { x: 0, y: 0, n: 0 };
    sums.set(p.themeId, { x: s.x + sx(p.x), y: s.y + sy(p.y), n: s.n + 1 });
  }
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return (
    <figure className="theme-map">
      <svg className="theme-map__plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="theme-map-caption">
        <rect x={0} y={0} width={W} height={H} fill="var(--c-surface)" />
        {points.map((p) => (
          <Marker key={p.ideaId} x={sx(p.x)} y={sy(p.y)} index={index.get(p.themeId) ?? 0} title={p.title} />
        ))}
        {themes.map((t, i) => {
          const s = sums.get(t.id);
          if (!s || t.isOther) return null;
          return (
            <text key={t.id} className="theme-map__label" x={clamp(s.x / s.n, 12, W - 12)} y={clamp(s.y / s.n, 14, H - 6)} textAnchor="middle" aria-hidden="true">
              {i + 1}
            </text>
          );
        })}
      </svg>
      <figcaption id="theme-map-caption" className="small muted">
        Each mark is an idea; ideas that say similar things sit close together. Marker shape and colour show the theme, and
        each theme’s number sits in the middle of its ideas.
      </figcaption>
      <ol className="theme-legend list-plain" aria-label="Themes on the map">
        {themes.map((t, i) => (
          <li key={t.id}>
            <svg className="theme-legend__marker" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
              <Marker x={7} y={7} index={i} />
            </svg>{" "}
            {t.isOther ? t.label : `${i + 1}. ${t.label}`}
          </li>
        ))}
      </ol>
    </figure>
  );
}

/**
 * Ideas per day of the jam as small bars, labelled: the first and last day under the bars and,
 * in words, the busiest day (the same words are the chart's accessible name).
 */
export function Timeline({ series, label }: { series: number[]; label: string }) {
  const max = Math.max(1, ...series);
  const busiest = series.indexOf(Math.max(...series));
  const W = 160;
  const H = 32;
  const w = W / Math.max(1, series.length);
  const words =
    series.length === 0 || series[busiest] === 0
      ? "No ideas yet"
      : `Ideas per day over ${series.length} ${series.length === 1 ? "day" : "days"}; most on day ${busiest + 1} (${series[busiest]})`;
  return (
    <figure className="timeline">
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${words}`}>
        <line x1={0} y1={H - 0.5} x2={W} y2={H - 0.5} stroke="var(--c-border)" />
        {series.map((n, i) => (
          <rect key={i} x={i * w + 1} y={H - 1 - (n / max) * (H - 3)} width={Math.max(1, w - 2)} height={(n / max) * (H - 3)} fill="var(--c-brand)" fillOpacity={i === busiest ? 1 : 0.55} />
        ))}
      </svg>
      <div className="timeline__axis" aria-hidden="true">
        <span>Day 1</span>
        {series.length > 1 ? <span>Day {series.length}</span> : null}
      </div>
      <figcaption className="timeline__caption">{words}</figcaption>
    </figure>
  );
}
