/**
 * Signing in with a company account: who the provider's verified claims sign in as (keyed on issuer
 * and subject, never e-mail), people made just in time, refusals and their audit, the attempts kept
 * in the database (single use, expiring, state-checked), passwords turned off, and discovery that
 * recovers when the provider was down. A real oidc-provider on localhost where the provider matters.
 */
import { and, count, eq } from "drizzle-orm";
import { createServer } from "node:net";
import Provider from "oidc-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { forgetProviderConfiguration, providerConfiguration } from "~/auth/oidc.server";
import { validateSessionToken, type SessionUser } from "~/auth/session.server";
import { attemptIdFromToken, newAttemptToken, signOnSettings } from "~/auth/sign-on.server";
import type { Claims } from "~/domain/sign-on";
import { signIn, signUp } from "~/services/commands/accounts.server";
import { companySettingsPage } from "~/services/pages/company-settings.server";
import { setPasswordSignIn } from "~/services/commands/company-settings.server";
import { Forbidden, Invalid, ServiceError } from "~/services/errors";
import { setSetting } from "~/services/commands/settings.server";
import { admitClaims, beginSignOn, completeSignOn, type SignOnOutcome } from "~/services/commands/sign-on.server";
import { passwordSignInAllowed } from "~/services/lookups/sign-on.server";
import { db } from "~db/client";
import { auditLog, departments, signOnAttempts, signOnIdentities, users } from "~db/schema";
import { makeDepartment, makeUser, TEST_PASSWORD } from "../factories";

const ISSUER = "https://idp.example.com";
const SETTINGS = { allowedTenants: null, departmentClaim: "department" };
const SIGN_IN = { purpose: "sign_in" as const, userId: null, returnTo: "/jams" };
const meta = { ip: "192.0.2.44" };
let counter = 0;
const uniq = () => `${Date.now().toString(36)}${++counter}`;

function claims(extra: Record<string, unknown> = {}): Claims {
  const id = uniq();
  return { iss: ISSUER, sub: `sub-${id}`, name: `Person ${id}`, email: `p-${id}@corp.example`, ...extra };
}

