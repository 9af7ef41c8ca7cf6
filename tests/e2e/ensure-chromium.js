// Makes sure a Chromium for the e2e tests exists: CHROMIUM_PATH, else
// /usr/bin/chromium; on Debian/Ubuntu as root it installs Debian's `chromium`
// package; anywhere else it stops and says how to get one.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const wanted = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (existsSync(wanted)) process.exit(0);

const isDebian = existsSync("/etc/debian_version");
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!process.env.CHROMIUM_PATH && isDebian && isRoot) {
  console.log("Chromium not found: installing Debian's chromium package with apt-get…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execSync("apt-get update -qq", { stdio: "inherit", env });
  execSync("apt-get install -y -qq --no-install-recommends chromium", { stdio: "inherit", env });
  if (existsSync(wanted)) process.exit(0);
}
console.error(
  [
    `No Chromium at ${wanted}.`,
    "The end-to-end tests drive a real Chromium. Either:",
    "  - on Debian or Ubuntu: sudo apt-get install chromium",
    "  - or point CHROMIUM_PATH at a Chromium or Chrome binary: CHROMIUM_PATH=/path/to/chrome npm test",
  ].join("\n"),
);
process.exit(1);
