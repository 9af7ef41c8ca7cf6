/**
 * A follow-up action that grew from the reader's ideas was created or changed status. Only the
 * authors of the linked ideas get it, each about their own named ideas. An anonymous idea is
 * never named, not even to its author (the outbox keeps what it sends): its author gets
 * `privateNewsMail` instead.
 */
import { ACTION_STATUS_LABELS, formatDueDate, type ActionStatus } from "~/domain/actions";
import { shorten } from "~/domain/text";
import { pageUrl, type MailContext } from "./context";
import { count, greeting, oneLine, renderMessage, type Block, type ComposedMail, type ListItem } from "./layout";

export interface ActionStatusFacts {
  action: { id: number; title: string; status: ActionStatus; description: string; declineReason: string | null; dueDate: number | null; ownerName: string | null };
  jam: { title: string };
  /** The reader's named ideas linked to the action. */
  yourIdeas: { title: string }[];
  recipient: { name: string };
}

function headline(status: ActionStatus, ideas: number): string {
  const yours = ideas === 1 ? "your idea" : "your ideas";
  switch (status) {
    case "proposed":
      return `An action was proposed from ${yours}`;
    case "approved":
      return `An action from ${yours} was approved`;
    case "in_progress":
      return `Work has started on an action from ${yours}`;
    case "done":
      return `An action from ${yours} is done`;
    case "declined":
      return `An action from ${yours} was declined`;
  }
}

export function actionStatusMail(facts: ActionStatusFacts, context: MailContext): ComposedMail {
  const { action } = facts;
  const actionTitle = oneLine(action.title, 150);
  const ideas = facts.yourIdeas.length;
  const head = headline(action.status, ideas);
  const blocks: Block[] = [
    { kind: "p", text: `${head} in “${oneLine(facts.jam.title, 150)}”: “${actionTitle}”. Its status is now ${ACTION_STATUS_LABELS[action.status]}.` },
  ];
  if (action.status === "declined" && action.declineReason) {
    blocks.push({ kind: "heading", text: "Why it was declined" });
    blocks.push({ kind: "quote", text: shorten(action.declineReason, 1000) });
  } else if (action.description.trim()) {
    blocks.push({ kind: "quote", text: shorten(action.description, 600) });
  }
  const details: string[] = [];
  if (action.ownerName) details.push(`Owner: ${oneLine(action.ownerName, 80)}`);
  if (action.dueDate !== null && action.status !== "done" && action.status !== "declined") details.push(`Due: ${formatDueDate(action.dueDate)}`);
  if (details.length > 0) blocks.push({ kind: "p", muted: true, text: details.join(" · ") });
  blocks.push({ kind: "heading", text: ideas === 1 ? "Your idea" : `Your ${count(ideas, "idea")}` });
  blocks.push({
    kind: "list",
    items: facts.yourIdeas.slice(0, 10).map((i): ListItem => ({ text: i.title })),
  });
  blocks.push({ kind: "button", label: "Follow the action", href: pageUrl(context, `/actions/${action.id}`) });
  return renderMessage({
    subject: `${head}: ${actionTitle}`,
    preheader: `Status: ${ACTION_STATUS_LABELS[action.status]}`,
    heading: head,
    greeting: greeting(facts.recipient.name),
    blocks,
    reason: "You get this because an idea of yours fed this action.",
  });
}
