import { describe, expect, it } from "vitest";
import {
  addressMayReceive,
  afterFailure,
  composeMail,
  deliveryFor,
  digestDueAt,
  kindsStoppedBy,
  MAX_SEND_ATTEMPTS,
  retryDelayMs,
  unsubscribeScopeOf,
} from "./mail";

describe("mail rules", () => {
  it("sends the three kinds a person asked for at once, whatever they chose", () => {
    expect(deliveryFor("password_reset", "never")).toBe("immediately");
    expect(deliveryFor("email_check", "weekly")).toBe("immediately");
    expect(deliveryFor("test", undefined)).toBe("immediately");
    expect(deliveryFor("invitation", undefined)).toBe("immediately");
    expect(deliveryFor("pulse", undefined)).toBe("daily");
    expect(deliveryFor("pulse", "never")).toBe("never");
  });

  it("keeps jam mail from an address nobody has checked, but not what proves or uses it", () => {
    const unchecked = { emailVerifiedAt: null, passwordHash: "argon2..." };
    expect(addressMayReceive("invitation", unchecked)).toBe(false);
    expect(addressMayReceive("email_check", unchecked)).toBe(true);
    expect(addressMayReceive("password_reset", unchecked)).toBe(true);
    expect(addressMayReceive("invitation", { emailVerifiedAt: 1, passwordHash: "x" })).toBe(true);
    expect(addressMayReceive("invitation", { emailVerifiedAt: null, passwordHash: "" })).toBe(true);
  });

  it("backs off 1, 2, 4, 8 minutes… up to 6 hours, and gives up after the last attempt", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n))).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
    expect(retryDelayMs(20)).toBe(6 * 3_600_000);
    expect(retryDelayMs(1, 0.5)).toBe(66_000);
    expect(afterFailure(1, 1000, 0)).toEqual({ retryAt: 61_000 });
    expect(afterFailure(MAX_SEND_ATTEMPTS, 1000)).toEqual({ giveUp: true });
  });

  it("sends daily digests at the next 07:00 UTC and weekly ones on the next Monday", () => {
    expect(digestDueAt("daily", Date.UTC(2026, 11, 9, 6, 59))).toBe(Date.UTC(2026, 11, 9, 7));
    expect(digestDueAt("daily", Date.UTC(2026, 11, 9, 7))).toBe(Date.UTC(2026, 11, 10, 7));
    expect(digestDueAt("weekly", Date.UTC(2026, 11, 9, 12))).toBe(Date.UTC(2026, 11, 14, 7)); // Wed -> Mon
    expect(digestDueAt("weekly", Date.UTC(2026, 11, 14, 6))).toBe(Date.UTC(2026, 11, 14, 7)); // Monday before 7
    expect(digestDueAt("weekly", Date.UTC(2026, 11, 14, 8))).toBe(Date.UTC(2026, 11, 21, 7));
  });

  it("writes what people wrote as text in the HTML part", () => {
    const mail = composeMail({ greeting: "Hello <b>Sam</b>,", paragraphs: ['An idea: "<script>alert(1)</script>" & more'], action: { label: "Open", url: 'https://x.test/?a=1&b="2"' } });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.html).toContain('href="https://x.test/?a=1&amp;b=&quot;2&quot;"');
    expect(mail.text).toBe('Hello <b>Sam</b>,\n\nAn idea: "<script>alert(1)</script>" & more\n\nOpen: https://x.test/?a=1&b="2"');
  });

  it("unsubscribes from one kind, from a digest's kinds, or from everything", () => {
    const current = { invitation: "immediately", jam_opening: "daily", pulse: "daily", reminder: "weekly", results: "never", action_status: "immediately", idea_stage: "immediately", review_reminder: "daily", question: "immediately", community_digest: "immediately" } as const;
    expect(kindsStoppedBy("pulse", current)).toEqual(["pulse"]);
    expect(kindsStoppedBy("daily_digest", current)).toEqual(["jam_opening", "pulse", "review_reminder"]);
    expect(kindsStoppedBy("weekly_digest", current)).toEqual(["reminder"]);
    expect(kindsStoppedBy("all", current)).toHaveLength(10);
    expect(unsubscribeScopeOf("password_reset")).toBe("all");
    expect(unsubscribeScopeOf("results")).toBe("results");
  });
});
