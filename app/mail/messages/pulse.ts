/**
 * The daily pulse of a live jam, personal to each reader: what is new in the jam since the last
 * pulse (counts), what is rising (the ideas that gained the most support, with their authors'
 * names only when they are not anonymous) and the replies to the reader's own ideas and comments.
 * A reader with nothing new to read gets no pulse (`pulseHasNews`).
 */
import { audienceReason, ideaPath, jamPath, pageUrl, type Audience, type JamFacts, type MailContext } from "./context";
import { count, greeting, mailTime, oneLine, renderMessage, timeLeft, type Block, type ComposedMail, type ListItem } from "./layout";

export interface RisingIdea {
  id: number;
  title: string;
  challengeTitle: string;
  /** An anonymous idea's author is never named: the name is ignored when this is true. */
  isAnonymous: boolean;
  authorName: string | null;
  /** New support in the period (supporters, agreeing stances, dots). */
  gained: number;
}

export interface RepliesToYou {
  ideaId: number;
  ideaTitle: string;
  /** New comments by others on the reader's idea (not counting the replies below). */
  onYourIdea: number;
  /** New replies by others to the reader's comments under this idea. */
  toYourComments: number;
}

export interface PulseFacts {
  jam: JamFacts;
  /** The period the pulse tells about. */
  since: number;
  now: number;
  /** What is new in the whole jam in the period (visible ideas and comments, support given). */
  news: { ideas: number; comments: number; support: number };
  /** Of the new ideas, how many are the reader's own (not news to them). */
  ownNewIdeas: number;
  rising: RisingIdea[];
  replies: RepliesToYou[];
  recipient: { id: number; name: string };
  /** Why the reader gets it. */
  audience: Audience;
}

/** Whether the reader has something to read: replies to them, or ideas they have not written. */
export function pulseHasNews(facts: Pick<PulseFacts, "news" | "ownNewIdeas" | "replies">): boolean {
  return facts.replies.some((r) => r.onYourIdea + r.toYourComments > 0) || facts.news.ideas - facts.ownNewIdeas > 0;
}

function replyNote(r: RepliesToYou): string {
  const parts: string[] = [];
  if (r.onYourIdea > 0) parts.push(`${count(r.onYourIdea, "new comment")} on your idea`);
  if (r.toYourComments > 0) parts.push(`${count(r.toYourComments, "reply", "replies")} to your comments`);
  return parts.join(", ");
}

export function pulseMail(facts: PulseFacts, context: MailContext): ComposedMail {
  const { jam, news, now } = facts;
  const title = oneLine(jam.title, 150);
  const replies = facts.replies.filter((r) => r.onYourIdea + r.toYourComments > 0);
  const replyTotal = replies.reduce((sum, r) => sum + r.onYourIdea + r.toYourComments, 0);
  const blocks: Block[] = [];
  if (replies.length > 0) {
    blocks.push({ kind: "heading", text: "Replies to you" });
    blocks.push({
      kind: "list",
      items: replies.map((r): ListItem => ({ text: r.ideaTitle, href: pageUrl(context, `${ideaPath(jam, r.ideaId)}#comments-heading`), note: replyNote(r) })),
    });
  }
  blocks.push({ kind: "heading", text: `New since ${mailTime(facts.since)}` });
  blocks.push({
    kind: "figures",
    items: [
      { value: news.ideas, label: news.ideas === 1 ? "new idea" : "new ideas" },
      { value: news.comments, label: news.comments === 1 ? "comment" : "comments" },
      { value: news.support, label: news.support === 1 ? "vote of support" : "votes of support" },
    ],
  });
  if (facts.rising.length > 0) {
    blocks.push({ kind: "heading", text: "Rising" });
    blocks.push({
      kind: "list",
      items: facts.rising.map((idea): ListItem => {
        const by = !idea.isAnonymous && idea.authorName ? ` · by ${oneLine(idea.authorName, 80)}` : "";
        return {
          text: idea.title,
          href: pageUrl(context, ideaPath(jam, idea.id)),
          note: `+${count(idea.gained, "supporter")} · ${oneLine(idea.challengeTitle, 80)}${by}`,
        };
      }),
    });
  }
  blocks.push({ kind: "p", muted: true, text: `The jam closes on ${mailTime(jam.endsAt)}, in ${timeLeft(jam.endsAt - now)}.` });
  blocks.push({ kind: "button", label: "Open the jam", href: pageUrl(context, jamPath(jam)) });
  const subject =
    replyTotal > 0
      ? `${title}: ${count(replyTotal, "reply", "replies")} to you, ${count(news.ideas, "new idea")}`
      : `${title} today: ${count(news.ideas, "new idea")}`;
  return renderMessage({
    subject,
    preheader: replyTotal > 0 ? `People answered you in “${title}”` : `What is rising in “${title}”`,
    heading: `Today in “${title}”`,
    greeting: greeting(facts.recipient.name),
    blocks,
    reason: `${audienceReason(facts.audience)} A pulse comes at most once a day while the jam is live.`,
  });
}
