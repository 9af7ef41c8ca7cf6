/**
 * Remix options. vite.config.ts hands these to the Remix Vite plugin, so every
 * Remix setting lives in one place. The v3 future flags are on, which keeps the
 * move to React Router 7 a mechanical step, except lazy route discovery: the whole
 * route manifest loads up front as one cached file (React Router 7's
 * `routeDiscovery: { mode: "initial" }`), see docs/decisions/006.
 * @type {import("@remix-run/dev").VitePluginConfig}
 */
export default {
  appDirectory: "app",
  buildDirectory: "build",
  serverModuleFormat: "esm",
  ignoredRouteFiles: ["**/*.test.*", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: false,
    v3_routeConfig: true,
  },
};
