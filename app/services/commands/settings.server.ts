/** Changing a setting an admin sets in the app (lookups/settings.server.ts says what they are and reads them). */
import { transaction, type Db } from "~db/client";
import { appSettings } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { getSetting, SETTINGS, type SettingKey, type SettingValue } from "~/services/lookups/settings.server";

/** Writes a setting (checked by its schema) and audits who changed it from what to what. */
export async function setSetting<K extends SettingKey>(key: K, value: SettingValue<K>, actorId: number, now = Date.now()) {
  await transaction(async (tx) => await writeSetting(tx, key, value, actorId, now));
}

/** setSetting inside the caller's transaction. */
export async function writeSetting<K extends SettingKey>(tx: Db, key: K, value: SettingValue<K>, actorId: number, now: number) {
  const checked = SETTINGS[key].schema.parse(value);
  const json = JSON.stringify(checked);
  const before = await getSetting(tx, key);
  await tx.insert(appSettings)
    .values({ key, value: json, updatedAt: now, updatedBy: actorId })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: json, updatedAt: now, updatedBy: actorId } })
    .run();
  await recordAudit(tx, { action: "setting_changed", actorId, subject: key, at: now, detail: { from: before, to: checked } });
}
