import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS } from "./accounts";
import { extraServerPort, SAME_ORIGIN, startServer } from "./fixtures";

/**
 * HTTPS as a reverse proxy forwards it: X-Forwarded-Proto: https, which only a server started with
 * TRUST_PROXY=1 believes. Plain requests (Node's fetch, cookies by hand: the session cookie is
 * Secure, and nothing here is really encrypted).
 */
const PROXIED = { "X-Forwarded-Proto": "https" };
const form = (role: keyof typeof E2E_USERS) => new URLSearchParams({ email: E2E_USERS[role].email, password: E2E_PASSWORD, redirectTo: "/jams" });

async function signInAt(base: string, origin: string, headers: Record<string, string>) {
  return fetch(`${base}/login`, { method: "POST", redirect: "manual", headers: { Origin: origin, ...headers }, body: form("leader") });
}

test("behind a trusted HTTPS proxy the session cookie is __Host- and Secure, responses carry HSTS and signed-in pages are never stored", async ({}, testInfo) => {
  const port = extraServerPort(testInfo);
  const server = await startServer(port, { TRUST_PROXY: "1" });
  const base = `http://127.0.0.1:${port}`;
  try {
    const signIn = await signInAt(base, `https://127.0.0.1:${port}`, PROXIED);
    expect(signIn.status).toBe(302);
    const setCookie = signIn.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-jamboree_session=[a-z2-7]{32}; /);
    const attributes = setCookie.split("; ").slice(1);
    expect(attributes).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", "Secure"]));
    expect(attributes.some((a) => a.toLowerCase().startsWith("domain="))).toBe(false);
    expect(signIn.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const session = setCookie.split(";")[0]!;

    // The signed-in person's page and its data are private and never stored.
    for (const path of ["/jams", "/jams.data"]) {
      const page = await fetch(`${base}${path}`, { headers: { ...PROXIED, Cookie: session } });
      expect(page.status, path).toBe(200);
      expect(page.headers.get("cache-control"), path).toBe("private, no-store");
      expect(page.headers.get("strict-transport-security"), path).toBe("max-age=31536000; includeSubDomains");
    }

    // The same token under the old plain name is not read over HTTPS, and the browser is told to drop it.
    const token = session.split("=")[1]!;
    const old = await fetch(`${base}/login`, { redirect: "manual", headers: { ...PROXIED, Cookie: `jamboree_session=${token}` } });
    expect(old.status, "not signed in: the sign-in page").toBe(200);
    expect(old.headers.get("set-cookie")).toMatch(/^jamboree_session=; .*Max-Age=0/);
  } finally {
    server.kill("SIGTERM");
  }
});

test("without the proxy setting X-Forwarded-Proto is ignored: plain http keeps the plain cookie, without Secure or HSTS", async ({ baseURL }) => {
  const signIn = await signInAt(baseURL!, SAME_ORIGIN.Origin, PROXIED);
  expect(signIn.status).toBe(302);
  const setCookie = signIn.headers.get("set-cookie") ?? "";
  expect(setCookie).toMatch(/^jamboree_session=[a-z2-7]{32}; /);
  expect(setCookie).not.toContain("Secure");
  expect(signIn.headers.get("strict-transport-security")).toBeNull();

  // Signed-in pages over plain http are not stored either; a page without a session may be.
  const session = setCookie.split(";")[0]!;
  const page = await fetch(`${baseURL}/jams`, { headers: { Cookie: session } });
  expect(page.status).toBe(200);
  expect(page.headers.get("cache-control")).toBe("private, no-store");
  expect((await fetch(`${baseURL}/login`)).headers.get("cache-control")).toBeNull();
});