function signedIn(outcome: SignOnOutcome) {
  if (outcome.kind !== "signed_in") throw new Error(`expected a sign-in, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const userRow = async (id: number) => (await db().select().from(users).where(eq(users.id, id)).get())!;
const usersWithEmail = async (email: string) => (await db().select({ n: count() }).from(users).where(eq(users.email, email)).get())!.n;
const departmentName = async (id: number | null) => (id === null ? null : (await db().select().from(departments).where(eq(departments.id, id)).get())!.name);
const refusals = async (reason: string) =>
  (await db()
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, "sign_on_refused"))
    .all())
    .filter((r) => JSON.parse(r.detail ?? "{}").reason === reason);

/** Sets the OIDC_* variables for one test (the service reads them at each call). */
function withSignOn(issuer = "http://127.0.0.1:9", extra: Record<string, string> = {}) {
  Object.assign(process.env, { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: "jamboree", OIDC_CLIENT_SECRET: "a-secret-that-never-shows", ...extra });
}
afterEach(() => {
  for (const name of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ALLOWED_TENANTS", "OIDC_DEPARTMENT_CLAIM"]) delete process.env[name];
  forgetProviderConfiguration();
});

describe("the first account of an empty instance", () => {
  it("is an admin, made at its first sign-on", async () => {
    expect((await db().select({ n: count() }).from(users).get())!.n).toBe(0);
    const first = signedIn(await admitClaims(db(), claims(), SIGN_IN, null, SETTINGS, meta));
    expect(first.created).toBe(true);
    expect(first.user.role).toBe("admin");
    const second = signedIn(await admitClaims(db(), claims(), SIGN_IN, null, SETTINGS, meta));
    expect(second.user.role).toBe("participant");
  });
});

describe("a person's first sign-on", () => {
  it("creates them just in time with name, e-mail and department from the claims, no password, e-mail verified, and a session", async () => {
    const c = claims({ name: "Maya Lind", email: "Maya.Lind@Corp.Example", department: `Customer Success ${uniq()}` });
    const outcome = signedIn(await admitClaims(db(), c, SIGN_IN, null, SETTINGS, { ...meta, now: 1_800_000_000_000 }));
    const row = await userRow(outcome.user.id);
    expect(row).toMatchObject({ name: "Maya Lind", email: "maya.lind@corp.example", passwordHash: "", role: "participant", emailVerifiedAt: 1_800_000_000_000 });
    expect(await departmentName(row.departmentId)).toBe(c.department);
    expect(await validateSessionToken(outcome.sessionToken, 1_800_000_000_001)).toMatchObject({ id: row.id });
    expect(await db().select().from(signOnIdentities).where(eq(signOnIdentities.userId, row.id)).all()).toMatchObject([{ issuer: ISSUER, subject: c.sub }]);
    const created = await db().select().from(auditLog).where(and(eq(auditLog.action, "sign_on_account_created"), eq(auditLog.actorId, row.id))).all();
    expect(created).toHaveLength(1);
  });

  it("joins an existing department whatever its case, and reads the department from the configured claim", async () => {
    const team = await makeDepartment(`Finance ${uniq()}`);
    const outcome = signedIn(await admitClaims(db(), claims({ dept: team.name.toUpperCase(), department: "Not this one" }), SIGN_IN, null, { ...SETTINGS, departmentClaim: "dept" }, meta));
    expect((await userRow(outcome.user.id)).departmentId).toBe(team.id);
  });

  it("names someone without a name claim after their e-mail, and leaves the department empty without the claim", async () => {
    const outcome = signedIn(await admitClaims(db(), claims({ name: undefined, email: "kai.berg@corp.example" }), SIGN_IN, null, SETTINGS, meta));
    expect(await userRow(outcome.user.id)).toMatchObject({ name: "kai.berg", departmentId: null });
  });

  it("is refused without an e-mail, and nothing is created", async () => {
    const before = (await db().select({ n: count() }).from(users).get())!.n;
    expect(await admitClaims(db(), claims({ email: undefined }), SIGN_IN, null, SETTINGS, meta)).toEqual({ kind: "refused", reason: "no_email", purpose: "sign_in" });
    expect((await db().select({ n: count() }).from(users).get())!.n).toBe(before);
  });
});

describe("a returning person", () => {
  it("signs in to the same account however often, with name and department following the provider", async () => {
    const c = claims({ department: `Sales ${uniq()}` });
    const first = signedIn(await admitClaims(db(), c, SIGN_IN, null, SETTINGS, meta));
    const again = signedIn(await admitClaims(db(), { ...c, name: "Maya Lind-Berg", department: `Marketing ${uniq()}` }, SIGN_IN, null, SETTINGS, meta));
    expect(again.user.id).toBe(first.user.id);
    expect(again.created).toBe(false);
    expect(await usersWithEmail(c.email as string)).toBe(1);
    const row = await userRow(first.user.id);
    expect(row.name).toBe("Maya Lind-Berg");
    expect(await departmentName(row.departmentId)).toMatch(/^Marketing /);
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "department_changed"), eq(auditLog.actorId, row.id))).all()).toHaveLength(1);
    // A sign-in without the department claim keeps the department they have.
    signedIn(await admitClaims(db(), { ...c, department: undefined }, SIGN_IN, null, SETTINGS, meta));
    expect((await userRow(row.id)).departmentId).toBe(row.departmentId);
  });

  it("on Entra ID is found by tenant and object id even when sub differs (another app registration)", async () => {
    const tenant = { tid: "0b6f1c3e-7d0a-4b7e-9a55-2f1f0c1d2e3f", oid: `5c2a7e1d-${uniq()}` };
    const first = signedIn(await admitClaims(db(), claims({ ...tenant, sub: "pairwise-one" }), SIGN_IN, null, SETTINGS, meta));
    const second = signedIn(await admitClaims(db(), claims({ ...tenant, sub: "pairwise-two", email: first.user.email }), SIGN_IN, null, SETTINGS, meta));
    expect(second.user.id).toBe(first.user.id);
  });

  it("is refused when deactivated or erased, with no session", async () => {
    const deactivated = claims();
    const a = signedIn(await admitClaims(db(), deactivated, SIGN_IN, null, SETTINGS, meta));
    await db().update(users).set({ deactivatedAt: Date.now() }).where(eq(users.id, a.user.id)).run();
    expect(await admitClaims(db(), deactivated, SIGN_IN, null, SETTINGS, meta)).toMatchObject({ kind: "refused", reason: "deactivated" });

    const erased = claims();
    const b = signedIn(await admitClaims(db(), erased, SIGN_IN, null, SETTINGS, meta));
    await db().update(users).set({ erasedAt: Date.now() }).where(eq(users.id, b.user.id)).run();
    expect(await admitClaims(db(), erased, SIGN_IN, null, SETTINGS, meta)).toMatchObject({ kind: "refused", reason: "erased" });
    expect((await refusals("deactivated")).length).toBeGreaterThan(0);
    expect((await refusals("erased")).length).toBeGreaterThan(0);
  });
});

describe("never joining accounts by e-mail", () => {
  it("refuses a provider account whose e-mail belongs to a password account: no sign-in to it, no second account", async () => {
    const owner = await makeUser({ email: `owner-${uniq()}@corp.example` });
    const outcome = await admitClaims(db(), claims({ email: owner.email.toUpperCase() }), SIGN_IN, null, SETTINGS, meta);
    expect(outcome).toEqual({ kind: "refused", reason: "email_taken", purpose: "sign_in" });
    expect(await usersWithEmail(owner.email)).toBe(1);
    expect(await db().select().from(signOnIdentities).where(eq(signOnIdentities.userId, owner.id)).all()).toEqual([]);
    expect((await refusals("email_taken")).some((r) => JSON.parse(r.detail!).userId === owner.id)).toBe(true);
  });

  it("lets that person connect their company account while signed in with their password, and then sign in with it", async () => {
    const owner = await makeUser({ email: `connector-${uniq()}@corp.example` });
    const c = claims({ email: owner.email });
    const connect = { purpose: "connect" as const, userId: owner.id, returnTo: "/me?tab=sessions" };
    expect(await admitClaims(db(), c, connect, owner, SETTINGS, meta)).toEqual({ kind: "connected", returnTo: "/me?tab=sessions" });
    // Connecting twice changes nothing.
    expect((await admitClaims(db(), c, connect, owner, SETTINGS, meta)).kind).toBe("connected");
    expect(await db().select().from(signOnIdentities).where(eq(signOnIdentities.userId, owner.id)).all()).toHaveLength(1);
    const later = signedIn(await admitClaims(db(), c, SIGN_IN, null, SETTINGS, meta));
    expect(later.user.id).toBe(owner.id);
  });

  it("does not connect an account someone else has, nor for a browser now signed in as someone else", async () => {
    const taken = claims();
    signedIn(await admitClaims(db(), taken, SIGN_IN, null, SETTINGS, meta));
    const other = await makeUser();
    expect(await admitClaims(db(), taken, { purpose: "connect", userId: other.id, returnTo: "/me" }, other, SETTINGS, meta)).toMatchObject({ reason: "identity_taken" });
    const someoneElse = await makeUser();
    expect(await admitClaims(db(), claims(), { purpose: "connect", userId: other.id, returnTo: "/me" }, someoneElse, SETTINGS, meta)).toMatchObject({
      reason: "connect_signed_out",
    });
    expect(await admitClaims(db(), claims(), { purpose: "connect", userId: other.id, returnTo: "/me" }, null, SETTINGS, meta)).toMatchObject({ reason: "connect_signed_out" });
  });
});

describe("people the company directory provisioned", () => {
  const provision = async (externalId: string, extra: Partial<typeof users.$inferInsert> = {}) => {
    const person = await makeUser();
    await db().update(users).set({ externalId, passwordHash: "", ...extra }).where(eq(users.id, person.id)).run();
    return person;
  };

  it("are signed in at their first sign-on by the directory's id for them (Okta: sub), whatever e-mail the provider gives", async () => {
    const c = claims();
    const person = await provision(c.sub as string);
    const outcome = signedIn(await admitClaims(db(), { ...c, email: person.email }, SIGN_IN, null, SETTINGS, meta));
    expect(outcome.user.id).toBe(person.id);
    expect(outcome.created).toBe(false);
    // The next sign-in finds the connected account.
    expect(signedIn(await admitClaims(db(), { ...c, email: person.email }, SIGN_IN, null, SETTINGS, meta)).user.id).toBe(person.id);
  });

  it("on Entra ID are found by object id (provisioning maps objectId to externalId)", async () => {
    const oid = `9C5E${uniq()}`.toLowerCase();
    const person = await provision(oid.toUpperCase());
    const outcome = signedIn(await admitClaims(db(), claims({ tid: "tenant-1", oid, email: person.email }), SIGN_IN, null, SETTINGS, meta));
    expect(outcome.user.id).toBe(person.id);
  });

  it("never by e-mail, never into an account with a password, an erased one, or one already connected", async () => {
    const withPassword = await makeUser();
    await db().update(users).set({ externalId: `pw-${uniq()}` }).where(eq(users.id, withPassword.id)).run();
    const c1 = claims({ sub: (await userRow(withPassword.id)).externalId });
    const o1 = await admitClaims(db(), c1, SIGN_IN, null, SETTINGS, meta);
    if (o1.kind === "signed_in") expect(o1.user.id).not.toBe(withPassword.id);

    const erased = await provision(`er-${uniq()}`, { erasedAt: Date.now() });
    const o2 = await admitClaims(db(), claims({ sub: (await userRow(erased.id)).externalId }), SIGN_IN, null, SETTINGS, meta);
    if (o2.kind === "signed_in") expect(o2.user.id).not.toBe(erased.id);

    const connected = await provision(`co-${uniq()}`);
    const first = claims({ sub: (await userRow(connected.id)).externalId, email: connected.email });
    expect(signedIn(await admitClaims(db(), first, SIGN_IN, null, SETTINGS, meta)).user.id).toBe(connected.id);
    // Another account of the same issuer claiming the same directory id gets nothing of theirs.
    const other = await admitClaims(db(), claims({ oid: (await userRow(connected.id)).externalId }), SIGN_IN, null, SETTINGS, meta);
    if (other.kind === "signed_in") expect(other.user.id).not.toBe(connected.id);
  });

  it("are refused while deactivated", async () => {
    const c = claims();
    const person = await provision(c.sub as string, { deactivatedAt: Date.now() });
    const outcome = await admitClaims(db(), { ...c, email: person.email }, SIGN_IN, null, SETTINGS, meta);
    expect(outcome).toMatchObject({ kind: "refused", reason: "deactivated" });
  });
});

describe("tenants", () => {
  it("refuses an organisation that is not allowed, and creates nobody", async () => {
    const settings = { ...SETTINGS, allowedTenants: ["allowed-tenant"] };
    const outsider = claims({ tid: "other-tenant", oid: uniq() });
    expect(await admitClaims(db(), outsider, SIGN_IN, null, settings, meta)).toMatchObject({ kind: "refused", reason: "tenant" });
    expect(await usersWithEmail(outsider.email as string)).toBe(0);
    expect((await admitClaims(db(), claims({ tid: "allowed-tenant", oid: uniq() }), SIGN_IN, null, settings, meta)).kind).toBe("signed_in");
  });
});

describe("attempts kept in the database", () => {
  async function pendingAttempt(overrides: Partial<typeof signOnAttempts.$inferInsert> = {}) {
    const token = newAttemptToken();
    const now = Date.now();
    await db()
      .insert(signOnAttempts)
      .values({
        id: attemptIdFromToken(token),
        state: "the-state",
        nonce: "the-nonce",
        codeVerifier: "v".repeat(43),
        redirectUri: "http://localhost:3000/auth/oidc/callback",
        returnTo: "/jams",
        purpose: "sign_in",
        createdAt: now,
        expiresAt: now + 600_000,
        ...overrides,
      })
      .run();
    return token;
  }
  const callback = (query: string) => new URL(`http://localhost:3000/auth/oidc/callback?${query}`);
  const attemptsLeft = async (token: string) => (await db().select().from(signOnAttempts).where(eq(signOnAttempts.id, attemptIdFromToken(token))).all()).length;

  it("refuses a callback without this browser's attempt", async () => {
    withSignOn();
    expect(await completeSignOn({ token: null, callback: callback("code=x&state=the-state"), user: null }, meta)).toMatchObject({ reason: "no_attempt" });
    expect(await completeSignOn({ token: newAttemptToken(), callback: callback("code=x&state=the-state"), user: null }, meta)).toMatchObject({ reason: "no_attempt" });
  });

  it("refuses an answer whose state is not the attempt's, and the attempt is used up (a replay finds nothing)", async () => {
    withSignOn();
    const token = await pendingAttempt();
    expect(await completeSignOn({ token, callback: callback("code=x&state=forged"), user: null }, meta)).toMatchObject({ reason: "state_mismatch" });
    expect(await attemptsLeft(token)).toBe(0);
    expect(await completeSignOn({ token, callback: callback("code=x&state=the-state"), user: null }, meta)).toMatchObject({ reason: "no_attempt" });
    expect((await refusals("state_mismatch")).length).toBeGreaterThan(0);
  });

  it("refuses an attempt older than ten minutes", async () => {
    withSignOn();
    const token = await pendingAttempt({ createdAt: Date.now() - 700_000, expiresAt: Date.now() - 100_000 });
    expect(await completeSignOn({ token, callback: callback("code=x&state=the-state"), user: null }, meta)).toMatchObject({ reason: "expired" });
    expect(await attemptsLeft(token)).toBe(0);
  });

  it("says the provider could not be reached when it is down, and uses the attempt up", async () => {
    withSignOn(`http://127.0.0.1:${await closedPort()}`);
    const token = await pendingAttempt();
    expect(await completeSignOn({ token, callback: callback("code=x&state=the-state"), user: null }, meta)).toMatchObject({ reason: "unavailable" });
    expect(await attemptsLeft(token)).toBe(0);
  });

  it("is not configured without all three variables, and never over plain http to another machine", () => {
    withSignOn("http://idp.example.com");
    expect(signOnSettings()).toBeNull();
    withSignOn("https://idp.example.com");
    delete process.env.OIDC_CLIENT_SECRET;
    expect(signOnSettings()).toBeNull();
  });
});

