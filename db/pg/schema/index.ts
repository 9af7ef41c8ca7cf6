/**
 * The PostgreSQL schema, one file per area, mirroring db/schema/ (the SQLite schema and the app's
 * types) table for table and column for column: the same exported names, SQL names and JavaScript
 * types (times are `bigint` in number mode, flags `boolean`, JSON `text`, ids identity integers).
 * tests/integration/pg-schema-parity.pg.test.ts and db/pg/types-match.ts keep the two in step.
 * Full-text search on ideas (a generated `tsvector` column and its GIN index) is made by the custom
 * migration db/pg/migrations/*_ideas_search.sql, as FTS5 is on SQLite, and queried through db/pg/search.ts.
 */
export * from "./people";
export * from "./jams";
export * from "./points";
export * from "./synthesis";
export * from "./notices";
export * from "./mail";
export * from "./shared";
export * from "./communities";
export * from "./evaluation";
export * from "./jellies";
export * from "./questions";
export * from "./revisions";
export * from "./my-network";
export * from "./attachments";
export * from "./templates";
