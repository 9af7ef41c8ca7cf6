import { count, and, eq, ne, isNull } from "drizzle-orm";
import type { Db } from "~db/client";
import { users } from "~db/schema";

/** An admin is the last one when no other admin can still sign in. */
export async function isLastAdmin(tx: Db, person: { id: number; role: string }) {
  if (person.role !== "admin") return false;
  const others =
    (await tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, "admin"), ne(users.id, person.id), isNull(users.deactivatedAt), isNull(users.erasedAt)))
      .get())?.n ?? 0;
  return others === 0;
}
