/**
 * The app's secret, for what the server signs (device cookies, app/auth/device.server.ts).
 * SESSION_SECRET when it is set (at least 32 characters); otherwise 32 random bytes made by the
 * first process that needs them and kept in the database (`app_secrets`), so every server process
 * and every restart signs alike. Each use gets a key of its own, derived with HMAC-SHA256.
 */
import { createHmac, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "~db/client";
import { appSecrets } from "~db/schema";

const secrets = new WeakMap<Db, string>();

async function appSecret(conn: Db): Promise<string> {
  const fromEnv = process.env.SESSION_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("SESSION_SECRET must be at least 32 characters long.");
    return fromEnv;
  }
  let secret = secrets.get(conn);
  if (!secret) {
    await conn.insert(appSecrets).values({ name: "session", value: randomBytes(32).toString("base64url") }).onConflictDoNothing().run();
    secret = (await conn.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, "session")).get())!.value;
    secrets.set(conn, secret);
  }
  return secret;
}

const derived = new Map<string, Buffer>();

/** A key for one purpose ("device-cookie", ...), derived from the app's secret (once per secret and purpose). */
export async function derivedKey(conn: Db, purpose: string): Promise<Buffer> {
  const secret = await appSecret(conn);
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = derived.get(cacheKey);
  if (!key) {
    key = createHmac("sha256", secret).update(purpose).digest();
    derived.set(cacheKey, key);
  }
  return key;
}
