/** The jam closes soon: one reminder, about a day before its end. */
import { audienceReason, jamPath, pageUrl, type Audience, type JamFacts, type MailContext } from "./context";
import { count, greeting, mailTime, oneLine, renderMessage, timeLeft, type Block, type ComposedMail } from "./layout";

export interface ReminderFacts {
  jam: JamFacts;
  /** The jam so far: its visible ideas and the people who took part. */
  totals: { ideas: number; people: number };
  /** Whether the reader has taken part (posted, commented or voted). */
  tookPart: boolean;
  recipient: { name: string };
  audience: Audience;
  now: number;
}

export function reminderMail(facts: ReminderFacts, context: MailContext): ComposedMail {
  const { jam, now, totals } = facts;
  const title = oneLine(jam.title, 150);
  const left = timeLeft(jam.endsAt - now);
  const blocks: Block[] = [
    { kind: "p", text: `“${title}” closes on ${mailTime(jam.endsAt)}: ${left} left.` },
    {
      kind: "figures",
      items: [
        { value: totals.ideas, label: totals.ideas === 1 ? "idea so far" : "ideas so far" },
        { value: totals.people, label: totals.people === 1 ? "person took part" : "people took part" },
      ],
    },
    {
      kind: "p",
      text: facts.tookPart
        ? "Thank you for taking part. Before it closes, see what others added since you last looked and support the ideas you would back: support decides what rises to the top."
        : `There is still time to add your ideas, or to support the ones you would back among the ${count(totals.ideas, "idea")} already posted.`,
    },
    { kind: "button", label: facts.tookPart ? "See what’s new" : "Take part now", href: pageUrl(context, jamPath(jam)) },
  ];
  return renderMessage({
    subject: `${left} left in ${title}`,
    preheader: `It closes on ${mailTime(jam.endsAt)}`,
    heading: `“${title}” closes in ${left}`,
    greeting: greeting(facts.recipient.name),
    blocks,
    reason: audienceReason(facts.audience),
  });
}
