/**
 * Evaluation mail: an author's idea changed stage in a review (a named idea only: an anonymous
 * idea's author gets `privateNewsMail`), and a reviewer who has ideas left to score is reminded
 * once before the review is due.
 */
import { STAGE_LABELS, type IdeaStage } from "~/domain/evaluation";
import { shorten } from "~/domain/text";
import { pageUrl, type MailContext } from "./context";
import { count, greeting, mailTime, oneLine, renderMessage, type Block, type ComposedMail } from "./layout";

export interface IdeaStageFacts {
  idea: { id: number; title: string };
  jam: { slug: string; title: string };
  review: { title: string };
  stage: IdeaStage;
  reason: string | null;
  recipient: { name: string };
}

function headline(stage: IdeaStage): string {
  switch (stage) {
    case "in_review":
      return "Your idea is in review";
    case "shortlisted":
      return "Your idea was shortlisted";
    case "selected":
      return "Your idea was selected";
    case "not_selected":
      return "Your idea was not selected";
    case "submitted":
      return "Your idea is submitted";
  }
}

export function ideaStageMail(facts: IdeaStageFacts, context: MailContext): ComposedMail {
  const title = oneLine(facts.idea.title, 150);
  const head = headline(facts.stage);
  const blocks: Block[] = [
    {
      kind: "p",
      text: `“${title}”, your idea in “${oneLine(facts.jam.title, 150)}”, is now ${STAGE_LABELS[facts.stage].toLowerCase()} in the review “${oneLine(facts.review.title, 150)}”.`,
    },
  ];
  if (facts.stage === "not_selected" && facts.reason) {
    blocks.push({ kind: "heading", text: "Why" });
    blocks.push({ kind: "quote", text: shorten(facts.reason, 1000) });
  }
  if (facts.stage === "selected") blocks.push({ kind: "p", text: "It becomes a follow-up action: you will hear as it moves on." });
  blocks.push({ kind: "button", label: "See your idea", href: pageUrl(context, `/jams/${encodeURIComponent(facts.jam.slug)}/ideas/${facts.idea.id}`) });
  return renderMessage({
    subject: `${head}: ${title}`,
    preheader: `Stage: ${STAGE_LABELS[facts.stage]}`,
    heading: head,
    greeting: greeting(facts.recipient.name),
    blocks,
    reason: "You get this because you wrote this idea.",
  });
}

export interface ReviewReminderFacts {
  review: { id: number; title: string; dueAt: number };
  jam: { slug: string; title: string };
  /** Ideas given to the reader that they have not submitted yet. */
  left: number;
  recipient: { name: string };
}

export function reviewReminderMail(facts: ReviewReminderFacts, context: MailContext): ComposedMail {
  const title = oneLine(facts.review.title, 150);
  const due = mailTime(facts.review.dueAt);
  return renderMessage({
    subject: `${count(facts.left, "idea")} left to review: ${title}`,
    preheader: `Due ${due}`,
    heading: `The review “${title}” is due ${due}`,
    greeting: greeting(facts.recipient.name),
    blocks: [
      { kind: "p", text: `You have ${count(facts.left, "idea")} left to score in “${title}” (${oneLine(facts.jam.title, 150)}). Your scores decide which ideas go forward.` },
      { kind: "button", label: "Score the ideas", href: pageUrl(context, `/jams/${encodeURIComponent(facts.jam.slug)}/reviews/${facts.review.id}`) },
    ],
    reason: "You get this because you were asked to review these ideas.",
  });
}