describe("passwords turned off", () => {
  let admin: SessionUser;
  beforeAll(async () => {
    admin = await makeUser({ role: "admin" });
  });
  afterEach(async () => await setSetting("passwordSignIn", true, admin.id));

  it("refuses password sign-in and sign-up with 403 when sign-on is set up, and audits it", async () => {
    const person = await makeUser();
    withSignOn();
    await setSetting("passwordSignIn", false, admin.id);
    expect(await passwordSignInAllowed()).toBe(false);
    const refused = await signIn({ email: person.email, password: TEST_PASSWORD }, meta).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect((refused as ServiceError).status).toBe(403);
    const email = `newcomer-${uniq()}@corp.example`;
    const signUpRefused = await signUp({ name: "New Comer", email, password: "a-long-unusual-passphrase" }, meta).catch((e: unknown) => e);
    expect((signUpRefused as ServiceError).status).toBe(403);
    expect(await usersWithEmail(email)).toBe(0);
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "password_sign_in_refused"), eq(auditLog.subject, person.email))).all()).toHaveLength(1);
  });

  it("keeps passwords working when sign-on is not set up, whatever the setting says (nobody is locked out)", async () => {
    const person = await makeUser();
    await setSetting("passwordSignIn", false, admin.id);
    expect(await passwordSignInAllowed()).toBe(true);
    expect((await signIn({ email: person.email, password: TEST_PASSWORD }, meta)).user.id).toBe(person.id);
  });

  it("cannot be turned off without sign-on, nor by an admin without their own company account, nor by a non-admin", async () => {
    await expect(async () => await setPasswordSignIn(admin, { passwordSignIn: "off" })).rejects.toThrow(Invalid);
    withSignOn();
    const refused = await (async () => {
      try {
        await setPasswordSignIn(admin, { passwordSignIn: "off" });
      } catch (e) {
        return e as Invalid;
      }
    })();
    expect(refused?.fieldErrors.form?.[0]).toMatch(/Connect your own company account first/);
    await expect(async () => await setPasswordSignIn(await makeUser(), { passwordSignIn: "off" })).rejects.toThrow(Forbidden);
    await admitClaims(db(), claims(), { purpose: "connect", userId: admin.id, returnTo: "/me" }, admin, SETTINGS, meta);
    expect(await setPasswordSignIn(admin, { passwordSignIn: "off" })).toEqual({ enabled: false });
    expect(await passwordSignInAllowed()).toBe(false);
    await expect(async () => await setPasswordSignIn(admin, { passwordSignIn: "maybe" })).rejects.toThrow(Invalid);
  });

  it("tells someone whose e-mail is taken to ask an admin, as they cannot sign in with a password to connect", async () => {
    const owner = await makeUser({ email: `locked-${uniq()}@corp.example` });
    withSignOn();
    await setSetting("passwordSignIn", false, admin.id);
    expect(await admitClaims(db(), claims({ email: owner.email }), SIGN_IN, null, SETTINGS, meta)).toMatchObject({ reason: "email_taken_passwords_off" });
  });
});

