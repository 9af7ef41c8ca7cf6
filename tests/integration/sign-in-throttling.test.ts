/**
 * Sign-in throttling with device cookies (OWASP's "Slow Down Online Guessing Attacks with Device
 * Cookies"): a browser that has signed in to an account carries a signed device cookie for it and
 * has a lockout count of its own; every other client (no valid device cookie for that account) is
 * locked out per account after five failures in 15 minutes. Each attempt is counted before its
 * password is checked, in one transaction, so attempts at once cannot go past the cap.
 */
import { and, count, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signIn } from "~/services/commands/accounts.server";
import { Invalid, TooManyRequests } from "~/services/errors";
import { db } from "~db/client";
import { auditLog } from "~db/schema";
import { makeUser, TEST_PASSWORD } from "../factories";
import { raceWorkers } from "./helpers/processes";
import { mapInOrder } from "~/domain/in-order";

const MINUTE = 60_000;
const WRONG = "not-the-right-password";

let ipCounter = 0;
/** A fresh address per attempt unless a test says otherwise, so no per-address count gets in the way. */
function freshIp() {
  ipCounter += 1;
  return `2001:db8::${ipCounter.toString(16)}`;
}

/** A person with an account whose email no other test uses. */
async function person() {
  return await makeUser({ email: `owner-${Math.random().toString(36).slice(2)}@example.test` });
}

async function outcome(attempt: Promise<unknown>): Promise<"ok" | "wrong" | "throttled"> {
  try {
    await attempt;
    return "ok";
  } catch (error) {
    if (error instanceof Invalid) return "wrong";
    if (error instanceof TooManyRequests) return "throttled";
    throw error;
  }
}

const evaluatedFailures = async (email: string) =>
  (await db().select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "sign_in_failed"), eq(auditLog.subject, email))).get())!.n;

/** Five failures for `email` from browsers that never signed in to it: the account is then locked for them. */
async function lockForUntrusted(email: string, t0: number) {
  for (let i = 0; i < 5; i++) {
    expect(await outcome(signIn({ email, password: `${WRONG}-${i}` }, { ip: freshIp(), now: t0 + i * 1000 }))).toBe("wrong");
  }
  expect(await outcome(signIn({ email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 10_000 }))).toBe("throttled");
}

describe("the owner's browser", () => {
  it("signs in with its device cookie while the account is locked for every other browser", async () => {
    const owner = await person();
    const t0 = Date.now();
    const first = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 });
    expect(first.device).toEqual(expect.any(String));

    await lockForUntrusted(owner.email, t0 + MINUTE);
    const refused = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 2 * MINUTE }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequests);
    // The oldest of the five failures (at t0 + 1 minute) leaves the 15-minute window at t0 + 16 minutes.
    expect((refused as TooManyRequests).retryAfterSeconds).toBe(14 * 60);

    const back = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 2 * MINUTE, device: first.device });
    expect(back.user.id).toBe(owner.id);
    // A new device cookie at every sign-in.
    expect(back.device).not.toBe(first.device);
    // And the next one works from the newest cookie as well.
    const again = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 3 * MINUTE, device: back.device });
    expect(again.user.id).toBe(owner.id);
  });

  it("has a lockout count of its own: five failures lock that browser only, and a success clears its count", async () => {
    const owner = await person();
    const t0 = Date.now();
    let { device } = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 });
    // Four slips, a success, four slips, a success: never locked, because the success cleared the count.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) {
        expect(await outcome(signIn({ email: owner.email, password: WRONG }, { ip: freshIp(), now: t0 + round * MINUTE + i, device }))).toBe("wrong");
      }
      ({ device } = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + round * MINUTE + 10, device }));
    }
    // Five failures with the cookie lock that browser, even for the right password...
    for (let i = 0; i < 5; i++) {
      expect(await outcome(signIn({ email: owner.email, password: WRONG }, { ip: freshIp(), now: t0 + 3 * MINUTE + i, device }))).toBe("wrong");
    }
    expect(await outcome(signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 3 * MINUTE + 10, device }))).toBe("throttled");
    // ...but did not count against the account for other browsers: a new browser signs in.
    expect(await outcome(signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 3 * MINUTE + 20 }))).toBe("ok");
    // And the locked browser is let in again once its failures have left the window.
    expect(await outcome(signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 18 * MINUTE + 10, device }))).toBe("ok");
  });

  it("a right password from a new browser is not counted as a failure", async () => {
    const owner = await person();
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) await outcome(signIn({ email: owner.email, password: WRONG }, { ip: freshIp(), now: t0 + i }));
    for (let i = 0; i < 3; i++) {
      expect(await outcome(signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 10 + i }))).toBe("ok");
    }
    // Still one failure to go before the lock.
    expect(await outcome(signIn({ email: owner.email, password: WRONG }, { ip: freshIp(), now: t0 + 20 }))).toBe("wrong");
    expect(await outcome(signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 30 }))).toBe("throttled");
  });
});

