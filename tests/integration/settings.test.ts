/**
 * Settings an admin changes in the app: defaults, checked writes, audit, and rows that no longer fit.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setSetting } from "~/services/commands/settings.server";
import { getSetting } from "~/services/lookups/settings.server";
import { db } from "~db/client";
import { appSettings, auditLog } from "~db/schema";
import { makeUser } from "../factories";

describe("app settings", () => {
  it("reads the default until an admin sets a value, and audits the change", async () => {
    const admin = await makeUser({ role: "admin" });
    expect(await getSetting(db(), "passwordSignIn")).toBe(true);
    await setSetting("passwordSignIn", false, admin.id);
    expect(await getSetting(db(), "passwordSignIn")).toBe(false);
    const rows = await db().select().from(auditLog).where(and(eq(auditLog.action, "setting_changed"), eq(auditLog.subject, "passwordSignIn"))).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actorId).toBe(admin.id);
    await setSetting("passwordSignIn", true, admin.id);
    expect(await getSetting(db(), "passwordSignIn")).toBe(true);
  });

  it("refuses a value outside the setting's rules and keeps the old one", async () => {
    const admin = await makeUser({ role: "admin" });
    await setSetting("auditRetentionDays", 365, admin.id);
    await expect(async () => await setSetting("auditRetentionDays", 3, admin.id)).rejects.toThrow();
    expect(await getSetting(db(), "auditRetentionDays")).toBe(365);
  });

  it("falls back to the default when a stored row is not what the setting expects", async () => {
    await db().insert(appSettings).values({ key: "endedJamRetentionDays", value: '"soon"', updatedAt: Date.now() })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: '"soon"' } }).run();
    expect(await getSetting(db(), "endedJamRetentionDays")).toBeNull();
  });
});
