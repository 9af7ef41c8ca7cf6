/**
 * Real concurrency for integration tests: separate Node processes, each with
 * its own SQLite connection to the test's database file. A worker script
 * prints "ready" once loaded, waits for "go" on stdin, does its job and prints
 * its result as JSON.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** Starts one worker process; `ready` resolves once it has loaded and opened the database. */
export function startWorkerProcess<R>(script: string, job: unknown) {
  const child = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify(job)], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
      if (out.startsWith("ready\n")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`worker exited early (${code}): ${err}`)));
  });
  child.stderr.on("data", (chunk: string) => (err += chunk));
  const done = new Promise<R>((resolve, reject) => {
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`worker exited with ${code}: ${err}`));
      resolve(JSON.parse(out.slice("ready\n".length).trim()) as R);
    });
  });
  done.catch(() => undefined); // awaited by the test; this only avoids an "unhandled" report if `ready` fails first
  return { child, ready, done };
}

/** Starts one process per job, releases them together, and returns their results. */
export async function raceWorkers<R>(script: string, jobs: unknown[]): Promise<R[]> {
  const workers = jobs.map((job) => startWorkerProcess<R>(script, job));
  try {
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.write("go\n");
    return await Promise.all(workers.map((w) => w.done));
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill();
  }
}
