import { defineConfig } from "drizzle-kit";

// The PostgreSQL schema and its migrations (docs/decisions/022). `npm run db:generate` generates for both engines.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/pg/schema/index.ts",
  out: "./db/pg/migrations",
});
