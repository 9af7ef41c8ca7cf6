/**
 * Settings an admin changes in the app (not environment variables): one row a key in
 * `app_settings`, its value JSON, checked by the key's schema when read and when written, so a
 * row written by an older or newer version falls back to the default instead of breaking a page.
 * Read from the database each time: every server process sees a change at once. Written by
 * setSetting / writeSetting (commands/settings.server.ts).
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~db/client";
import { appSettings } from "~db/schema";

export const SETTINGS = {
  /** Whether people may sign in with a password. Off only makes sense when the company's sign-on is configured. */
  passwordSignIn: { schema: z.boolean(), fallback: true },
  /** Days audit rows are kept (null: kept for ever). */
  auditRetentionDays: { schema: z.number().int().min(30).max(3650).nullable(), fallback: null },
  /** Days an ended jam is kept after it ended (null: kept for ever). */
  endedJamRetentionDays: { schema: z.number().int().min(30).max(3650).nullable(), fallback: null },
  /** Hours a question waits for an answer before it goes to the facilitators. */
  questionEscalationHours: { schema: z.number().int().min(1).max(720), fallback: 48 },
} as const;

export type SettingKey = keyof typeof SETTINGS;

export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]["schema"]>;

export async function getSetting<K extends SettingKey>(conn: Db, key: K): Promise<SettingValue<K>> {
  const row = await conn.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key)).get();
  const setting = SETTINGS[key];
  if (!row) return setting.fallback as SettingValue<K>;
  try {
    const parsed = setting.schema.safeParse(JSON.parse(row.value));
    return (parsed.success ? parsed.data : setting.fallback) as SettingValue<K>;
  } catch {
    return setting.fallback as SettingValue<K>;
  }
}
