import type Database from "better-sqlite3";

/**
 * The connection settings, in one place (the app's connection and the raw
 * benchmark baseline both use them). WAL lets readers run beside the single
 * writer; synchronous=NORMAL in WAL mode keeps every committed transaction
 * across an application crash (only an OS crash or power loss can drop the
 * last transactions).
 */
export function applyPragmas(sqlite: Database.Database) {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // 64 MB of page cache and up to 1 GB of the file read through mmap: pages a
  // request reads again are not copied through read() each time.
  sqlite.pragma("cache_size = -64000");
  sqlite.pragma("mmap_size = 1073741824");
  sqlite.pragma("temp_store = MEMORY");
}
