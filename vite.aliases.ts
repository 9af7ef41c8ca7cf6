import { fileURLToPath } from "node:url";

/** Path aliases shared by Vite and Vitest (Vite ignores tsconfig `paths`). */
export const aliases = {
  "~": fileURLToPath(new URL("./app", import.meta.url)),
  "~db": fileURLToPath(new URL("./db", import.meta.url)),
};
