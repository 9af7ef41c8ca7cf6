/**
 * A word-level diff between two versions of a text, for an idea's or a comment's history.
 * Pure. Texts are cut into words and the spaces between them (any script: a "word" is a run
 * of characters that are not white space, so accents, CJK and emoji come through whole), the
 * common start and end are taken off, and the middle is compared with Myers' O(ND) algorithm.
 *
 * Bounded: at most DIFF_LIMITS.tokens tokens per side are compared and the search stops at
 * DIFF_LIMITS.edits edits; past either bound the changed middle is shown as one removal and one
 * insertion. A huge or wholly rewritten text therefore costs milliseconds, never seconds.
 */

export type DiffOp = { kind: "same" | "added" | "removed"; text: string };

export const DIFF_LIMITS = { tokens: 20_000, edits: 1_000 } as const;

/** Words and the white space between them, in order; joining them gives the text back. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|\S+/gu) ?? [];
}

function push(ops: DiffOp[], kind: DiffOp["kind"], text: string) {
  if (text === "") return;
  const last = ops.at(-1);
  if (last && last.kind === kind) last.text += text;
  else ops.push({ kind, text });
}

/**
 * The edit script between `a` and `b` (Myers), or null when it needs more than `maxEdits`
 * edits. Keeps only the frontier of each step (2d+1 numbers), so memory is O(D²).
 */
function myers(a: string[], b: string[], maxEdits: number): DiffOp[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const trace: Int32Array[] = [];
  let v = new Int32Array(3); // v[k + d + 1] for d = 0: only k = 0
  let found = -1;
  for (let d = 0; d <= max; d++) {
    const next = new Int32Array(2 * d + 3);
    const offPrev = d; // index of k in v is k + (d - 1) + 1 = k + d
    const offNext = d + 1;
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[k - 1 + offPrev] ?? -1) < (v[k + 1 + offPrev] ?? -1));
      let x = d === 0 ? 0 : down ? v[k + 1 + offPrev]! : v[k - 1 + offPrev]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[k + offNext] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(next);
    v = next;
    if (found >= 0) break;
  }
  if (found < 0) return null;

  // Walk back through the frontiers to recover the script.
  const steps: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d - 1]!;
    const off = d; // prev holds k at k + (d - 1) + 1
    const k = x - y;
    const down = k === -d || (k !== d && prev[k - 1 + off]! < prev[k + 1 + off]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[prevK + off]!;
    const prevY = prevX - prevK;
    while (x > (down ? prevX : prevX + 1) && y > (down ? prevY + 1 : prevY)) {
      steps.push({ kind: "same", text: a[--x]! });
      y--;
    }
    if (down) steps.push({ kind: "added", text: b[--y]! });
    else steps.push({ kind: "removed", text: a[--x]! });
  }
  while (x > 0 && y > 0) {
    steps.push({ kind: "same", text: a[--x]! });
    y--;
  }
  steps.reverse();
  return steps;
}

/** Removals before insertions within a changed stretch, neighbours of one kind joined. */
function tidy(steps: DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    push(out, "removed", removed);
    push(out, "added", added);
    removed = "";
    added = "";
  };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.kind === "same") {
      // White space alone between two changes reads better inside the change ("-a b +x y", not "-a +x ␣ -b +y").
      const between = removed !== "" && added !== "" && /^\s+$/u.test(s.text) && steps[i + 1] && steps[i + 1]!.kind !== "same";
      if (between) {
        removed += s.text;
        added += s.text;
        continue;
      }
      flush();
      push(out, "same", s.text);
    } else if (s.kind === "removed") removed += s.text;
    else added += s.text;
  }
  flush();
  return out;
}

/** The word-level difference from `before` to `after`: joining the same and added parts gives `after`. */
export function wordDiff(before: string, after: string, limits: { tokens: number; edits: number } = DIFF_LIMITS): DiffOp[] {
  if (before === after) return before === "" ? [] : [{ kind: "same", text: before }];
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffOp[] = [];
  push(ops, "same", a.slice(0, start).join(""));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const script = midA.length <= limits.tokens && midB.length <= limits.tokens ? myers(midA, midB, limits.edits) : null;
  if (script) {
    for (const op of tidy(script)) push(ops, op.kind, op.text);
  } else {
    push(ops, "removed", midA.join(""));
    push(ops, "added", midB.join(""));
  }
  push(ops, "same", a.slice(endA).join(""));
  return ops;
}

/** How much changed, in words: for a one-line summary ("+12 −3 words"). */
export function diffStats(ops: DiffOp[]): { added: number; removed: number } {
  const words = (text: string) => (text.match(/\S+/gu) ?? []).length;
  let added = 0;
  let removed = 0;
  for (const op of ops) {
    if (op.kind === "added") added += words(op.text);
    if (op.kind === "removed") removed += words(op.text);
  }
  return { added, removed };
}

/** The text before the change, from a diff (for tests and checks): same and removed parts. */
export function diffBefore(ops: DiffOp[]): string {
  return ops.filter((o) => o.kind !== "added").map((o) => o.text).join("");
}

/** The text after the change: same and added parts. */
export function diffAfter(ops: DiffOp[]): string {
  return ops.filter((o) => o.kind !== "removed").map((o) => o.text).join("");
}
