/**
 * `npm run gamification:reconcile [-- --fix]`: recomputes every point total and
 * badge level from source data and reports drift; `--fix` repairs it.
 */
import { reconcileGamification } from "~/services/jobs/reconcile.server";
import { closeDb, databasePath, ENGINE } from "~db/client";
import { redactUrl } from "~db/engine.js";

const fix = process.argv.includes("--fix");
const started = performance.now();
const report = await reconcileGamification({ fix });
const seconds = ((performance.now() - started) / 1000).toFixed(2);
console.log(`Reconciled ${ENGINE === "postgres" ? redactUrl(process.env.DATABASE_URL!) : databasePath()} in ${seconds} s`);
console.log(
  `  checked ${report.checked.totals} person totals, ${report.checked.departments} department totals, ${report.checked.badges} badge levels`,
);
if (report.drift.length === 0) {
  console.log("  drift: 0 (everything matches its source data)");
} else {
  console.log(`  drift: ${report.drift.length}${report.fixed ? " (fixed)" : " (run with --fix to repair)"}`);
  for (const d of report.drift.slice(0, 50)) console.log(`    ${d.kind} ${d.key}: stored ${d.stored}, expected ${d.expected}`);
  if (report.drift.length > 50) console.log(`    … and ${report.drift.length - 50} more`);
  if (!report.fixed) process.exitCode = 1;
}
await closeDb();
