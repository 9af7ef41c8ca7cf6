import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";
import { aliases } from "./vite.aliases";

export default defineConfig({
  plugins: [remix(remixConfig)],
  resolve: { alias: aliases },
  server: { port: 3000 },
});
