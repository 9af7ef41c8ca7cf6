/**
 * News about an idea its author posted anonymously (a follow-up action it fed moved on). The
 * message says nothing of the idea, the action or the jam: the outbox keeps what it sends, and
 * whoever reads the outbox must not learn who posted the idea. The notification the author
 * reads after signing in says it all.
 */
import { pageUrl, type MailContext } from "./context";
import { greeting, renderMessage, type ComposedMail } from "./layout";

export function privateNewsMail(facts: { recipient: { name: string } }, context: MailContext): ComposedMail {
  return renderMessage({
    subject: "There is news about one of your ideas",
    preheader: "Sign in to read it",
    heading: "News about one of your ideas",
    greeting: greeting(facts.recipient.name),
    blocks: [
      { kind: "p", text: "Something happened to one of your ideas. Sign in to read what in your notifications." },
      { kind: "button", label: "Read your notifications", href: pageUrl(context, "/notifications") },
    ],
    reason: "You get this because you chose to hear about your ideas by e-mail.",
  });
}
