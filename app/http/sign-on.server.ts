import type { SignOnRefusal } from "~/domain/sign-on";
import type { SignOnPurpose } from "~/services/commands/sign-on.server";

/** Where a refused sign-on lands: the sign-in page, or the person's own settings when they were connecting; the page shows the code's message. */
export function signOnRefusalPage(purpose: SignOnPurpose, reason: SignOnRefusal): string {
  return purpose === "connect" && reason !== "connect_signed_out" ? `/me?tab=sessions&signOnError=${reason}` : `/login?signOnError=${reason}`;
}
