/**
 * What load.ts (one server at a time, `npm run bench:load`) and load-engines.ts (the engines side
 * by side, `-- --engine …`) run in the same way: who signs in, the requests of each scenario, the
 * check of the post form, the warm-up and concurrency steps with their printed line, and the raw
 * baseline's requests. Processes, ports and the servers themselves are in load-common.ts.
 */
import type { Mix, RunResult, RunSpec } from "./load-client";
import { type describeDb, fmt, log, request, type Server } from "./load-common";

export type BenchFacts = ReturnType<typeof describeDb>;
export type LoadClient = { run: (spec: RunSpec) => Promise<RunResult> };

/** Responses actually served (2xx/3xx) per second: 503s (admission control), 429s and 4xx are not throughput. */
export const servedRate = (r: RunResult, durationS: number) =>
  Object.entries(r.status).reduce((n, [k, v]) => n + (Number(k) < 400 ? v : 0), 0) / durationS;

export const statusText = (s: Record<string, number>) =>
  Object.entries(s)
    .sort()
    .map(([k, v]) => `${k}×${v}`)
    .join(" ");

/** A latency to print: "-" when there was none (NaN crosses the IPC channel as null). */
export const ms = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? "-" : fmt(n));

/** `count` people spread evenly over the seeded ones (from id 2), each used once. */
export const spreadPeople = (count: number, people: number) =>
  Array.from({ length: count }, (_, k) => 2 + Math.floor((k * (people - 2)) / count));

/** The people who sign in: `users` of them, never more than there are. */
export const signInPeople = (users: number, people: number) => spreadPeople(users, people).slice(0, Math.max(0, people - 1));

/**
 * The scenarios through the app, in the order they run: the jam home, the challenge page, an idea
 * page, a vote as the fetcher sends it and an idea posted with a unique clientKey
 * (`${clientKey}-{i}`).
 */
export function appMixes(facts: BenchFacts, cookies: string[], headers: Record<string, string>, clientKey: string) {
  const slug = facts.jam.slug;
  const mixes: Record<"jam" | "challenge" | "idea" | "vote" | "post", Mix> = {
    jam: { label: "jam", method: "GET", paths: [`/jams/${slug}`], cookies },
    challenge: { label: "challenge", method: "GET", paths: facts.challengeIds.map((id) => `/jams/${slug}/challenges/${id}`), cookies },
    idea: { label: "idea", method: "GET", paths: facts.ideaIds.map((id) => `/jams/${slug}/ideas/${id}`), random: true, cookies },
    vote: { label: "vote", method: "POST", paths: facts.ideaIds.map((id) => `/jams/${slug}/ideas/${id}.data`), random: true, cookies, body: "intent=vote&js=1", headers },
    post: {
      label: "post",
      method: "POST",
      paths: facts.challengeIds.map((id) => `/jams/${slug}/challenges/${id}`),
      cookies,
      body: `intent=post&title=Load+test+idea+{i}+about+meetings&body=Posted+by+the+load+benchmark+to+time+the+whole+stack.&clientKey=${clientKey}-{i}`,
      headers,
    },
  };
  return mixes;
}

/** The raw baseline's scenarios (load-raw-server.ts): the challenge's ideas as JSON, and one idea insert by `users` authors. */
export function rawMixes(facts: BenchFacts, users: number) {
  const mixes: Record<"challenge" | "post", Mix> = {
    challenge: { label: "challenge", method: "GET", paths: facts.challengeIds.map((id) => `/challenge/${id}`), cookies: [] },
    post: {
      label: "post",
      method: "POST",
      paths: facts.challengeIds.map((id) => `/challenge/${id}`),
      cookies: [],
      authors: spreadPeople(users, facts.people),
      body: "author={u}&title=Load+test+idea+{i}+about+meetings&body=Posted+by+the+load+benchmark+to+time+the+whole+stack.&clientKey=raw-{i}",
    },
  };
  return mixes;
}

/** Posts one idea by hand to the first challenge, so a wrong request shape shows before the load (a good one answers 302). */
export function checkPost(server: Server, facts: BenchFacts, cookie: string, clientKey: string) {
  return request(server.port, {
    method: "POST",
    path: `/jams/${facts.jam.slug}/challenges/${facts.challengeIds[0]!}`,
    headers: { Origin: server.origin, Cookie: cookie },
    body: new URLSearchParams({ intent: "post", title: "Load check idea", body: "Checking the form.", clientKey }).toString(),
  });
}

/** The printed line of one step: served rate, latency of all responses ("-" for a step that got none), status counts. */
export function stepLine(label: string, kind: string, connections: number, r: RunResult, durationS: number) {
  const extra = [statusText(r.status), r.errors ? `errors ${r.errors}` : "", r.timeouts ? `timeouts ${r.timeouts}` : ""].filter(Boolean).join(", ");
  return `  ${label.padEnd(10)} ${kind.padEnd(10)} ${String(connections).padStart(4)}  ${fmt(servedRate(r, durationS), 0).padStart(7)} ok/s  p50 ${ms(r.p50).padStart(5)} ms  p99 ${ms(r.p99).padStart(5)} ms   ${extra}`;
}

/**
 * Every scenario once for 1 s at low concurrency (the warm-up), then each scenario at each level
 * for `durationS`, the connections spread over `urls`; each step is handed to `record` and printed.
 */
export async function runSteps(
  client: LoadClient,
  o: { label: string; urls: string[]; levels: number[]; durationS: number; warmTag: string; tag: string },
  mixes: Record<string, Mix>,
  record: (kind: string, connections: number, r: RunResult) => void,
) {
  const url = o.urls[0]!;
  for (const mix of Object.values(mixes)) await client.run({ url, urls: o.urls, connections: Math.max(4, o.urls.length), durationS: 1, mixes: [mix], tag: o.warmTag });
  for (const [kind, mix] of Object.entries(mixes)) {
    for (const c of o.levels) {
      const r = await client.run({ url, urls: o.urls, connections: c, durationS: o.durationS, mixes: [mix], tag: `${o.tag}-${kind}-${c}` });
      record(kind, c, r);
      log(stepLine(o.label, kind, c, r, o.durationS));
    }
  }
}
