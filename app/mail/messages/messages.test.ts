import { describe, expect, it } from "vitest";
import { actionStatusMail } from "./action-status";
import { invitationMail } from "./invitation";
import { escapeHtml, linkTo, mailTime, oneLine, timeLeft } from "./layout";
import { openingMail } from "./opening";
import { pulseHasNews, pulseMail, type PulseFacts } from "./pulse";
import { reminderMail } from "./reminder";
import { resultsMail } from "./results";
import { SAMPLE_CONTEXT, SAMPLE_NOW, sampleMails } from "./samples";

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"`;
const HOUR = 3_600_000;

/** Every sample, and every sample with hostile titles and names, for the checks all messages share. */
function hostileMails() {
  const jam = { slug: "j", title: `${HOSTILE}\r\nBcc: victim@example.com`, description: HOSTILE, startsAt: SAMPLE_NOW - HOUR, endsAt: SAMPLE_NOW + 30 * HOUR };
  const name = `Mallory\r\nX-Header: 1 ${HOSTILE}`;
  return {
    invitation: invitationMail({ jam, inviter: name, challenges: [{ title: HOSTILE, question: HOSTILE }], recipient: { name }, now: SAMPLE_NOW }, SAMPLE_CONTEXT),
    opening: openingMail({ jam, challenges: [{ title: HOSTILE, question: HOSTILE }], recipient: { name }, audience: "everyone", now: SAMPLE_NOW }, SAMPLE_CONTEXT),
    pulse: pulseMail(
      {
        jam,
        since: SAMPLE_NOW - 24 * HOUR,
        now: SAMPLE_NOW,
        news: { ideas: 1, comments: 0, support: 0 },
        ownNewIdeas: 0,
        rising: [{ id: 1, title: HOSTILE, challengeTitle: HOSTILE, isAnonymous: false, authorName: name, gained: 1 }],
        replies: [{ ideaId: 2, ideaTitle: HOSTILE, onYourIdea: 1, toYourComments: 0 }],
        recipient: { id: 1, name },
        audience: "invited",
      },
      SAMPLE_CONTEXT,
    ),
    reminder: reminderMail({ jam, totals: { ideas: 1, people: 1 }, tookPart: true, recipient: { name }, audience: "took_part", now: SAMPLE_NOW }, SAMPLE_CONTEXT),
    results: resultsMail({ jam, themes: [{ label: HOSTILE, ideas: 1 }], themeCount: 1, yourIdeas: [{ title: HOSTILE, theme: HOSTILE }], recipient: { name } }, SAMPLE_CONTEXT),
    action_status: actionStatusMail(
      {
        action: { id: 1, title: `${HOSTILE}\nSubject: hi`, status: "declined", description: HOSTILE, declineReason: HOSTILE, dueDate: null, ownerName: name },
        jam: { title: jam.title },
        yourIdeas: [{ title: HOSTILE }],
        recipient: { name },
      },
      SAMPLE_CONTEXT,
    ),
  };
}

describe("every jam e-mail", () => {
  it("has a one-line subject, a plain-text part and an HTML part with the same link", () => {
    for (const [kind, mail] of Object.entries(sampleMails())) {
      expect(mail.subject, kind).not.toMatch(/[\r\n]/);
      expect(mail.subject.length, kind).toBeGreaterThan(5);
      expect(mail.text, kind).toContain("https://jams.example.com/");
      // A fragment (one card) that the outbox puts in a document with the unsubscribe footer.
      expect(mail.html, kind).toMatch(/^<div style="[^"]*">/);
      expect(mail.html, kind).not.toMatch(/<html|<body/i);
      // The main link is in both parts.
      const links = [...mail.text.matchAll(/https:\/\/jams\.example\.com\/[^\s)]*/g)].map((m) => m[0]);
      for (const link of links) expect(mail.html, `${kind}: ${link}`).toContain(`href="${escapeHtml(link)}"`);
      // Inline styles only: no style sheet, no script.
      expect(mail.html, kind).not.toMatch(/<style|<script|<link /i);
      // Why the person gets it, last.
      expect(mail.text.trimEnd().split("\n").at(-1), kind).toMatch(/^You get this because/);
    }
  });

  it("cannot be injected: titles and names are text in the HTML, and a line break cannot reach the subject", () => {
    for (const [kind, mail] of Object.entries(hostileMails())) {
      expect(mail.subject, kind).not.toMatch(/[\r\n\u0000-\u001f]/);
      expect(mail.html, kind).not.toMatch(/<script/i);
      expect(mail.html, kind).not.toMatch(/<img/i);
      expect(mail.html, kind).toContain("&lt;script&gt;");
      // The only tags are the layout's own.
      const tags = new Set([...mail.html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1]!.toLowerCase()));
      for (const tag of tags) expect(["div", "p", "h1", "h2", "ul", "li", "a", "span", "strong", "blockquote"], `${kind}: <${tag}>`).toContain(tag);
      // Attributes cannot be broken out of: no raw quote inside the escaped text.
      expect(mail.html, kind).not.toContain(`"quotes"`);
      // Plain text keeps people's words as they are (it is not HTML), but names stay on one line.
      expect(mail.text, kind).not.toMatch(/^X-Header:/m);
    }
  });
});