describe("browsers that never signed in to the account", () => {
  it("five failures in 15 minutes refuse the sixth attempt, even with the right password, until the oldest leaves the window", async () => {
    const owner = await person();
    const t0 = Date.now();
    for (let i = 0; i < 5; i += 1) {
      expect(await outcome(signIn({ email: owner.email, password: `${WRONG}-${i}` }, { ip: freshIp(), now: t0 + i * MINUTE }))).toBe("wrong");
    }
    const refused = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 5 * MINUTE }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).retryAfterSeconds).toBe(10 * 60);
    expect((refused as TooManyRequests).message).toBe(
      "Too many failed sign-ins to this account from browsers it has not used before. Try again in 10 minutes. A browser you have signed in with before can still sign in.",
    );
    expect(await evaluatedFailures(owner.email)).toBe(5);
    const signIns = async () => await db().select().from(auditLog).where(and(eq(auditLog.action, "sign_in"), eq(auditLog.actorId, owner.id))).all();
    expect(await signIns()).toHaveLength(0);

    const later = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 15 * MINUTE + 1000 });
    expect(later.user.id).toBe(owner.id);
    expect(await signIns()).toMatchObject([{ subject: owner.email, at: t0 + 15 * MINUTE + 1000 }]);
  });

  it("an email with no account locks the same way, so the lock tells nothing about who has one", async () => {
    const email = `nobody-${Math.random().toString(36).slice(2)}@example.test`;
    await lockForUntrusted(email, Date.now());
    expect(await evaluatedFailures(email)).toBe(5);
  });
});

describe("device cookies that are not the owner's", () => {
  it("a forged, altered, expired or other account's device cookie gives no way past the lock", async () => {
    const owner = await person();
    const attacker = await person();
    const t0 = Date.now();
    const ownerDevice = (await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 })).device;
    const attackerDevice = (await signIn({ email: attacker.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 })).device;
    await lockForUntrusted(owner.email, t0 + MINUTE);

    const [userId, ...rest] = ownerDevice.split(".");
    const signature = rest.at(-1)!;
    // The signature's last base64url character carries four spare bits: the next character of the
    // alphabet spells the very same bytes. Only the token as it was issued is trusted.
    const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const respelled = signature.slice(0, -1) + BASE64URL[BASE64URL.indexOf(signature.at(-1)!) + 1];
    const flippedFirst = (signature.startsWith("A") ? "B" : "A") + signature.slice(1);
    const attackerParts = attackerDevice.split(".");
    const forgeries = {
      "another account's cookie": attackerDevice,
      "the owner's cookie with its signature spelled another way": [userId, ...rest.slice(0, -1), respelled].join("."),
      "the owner's cookie with the first character of its signature altered": [userId, ...rest.slice(0, -1), flippedFirst].join("."),
      "the attacker's cookie relabelled with the owner's id": [String(owner.id), ...attackerParts.slice(1)].join("."),
      "a made-up cookie": `${owner.id}.${(t0 / 1000).toString(36)}.${"a".repeat(32)}.${"A".repeat(43)}`,
      "garbage": "%%%;not a cookie",
    };
    for (const [what, device] of Object.entries(forgeries)) {
      expect(await outcome(signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 2 * MINUTE, device })), what).toBe("throttled");
    }
    // The genuine cookie, once it is older than its lifetime (180 days), is no longer trusted either.
    const late = t0 + 181 * 24 * 60 * MINUTE;
    await lockForUntrusted(owner.email, late);
    expect(await outcome(signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: late + MINUTE, device: ownerDevice }))).toBe("throttled");
    // While a fresh genuine cookie still is.
    expect(await outcome(signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 + 2 * MINUTE, device: ownerDevice }))).toBe("ok");
  });
});

