/** A scheduled jam has opened: its invitees (or everyone, for a jam nobody was invited to) hear it once. */
import { challengeItems } from "./invitation";
import { audienceReason, jamPath, pageUrl, type Audience, type JamFacts, type MailContext } from "./context";
import { greeting, mailTime, oneLine, renderMessage, timeLeft, type Block, type ComposedMail } from "./layout";

export interface OpeningFacts {
  jam: JamFacts;
  challenges: { title: string; question: string }[];
  recipient: { name: string };
  /** Why the person gets it: invited, or everyone (a jam nobody was invited to). */
  audience: Audience;
  now: number;
}

export function openingMail(facts: OpeningFacts, context: MailContext): ComposedMail {
  const { jam, now } = facts;
  const title = oneLine(jam.title, 150);
  const blocks: Block[] = [
    { kind: "p", text: `“${title}” is open. Post your ideas, build on other people’s and support the ones you would back: it runs until ${mailTime(jam.endsAt)} (${timeLeft(jam.endsAt - now)}).` },
  ];
  if (facts.challenges.length > 0) {
    blocks.push({ kind: "heading", text: facts.challenges.length === 1 ? "The question" : "The questions" });
    blocks.push({ kind: "list", items: challengeItems(facts.challenges, "and {n} more on the jam’s page") });
  }
  blocks.push({ kind: "p", muted: true, text: "The first ideas shape the conversation: early ideas get the most time to gather support." });
  blocks.push({ kind: "button", label: "Join the jam", href: pageUrl(context, jamPath(jam)) });
  return renderMessage({
    subject: `${title} is open: add your ideas`,
    preheader: `Open until ${mailTime(jam.endsAt)}`,
    heading: `“${title}” is open`,
    greeting: greeting(facts.recipient.name),
    blocks,
    reason: audienceReason(facts.audience),
  });
}
