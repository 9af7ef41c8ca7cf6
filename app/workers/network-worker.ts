/**
 * Computes a people-network snapshot in a worker thread, so analysing a large
 * graph never blocks the server. It opens its own connection to the same
 * database (DATABASE_URL, inherited from the parent's environment), reads the
 * graph with aggregate SQL, and fills the "running" snapshot row it was given.
 */
import { parentPort, workerData } from "node:worker_threads";
import { completeSnapshot } from "~/services/jobs/network.server";
import { closeDb } from "~db/client";

const { snapshotId, scope, now } = workerData as { snapshotId: number; scope: number; now: number };
try {
  await completeSnapshot(snapshotId, scope, now);
  parentPort?.postMessage({ type: "done" });
} catch (error) {
  parentPort?.postMessage({ type: "error", error: error instanceof Error ? error.message : String(error) });
} finally {
  await closeDb();
}
