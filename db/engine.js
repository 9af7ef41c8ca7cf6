// Which engine DATABASE_URL names (docs/decisions/021, 022), and whether a PostgreSQL one answers.
// Plain JavaScript: server.js asks before it starts any server process.

/** Whether `url` names a PostgreSQL database (postgres:// or postgresql://) rather than an SQLite file. */
export function isPostgresUrl(url) {
  return typeof url === "string" && /^postgres(ql)?:\/\//i.test(url.trim());
}

/**
 * On PostgreSQL, whether the database answers (a connection and `SELECT 1` within `timeoutMs`):
 * null when it does, else a message to stop with, naming the database without its password.
 * server.js and the seeding `npm start` runs ask before anything else, so a wrong URL or a
 * database that is down is one clear line, not a stack trace per request. SQLite: always null.
 */
export async function databaseUnreachable(url = process.env.DATABASE_URL, timeoutMs = 10_000) {
  if (!isPostgresUrl(url)) return null;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return `Could not reach the PostgreSQL database ${redactUrl(url)}: ${error instanceof Error ? error.message || error.constructor.name : String(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
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
