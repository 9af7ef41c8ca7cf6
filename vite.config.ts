import { vitePlugin as remix } from "@remix-run/dev";
import { join } from "node:path";
import { defineConfig, type Plugin } from "vite";
import { compressAssets } from "./app/http/precompressed.js";
import remixConfig from "./remix.config.js";
import { aliases } from "./vite.aliases";

/**
 * Brotli and gzip copies of the browser's assets, written at build time (server.js serves
 * them). After each of the builds: the server build writes the route manifest into the
 * client's assets last, and only files whose copies are missing or stale are compressed.
 */
function precompressAssets(): Plugin {
  let root = process.cwd();
  return {
    name: "jamboree-precompress-assets",
    apply: "build",
    configResolved(config) {
      root = config.root;
    },
    closeBundle() {
      compressAssets(join(root, "build", "client", "assets"));
    },
  };
}

export default defineConfig({
  plugins: [remix(remixConfig), precompressAssets()],
  resolve: { alias: aliases },
  server: { port: 3000 },
});