describe("attempts at the same moment", () => {
  it("forty wrong passwords at once for one account evaluate at most five", async () => {
    const owner = await person();
    const t0 = Date.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => outcome(signIn({ email: owner.email, password: `${WRONG}-${i}` }, { ip: freshIp(), now: t0 }))),
    );
    expect(await evaluatedFailures(owner.email)).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === "wrong")).toHaveLength(await evaluatedFailures(owner.email));
    expect(results.filter((r) => r === "throttled").length).toBeGreaterThanOrEqual(35);
  });

  it("forty wrong passwords at once through one trusted browser's cookie evaluate at most five", async () => {
    const owner = await person();
    const t0 = Date.now();
    const { device } = await signIn({ email: owner.email, password: TEST_PASSWORD }, { ip: freshIp(), now: t0 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => outcome(signIn({ email: owner.email, password: `${WRONG}-${i}` }, { ip: freshIp(), now: t0 + 1, device }))),
    );
    expect(await evaluatedFailures(owner.email)).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === "throttled").length).toBeGreaterThanOrEqual(35);
  });

  it("four server processes guessing ten at a time each evaluate at most five in all", async () => {
    const owner = await person();
    const results = await raceWorkers<{ outcomes: string[] }>(
      "tests/integration/helpers/sign-in-worker.ts",
      Array.from({ length: 4 }, (_, p) => ({ email: owner.email, attempts: 10, prefix: `process-${p}` })),
    );
    const outcomes = results.flatMap((r) => r.outcomes);
    expect(outcomes).toHaveLength(40);
    expect(await evaluatedFailures(owner.email)).toBeLessThanOrEqual(5);
    expect(outcomes.filter((o) => o === "wrong")).toHaveLength(await evaluatedFailures(owner.email));
    expect(outcomes.filter((o) => o.startsWith("TooManyRequests")).length).toBeGreaterThanOrEqual(35);
  }, 60_000);
});

describe("one address shared by many people (a company NAT)", () => {
  it("thirty colleagues mistyping behind one address do not block a different colleague with the right password", async () => {
    const nat = "203.0.113.7";
    const t0 = Date.now();
    for (let i = 0; i < 30; i++) {
      const colleague = await person();
      expect(await outcome(signIn({ email: colleague.email, password: WRONG }, { ip: nat, now: t0 + i * 1000 }))).toBe("wrong");
    }
    const other = await person();
    const signedIn = await signIn({ email: other.email, password: TEST_PASSWORD }, { ip: nat, now: t0 + 31_000 });
    expect(signedIn.user.id).toBe(other.id);
  });

  it("a guesser spraying many accounts from one address is stopped at the address cap, and people whose browser knows them still get in", async () => {
    const nat = "203.0.113.8";
    const t0 = Date.now();
    const regular = await person();
    const { device } = await signIn({ email: regular.email, password: TEST_PASSWORD }, { ip: nat, now: t0 });
    const tries = await Promise.all(
      Array.from({ length: 110 }, (_, i) => outcome(signIn({ email: `sprayed-${i}-${t0}@example.test`, password: WRONG }, { ip: nat, now: t0 + 1 }))),
    );
    // The address counts failures once they failed (so a crowd signing in at once is never refused):
    // guesses already in flight when the cap is reached still finish, each one guess at one account,
    // whose own cap is exact. Once they have, the address is closed.
    const wrong = tries.filter((r) => r === "wrong").length;
    expect(wrong).toBeGreaterThanOrEqual(100);
    const sprayed = (await db().select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "sign_in_failed"), like(auditLog.subject, `sprayed-%-${t0}@example.test`))).get())!.n;
    expect(sprayed).toBe(wrong);
    expect(await outcome(signIn({ email: `sprayed-late-${t0}@example.test`, password: WRONG }, { ip: nat, now: t0 + 2 }))).toBe("throttled");
    // A new browser behind that address must wait; the colleague's own browser is not held up.
    expect(await outcome(signIn({ email: (await person()).email, password: TEST_PASSWORD }, { ip: nat, now: t0 + 2 }))).toBe("throttled");
    expect(await outcome(signIn({ email: regular.email, password: TEST_PASSWORD }, { ip: nat, now: t0 + 2, device }))).toBe("ok");
  });

  it("a crowd behind one address signing in at the same moment (a jam opening at 9:00) all get in", async () => {
    const nat = "203.0.113.9";
    const t0 = Date.now();
    const crowd = await mapInOrder(Array.from({ length: 150 }), async () => await person());
    const results = await Promise.all(crowd.map((p) => outcome(signIn({ email: p.email, password: TEST_PASSWORD }, { ip: nat, now: t0 }))));
    expect(results.filter((r) => r === "ok")).toHaveLength(150);
  });
});
