import { bigint } from "drizzle-orm/pg-core";

/** All times are UTC epoch milliseconds. */
export const createdAt = () => bigint("created_at", { mode: "number" }).notNull();
