import { count, and, isNull, notExists, sql, eq } from "drizzle-orm";
import { signOnStatus } from "~/auth/sign-on.server";
import { getSetting } from "~/services/lookups/settings.server";
import { type Db, db } from "~db/client";
import { users, signOnIdentities } from "~db/schema";

/**
 * Whether people may sign in (and sign up) with a password: the admin's setting, except that
 * without a working sign-on passwords stay on whatever it says, so nobody is ever locked out.
 */
export async function passwordsAllowed(conn: Db): Promise<boolean> {
  return await getSetting(conn, "passwordSignIn") || signOnStatus().state !== "on";
}

/** passwordsAllowed for a page (the sign-in and sign-up forms, the layout). */
export async function passwordSignInAllowed(): Promise<boolean> {
  return await passwordsAllowed(db());
}

/** Active people who have no company account connected: with passwords off they could not sign in. */
export async function peopleWithoutCompanyAccount(conn: Db): Promise<number> {
  return (
    (await conn
      .select({ n: count() })
      .from(users)
      .where(
        and(
          isNull(users.deactivatedAt),
          isNull(users.erasedAt),
          notExists(conn.select({ one: sql`1` }).from(signOnIdentities).where(eq(signOnIdentities.userId, users.id))),
        ),
      )
      .get())?.n ?? 0
  );
}

export async function hasCompanyAccount(conn: Db, userId: number): Promise<boolean> {
  return await conn.select({ id: signOnIdentities.id }).from(signOnIdentities).where(eq(signOnIdentities.userId, userId)).get() !== undefined;
}

export function passwordsOffBlocker(signOnOn: boolean, actorConnected: boolean): string | null {
  if (!signOnOn) return "Set up sign-on first: with passwords off and no company sign-on, nobody could sign in.";
  if (!actorConnected) return "Connect your own company account first (My activity → Sign-ins), so that you can still sign in.";
  return null;
}
