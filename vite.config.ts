import { vitePlugin as remix } from "@remix-run/dev";
import { join } from "node:path";
import { defineConfig, type Plugin } from "vite";
import { compressAssets } from "./app/http/precompressed.js";
import remixConfig from "./remix.config.js";
import { aliases } from "./vite.aliases";

/** Brotli and gzip copies of the browser's assets, written once at build time (server.js serves them). */
function precompressAssets(): Plugin {
  return {
    name: "jamboree-precompress-assets",
    apply: "build",
    writeBundle(options) {
      if (options.dir && options.dir.endsWith(join("build", "client"))) compressAssets(join(options.dir, "assets"));
    },
  };
}

export default defineConfig({
  plugins: [remix(remixConfig), precompressAssets()],
  resolve: { alias: aliases },
  server: { port: 3000 },
});
