/**
 * What people are told in their notifications, and which kinds they may switch off. Pure: the
 * services decide who hears what; these functions only word it.
 */

/**
 * Every kind of notification. `hidden` (a moderator hid, restored or merged your idea or comment)
 * is always sent: the person would otherwise find their contribution gone with no reason.
 */
export const NOTICE_KINDS = ["comments", "support", "moderation", "hidden", "results", "follows", "actions", "communities", "stages", "reviews", "jellies", "questions", "coauthoring"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The kinds a person can switch off, in the order the settings form lists them. */
export const NOTICE_SETTINGS: { kind: Exclude<NoticeKind, "hidden">; label: string; hint: string }[] = [
  {
    kind: "comments",
    label: "Replies and comments",
    hint: "Someone replies to your comment or comments on your idea (several before you read them come as one).",
  },
  { kind: "support", label: "Support for my ideas", hint: "One notification per idea, updated as people support it." },
  { kind: "moderation", label: "My ideas pinned or tagged", hint: "A facilitator pins your idea or tags it “emerging” or “best”." },
  {
    kind: "results",
    label: "Themes and results",
    hint: "A jam's themes are published with your ideas in them, or a jam you took part in ends.",
  },
  { kind: "actions", label: "Follow-up actions", hint: "An action your idea fed is created or changes status." },
  { kind: "stages", label: "My ideas in a review", hint: "Your idea goes into a review, is shortlisted, selected or not selected." },
  { kind: "reviews", label: "Ideas to review", hint: "You are asked to review ideas, and reminded once before the review is due." },
  { kind: "follows", label: "People and themes I follow", hint: "They post a new idea, or a new idea matches the theme." },
  {
    kind: "communities",
    label: "Communities of practice",
    hint: "You are invited to a community, someone asks to join one you steward, or your proposal is decided.",
  },
  { kind: "jellies", label: "Jellies", hint: "A meetup you are going to changes or is cancelled, or a place opens up for you." },
  {
    kind: "questions",
    label: "Questions",
    hint: "A colleague asks you a question, someone answers yours, or the asker accepts your answer.",
  },
  {
    kind: "coauthoring",
    label: "Co-authors and build-ons",
    hint: "You are invited to co-author an idea, your invitation is answered, someone proposes a change to your idea, or yours is accepted.",
  },
];

export const SWITCHABLE_KINDS = NOTICE_SETTINGS.map((s) => s.kind);

/** A short label for a kind, shown beside each notification. */
export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  comments: "Conversation",
  support: "Support",
  moderation: "Recognition",
  hidden: "Moderation",
  results: "Results",
  follows: "Following",
  actions: "Action",
  communities: "Community",
  stages: "Review",
  reviews: "To review",
  jellies: "Jelly",
  questions: "Question",
  coauthoring: "Co-authoring",
};

export function coauthorInviteNotice(inviter: string, ideaTitle: string): string {
  return `${inviter} invited you to co-author the idea ${q(ideaTitle)}`;
}

export function coauthorAnswerNotice(invitee: string, ideaTitle: string, accepted: boolean): string {
  return `${invitee} ${accepted ? "accepted" : "declined"} your invitation to co-author ${q(ideaTitle)}`;
}

export function coauthorRemovedNotice(ideaTitle: string): string {
  return `You are no longer a co-author of ${q(ideaTitle)}`;
}

/** The idea's author hears of a proposed change; an anonymous idea's author too, privately. */
export function amendmentProposedNotice(proposer: string, ideaTitle: string): string {
  return `${proposer} proposed a change to your idea ${q(ideaTitle)}`;
}

export function amendmentAcceptedNotice(ideaTitle: string): string {
  return `The change you proposed to ${q(ideaTitle)} was accepted into the idea`;
}

export function amendmentStandingNotice(ideaTitle: string): string {
  return `The change you proposed to ${q(ideaTitle)} was left standing: you can post it as an idea of its own`;
}

const q = (text: string) => `“${text}”`;

/** "Sam replied to your comment on “Idea”", or "3 new replies to your comment on “Idea”". */
export function replyNotice(count: number, replier: string, ideaTitle: string): string {
  return count <= 1 ? `${replier} replied to your comment on ${q(ideaTitle)}` : `${count} new replies to your comment on ${q(ideaTitle)}`;
}

/** "Sam commented on your idea “Idea”", or "3 new comments on your idea “Idea”". */
export function commentNotice(count: number, commenter: string, ideaTitle: string): string {
  return count <= 1 ? `${commenter} commented on your idea ${q(ideaTitle)}` : `${count} new comments on your idea ${q(ideaTitle)}`;
}

/** "5 people supported your idea “Idea”": the idea's supporters in all, never their names. */
export function supportNotice(count: number, ideaTitle: string): string {
  return `${count === 1 ? "1 person" : `${count} people`} supported your idea ${q(ideaTitle)}`;
}

export function pinnedNotice(ideaTitle: string, challengeTitle: string): string {
  return `A facilitator pinned your idea ${q(ideaTitle)} to the top of ${q(challengeTitle)}`;
}

export function taggedNotice(ideaTitle: string, tag: "emerging" | "best"): string {
  return tag === "best" ? `A facilitator tagged your idea ${q(ideaTitle)} as one of the best` : `A facilitator tagged your idea ${q(ideaTitle)} as emerging`;
}

/** Why it was hidden, who still sees it, and whom to ask. */
export function hiddenNotice(input: { what: "idea" | "comment"; ideaTitle: string; reason: string; contact: string | null; jamTitle: string }): string {
  const subject = input.what === "idea" ? `Your idea ${q(input.ideaTitle)}` : `Your comment on ${q(input.ideaTitle)}`;
  const ask = input.contact
    ? `To ask about it, write to ${input.contact}, who runs ${q(input.jamTitle)}.`
    : `To ask about it, write to the facilitators of ${q(input.jamTitle)}.`;
  return `${subject} was hidden by a moderator. Reason: ${input.reason}. Only you and the facilitators can still see it. ${ask}`;
}

export function restoredNotice(what: "idea" | "comment", ideaTitle: string): string {
  return `${what === "idea" ? `Your idea ${q(ideaTitle)}` : `Your comment on ${q(ideaTitle)}`} is visible again: a moderator restored it`;
}

export function mergedNotice(ideaTitle: string, keptTitle: string): string {
  return `Your idea ${q(ideaTitle)} was merged into the similar idea ${q(keptTitle)}: its votes and comments moved there`;
}

/**
 * A contributor's ideas in a published synthesis: the one shown first (most supported) and how
 * many more of theirs are in its themes. Each anonymous idea is told on its own (`anonymous`).
 */
export function themesNotice(input: { ideaTitle: string; themeLabel: string; parentLabel: string | null; more: number; anonymous?: boolean }): string {
  const theme = input.parentLabel ? `${q(input.themeLabel)} (under ${q(input.parentLabel)})` : q(input.themeLabel);
  const first = `Your ${input.anonymous ? "anonymous idea" : "idea"} ${q(input.ideaTitle)} is part of the theme ${theme}`;
  if (input.more <= 0) return first;
  return `${first}, and ${input.more === 1 ? "1 more of your ideas is" : `${input.more} more of your ideas are`} in the published themes`;
}

export function resultsNotice(jamTitle: string): string {
  return `${q(jamTitle)} has ended: see what it found, and follow its themes and actions as they come`;
}
