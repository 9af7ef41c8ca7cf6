/**
 * Theme engine benchmark: `npm run bench:themes`.
 *
 * Quality on the three labelled sets in ../shared/datasets (see each README): StackOverflow
 * titles (20,000, 20 tags), GoogleNews titles (11,108, 152 long-tailed events) and AG News
 * (8,000 articles, 4 classes). For each: the engine choosing both levels itself, the engine
 * with the finest level's count given (the true count), three seeds each, beside scikit-learn's
 * TfidfVectorizer + KMeans at the true count (n_init = 10). NMI and ACC of the finest level;
 * "Other" counts as a cluster of its own, so a run cannot score by setting hard texts aside.
 * Beside the figures, the issue's bars: the finest count within half to twice the true count,
 * its NMI within 3 points of the engine's with the count given, 5 to 25 top-level themes.
 *
 * Speed: 20,000 and 50,000 texts (StackOverflow titles and seeded variants), two levels and
 * one, beside scikit-learn, through Debian's python3-sklearn (/usr/bin/python3, never the first
 * python3 on PATH). When sklearn is missing: installed with apt-get as root on Debian, otherwise
 * the comparison is skipped with a hint.
 *
 * Figures, not assertions: exit status 0 unless a data set is missing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { buildThemes, OTHER_ID, type ThemeResult } from "~/synthesis/themes";
import { clusteringAccuracy, nmi } from "~/synthesis/metrics";
import { mulberry32, randomInt } from "~/synthesis/rng";

const DATASETS = resolve(process.env.DATASETS_DIR ?? "../shared/datasets");
const TMP = resolve("tests/.tmp/bench/themes");
const PYTHON = "/usr/bin/python3";
const SKLEARN_SCRIPT = resolve("tests/bench/themes_sklearn.py");
const SEEDS = [1, 2, 3];
const started = performance.now();

const log = (line = "") => console.log(line);
const pct = (v: number) => (100 * v).toFixed(1);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface DataSet {
  name: string;
  texts: string[];
  labels: number[];
  trueK: number;
}

const SETS: { name: string; dir: string; file: string }[] = [
  { name: "StackOverflow titles", dir: "stackoverflow-titles", file: "titles.txt" },
  { name: "GoogleNews titles", dir: "googlenews-titles", file: "titles.txt" },
  { name: "AG News 8,000", dir: "agnews-8000", file: "texts.txt" },
];

function loadSet(set: (typeof SETS)[number]): DataSet {
  const textsFile = join(DATASETS, set.dir, set.file);
  if (!existsSync(textsFile)) {
    console.error(`bench:themes: no ${textsFile} (set DATASETS_DIR to the folder holding the shared data sets)`);
    process.exit(1);
  }
  const texts = readFileSync(textsFile, "utf8").split("\n");
  if (texts[texts.length - 1] === "") texts.pop();
  const labels = readFileSync(join(DATASETS, set.dir, "labels.txt"), "utf8").trim().split("\n").map(Number);
  if (texts.length !== labels.length) throw new Error(`${set.name}: texts (${texts.length}) and labels (${labels.length}) differ`);
  return { name: set.name, texts, labels, trueK: new Set(labels).size };
}

/**
 * 50,000 texts: the 20,000 titles, then 30,000 light variants of them (title
 * i mod 20,000, with one word dropped when it has four or more words, and two
 * neighbouring words swapped half of the time), seeded; labels carry over.
 */
function makeLarger(texts: string[], labels: number[], total: number): { texts: string[]; labels: number[] } {
  const rng = mulberry32(50_000);
  const outTexts = texts.slice();
  const outLabels = labels.slice();
  for (let i = 0; outTexts.length < total; i++) {
    const src = i % texts.length;
    const words = texts[src]!.split(/\s+/).filter(Boolean);
    if (words.length >= 4) words.splice(randomInt(rng, words.length), 1);
    if (words.length >= 2 && rng() < 0.5) {
      const j = randomInt(rng, words.length - 1);
      [words[j], words[j + 1]] = [words[j + 1]!, words[j]!];
    }
    outTexts.push(words.join(" "));
    outLabels.push(labels[src]!);
  }
  return { texts: outTexts, labels: outLabels };
}

