import { count, and, eq, ne, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~db/client";
import { users } from "~db/schema";

export const alsoRemove = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

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

export const EraseAccountInput = z.object({
  userId: z.coerce.number({ error: "Choose a person." }).int().positive("Choose a person."),
  confirmation: z.string({ error: "Type the person's e-mail address to confirm." }).trim().max(320).default(""),
  removeContent: alsoRemove.default(false),
});
