/**
 * `npm run pg:start`: a throwaway PostgreSQL cluster to try by hand. Prints its URL, migrates it
 * (`--no-migrate` leaves it empty), and runs until Ctrl-C, which stops it and removes its folder.
 */
import { startCluster } from "../tests/support/postgres";
import { migratePg } from "../db/pg/migrate";

const cluster = await startCluster({ log: (line) => console.log(line) });
const shutdown = () => {
  cluster.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
process.on("SIGHUP", shutdown);
if (!process.argv.includes("--no-migrate")) await migratePg(cluster.url);
console.log(`PostgreSQL ${process.argv.includes("--no-migrate") ? "(empty)" : "(migrated)"} is running in ${cluster.dir}`);
console.log(`DATABASE_URL=${cluster.url}`);
console.log(`psql ${cluster.url}`);
console.log("Ctrl-C stops it and removes the folder.");
setInterval(() => {}, 1 << 30);
