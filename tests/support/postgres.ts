/**
 * A throwaway PostgreSQL cluster the project starts itself (tests, `npm run pg:start`): Debian's
 * server binaries (installed with apt-get when missing), a cluster in a temp folder owned by an
 * unprivileged user, trust authentication on 127.0.0.1 only, a socket in the temp folder, a free
 * port, fsync off. No systemd, no service, nothing outside the temp folder; `stop()` removes it.
 * See docs/decisions/022-postgresql-schema-and-throwaway-clusters.md.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export type Cluster = {
  /** `postgres://jamboree@127.0.0.1:<port>/jamboree`: a database owned by a role that is not a superuser. */
  url: string;
  /** A URL for the cluster's superuser (creating more databases, tests only). */
  adminUrl: string;
  port: number;
  dir: string;
  stop: () => void;
};

const binRoot = () => process.env.PG_BIN_ROOT ?? "/usr/lib/postgresql";

/** The folders that may hold Debian's server binaries, newest version first. PG_BIN_ROOT overrides /usr/lib/postgresql. */
function candidateBinDirs(): string[] {
  if (process.env.PG_BIN_DIR) return [process.env.PG_BIN_DIR];
  const root = binRoot();
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, "bin"));
}

/** The folder with `initdb`, `pg_ctl` and `postgres`, or null when PostgreSQL's server is not installed. */
export function findPgBin(): string | null {
  return candidateBinDirs().find((dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) ?? null;
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: "utf8", input: options.input, env: options.env ?? process.env, cwd: options.cwd });
}

/**
 * Finds the server binaries, installing Debian's `postgresql` package when they are missing (as
 * root, or through `sudo -n` when that works without a password). Throws a message that says what
 * to do when neither works.
 */
export function ensurePgBin(log: (line: string) => void = () => {}): string {
  const found = findPgBin();
  if (found) return found;
  const install = ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let how: string[] | null = null;
  if (isRoot()) how = [];
  else if (run("sudo", ["-n", "true"]).status === 0) how = ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive"];
  if (!how) {
    throw new Error(
      `PostgreSQL's server is not installed (no initdb under ${process.env.PG_BIN_DIR || `${binRoot()}/*/bin`}), and it cannot be installed ` +
        "from here: this user is not root and cannot use sudo without a password (or has no sudo). Install it once with " +
        "`sudo apt-get install -y --no-install-recommends postgresql`, or set PG_BIN_DIR to a folder holding initdb, pg_ctl and postgres.",
    );
  }
  log("PostgreSQL's server is missing: installing Debian's postgresql package (apt-get)…");
  for (const args of [["apt-get", "update"], install]) {
    const [command, ...rest] = how.length > 0 ? [...how, ...args] : args;
    const result = run(command!, rest, { env });
    if (result.status !== 0) {
      throw new Error(`Installing PostgreSQL failed: \`${args.join(" ")}\` exited with ${result.status ?? result.signal}.\n${(result.stderr || result.stdout || String(result.error ?? "")).trim().slice(-2000)}`);
    }
  }
  const installed = findPgBin();
  if (!installed) throw new Error(`apt-get installed postgresql, but no initdb appeared under ${binRoot()}/*/bin.`);
  return installed;
}

/** A port nobody listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function uidOf(user: string): { uid: number; gid: number } | null {
  const uid = run("id", ["-u", user]);
  const gid = run("id", ["-g", user]);
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Starts a throwaway cluster and creates the database `jamboree`, owned by the role `jamboree`
 * (not a superuser, as on a managed PostgreSQL). PostgreSQL refuses to run as root: as root the
 * cluster runs as the `postgres` system user the Debian package creates (PG_USER overrides).
 * `port`: try that port first (the e2e run gives its ports), else any free one.
 */
export async function startCluster(options: { log?: (line: string) => void; /** A port to try first (else any free one). */ port?: number } = {}): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const bin = ensurePgBin(log);
  const dir = mkdtempSync(join(tmpdir(), "jamboree-pg-"));
  const data = join(dir, "data");
  let as: string[] = [];
  if (isRoot()) {
    const user = process.env.PG_USER ?? "postgres";
    const ids = uidOf(user);
    if (!ids) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL cannot run as root and there is no \`${user}\` user to run it as (Debian's postgresql package creates one).`);
    }
    chownSync(dir, ids.uid, ids.gid);
    chmodSync(dir, 0o700);
    as = ["runuser", "-u", user, "--"];
  }
  const pgRun = (tool: string, args: string[]) => {
    const [command, ...rest] = [...as, join(bin, tool), ...args];
    // From inside the cluster's folder: the server's user may not be allowed into the project's.
    return run(command!, rest, { env: { ...process.env, LC_ALL: "C.UTF-8", LANG: "C.UTF-8" }, cwd: dir });
  };
  const fail = (what: string, result: SpawnSyncReturns<string>): never => {
    const detail = `${result.stderr ?? ""}${result.stdout ?? ""}${result.error ?? ""}`.trim().slice(-2000);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${what} failed (${result.status ?? result.signal}):\n${detail}`);
  };

  // Trust only on the socket and on 127.0.0.1/::1 (initdb -A trust writes exactly those lines).
  const init = pgRun("initdb", ["-D", data, "-N", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]);
  if (init.status !== 0) fail("initdb", init);

  let port = 0;
  let started = false;
  for (let attempt = 0; attempt < 5 && !started; attempt++) {
    port = attempt === 0 && options.port ? options.port : await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    const start = pgRun("pg_ctl", ["-D", data, "-w", "-t", "30", "-l", join(dir, "server.log"), "-o", settings, "start"]);
    started = start.status === 0;
    // Another process may have taken the port between our check and the server's bind: try another.
    if (!started && (attempt === 4 || options.port)) fail("pg_ctl start", start);
  }

  // Should this process die without a chance to clean up (SIGKILL, a crash), a watchdog stops the
  // cluster and removes its folder once it is gone: a throwaway cluster never outlives its run.
  const pgCtl = [...as, join(bin, "pg_ctl")].map(shellQuote).join(" ");
  const watchdog = spawn(
    "sh",
    [
      "-c",
      `cd /; while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${pgCtl} -D ${shellQuote(data)} -m immediate -w stop >/dev/null 2>&1; rm -rf ${shellQuote(dir)}`,
    ],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (watchdog.pid) process.kill(watchdog.pid);
    } catch {
      // already gone
    }
    pgRun("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    rmSync(dir, { recursive: true, force: true });
    process.off("exit", stop);
  };
  // Whatever ends this process normally also ends the cluster and removes its folder.
  process.on("exit", stop);

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query("CREATE ROLE jamboree LOGIN");
    await admin.query("CREATE DATABASE jamboree OWNER jamboree");
  } catch (error) {
    stop();
    throw error;
  } finally {
    await admin.end().catch(() => {});
  }
  return { url: `postgres://jamboree@127.0.0.1:${port}/jamboree`, adminUrl, port, dir, stop };
}

/**
 * A new database on a running cluster, owned by `jamboree`; returns its URL. Empty, or a copy of
 * `template` (a database nobody is connected to): copying a migrated database is much faster than
 * migrating each new one.
 */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  for (const given of [name, template ?? "x"]) if (!/^[a-z_][a-z0-9_]{0,62}$/.test(given)) throw new Error(`not a database name: ${given}`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} OWNER jamboree${template ? ` TEMPLATE ${template}` : ""}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.username = "jamboree";
  url.pathname = `/${name}`;
  return url.toString();
}