describe("the admin settings page", () => {
  it("shows what the environment configures and never the secrets", async () => {
    const admin = await makeUser({ role: "admin" });
    withSignOn("https://login.example.com/tenant/v2.0", { OIDC_ALLOWED_TENANTS: "t1, t2", OIDC_DEPARTMENT_CLAIM: "dept" });
    Object.assign(process.env, { SCIM_TOKEN: "scim-secret-token", SMTP_URL: "smtp://mailer:smtp-password@mail.example.com:587", MAIL_FROM: "Jams <jams@example.com>" });
    try {
      const page = await companySettingsPage(admin, "https://jams.example.com");
      expect(page.signOn).toMatchObject({
        state: "on",
        issuer: "https://login.example.com/tenant/v2.0",
        clientId: "jamboree",
        allowedTenants: ["t1", "t2"],
        departmentClaim: "dept",
        callbackUrl: "https://jams.example.com/auth/oidc/callback",
      });
      expect(page.directorySync).toEqual({ tokenSet: true, endpoint: "https://jams.example.com/scim/v2" });
      expect(page.mail).toMatchObject({ smtpHost: "mail.example.com", from: "Jams <jams@example.com>" });
      const shown = JSON.stringify(page);
      for (const secret of ["a-secret-that-never-shows", "scim-secret-token", "smtp-password", "mailer"]) expect(shown).not.toContain(secret);
      await expect(async () => await companySettingsPage(await makeUser(), "https://jams.example.com")).rejects.toThrow(Forbidden);
    } finally {
      for (const name of ["SCIM_TOKEN", "SMTP_URL", "MAIL_FROM"]) delete process.env[name];
    }
  });
});

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("discovery against a real provider", () => {
  let provider: ReturnType<Provider["listen"]> | undefined;
  afterAll(() => provider?.close());

  it("recovers when the provider was down at first, and starts attempts that keep only a hash of the browser's token", async () => {
    const port = await closedPort();
    const issuer = `http://127.0.0.1:${port}`;
    withSignOn(issuer);
    const settings = signOnSettings()!;
    await expect(providerConfiguration(settings)).rejects.toThrow();
    const down = await beginSignOn({ purpose: "sign_in", user: null, redirectUri: "http://localhost:3000/auth/oidc/callback", previousToken: null }, meta);
    expect(down).toEqual({ ok: false, reason: "unavailable" });

    const oidc = new Provider(issuer, {
      clients: [{ client_id: "jamboree", client_secret: "a-secret-that-never-shows", redirect_uris: ["http://localhost:3000/auth/oidc/callback"] }],
      cookies: { keys: ["integration-test-cookie-key"] },
    });
    provider = oidc.listen(port);
    expect((await providerConfiguration(settings)).serverMetadata().issuer).toBe(issuer);

    const first = await beginSignOn(
      { purpose: "sign_in", user: null, returnTo: "//evil.example/x", redirectUri: "http://localhost:3000/auth/oidc/callback", previousToken: null },
      meta,
    );
    if (!first.ok) throw new Error("expected an attempt");
    const url = new URL(first.url);
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:3000/auth/oidc/callback");
    const row = (await db().select().from(signOnAttempts).where(eq(signOnAttempts.id, attemptIdFromToken(first.token))).get())!;
    expect(row).toMatchObject({ state: url.searchParams.get("state"), nonce: url.searchParams.get("nonce"), returnTo: "/jams", purpose: "sign_in" });
    expect(row.id).not.toBe(first.token);
    expect(row.expiresAt - row.createdAt).toBe(600_000);

    // Starting again in the same browser replaces its pending attempt.
    const second = await beginSignOn(
      { purpose: "sign_in", user: null, returnTo: "/me", redirectUri: "http://localhost:3000/auth/oidc/callback", previousToken: first.token },
      meta,
    );
    if (!second.ok) throw new Error("expected an attempt");
    expect(await db().select().from(signOnAttempts).where(eq(signOnAttempts.id, attemptIdFromToken(first.token))).get()).toBeUndefined();
    expect((await db().select().from(signOnAttempts).where(eq(signOnAttempts.id, attemptIdFromToken(second.token))).get())?.returnTo).toBe("/me");
  });
});
