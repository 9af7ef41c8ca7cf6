/**
 * Settings an admin changes in the app: defaults, checked writes, audit, and rows that no longer fit.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getSetting, setSetting } from "~/services/settings.server";
import { db } from "~db/client";
import { appSettings, auditLog } from "~db/schema";
import { makeUser } from "../factories";

describe("app settings", () => {
  it("reads the default until an admin sets a value, and audits the change", () => {
    const admin = makeUser({ role: "admin" });
    expect(getSetting(db(), "passwordSignIn")).toBe(true);
    setSetting("passwordSignIn", false, admin.id);
    expect(getSetting(db(), "passwordSignIn")).toBe(false);
    const rows = db().select().from(auditLog).where(and(eq(auditLog.action, "setting_changed"), eq(auditLog.subject, "passwordSignIn"))).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actorId).toBe(admin.id);
    setSetting("passwordSignIn", true, admin.id);
    expect(getSetting(db(), "passwordSignIn")).toBe(true);
  });

  it("refuses a value outside the setting's rules and keeps the old one", () => {
    const admin = makeUser({ role: "admin" });
    setSetting("auditRetentionDays", 365, admin.id);
    expect(() => setSetting("auditRetentionDays", 3, admin.id)).toThrow();
    expect(getSetting(db(), "auditRetentionDays")).toBe(365);
  });

  it("falls back to the default when a stored row is not what the setting expects", () => {
    db().insert(appSettings).values({ key: "endedJamRetentionDays", value: '"soon"', updatedAt: Date.now() })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: '"soon"' } }).run();
    expect(getSetting(db(), "endedJamRetentionDays")).toBeNull();
  });
});
