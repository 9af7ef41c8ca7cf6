/** The invitation a facilitator sends to everyone, a department or a list of people. */
import { shorten } from "~/domain/text";
import { jamPath, pageUrl, type JamFacts, type MailContext } from "./context";
import { greeting, mailTime, oneLine, renderMessage, timeLeft, type Block, type ComposedMail } from "./layout";

export interface InvitationFacts {
  jam: JamFacts & { description: string };
  /** Who invites (the facilitator who sent it); null when unknown (an erased account). */
  inviter: string | null;
  challenges: { title: string; question: string }[];
  recipient: { name: string };
  /** When the message is written: an invitation to a jam that is open already says so. */
  now: number;
}

/** At most this many challenges are listed (the rest are on the jam's page). */
export const LISTED_CHALLENGES = 5;

export function challengeItems(challenges: { title: string; question: string }[], more: string) {
  const listed = challenges.slice(0, LISTED_CHALLENGES).map((c) => ({ text: c.question ? `${oneLine(c.title, 120)}: ${oneLine(c.question, 240)}` : oneLine(c.title, 120) }));
  if (challenges.length > LISTED_CHALLENGES) listed.push({ text: more.replace("{n}", String(challenges.length - LISTED_CHALLENGES)) });
  return listed;
}

export function invitationMail(facts: InvitationFacts, context: MailContext): ComposedMail {
  const { jam, now } = facts;
  const title = oneLine(jam.title, 150);
  const open = now >= jam.startsAt;
  const who = facts.inviter ? oneLine(facts.inviter, 80) : "The team running it";
  const when = open
    ? `It is open now and runs until ${mailTime(jam.endsAt)} (${timeLeft(jam.endsAt - now)} left).`
    : `It opens on ${mailTime(jam.startsAt)} and runs until ${mailTime(jam.endsAt)}.`;
  const blocks: Block[] = [{ kind: "p", text: `${who} invites you to take part in “${title}”, a jam: for a short time, everyone answers a few questions, builds on each other’s ideas and supports the best ones.` }, { kind: "p", text: when }];
  const description = jam.description.trim();
  if (description) blocks.push({ kind: "quote", text: shorten(description, 600) });
  if (facts.challenges.length > 0) {
    blocks.push({ kind: "heading", text: facts.challenges.length === 1 ? "The question" : "The questions" });
    blocks.push({ kind: "list", items: challengeItems(facts.challenges, "and {n} more on the jam’s page") });
  }
  blocks.push({ kind: "button", label: open ? "Join the jam" : "See the jam", href: pageUrl(context, jamPath(jam)) });
  return renderMessage({
    subject: `You're invited: ${title}`,
    preheader: open ? `Open now until ${mailTime(jam.endsAt)}` : `Opens ${mailTime(jam.startsAt)}`,
    heading: `You’re invited to “${title}”`,
    greeting: greeting(facts.recipient.name),
    blocks,
    reason: `You get this because ${who === "The team running it" ? "the people running this jam" : who} invited you.`,
  });
}