interface Run {
  result: ThemeResult<number>;
  wallMs: number;
  cpuMs: number;
}

function runEngine(texts: string[], k: number | undefined, seed: number, levels: 1 | 2 = 2): Run {
  const docs = texts.map((text, id) => ({ id, text }));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = buildThemes(docs, { k, seed, levels });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function scores(labels: number[], assignments: number[]) {
  const other = assignments.filter((a) => a === OTHER_ID).length;
  return { nmi: nmi(labels, assignments), acc: clusteringAccuracy(labels, assignments), otherShare: other / assignments.length };
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** "best / median" of wall-clock times in ms (the best is the least disturbed by other load). */
function timing(ms: number[]): string {
  return `${secs(Math.min(...ms))} / ${secs(median(ms))}`;
}

// --- scikit-learn -----------------------------------------------------------

function sklearnAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ["-c", "import sklearn"], { stdio: "ignore" }).status === 0;
}

function ensureSklearn(): boolean {
  if (sklearnAvailable()) return true;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (root && existsSync("/etc/debian_version") && existsSync("/usr/bin/apt-get")) {
    log("scikit-learn missing for /usr/bin/python3: apt-get update && apt-get install -y python3-sklearn ...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const update = spawnSync("apt-get", ["update"], { stdio: "ignore", env });
    const install = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "python3-sklearn"], { stdio: "ignore", env }) : update;
    if (install.status === 0 && sklearnAvailable()) return true;
    log("  install failed; continuing without the scikit-learn comparison.");
    return false;
  }
  log("scikit-learn is not installed for /usr/bin/python3; skipping the comparison.");
  log("  To compare: (as root, on Debian) apt-get update && apt-get install -y python3-sklearn");
  return false;
}

interface SklearnRun {
  nmi: number;
  acc: number;
  totalS: number;
  vectorizeS: number;
  kmeansS: number;
  features: number;
  version: string;
}

/** `threads`: OMP_NUM_THREADS for KMeans (default: scikit-learn's own choice, every core). */
function runSklearn(texts: string[], labels: number[], name: string, k: number, seed = 0, threads?: number): SklearnRun {
  mkdirSync(TMP, { recursive: true });
  const textsFile = join(TMP, `${name}.txt`);
  const outFile = join(TMP, `${name}.labels`);
  writeFileSync(textsFile, texts.join("\n") + "\n");
  const stdout = execFileSync(
    PYTHON,
    [SKLEARN_SCRIPT, "--texts", textsFile, "--out", outFile, "--k", String(k), "--n-init", "10", "--seed", String(seed)],
    { encoding: "utf8", env: { ...process.env, PYTHONWARNINGS: "ignore", ...(threads ? { OMP_NUM_THREADS: String(threads) } : {}) } },
  );
  const info = JSON.parse(stdout.trim().split("\n").pop()!) as {
    total_s: number;
    vectorize_s: number;
    kmeans_s: number;
    features: number;
    sklearn: string;
  };
  const predicted = readFileSync(outFile, "utf8").trim().split("\n").map(Number);
  return {
    nmi: nmi(labels, predicted),
    acc: clusteringAccuracy(labels, predicted),
    totalS: info.total_s,
    vectorizeS: info.vectorize_s,
    kmeansS: info.kmeans_s,
    features: info.features,
    version: info.sklearn,
  };
}

// --- main ------------------------------------------------------------------

