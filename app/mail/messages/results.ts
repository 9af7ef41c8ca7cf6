/** A jam's synthesis is published: the people who took part hear what came out of it. */
import { jamPath, pageUrl, type JamFacts, type MailContext } from "./context";
import { count, greeting, oneLine, renderMessage, type Block, type ComposedMail, type ListItem } from "./layout";

export interface ResultsFacts {
  jam: JamFacts;
  /** The largest themes of the published synthesis, largest first (top level only). */
  themes: { label: string; ideas: number }[];
  /** How many themes there are in all (the list may hold only the first few). */
  themeCount: number;
  /**
   * The reader's own named ideas that joined a theme. Never their anonymous ones: the outbox
   * keeps what it sends, and whoever reads it must not learn who posted them.
   */
  yourIdeas: { title: string; theme: string }[];
  recipient: { name: string };
}

export const LISTED_THEMES = 6;
export const LISTED_OWN_IDEAS = 5;

export function resultsMail(facts: ResultsFacts, context: MailContext): ComposedMail {
  const { jam } = facts;
  const title = oneLine(jam.title, 150);
  const blocks: Block[] = [
    {
      kind: "p",
      text:
        facts.themeCount > 0
          ? `The results of “${title}” are published: the ideas people posted are grouped into ${count(facts.themeCount, "theme")}, with what people agree on and what leaders will act on.`
          : `The results of “${title}” are published.`,
    },
  ];
  if (facts.themes.length > 0) {
    blocks.push({ kind: "heading", text: "The largest themes" });
    blocks.push({ kind: "list", items: facts.themes.slice(0, LISTED_THEMES).map((t): ListItem => ({ text: t.label, note: count(t.ideas, "idea") })) });
  }
  if (facts.yourIdeas.length > 0) {
    blocks.push({ kind: "heading", text: facts.yourIdeas.length === 1 ? "Where your idea went" : "Where your ideas went" });
    const listed = facts.yourIdeas.slice(0, LISTED_OWN_IDEAS).map(
      (i): ListItem => ({ text: i.title, note: `in “${oneLine(i.theme, 120)}”` }),
    );
    if (facts.yourIdeas.length > LISTED_OWN_IDEAS) listed.push({ text: `and ${count(facts.yourIdeas.length - LISTED_OWN_IDEAS, "more idea")} on the results page` });
    blocks.push({ kind: "list", items: listed });
  }
  blocks.push({ kind: "button", label: "Read the results", href: pageUrl(context, `${jamPath(jam)}/synthesis`) });
  blocks.push({ kind: "p", muted: true, text: "When leaders decide on follow-up actions from your ideas, you will hear how they progress." });
  return renderMessage({
    subject: `Results of ${title} are published`,
    preheader: facts.themeCount > 0 ? `${count(facts.themeCount, "theme")} from the ideas people posted` : "See what came out of it",
    heading: `The results of “${title}”`,
    greeting: greeting(facts.recipient.name),
    blocks,
    reason: "You get this because you took part in this jam.",
  });
}
