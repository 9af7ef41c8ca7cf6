/**
 * Sign-up: passwords that are too easy to guess are refused, sign-ups are throttled per address in
 * the shared store, and the answer never tells whether an email already has an account.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as signUpAction } from "~/routes/signup";
import { signIn, signUp } from "~/services/commands/accounts.server";
import { Invalid, TooManyRequests } from "~/services/errors";
import { resetRateLimits, setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { db } from "~db/client";
import { auditLog, sessions, users } from "~db/schema";
import { makeDepartment } from "../factories";

let departmentId: number;
beforeAll(async () => {
  departmentId = (await makeDepartment()).id;
});

const uniqueEmail = (prefix = "newcomer") => `${prefix}-${Math.random().toString(36).slice(2)}@example.test`;
const accountsWith = async (email: string) => (await db().select({ n: count() }).from(users).where(eq(users.email, email)).get())!.n;

/** Posts the sign-up form to the route's action, as a browser would. */
async function postSignUp(form: Record<string, string>, ip = "192.0.2.10") {
  const request = new Request("http://localhost/signup", { method: "POST", body: new URLSearchParams(form) });
  const result: unknown = await signUpAction({ request, context: { ip, nonce: "" } as never, params: {} });
  return result;
}

describe("passwords that are too easy to guess", () => {
  it("are refused with a clear reason on the password field, and nothing is created", async () => {
    const cases: [string, string, RegExp][] = [
      ["Quinn Example", "qwertyuiop", /most common passwords/],
      ["Quinn Example", "Password2024!", /most common passwords/],
      ["Quinn Example", "1q2w3e4r5t", /most common passwords/],
      ["Quinn Example", "zzzzzzzzzzzz", /one character repeated/],
      ["Quinn Example", "quinn-the-eskimo-rules", /name and email/],
      ["Rosalind Franklin", "franklin-was-right", /name and email/],
    ];
    for (const [name, password, reason] of cases) {
      const email = uniqueEmail("quinn");
      const error = await signUp({ name, email, password, departmentId }, { ip: null }).catch((e: unknown) => e);
      expect(error, password).toBeInstanceOf(Invalid);
      expect((error as Invalid).fieldErrors.password?.join(" "), password).toMatch(reason);
      expect(await accountsWith(email)).toBe(0);
    }
  });

  it("the form keeps the name and email typed, never the password", async () => {
    const email = uniqueEmail();
    const result = (await postSignUp({ name: "Kept Name", email, password: "password12345", departmentId: String(departmentId) })) as {
      init: { status: number };
      data: { fieldErrors: Record<string, string[]>; values: Record<string, string> };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.fieldErrors.password?.[0]).toMatch(/most common passwords/);
    expect(result.data.values).toMatchObject({ name: "Kept Name", email });
    expect(JSON.stringify(result)).not.toContain("password12345");
  });
});

describe("an email that already has an account", () => {
  it("gets the very same answer as a new one, and the existing account is left as it was", async () => {
    const email = uniqueEmail("taken");
    const first = await postSignUp({ name: "First Owner", email, password: "tulip sofa windy 42", departmentId: String(departmentId) });
    const second = await postSignUp({ name: "Someone Else", email, password: "another quiet river", departmentId: String(departmentId) });
    expect(second).toEqual(first);
    // Neither answer signs anyone in (a session cookie would tell them apart).
    expect(JSON.stringify(first)).not.toMatch(/jamboree_session/);

    const rows = await db().select().from(users).where(eq(users.email, email)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe("First Owner");
    expect((await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, rows[0]!.id)).get())!.n).toBe(0);
    // The owner's password still works; the newcomer's does not.
    expect((await signIn({ email, password: "tulip sofa windy 42" }, { ip: null })).user.id).toBe(rows[0]!.id);
    await expect(signIn({ email, password: "another quiet river" }, { ip: null })).rejects.toBeInstanceOf(Invalid);
    // The admins can see the attempt in the audit log.
    const taken = (await db().select().from(auditLog).where(eq(auditLog.subject, email)).all()).map((r) => r.action);
    expect(taken).toContain("sign_up");
    expect(taken).toContain("sign_up_email_taken");
  });

  it("an email in another case is the same email", async () => {
    const email = uniqueEmail("case");
    await signUp({ name: "Lower Case", email, password: "tulip sofa windy 42", departmentId }, { ip: null });
    const again = await signUp({ name: "Upper Case", email: `  ${email.toUpperCase()} `, password: "another quiet river", departmentId }, { ip: null });
    expect(again.user).toBeNull();
    expect(await accountsWith(email)).toBe(1);
  });
});

describe("sign-ups from one address", () => {
  beforeEach(async () => {
    setRateLimitsEnabled(true);
    await resetRateLimits();
  });
  afterAll(() => setRateLimitsEnabled(false));

  it("five a minute are let through; the sixth waits, with Retry-After, and creates nothing; another address is not held up", async () => {
    const t0 = Date.now();
    const ip = "203.0.113.50";
    for (let i = 0; i < 5; i++) {
      expect((await signUp({ name: `Batch ${i}`, email: uniqueEmail(), password: "tulip sofa windy 42", departmentId }, { ip, now: t0 + i })).user).not.toBeNull();
    }
    const email = uniqueEmail();
    const refused = await signUp({ name: "Sixth", email, password: "tulip sofa windy 42", departmentId }, { ip, now: t0 + 10 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).retryAfterSeconds).toBe(60);
    expect((refused as TooManyRequests).message).toBe("Too many accounts were created from your network just now. Try again in 60 seconds.");
    expect(await accountsWith(email)).toBe(0);
    expect((await signUp({ name: "Elsewhere", email: uniqueEmail(), password: "tulip sofa windy 42", departmentId }, { ip: "203.0.113.51", now: t0 + 10 })).user).not.toBeNull();
    // A minute later the address may sign up again.
    expect((await signUp({ name: "Later", email, password: "tulip sofa windy 42", departmentId }, { ip, now: t0 + 60_000 })).user).not.toBeNull();
  });

  it("twenty sign-ups at once from one address create five accounts at most", async () => {
    const ip = "203.0.113.52";
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => signUp({ name: `Rush ${i}`, email: uniqueEmail("rush"), password: "tulip sofa windy 42", departmentId }, { ip })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected" && r.reason instanceof TooManyRequests)).toHaveLength(15);
  });

  it("the sign-up form answers 429 with Retry-After and keeps what was typed", async () => {
    const ip = "203.0.113.53";
    for (let i = 0; i < 5; i++) await postSignUp({ name: `Form ${i}`, email: uniqueEmail(), password: "tulip sofa windy 42", departmentId: String(departmentId) }, ip);
    const email = uniqueEmail();
    const result = (await postSignUp({ name: "Too Many", email, password: "tulip sofa windy 42", departmentId: String(departmentId) }, ip)) as {
      init: { status: number; headers: Record<string, string> };
      data: { formError: string; values: Record<string, string> };
    };
    expect(result.init.status).toBe(429);
    expect(result.init.headers["Retry-After"]).toMatch(/^\d+$/);
    expect(result.data.formError).toMatch(/^Too many accounts were created from your network just now/);
    expect(result.data.values).toMatchObject({ name: "Too Many", email });
  });
});
