/**
 * Theme engine benchmark: `npm run bench:themes`.
 *
 * Quality on the StackOverflow titles set (20,000 titles, 20 tags; see
 * shared/datasets/stackoverflow-titles/README.md): NMI and ACC (Hungarian
 * matching) with the engine choosing k and with k = 20, over three seeds.
 * "Other" counts as a cluster of its own, so a run cannot score by setting hard
 * texts aside; the share that went to Other is printed.
 *
 * Speed at 20,000 and 50,000 texts, beside scikit-learn's TfidfVectorizer +
 * KMeans (k = 20, n_init = 10) on the same texts in the same run, through
 * Debian's python3-sklearn (/usr/bin/python3, never the first python3 on PATH).
 * When sklearn is missing: installed with apt-get as root on Debian, otherwise
 * the comparison is skipped with a hint.
 *
 * Figures, not assertions: exit status 0 unless the data set is missing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { buildThemes, OTHER_ID, type ThemeResult } from "~/synthesis/themes";
import { clusteringAccuracy, nmi } from "~/synthesis/metrics";
import { mulberry32, randomInt } from "~/synthesis/rng";

const DATA = resolve(process.env.SO_TITLES_DIR ?? "../shared/datasets/stackoverflow-titles");
const FALLBACK = "/work/shared/datasets/stackoverflow-titles";
const TMP = resolve("tests/.tmp/bench/themes");
const PYTHON = "/usr/bin/python3";
const SKLEARN_SCRIPT = resolve("tests/bench/themes_sklearn.py");
const SEEDS = [1, 2, 3];
const started = performance.now();

const log = (line = "") => console.log(line);
const pct = (v: number) => (100 * v).toFixed(1);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function loadData(): { texts: string[]; labels: number[] } {
  const dir = existsSync(join(DATA, "titles.txt")) ? DATA : FALLBACK;
  if (!existsSync(join(dir, "titles.txt"))) {
    console.error(`bench:themes: no titles.txt in ${DATA} (set SO_TITLES_DIR)`);
    process.exit(1);
  }
  const texts = readFileSync(join(dir, "titles.txt"), "utf8").split("\n");
  if (texts[texts.length - 1] === "") texts.pop();
  const labels = readFileSync(join(dir, "labels.txt"), "utf8").trim().split("\n").map(Number);
  if (texts.length !== labels.length) throw new Error(`titles (${texts.length}) and labels (${labels.length}) differ`);
  return { texts, labels };
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

function runEngine(texts: string[], k: number | undefined, seed: number): Run {
  const docs = texts.map((text, id) => ({ id, text }));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = buildThemes(docs, { k, seed });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function scores(labels: number[], assignments: number[]) {
  const other = assignments.filter((a) => a === OTHER_ID).length;
  const kept = assignments.map((a, i) => [a, labels[i]!] as const).filter(([a]) => a !== OTHER_ID);
  return {
    nmi: nmi(labels, assignments),
    acc: clusteringAccuracy(labels, assignments),
    otherShare: other / assignments.length,
    nmiKept: nmi(
      kept.map(([, l]) => l),
      kept.map(([a]) => a),
    ),
  };
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
function runSklearn(texts: string[], labels: number[], name: string, seed = 0, threads?: number): SklearnRun {
  mkdirSync(TMP, { recursive: true });
  const textsFile = join(TMP, `${name}.txt`);
  const outFile = join(TMP, `${name}.labels`);
  writeFileSync(textsFile, texts.join("\n") + "\n");
  const stdout = execFileSync(
    PYTHON,
    [SKLEARN_SCRIPT, "--texts", textsFile, "--out", outFile, "--k", "20", "--n-init", "10", "--seed", String(seed)],
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

const { texts, labels } = loadData();
log(`Theme engine benchmark — Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
log(`Data: ${texts.length} StackOverflow titles, ${new Set(labels).size} tags.`);
log(`NMI and ACC count "Other" (id ${OTHER_ID}) as a cluster of its own; "NMI w/o Other" is on the texts not set aside.`);
log("");

// Warm-up on a slice, so JIT compilation is not timed.
buildThemes(texts.slice(0, 2000).map((text, id) => ({ id, text })), { k: 10, seed: 9 });

const hasSklearn = ensureSklearn();

log("Quality, 20,000 titles (three seeds; time = wall clock, CPU = this process's user+system)");
log("config        seed   k  themes   NMI    ACC  Other %  NMI w/o Other   time     CPU");
const summary: Record<string, { nmi: number[]; acc: number[]; other: number[]; wall: number[]; themes: number[] }> = {};
for (const [name, k] of [
  ["engine auto-k", undefined],
  ["engine k=20", 20],
] as const) {
  summary[name] = { nmi: [], acc: [], other: [], wall: [], themes: [] };
  for (const seed of SEEDS) {
    const run = runEngine(texts, k, seed);
    const s = scores(labels, run.result.assignments);
    const themeCount = run.result.themes.filter((t) => t.id !== OTHER_ID).length;
    const agg = summary[name]!;
    agg.nmi.push(s.nmi);
    agg.acc.push(s.acc);
    agg.other.push(s.otherShare);
    agg.wall.push(run.wallMs);
    agg.themes.push(themeCount);
    log(
      `${name.padEnd(13)} ${String(seed).padStart(4)} ${String(run.result.k).padStart(3)} ${String(themeCount).padStart(7)}` +
        `  ${pct(s.nmi).padStart(5)}  ${pct(s.acc).padStart(5)}  ${pct(s.otherShare).padStart(7)}  ${pct(s.nmiKept).padStart(13)}` +
        `  ${secs(run.wallMs).padStart(7)}  ${secs(run.cpuMs).padStart(7)}`,
    );
  }
}
const skSeeds: SklearnRun[] = [];
if (hasSklearn) {
  for (const seed of [0, 1, 2]) {
    const r = runSklearn(texts, labels, `so20k-${seed}`, seed);
    skSeeds.push(r);
    log(
      `${"sklearn k=20".padEnd(13)} ${String(seed).padStart(4)} ${"20".padStart(3)} ${"20".padStart(7)}  ${pct(r.nmi).padStart(5)}  ${pct(r.acc).padStart(5)}` +
        `  ${"0.0".padStart(7)}  ${pct(r.nmi).padStart(13)}  ${secs(r.totalS * 1000).padStart(7)}        (sklearn ${r.version}, n_init=10)`,
    );
  }
}
log("");
log("Means over the seeds (time: best / median wall clock):");
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
for (const [name, agg] of Object.entries(summary)) {
  log(
    `  ${name.padEnd(13)} NMI ${pct(mean(agg.nmi))}  ACC ${pct(mean(agg.acc))}  Other ${pct(mean(agg.other))} %  themes ${agg.themes.join("/")}  time ${timing(agg.wall)}`,
  );
}
if (skSeeds.length) {
  log(
    `  ${"sklearn k=20".padEnd(13)} NMI ${pct(mean(skSeeds.map((r) => r.nmi)))}  ACC ${pct(mean(skSeeds.map((r) => r.acc)))}  time ${timing(skSeeds.map((r) => r.totalS * 1000))}`,
  );
}
log("  Reference (dataset README): TF-IDF + cosine k-means++, k=20, mean of 5 seeds: NMI 58.4, ACC 59.7; sentence encoders: NMI ~69-74.");

// --- speed at 20k and 50k ----------------------------------------------------

log("");
log("Speed, wall clock, best / median of the runs (the engine is single-threaded; scikit-learn's KMeans uses every core,");
log("and on a busy machine its threads suffer most: compare the best times).");
const larger = makeLarger(texts, labels, 50_000);
log("50,000 texts = the 20,000 titles + 30,000 variants (title i mod 20,000 with one word dropped if it has 4+ words and,");
log("half the time, two neighbouring words swapped; seed 50000); labels carry over.");
log("texts   engine auto-k              engine k=20                sklearn k=20, n_init=10 (all cores | one thread)");
for (const [size, set] of [
  [20_000, { texts, labels }],
  [50_000, larger],
] as const) {
  let auto: { wall: number[]; nmi: number[] };
  let fixed: { wall: number[]; nmi: number[] };
  if (size === 20_000) {
    auto = { wall: summary["engine auto-k"]!.wall, nmi: summary["engine auto-k"]!.nmi };
    fixed = { wall: summary["engine k=20"]!.wall, nmi: summary["engine k=20"]!.nmi };
  } else {
    auto = { wall: [], nmi: [] };
    fixed = { wall: [], nmi: [] };
    for (const seed of [1, 2]) {
      const a = runEngine(set.texts, undefined, seed);
      auto.wall.push(a.wallMs);
      auto.nmi.push(scores(set.labels, a.result.assignments).nmi);
      const f = runEngine(set.texts, 20, seed);
      fixed.wall.push(f.wallMs);
      fixed.nmi.push(scores(set.labels, f.result.assignments).nmi);
    }
  }
  let skText = "skipped (no scikit-learn)";
  if (hasSklearn) {
    const runs = size === 20_000 ? skSeeds : [0, 1].map((seed) => runSklearn(set.texts, set.labels, `so${size}-${seed}`, seed));
    const best = runs.reduce((a, b) => (b.totalS < a.totalS ? b : a));
    const single = [0, 1].map((seed) => runSklearn(set.texts, set.labels, `so${size}-1t-${seed}`, seed, 1));
    skText =
      `${timing(runs.map((r) => r.totalS * 1000))} | ${timing(single.map((r) => r.totalS * 1000))} NMI ${pct(mean(runs.map((r) => r.nmi)))}` +
      ` (best: vectorise ${best.vectorizeS.toFixed(2)} s + k-means ${best.kmeansS.toFixed(2)} s, ${best.features} features)`;
  }
  log(
    `${String(size).padStart(6)}   ${timing(auto.wall)} NMI ${pct(mean(auto.nmi))}   ${timing(fixed.wall)} NMI ${pct(mean(fixed.nmi))}   ${skText}`,
  );
}
log("(NMI: mean over the runs; 20,000 row: the quality runs above; one thread = OMP_NUM_THREADS=1, two runs.)");

rmSync(TMP, { recursive: true, force: true });
log("");
log(`Total ${secs(performance.now() - started)}; load average now ${loadavg()[0]!.toFixed(2)}.`);
