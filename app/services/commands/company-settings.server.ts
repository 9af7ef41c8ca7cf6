import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { signOnStatus } from "~/auth/sign-on.server";
import { hasCompanyAccount, passwordsOffBlocker } from "~/services/lookups/sign-on.server";
import { validate, Invalid } from "~/services/errors";
import { requireCapability } from "~/services/lookups/guards.server";
import { writeSetting } from "~/services/commands/settings.server";
import { getSetting } from "~/services/lookups/settings.server";
import { transaction } from "~db/client";

export const PasswordSignInInput = z.object({
  passwordSignIn: z.enum(["on", "off"], { error: "Choose whether passwords sign in." }),
});

/**
 * Turns password sign-in on or off. Off only when sign-on works and the admin has connected their
 * own company account: otherwise nobody (or not they) could sign in afterwards. Audited by writeSetting.
 */
export async function setPasswordSignIn(actor: SessionUser, input: unknown, now = Date.now()): Promise<{ enabled: boolean }> {
  requireCapability(actor, "administerPeople");
  const { passwordSignIn } = validate(PasswordSignInInput, input);
  const enabled = passwordSignIn === "on";
  await transaction(async (tx) => {
    if (!enabled) {
      const blocker = passwordsOffBlocker(signOnStatus().state === "on", await hasCompanyAccount(tx, actor.id));
      if (blocker) throw new Invalid({ form: [blocker] });
    }
    if (await getSetting(tx, "passwordSignIn") !== enabled) await writeSetting(tx, "passwordSignIn", enabled, actor.id, now);
  });
  return { enabled };
}
