/**
 * A colleague asked the reader a question because of what they contributed on its words. Says
 * who asked (never why in terms of anyone else's contributions), quotes the question, and links to
 * it, where the reader may answer or pass it on.
 */
import { shorten } from "~/domain/text";
import { pageUrl, type MailContext } from "./context";
import { greeting, oneLine, renderMessage, type ComposedMail } from "./layout";

export interface QuestionAskedFacts {
  question: { id: number; title: string; body: string };
  asker: { name: string };
  recipient: { name: string };
  /** Asked because someone before them passed it on, or because nobody answered in time (facilitators). */
  why: "routed" | "passed_on" | "unanswered";
}

export function questionAskedMail(facts: QuestionAskedFacts, context: MailContext): ComposedMail {
  const title = oneLine(facts.question.title, 150);
  const asker = oneLine(facts.asker.name, 80);
  const head =
    facts.why === "unanswered" ? `A question is still waiting for an answer` : `${asker} asks you: ${title}`;
  const intro =
    facts.why === "unanswered"
      ? `Nobody has answered “${title}”, asked by ${asker}. Could you answer it, or find someone who can?`
      : facts.why === "passed_on"
        ? `${asker} asked a question about something you have written about, and it was passed on to you.`
        : `${asker} asked a question about something you have written about in Jamboree.`;
  return renderMessage({
    subject: head,
    preheader: shorten(facts.question.body, 120),
    heading: head,
    greeting: greeting(facts.recipient.name),
    blocks: [
      { kind: "p", text: intro },
      { kind: "quote", text: shorten(facts.question.body, 800) },
      { kind: "button", label: "Answer or pass it on", href: pageUrl(context, `/questions/${facts.question.id}`) },
      { kind: "p", muted: true, text: "If you would rather not be asked questions, say so in your notification settings." },
    ],
    reason:
      facts.why === "unanswered"
        ? "You get this because you are a facilitator and questions nobody answers come to you."
        : "You get this because your ideas on this subject drew support from colleagues.",
  });
}
