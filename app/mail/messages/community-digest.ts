/**
 * A community's weekly digest: what happened in its idea box, its questions, jellies, members and
 * resources in the week. Facts come already limited to what the reader may read; an anonymous
 * idea's author is never among them (`author` is null).
 */
import { pageUrl, type MailContext } from "./context";
import { count, greeting, mailTime, oneLine, renderMessage, type ComposedMail, type ListItem } from "./layout";

export interface CommunityDigestFacts {
  community: { slug: string; title: string; boxJamSlug: string | null };
  /** The week told about: [since, until). */
  since: number;
  until: number;
  ideas: number;
  comments: number;
  newIdeas: { id: number; title: string; author: string | null }[];
  questions: number;
  newQuestions: { id: number; title: string }[];
  answered: number;
  answeredQuestions: { id: number; title: string }[];
  comingJellies: { id: number; title: string; startsAt: number }[];
  newMembers: { name: string }[];
  newResources: { title: string }[];
  recipient: { name: string };
}

export function communityDigestMail(f: CommunityDigestFacts, context: MailContext): ComposedMail {
  const title = oneLine(f.community.title, 120);
  const home = pageUrl(context, `/communities/${encodeURIComponent(f.community.slug)}`);
  const blocks: Parameters<typeof renderMessage>[0]["blocks"] = [
    { kind: "p", text: `What happened in ${title} in the week to ${mailTime(f.until)}.` },
    {
      kind: "figures",
      items: [
        { value: f.ideas, label: f.ideas === 1 ? "new idea" : "new ideas" },
        { value: f.comments, label: f.comments === 1 ? "comment" : "comments" },
        { value: f.questions, label: f.questions === 1 ? "question asked" : "questions asked" },
        { value: f.answered, label: f.answered === 1 ? "question answered" : "questions answered" },
      ],
    },
  ];
  const list = (heading: string, items: ListItem[]) => {
    if (items.length > 0) blocks.push({ kind: "heading", text: heading }, { kind: "list", items });
  };
  list(
    "New in the idea box",
    f.newIdeas.map((i) => ({
      text: oneLine(i.title, 150),
      href: f.community.boxJamSlug ? pageUrl(context, `/jams/${encodeURIComponent(f.community.boxJamSlug)}/ideas/${i.id}`) : home,
      note: i.author ? `by ${oneLine(i.author, 80)}` : undefined,
    })),
  );
  list("Questions asked", f.newQuestions.map((q) => ({ text: oneLine(q.title, 150), href: pageUrl(context, `/questions/${q.id}`) })));
  list("Questions answered", f.answeredQuestions.map((q) => ({ text: oneLine(q.title, 150), href: pageUrl(context, `/questions/${q.id}`) })));
  list("Jellies coming up", f.comingJellies.map((j) => ({ text: oneLine(j.title, 150), href: pageUrl(context, `/jellies/${j.id}`), note: mailTime(j.startsAt) })));
  if (f.newMembers.length > 0) blocks.push({ kind: "p", text: `New members: ${f.newMembers.map((m) => oneLine(m.name, 80)).join(", ")}.` });
  list("New resources", f.newResources.map((r) => ({ text: oneLine(r.title, 150) })));
  blocks.push({ kind: "button", label: `Open ${title}`, href: home });
  const subject = `This week in ${title}: ${count(f.ideas, "new idea")}, ${count(f.questions, "question")}`;
  return renderMessage({
    subject,
    preheader: `${count(f.ideas, "new idea")}, ${count(f.comments, "comment")}, ${count(f.questions, "question")} asked, ${count(f.comingJellies.length, "jelly", "jellies")} coming up`,
    heading: `This week in ${title}`,
    greeting: greeting(f.recipient.name),
    blocks,
    reason: "You get this because you are a member of this community.",
  });
}
