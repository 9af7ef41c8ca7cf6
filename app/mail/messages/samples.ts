/**
 * One example of every jam e-mail, with a title that tries to inject HTML and a name with a line
 * break: the unit tests check them, and `npx tsx app/mail/messages/samples.ts <folder>` writes each
 * one's HTML and plain text to look at.
 */
import type { MailContext } from "./context";
import { mailDocument, type ComposedMail } from "./layout";
import { actionStatusMail } from "./action-status";
import { invitationMail } from "./invitation";
import { openingMail } from "./opening";
import { privateNewsMail } from "./private-news";
import { pulseMail } from "./pulse";
import { reminderMail } from "./reminder";
import { resultsMail } from "./results";

const HOUR = 3_600_000;
export const SAMPLE_NOW = Date.UTC(2026, 4, 12, 9, 0);
export const SAMPLE_CONTEXT: MailContext = { baseUrl: "https://jams.example.com" };
const jam = {
  slug: "working-smarter",
  title: "Working Smarter",
  description: "How could we spend less time on work that does not matter?\nTell us what gets in your way, and what you would change first.",
  startsAt: SAMPLE_NOW - 26 * HOUR,
  endsAt: SAMPLE_NOW + 46 * HOUR,
};
const challenges = [
  { title: "Meetings", question: "Which meeting would you cancel, and what would replace it?" },
  { title: "Tools", question: "What tool slows you down the most?" },
  { title: "Hand-offs", question: "Where does work wait for someone?" },
];

export function sampleMails(context: MailContext = SAMPLE_CONTEXT): Record<string, ComposedMail> {
  return {
    invitation: invitationMail(
      { jam: { ...jam, startsAt: SAMPLE_NOW + 48 * HOUR, endsAt: SAMPLE_NOW + 120 * HOUR }, inviter: "Alex Facilitator", challenges, recipient: { name: "Sam Lee" }, now: SAMPLE_NOW },
      context,
    ),
    opening: openingMail({ jam: { ...jam, startsAt: SAMPLE_NOW, endsAt: SAMPLE_NOW + 72 * HOUR }, challenges, recipient: { name: "Sam Lee" }, audience: "invited", now: SAMPLE_NOW }, context),
    pulse: pulseMail(
      {
        jam,
        since: SAMPLE_NOW - 24 * HOUR,
        now: SAMPLE_NOW,
        news: { ideas: 42, comments: 130, support: 318 },
        ownNewIdeas: 1,
        rising: [
          { id: 101, title: "No-meeting Wednesday afternoons", challengeTitle: "Meetings", isAnonymous: false, authorName: "Priya Natarajan", gained: 37 },
          { id: 102, title: "One shared tracker instead of four spreadsheets", challengeTitle: "Tools", isAnonymous: true, authorName: null, gained: 29 },
          { id: 103, title: "Approvals under 500 € need one signature, not three", challengeTitle: "Hand-offs", isAnonymous: false, authorName: "Jordan Mills", gained: 21 },
        ],
        replies: [{ ideaId: 88, ideaTitle: "Publish the agenda a day before or cancel", onYourIdea: 3, toYourComments: 1 }],
        recipient: { id: 7, name: "Sam Lee" },
        audience: "took_part",
      },
      context,
    ),
    reminder: reminderMail(
      { jam: { ...jam, endsAt: SAMPLE_NOW + 24 * HOUR }, totals: { ideas: 254, people: 61 }, tookPart: false, recipient: { name: "Sam Lee" }, audience: "invited", now: SAMPLE_NOW },
      context,
    ),
    results: resultsMail(
      {
        jam,
        themes: [
          { label: "Fewer, shorter meetings", ideas: 48 },
          { label: "One place for our tools", ideas: 35 },
          { label: "Faster approvals", ideas: 27 },
          { label: "Clear hand-offs between teams", ideas: 19 },
        ],
        themeCount: 9,
        yourIdeas: [
          { title: "Publish the agenda a day before or cancel", theme: "Fewer, shorter meetings" },
          { title: "Retire the old expenses tool", theme: "One place for our tools" },
        ],
        recipient: { name: "Sam Lee" },
      },
      context,
    ),
    action_status: actionStatusMail(
      {
        action: {
          id: 12,
          title: "Pilot no-meeting Wednesday afternoons in two departments",
          status: "approved",
          description: "Sales and Engineering try it for six weeks; we measure focus time and what got postponed.",
          declineReason: null,
          dueDate: Date.UTC(2026, 6, 31),
          ownerName: "Lee Leader",
        },
        jam: { title: jam.title },
        yourIdeas: [
          { title: "Publish the agenda a day before or cancel" },
          { title: "Keep Wednesday afternoons free" },
        ],
        recipient: { name: "Sam Lee" },
      },
      context,
    ),
    private_news: privateNewsMail({ recipient: { name: "Sam Lee" } }, context),
  };
}

// Writes the samples to a folder: `npx tsx app/mail/messages/samples.ts /tmp/mails`.
if (process.argv[1]?.endsWith("samples.ts") && process.argv[2]) {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const folder = process.argv[2];
  mkdirSync(folder, { recursive: true });
  for (const [kind, mail] of Object.entries(sampleMails())) {
    writeFileSync(join(folder, `${kind}.html`), mailDocument(mail));
    writeFileSync(join(folder, `${kind}.txt`), `Subject: ${mail.subject}\n\n${mail.text}`);
  }
  console.log(`Wrote ${Object.keys(sampleMails()).length} messages to ${folder}`);
}
