// Which engine DATABASE_URL names, and the refusal while the app cannot serve from PostgreSQL
// (docs/decisions/021, step 4; 022). Plain JavaScript: server.js checks it before it starts any
// server process, and db/client.ts before it opens a database.

/** Whether `url` names a PostgreSQL database (postgres:// or postgresql://) rather than an SQLite file. */
export function isPostgresUrl(url) {
  return typeof url === "string" && /^postgres(ql)?:\/\//i.test(url.trim());
}

export const POSTGRES_NOT_SERVED_YET = [
  "DATABASE_URL names a PostgreSQL database, and Jamboree cannot serve from PostgreSQL yet: the app runs on SQLite.",
  "What works with PostgreSQL today:",
  "  DATABASE_URL=postgres://… npm run db:migrate          creates or updates its tables",
  "  npm run db:copy -- --to postgres://… [--from FILE]    copies an SQLite database into an empty one",
  "To run the app, set DATABASE_URL to an SQLite file (or leave it unset for ./data/jamboree.db).",
  'See README.md, "Running on PostgreSQL".',
].join("\n");

/** The message to stop with when DATABASE_URL asks the app to serve from PostgreSQL; null when it can start. */
export function servingRefusal(url = process.env.DATABASE_URL) {
  return isPostgresUrl(url) ? POSTGRES_NOT_SERVED_YET : null;
}

/** A database URL as it may be printed: without its password. */
export function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "*****";
    return parsed.toString();
  } catch {
    return "(a database URL that does not parse)";
  }
}
