/**
 * Where PostgreSQL's server is missing and cannot be installed (not root, no sudo without a
 * password), starting a throwaway cluster stops with a message that says what to do. (The install
 * itself, as root on a fresh machine, is what `npm test` does in CI: tests/support/postgres.ts.)
 * As root the check runs as the unprivileged `postgres` user; the server's folder is hidden by
 * pointing PG_BIN_ROOT at an empty one.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const isRoot = process.getuid?.() === 0;
const canSudo = !isRoot && spawnSync("sudo", ["-n", "true"]).status === 0;
// As root the check runs as `postgres`, which must be able to read the project (not so under a private /root).
const postgresReadsProject =
  !isRoot || spawnSync("runuser", ["-u", "postgres", "--", "test", "-r", resolve("node_modules/tsx/dist/esm/index.mjs")]).status === 0;

it.skipIf(canSudo || !postgresReadsProject)("says how to install PostgreSQL when it is missing and this user cannot install it", () => {
  const dir = mkdtempSync(join(tmpdir(), "jamboree-no-pg-"));
  chmodSync(dir, 0o755); // the postgres user reads the script
  try {
    const script = join(dir, "ensure.mts");
    writeFileSync(
      script,
      `import { ensurePgBin } from ${JSON.stringify(resolve("tests/support/postgres.ts"))};\n` +
        "try { ensurePgBin(); console.log('found'); } catch (e) { console.error(e.message); process.exitCode = 3; }\n",
    );
    const node = [process.execPath, "--import", resolve("node_modules/tsx/dist/esm/index.mjs"), script];
    const command = isRoot ? ["runuser", "-u", "postgres", "--", ...node] : node;
    const result = spawnSync(command[0]!, command.slice(1), {
      encoding: "utf8",
      timeout: 20_000,
      env: { ...process.env, PG_BIN_ROOT: join(dir, "empty"), PG_BIN_DIR: "", HOME: dir },
    });
    expect(result.stdout).not.toContain("found");
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("PostgreSQL's server is not installed");
    expect(result.stderr).toContain("apt-get install -y --no-install-recommends postgresql");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