const sets = SETS.map(loadSet);
log(`Theme engine benchmark — Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
log(`NMI and ACC are of the finest level; "Other" (id ${OTHER_ID}) counts as a cluster of its own.`);
log("");

// Warm-up on a slice, so JIT compilation is not timed.
buildThemes(sets[0]!.texts.slice(0, 2000).map((text, id) => ({ id, text })), { k: 10, seed: 9 });

const hasSklearn = ensureSklearn();
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const mark = (ok: boolean) => (ok ? "yes" : "NO");
const verdicts: string[] = [];
let so20k: { auto: number[]; fixed: number[]; autoNmi: number[]; fixedNmi: number[]; sk: SklearnRun[] } | null = null;

for (const set of sets) {
  log(`${set.name}: ${set.texts.length.toLocaleString("en")} texts, ${set.trueK} true topics (three seeds; time = wall clock)`);
  log("config               seed  finest  top   NMI    ACC  Other %     time");
  const auto = { nmi: [] as number[], acc: [] as number[], finest: [] as number[], top: [] as number[], wall: [] as number[] };
  const fixed = { nmi: [] as number[], acc: [] as number[], wall: [] as number[] };
  for (const seed of SEEDS) {
    const a = runEngine(set.texts, undefined, seed);
    const sa = scores(set.labels, a.result.assignments);
    const finest = a.result.themes.filter((t) => t.id !== OTHER_ID).length;
    auto.nmi.push(sa.nmi);
    auto.acc.push(sa.acc);
    auto.finest.push(finest);
    auto.top.push(a.result.parents.length);
    auto.wall.push(a.wallMs);
    log(
      `${"engine, chooses".padEnd(20)} ${String(seed).padStart(4)} ${String(finest).padStart(7)} ${String(a.result.parents.length).padStart(4)}` +
        `  ${pct(sa.nmi).padStart(5)}  ${pct(sa.acc).padStart(5)}  ${pct(sa.otherShare).padStart(7)}  ${secs(a.wallMs).padStart(7)}`,
    );
  }
  for (const seed of SEEDS) {
    const f = runEngine(set.texts, set.trueK, seed);
    const sf = scores(set.labels, f.result.assignments);
    fixed.nmi.push(sf.nmi);
    fixed.acc.push(sf.acc);
    fixed.wall.push(f.wallMs);
    log(
      `${`engine, k=${set.trueK}`.padEnd(20)} ${String(seed).padStart(4)} ${String(f.result.themes.filter((t) => t.id !== OTHER_ID).length).padStart(7)} ${String(f.result.parents.length).padStart(4)}` +
        `  ${pct(sf.nmi).padStart(5)}  ${pct(sf.acc).padStart(5)}  ${pct(sf.otherShare).padStart(7)}  ${secs(f.wallMs).padStart(7)}`,
    );
  }
  const sk: SklearnRun[] = [];
  if (hasSklearn) {
    for (const seed of [0, 1, 2]) {
      const r = runSklearn(set.texts, set.labels, `${set.trueK}-${seed}`, set.trueK, seed);
      sk.push(r);
      log(
        `${`sklearn, k=${set.trueK}`.padEnd(20)} ${String(seed).padStart(4)} ${String(set.trueK).padStart(7)} ${"".padStart(4)}` +
          `  ${pct(r.nmi).padStart(5)}  ${pct(r.acc).padStart(5)}  ${"0.0".padStart(7)}  ${secs(r.totalS * 1000).padStart(7)}  (sklearn ${r.version})`,
      );
    }
  }
  const countOk = auto.finest.every((c) => c >= set.trueK / 2 && c <= set.trueK * 2);
  const nmiOk = mean(fixed.nmi) - mean(auto.nmi) <= 0.03;
  const topOk = auto.top.every((c) => c >= 5 && c <= 25);
  log(
    `  means: chooses NMI ${pct(mean(auto.nmi))} ACC ${pct(mean(auto.acc))} (finest ${auto.finest.join("/")}, top ${auto.top.join("/")}, ${timing(auto.wall)});` +
      ` k=${set.trueK} NMI ${pct(mean(fixed.nmi))} ACC ${pct(mean(fixed.acc))} (${timing(fixed.wall)})` +
      (sk.length ? `; sklearn NMI ${pct(mean(sk.map((r) => r.nmi)))} ACC ${pct(mean(sk.map((r) => r.acc)))}` : ""),
  );
  const verdict =
    `${set.name.padEnd(22)} finest count within ${set.trueK / 2}..${set.trueK * 2}: ${mark(countOk)} · NMI within 3 points of k given ` +
    `(${pct(mean(auto.nmi))} vs ${pct(mean(fixed.nmi))}): ${mark(nmiOk)} · top level 5..25: ${mark(topOk)}`;
  verdicts.push(verdict);
  log("");
  if (set.name.startsWith("StackOverflow")) so20k = { auto: auto.wall, fixed: fixed.wall, autoNmi: auto.nmi, fixedNmi: fixed.nmi, sk };
}
log("Against the bars (figures, not assertions):");
for (const v of verdicts) log(`  ${v}`);

// --- speed at 20k and 50k ----------------------------------------------------

log("");
log("Speed, wall clock, best / median of the runs (the engine is single-threaded; scikit-learn's KMeans uses every core,");
log("and on a busy machine its threads suffer most: compare the best times).");
const so = sets[0]!;
const larger = makeLarger(so.texts, so.labels, 50_000);
log("50,000 texts = the 20,000 StackOverflow titles + 30,000 variants (title i mod 20,000 with one word dropped if it has");
log("4+ words and, half the time, two neighbouring words swapped; seed 50000); labels carry over.");
log("texts   engine, two levels chosen    engine, one level chosen     engine k=20                sklearn k=20, n_init=10 (all cores | one thread)");
for (const [size, set] of [
  [20_000, { texts: so.texts, labels: so.labels }],
  [50_000, larger],
] as const) {
  const two = { wall: [] as number[], nmi: [] as number[] };
  const one = { wall: [] as number[], nmi: [] as number[] };
  const fixed = { wall: [] as number[], nmi: [] as number[] };
  if (size === 20_000 && so20k) {
    two.wall.push(...so20k.auto);
    two.nmi.push(...so20k.autoNmi);
    fixed.wall.push(...so20k.fixed);
    fixed.nmi.push(...so20k.fixedNmi);
  } else {
    for (const seed of [1, 2]) {
      const a = runEngine(set.texts, undefined, seed);
      two.wall.push(a.wallMs);
      two.nmi.push(scores(set.labels, a.result.assignments).nmi);
      const f = runEngine(set.texts, 20, seed);
      fixed.wall.push(f.wallMs);
      fixed.nmi.push(scores(set.labels, f.result.assignments).nmi);
    }
  }
  for (const seed of [1, 2]) {
    const o = runEngine(set.texts, undefined, seed, 1);
    one.wall.push(o.wallMs);
    one.nmi.push(scores(set.labels, o.result.assignments).nmi);
  }
  let skText = "skipped (no scikit-learn)";
  if (hasSklearn) {
    const runs = size === 20_000 && so20k?.sk.length ? so20k.sk : [0, 1].map((seed) => runSklearn(set.texts, set.labels, `so${size}-${seed}`, 20, seed));
    const best = runs.reduce((a, b) => (b.totalS < a.totalS ? b : a));
    const single = [0, 1].map((seed) => runSklearn(set.texts, set.labels, `so${size}-1t-${seed}`, 20, seed, 1));
    skText =
      `${timing(runs.map((r) => r.totalS * 1000))} | ${timing(single.map((r) => r.totalS * 1000))} NMI ${pct(mean(runs.map((r) => r.nmi)))}` +
      ` (best: vectorise ${best.vectorizeS.toFixed(2)} s + k-means ${best.kmeansS.toFixed(2)} s, ${best.features} features)`;
  }
  log(
    `${String(size).padStart(6)}   ${timing(two.wall)} NMI ${pct(mean(two.nmi))}   ${timing(one.wall)} NMI ${pct(mean(one.nmi))}   ${timing(fixed.wall)} NMI ${pct(mean(fixed.nmi))}   ${skText}`,
  );
}
log("(NMI: mean over the runs; 20,000 row: the quality runs above, plus two one-level runs; one thread = OMP_NUM_THREADS=1, two runs.)");

rmSync(TMP, { recursive: true, force: true });
log("");
log(`Total ${secs(performance.now() - started)}; load average now ${loadavg()[0]!.toFixed(2)}.`);
