/**
 * `npm run -s themes -- --in FILE [--k N] [--levels 1|2] [--seed S] [--min-theme-size M] [--stats]`
 *
 * Reads one text per line (FILE, or `-` for standard input) and prints JSON:
 *
 *   {"themes":[{"id","parentId","label","keywords","size","representatives":[line indexes]}],
 *    "assignments":[finest-level theme id for each line],
 *    "levels", "k", "topK", "kChosenBy", "candidates":[{"k","score"}]}
 *
 * Line indexes start at 0. `assignments` are the finest level: themes 0, 1, ... by decreasing
 * size, -1 ("Other") for texts that fit no theme and blank lines. With two levels (the default)
 * each finest theme's `parentId` is a top-level theme, listed after them with ids continuing
 * from theirs and `parentId` null (a top-level theme with one sub-theme has the same members);
 * Other's is null. `--levels 1`: one flat level, every `parentId` null. Without --k the engine
 * chooses both counts; `--k N` fixes the finest level's. `candidates` are the stability scores
 * the counts were chosen from. `--stats` also prints counts and timings to stderr.
 */
import { readFileSync } from "node:fs";
import { buildThemes } from "~/synthesis/themes";

function usage(message?: string): never {
  if (message) console.error(`themes: ${message}`);
  console.error("usage: npm run -s themes -- --in FILE [--k N] [--levels 1|2] [--seed S] [--min-theme-size M] [--stats]");
  process.exit(2);
}

const args = process.argv.slice(2);
const options: { in?: string; k?: number; seed?: number; minThemeSize?: number; levels: 1 | 2; stats: boolean } = { stats: false, levels: 2 };
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  const value = () => {
    const v = args[++i];
    if (v === undefined) usage(`${arg} needs a value`);
    return v;
  };
  const integer = (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n)) usage(`${arg} needs an integer, got "${v}"`);
    return n;
  };
  if (arg === "--in") options.in = value();
  else if (arg === "--k") options.k = integer(value());
  else if (arg === "--seed") options.seed = integer(value());
  else if (arg === "--levels") {
    const levels = integer(value());
    if (levels !== 1 && levels !== 2) usage("--levels must be 1 or 2");
    options.levels = levels;
  }
  else if (arg === "--min-theme-size") options.minThemeSize = integer(value());
  else if (arg === "--stats") options.stats = true;
  else if (arg === "--help" || arg === "-h") usage();
  else usage(`unknown argument ${arg}`);
}
if (!options.in) usage("--in FILE is required");
if (options.k !== undefined && options.k < 1) usage("--k must be at least 1");

const raw = readFileSync(options.in === "-" ? 0 : options.in, "utf8");
const lines = raw.split(/\r?\n/);
if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();

const started = performance.now();
const result = buildThemes(
  lines.map((text, id) => ({ id, text })),
  { k: options.k, seed: options.seed, minThemeSize: options.minThemeSize, levels: options.levels },
);
const seconds = (performance.now() - started) / 1000;

const out = {
  themes: [
    ...result.themes.map((t) => ({
      id: t.id,
      parentId: t.parentId,
      label: t.label,
      keywords: t.keywords,
      size: t.size,
      representatives: t.representatives,
    })),
    ...result.parents.map((p) => ({
      id: p.id,
      parentId: null,
      label: p.label,
      keywords: p.keywords,
      size: p.size,
      representatives: p.representatives,
    })),
  ],
  assignments: result.assignments,
  levels: result.parents.length > 0 ? 2 : 1,
  k: result.k,
  topK: result.parents.length,
  kChosenBy: result.kChosenBy,
  candidates: result.stability.map((c) => ({ k: c.k, score: Math.round(c.score * 1e4) / 1e4 })),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
if (options.stats) {
  const other = result.assignments.filter((a) => a === -1).length;
  console.error(
    `themes: ${lines.length} texts, k=${result.k} (${result.kChosenBy}), ${result.themes.filter((t) => t.id >= 0).length} themes` +
      `${result.parents.length > 0 ? ` in ${result.parents.length} top-level themes` : ""}, ` +
      `Other ${other} (${((100 * other) / Math.max(1, lines.length)).toFixed(1)} %), ${seconds.toFixed(2)} s`,
  );
}
