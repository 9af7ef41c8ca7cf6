/**
 * `npm run -s themes -- --in FILE [--k N] [--seed S] [--min-theme-size M]`
 *
 * Reads one text per line (FILE, or `-` for standard input) and prints JSON:
 *
 *   {"themes":[{"id","label","keywords","size","representatives":[line indexes]}],
 *    "assignments":[theme id for each line]}
 *
 * Line indexes start at 0. Themes come by decreasing size with ids 0, 1, ...;
 * texts that fit no theme (and blank lines) are in the theme with id -1,
 * labelled "Other", listed last when it is not empty. Without --k the engine
 * chooses the number of themes. `--stats` also prints k and timings to stderr.
 */
import { readFileSync } from "node:fs";
import { buildThemes } from "~/synthesis/themes";

function usage(message?: string): never {
  if (message) console.error(`themes: ${message}`);
  console.error("usage: npm run -s themes -- --in FILE [--k N] [--seed S] [--min-theme-size M] [--stats]");
  process.exit(2);
}

const args = process.argv.slice(2);
const options: { in?: string; k?: number; seed?: number; minThemeSize?: number; stats: boolean } = { stats: false };
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
  { k: options.k, seed: options.seed, minThemeSize: options.minThemeSize },
);
const seconds = (performance.now() - started) / 1000;

const out = {
  themes: result.themes.map((t) => ({
    id: t.id,
    label: t.label,
    keywords: t.keywords,
    size: t.size,
    representatives: t.representatives,
  })),
  assignments: result.assignments,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
if (options.stats) {
  const other = result.assignments.filter((a) => a === -1).length;
  console.error(
    `themes: ${lines.length} texts, k=${result.k} (${result.kChosenBy}), ${result.themes.filter((t) => t.id >= 0).length} themes, ` +
      `Other ${other} (${((100 * other) / Math.max(1, lines.length)).toFixed(1)} %), ${seconds.toFixed(2)} s`,
  );
}
