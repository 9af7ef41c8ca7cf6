/**
 * The SQLite schema, one file per area. Everything imports it from here ("~db/schema").
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
