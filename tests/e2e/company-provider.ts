/**
 * The company's identity provider for sign-on tests: oidc-provider 8.8.1 on localhost, started by
 * the test itself. Its development sign-in pages take any login name (the password is not checked)
 * and ask for consent; the login name is the account, whose claims come from `accounts` (a test
 * adds the people it needs). One confidential client: Jamboree, with its secret and callback.
 */
import Provider from "oidc-provider";
import type { Server } from "node:http";
import { expect, type Page } from "@playwright/test";

export interface CompanyAccount {
  name?: string;
  email?: string;
  department?: string;
  tid?: string;
  oid?: string;
}

export const COMPANY_CLIENT = { id: "jamboree-e2e", secret: "e2e-client-secret-never-shown-anywhere" } as const;

export interface CompanyProvider {
  issuer: string;
  accounts: Map<string, CompanyAccount>;
  close: () => Promise<void>;
}

export async function startCompanyProvider(port: number, appOrigin: string): Promise<CompanyProvider> {
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, CompanyAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: COMPANY_CLIENT.id,
        client_secret: COMPANY_CLIENT.secret,
        redirect_uris: [`${appOrigin}/auth/oidc/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    cookies: { keys: ["company-provider-e2e-cookie-key"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "department"],
    },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const account = accounts.get(id) ?? {};
      return {
        accountId: id,
        async claims() {
          return { sub: id, email_verified: true, ...account };
        },
      };
    },
  });
  // The provider's console warnings about its development defaults are expected here.
  provider.on("server_error", (_ctx, error) => console.error("company provider:", error));
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(port, "127.0.0.1", () => resolve(s));
  });
  return {
    issuer,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Signs in at the provider's development pages as `login`, then gives consent when asked. */
export async function signInAtProvider(page: Page, issuer: string, login: string) {
  await expect(page).toHaveURL(new RegExp(`^${issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await expect(page.getByRole("button", { name: "Continue" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
}
