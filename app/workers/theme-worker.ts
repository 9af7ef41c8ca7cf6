/**
 * Runs the theme engine in a worker thread, so a synthesis of thousands of
 * ideas never blocks the server. Pure: it receives texts and votes, reports
 * progress, and posts back themes; the synthesis service does all database work.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runSynthesis, type SynthesisInput } from "~/synthesis/pipeline";

const input = workerData as SynthesisInput;
try {
  const result = runSynthesis(input, (progress) => parentPort?.postMessage({ type: "progress", progress }));
  parentPort?.postMessage({ type: "done", result });
} catch (error) {
  parentPort?.postMessage({ type: "error", error: error instanceof Error ? error.message : String(error) });
}