describe("links", () => {
  it("are built under the public address, with its own path", () => {
    expect(linkTo("https://example.com", "/jams/a")).toBe("https://example.com/jams/a");
    expect(linkTo("https://example.com/jamboree/", "/jams/a")).toBe("https://example.com/jamboree/jams/a");
    expect(linkTo("https://example.com/jamboree", "/jams/a")).toBe("https://example.com/jamboree/jams/a");
    expect(linkTo("https://example.com/?x=1#y", "/jams/a#b")).toBe("https://example.com/jams/a#b");
  });

  it("refuse a public address that is not http(s)", () => {
    expect(() => linkTo("javascript:alert(1)//", "/jams/a")).toThrow();
    expect(() => linkTo("not a url", "/jams/a")).toThrow();
  });

  it("cannot be turned into another site by a jam's slug", () => {
    const mail = invitationMail(
      { jam: { slug: "//evil.example/x", title: "T", description: "", startsAt: 0, endsAt: 1 }, inviter: null, challenges: [], recipient: { name: "A" }, now: 0 },
      SAMPLE_CONTEXT,
    );
    expect(mail.text).toContain("https://jams.example.com/jams/%2F%2Fevil.example%2Fx");
  });
});

describe("the pulse", () => {
  const base: PulseFacts = {
    jam: { slug: "j", title: "Jam", startsAt: 0, endsAt: SAMPLE_NOW + 48 * HOUR },
    since: SAMPLE_NOW - 24 * HOUR,
    now: SAMPLE_NOW,
    news: { ideas: 0, comments: 0, support: 0 },
    ownNewIdeas: 0,
    rising: [],
    replies: [],
    recipient: { id: 1, name: "Sam" },
    audience: "invited",
  };

  it("has news only with replies to the reader or ideas the reader did not write", () => {
    expect(pulseHasNews(base)).toBe(false);
    expect(pulseHasNews({ ...base, news: { ideas: 2, comments: 5, support: 9 }, ownNewIdeas: 2 })).toBe(false);
    expect(pulseHasNews({ ...base, news: { ideas: 2, comments: 0, support: 0 }, ownNewIdeas: 1 })).toBe(true);
    expect(pulseHasNews({ ...base, replies: [{ ideaId: 1, ideaTitle: "x", onYourIdea: 0, toYourComments: 0 }] })).toBe(false);
    expect(pulseHasNews({ ...base, replies: [{ ideaId: 1, ideaTitle: "x", onYourIdea: 0, toYourComments: 1 }] })).toBe(true);
  });

  it("never names an anonymous idea's author, even when given a name", () => {
    const mail = pulseMail(
      {
        ...base,
        news: { ideas: 1, comments: 0, support: 3 },
        rising: [
          { id: 1, title: "Secret idea", challengeTitle: "C", isAnonymous: true, authorName: "Hidden Person", gained: 3 },
          { id: 2, title: "Open idea", challengeTitle: "C", isAnonymous: false, authorName: "Open Person", gained: 2 },
        ],
      },
      SAMPLE_CONTEXT,
    );
    expect(mail.text).not.toContain("Hidden Person");
    expect(mail.html).not.toContain("Hidden Person");
    expect(mail.text).toContain("by Open Person");
  });

  it("puts replies to the reader first, in the subject too", () => {
    const mail = pulseMail({ ...base, news: { ideas: 4, comments: 2, support: 0 }, replies: [{ ideaId: 9, ideaTitle: "Mine", onYourIdea: 2, toYourComments: 1 }] }, SAMPLE_CONTEXT);
    expect(mail.subject).toBe("Jam: 3 replies to you, 4 new ideas");
    expect(mail.text.indexOf("Replies to you")).toBeLessThan(mail.text.indexOf("New since"));
    expect(mail.text).toContain("2 new comments on your idea, 1 reply to your comments");
  });
});

describe("the other messages", () => {
  it("an invitation to an open jam says it is open; to a scheduled one, when it opens", () => {
    const jam = { slug: "j", title: "Jam", description: "", startsAt: SAMPLE_NOW + 24 * HOUR, endsAt: SAMPLE_NOW + 72 * HOUR };
    const later = invitationMail({ jam, inviter: "Alex", challenges: [], recipient: { name: "S" }, now: SAMPLE_NOW }, SAMPLE_CONTEXT);
    expect(later.text).toContain(`It opens on ${mailTime(jam.startsAt)}`);
    expect(later.text).toContain("Alex invites you");
    const open = invitationMail({ jam, inviter: null, challenges: [], recipient: { name: "S" }, now: jam.startsAt + HOUR }, SAMPLE_CONTEXT);
    expect(open.text).toContain("It is open now");
    expect(open.text).toContain("Join the jam: https://jams.example.com/jams/j");
  });

  it("a declined action says why", () => {
    const mail = actionStatusMail(
      {
        action: { id: 3, title: "Do it", status: "declined", description: "", declineReason: "No budget this year.", dueDate: null, ownerName: null },
        jam: { title: "Jam" },
        yourIdeas: [{ title: "My idea" }],
        recipient: { name: "S" },
      },
      SAMPLE_CONTEXT,
    );
    expect(mail.subject).toBe("An action from your idea was declined: Do it");
    expect(mail.text).toContain("> No budget this year.");
    expect(mail.text).toContain("- My idea");
  });

  it("helpers: one line, time left", () => {
    expect(oneLine("a\r\nb\u0000c\u2028d   e")).toBe("a b c d e");
    expect(oneLine("x".repeat(300), 10)).toHaveLength(10);
    expect(timeLeft(24 * HOUR)).toBe("24 hours");
    expect(timeLeft(50 * HOUR)).toBe("2 days");
    expect(timeLeft(30 * 60_000)).toBe("30 minutes");
  });
});
