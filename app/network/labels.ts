/**
 * Label placement for the drawings: each mark's label goes right of, left of,
 * above or below it, at the first of those spots that stays inside the frame
 * and touches no placed label and no mark; a label with no free spot is left
 * out (the drawing's list names everyone). Most important first. Pure.
 */

export interface LabelMark {
  key: number;
  /** Centre and radius of the mark, in drawing units. */
  x: number;
  y: number;
  r: number;
  text: string;
  /** Higher is placed first. */
  priority: number;
}

export interface PlacedLabel {
  key: number;
  text: string;
  /** Text anchor point (baseline) and alignment, as SVG wants them. */
  x: number;
  y: number;
  anchor: "start" | "middle" | "end";
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelOptions {
  width: number;
  height: number;
  fontSize: number;
  /** Average glyph width as a share of the font size (a safe over-estimate by default). */
  charWidth?: number;
  gap?: number;
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The box a label covers: the text's estimated extent. */
export function labelBox(label: PlacedLabel, options: LabelOptions): Box {
  const w = label.text.length * options.fontSize * (options.charWidth ?? 0.62);
  const left = label.anchor === "start" ? label.x : label.anchor === "end" ? label.x - w : label.x - w / 2;
  return { left, right: left + w, top: label.y - options.fontSize * 0.85, bottom: label.y + options.fontSize * 0.25 };
}

export function placeLabels(marks: readonly LabelMark[], options: LabelOptions): PlacedLabel[] {
  const gap = options.gap ?? 3;
  const f = options.fontSize;
  const markBoxes = marks.map((m) => ({ key: m.key, box: { left: m.x - m.r, right: m.x + m.r, top: m.y - m.r, bottom: m.y + m.r } }));
  const taken: Box[] = [];
  const placed: PlacedLabel[] = [];
  const order = [...marks].sort((a, b) => b.priority - a.priority || a.key - b.key);
  for (const m of order) {
    if (!m.text) continue;
    const candidates: PlacedLabel[] = [
      { key: m.key, text: m.text, x: m.x + m.r + gap, y: m.y + f * 0.3, anchor: "start" },
      { key: m.key, text: m.text, x: m.x - m.r - gap, y: m.y + f * 0.3, anchor: "end" },
      { key: m.key, text: m.text, x: m.x, y: m.y - m.r - gap - f * 0.25, anchor: "middle" },
      { key: m.key, text: m.text, x: m.x, y: m.y + m.r + gap + f * 0.85, anchor: "middle" },
    ];
    for (const c of candidates) {
      const box = labelBox(c, options);
      const inside = box.left >= 0 && box.top >= 0 && box.right <= options.width && box.bottom <= options.height;
      if (!inside || taken.some((t) => overlaps(t, box)) || markBoxes.some((o) => overlaps(o.box, box))) continue;
      taken.push(box);
      placed.push(c);
      break;
    }
  }
  return placed;
}

export const boxesOverlap = overlaps;
