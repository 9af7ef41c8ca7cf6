/**
 * Summarises a `.cpuprofile` (from `node --cpu-prof`, e.g. `npm run bench:pages -- --prof DIR`):
 *
 *   npx tsx tests/bench/cpuprofile-summary.ts FILE.cpuprofile [--top 40] [--under NAME] [--depth 6] [--min 0.5]
 *
 * Prints, as shares of the busy time (idle left out):
 *   - self time by module (a package in node_modules, the app's build, node's internals, GC);
 *   - self time by function;
 *   - total (inclusive) time by function, each function counted once per sample however often it
 *     recurs on the stack;
 *   - the top-down tree below the first frame named NAME (--under, e.g. `loader` or
 *     `renderToPipeableStream`), to `--depth` levels, children over `--min` percent.
 */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
if (!file) {
  console.error("usage: cpuprofile-summary.ts FILE.cpuprofile [--top N] [--under NAME] [--depth N] [--min PERCENT]");
  process.exit(2);
}
const top = Number(option("top", "40"));
const under = option("under", "");
const depth = Number(option("depth", "6"));
const min = Number(option("min", "0.5"));

const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** Microseconds of samples that landed in each node. */
const self = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
  self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + Math.max(0, delta));
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  const build = url.indexOf("/build/");
  if (build >= 0) return url.slice(build + 1);
  return url.replace(/^file:\/\/.*?\/(app|server\.js)/, "$1");
}
function moduleOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes("/build/server/")) return "app (build/server)";
  return shortUrl(url);
}
const label = (frame: CallFrame) => `${frame.functionName || "(anonymous)"}  ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;

const idle = new Set(["(idle)", "(program)"]);
let busy = 0;
let idleTime = 0;
for (const [id, us] of self) {
  if (idle.has(byId.get(id)!.callFrame.functionName)) idleTime += us;
  else busy += us;
}
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;

function table(title: string, entries: Map<string, number>, n: number) {
  console.log(`\n${title}`);
  for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)} ${ms(us)}  ${key}`);
}

console.log(`${file}\nbusy ${(busy / 1000).toFixed(0)} ms, idle/program ${(idleTime / 1000).toFixed(0)} ms, ${profile.samples.length} samples`);

const byModule = new Map<string, number>();
const bySelf = new Map<string, number>();
for (const [id, us] of self) {
  const frame = byId.get(id)!.callFrame;
  if (idle.has(frame.functionName)) continue;
  byModule.set(moduleOf(frame), (byModule.get(moduleOf(frame)) ?? 0) + us);
  bySelf.set(label(frame), (bySelf.get(label(frame)) ?? 0) + us);
}
table("Self time by module", byModule, 25);
table("Self time by function", bySelf, top);

const total = new Map<string, number>();
for (const [id, us] of self) {
  if (idle.has(byId.get(id)!.callFrame.functionName)) continue;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = label(byId.get(at)!.callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    total.set(key, (total.get(key) ?? 0) + us);
  }
}
table("Total (inclusive) time by function", total, top);

if (under) {
  const inclusive = new Map<number, number>();
  const sum = (id: number): number => {
    const cached = inclusive.get(id);
    if (cached !== undefined) return cached;
    let us = self.get(id) ?? 0;
    for (const c of byId.get(id)!.children ?? []) us += sum(c);
    inclusive.set(id, us);
    return us;
  };
  // Every node whose frame is named `under` and that has no such ancestor: their subtrees merged by label.
  interface Merged {
    us: number;
    children: Map<string, Merged>;
  }
  const rootMerged: Merged = { us: 0, children: new Map() };
  const merge = (into: Merged, id: number, level: number) => {
    into.us += sum(id);
    if (level >= depth) return;
    for (const c of byId.get(id)!.children ?? []) {
      const key = label(byId.get(c)!.callFrame);
      let child = into.children.get(key);
      if (!child) into.children.set(key, (child = { us: 0, children: new Map() }));
      merge(child, c, level + 1);
    }
  };
  const isUnder = (id: number) => byId.get(id)!.callFrame.functionName === under;
  for (const n of profile.nodes) {
    if (!isUnder(n.id)) continue;
    let ancestor = parent.get(n.id);
    while (ancestor !== undefined && !isUnder(ancestor)) ancestor = parent.get(ancestor);
    if (ancestor === undefined) merge(rootMerged, n.id, 0);
  }
  console.log(`\nTop-down below "${under}" (${pct(rootMerged.us).trim()} of busy time)`);
  const print = (node: Merged, indent: number) => {
    for (const [key, child] of [...node.children].sort((a, b) => b[1].us - a[1].us)) {
      if ((100 * child.us) / busy < min) continue;
      console.log(`${pct(child.us)} ${"  ".repeat(indent)}${key}`);
      print(child, indent + 1);
    }
  };
  print(rootMerged, 0);
}
