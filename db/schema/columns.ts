import { integer } from "drizzle-orm/sqlite-core";

/** All times are UTC epoch milliseconds. */
export const createdAt = () => integer("created_at").notNull();
