/** The people and jams tests/e2e/prepare-db.ts creates for the end-to-end tests. */
export const E2E_PASSWORD = "e2e-password-123";

export const E2E_USERS = {
  participant: { email: "pat@e2e.test", name: "Pat Participant" },
  /** The same kind of person for the phone project, so the two projects never share votes. */
  phoneParticipant: { email: "phoebe@e2e.test", name: "Phoebe Phone" },
  colleague: { email: "casey@e2e.test", name: "Casey Colleague" },
  facilitator: { email: "fran@e2e.test", name: "Fran Facilitator" },
  leader: { email: "lee@e2e.test", name: "Lee Leader" },
  admin: { email: "ada@e2e.test", name: "Ada Admin" },
  /** Posts the anonymous idea; a name that appears nowhere else, so a leak of it is unmistakable. */
  quietParticipant: { email: "quinn@e2e.test", name: "Quinn Quiet" },
  /** A participant whose role only the admin test changes. */
  roleChangeTarget: { email: "robin@e2e.test", name: "Robin Rolechange" },
  /** Has no points or badges until the gamification test; the only member of a one-person team. */
  newcomer: { email: "nia@e2e.test", name: "Nia Newcomer" },
  /** Moderation: the author of the idea that gets flagged, hidden and restored, and of the duplicate. */
  moderatedAuthor: { email: "morgan@e2e.test", name: "Morgan Moderated" },
  /** Moderation: flags the idea; supports both the duplicate and the idea it is merged into. */
  flagger: { email: "finn@e2e.test", name: "Finn Flagger" },
  /** Moderation: supports only the duplicate. */
  duplicateVoter: { email: "dana@e2e.test", name: "Dana Duplicate" },
  /** Moderation: the author of the idea a duplicate is merged into. */
  keeper: { email: "kim@e2e.test", name: "Kim Keeper" },
  /** People network: follows the colleague and hears about their next idea (nobody else reads their bell). */
  follower: { email: "fola@e2e.test", name: "Fola Follower" },
  /** People network: posts an idea in the live jam that the follower comments on and supports, so the network has a tie. */
  networker: { email: "nat@e2e.test", name: "Nat Networker" },
  /** Rate limits: posts ideas through the API until refused (in the rate-limit jam only, so no other test is throttled). */
  hastyPoster: { email: "hal@e2e.test", name: "Hal Hasty" },
  /** Rate limits: posts ideas quickly, then sees the refusal on the real form. */
  hastyTyper: { email: "tia@e2e.test", name: "Tia Typer" },
  /** Background lookups: types and posts ideas while the similar-ideas lookup fails (desktop). */
  typist: { email: "toni@e2e.test", name: "Toni Typist" },
  /** The same on the phone project, so the two never share a rate-limit window. */
  phoneTypist: { email: "theo@e2e.test", name: "Theo Thumbs" },
  /** Voting modes: writes the ideas that the vote-mode tests vote on (made with the services). */
  voteModeAuthor: { email: "val@e2e.test", name: "Val Votable" },
  /** Several server processes: posts in one process while another watches, and posts through both until refused. */
  crossPoster: { email: "cris@e2e.test", name: "Cris Crossing" },
  /** Several server processes: watches the jam through the other process. */
  crossWatcher: { email: "wes@e2e.test", name: "Wes Watcher" },
  /** Live streams: keeps a jam page open in one tab and signs out in another. */
  streamWatcher: { email: "sol@e2e.test", name: "Sol Streamwatch" },
  /** Accounts: the admin deactivates this person while their browser is signed in (no other test signs in as them). */
  deactivated: { email: "dee@e2e.test", name: "Dee Deactivated" },
  /** Notifications: comments in a jam of that test's own and reads the reply in their bell (nobody else writes to them). */
  commenter: { email: "cam@e2e.test", name: "Cam Commenter" },
  /** The same on the phone project. */
  phoneCommenter: { email: "petra@e2e.test", name: "Petra Pocket" },
  /** Sign-on: has a password account whose e-mail the company's provider also gives; connects their company account. */
  companyConnector: { email: "cora@e2e.test", name: "Cora Connect" },
  /** Directory sync: deactivated by a SCIM PATCH while signed in (no other test signs in as them). */
  directorySynced: { email: "sid@e2e.test", name: "Sid Synced" },
  /** Evaluation: writes the ideas a review scores, and reads the stage of the one selected. */
  stageAuthor: { email: "stella@e2e.test", name: "Stella Staged" },
  /** Evaluation: the two reviewers of the blind review (nobody else scores or reads their bells). */
  reviewerOne: { email: "rhea@e2e.test", name: "Rhea Reviewer" },
  reviewerTwo: { email: "rex@e2e.test", name: "Rex Reviewer" },
  /** Jellies: proposes the meetup and shows its check-in code. */
  jellyHost: { email: "jo@e2e.test", name: "Jo Jellyhost" },
  /** Jellies: RSVPs, downloads the .ics and checks in (desktop). */
  jellyGuest: { email: "gus@e2e.test", name: "Gus Guest" },
  /** The same on the phone project. */
  phoneJellyGuest: { email: "pia@e2e.test", name: "Pia Pocketguest" },
  /** Jellies: takes the only place, then gives it up. */
  placeTaker: { email: "tara@e2e.test", name: "Tara Taker" },
  /** Jellies: waits for that place, gets it, and subscribes to their calendar feed (nobody else reads their bell). */
  placeWaiter: { email: "will@e2e.test", name: "Will Waiter" },
  /** Editing: writes the ideas that are edited, co-authored and built on (in jams of those tests' own). */
  editAuthor: { email: "eda@e2e.test", name: "Eda Editor" },
  /** Editing: supports an idea before its author edits it. */
  editVoter: { email: "vic@e2e.test", name: "Vic Voter" },
  /** Co-authors: invited to co-author an idea, and accepts. */
  coauthorInvitee: { email: "cody@e2e.test", name: "Cody Cowriter" },
  /** Build on this: proposes a change that the author accepts. */
  amender: { email: "amo@e2e.test", name: "Amo Amender" },
} as const;

export type E2ERole = keyof typeof E2E_USERS;

export const E2E_LIVE_JAM = { slug: "e2e-live", title: "E2E Live Jam" };
export const E2E_ENDED_JAM = { slug: "e2e-ended", title: "E2E Ended Jam" };
/** An idea by the colleague that everyone else can vote on and comment on. */
export const E2E_COLLEAGUE_IDEA_TITLE = "Shared calendar for meeting-free focus blocks";

/** A one-person department: per member it can beat bigger teams. */
export const E2E_SMALL_TEAM = "Design";

/** The address of the e2e server on this port (playwright.config.ts's baseURL). */
export function e2eOrigin(port = Number(process.env.E2E_PORT ?? 3210)) {
  return `http://localhost:${port}`;
}

/**
 * The database of the e2e run on this port (the server and tests that need factories share it): the
 * SQLite file, or in the PostgreSQL run (playwright.pg.config.ts) the URL it sets in E2E_DATABASE_URL.
 */
export function e2eDatabase(port = Number(process.env.E2E_PORT ?? 3210)) {
  return process.env.E2E_DATABASE_URL || `tests/.tmp/e2e-${port}.db`;
}

/** Whether this is the PostgreSQL run (playwright.pg.config.ts): two servers on one PostgreSQL database. */
export function e2eOnPostgres() {
  return /^postgres(ql)?:\/\//.test(process.env.E2E_DATABASE_URL ?? "");
}

/**
 * The PostgreSQL run's ports, all from E2E_PORT: server A (Playwright's baseURL), server B, the
 * cluster, and the first of six for servers tests start themselves (fixtures.ts extraServerPort).
 */
export function e2ePgPorts(port = Number(process.env.E2E_PORT ?? 3210)) {
  return { serverA: port, serverB: port + 1, postgres: port + 2, extraBase: port + 3 };
}

/**
 * The second server's address in the PostgreSQL run (E2E_SECOND_ORIGIN: another process on the same
 * database), where a test's second browser goes; undefined in the SQLite run.
 */
export function e2eSecondOrigin(): string | undefined {
  return process.env.E2E_SECOND_ORIGIN || undefined;
}

/** A live jam of its own for the moderation and command centre test, so its flags, hides and merges touch no other test. */
export const E2E_MODERATION_JAM = { slug: "e2e-moderation", title: "E2E Moderation Jam" };
export const E2E_MODERATION_IDEAS = {
  flagged: "Replace every status meeting with a written update",
  kept: "Standing desks in every team area",
  duplicate: "Standing desks for every team",
} as const;

/** Follow-up actions: a published synthesis of the ended jam, with one theme holding the colleague's idea there. */
export const E2E_SYNTHESIS = {
  theme: "Learning from retrospectives",
  keywords: ["retrospectives", "quarter", "learning"],
  ideaTitle: "Retrospectives every quarter",
} as const;

/** An ended jam with ideas on four clear topics, for running the synthesis end to end. */
export const E2E_THEMES_JAM = {
  slug: "e2e-themes",
  title: "E2E Themes Jam",
  topics: ["customer-onboarding", "pricing-billing", "sustainable-packaging", "customer-privacy"],
  /** A word each topic's theme label or keywords should contain. */
  topicWords: [/onboard|welcome|setup/i, /pric|bill|invoice/i, /packag|recycl|plastic/i, /privacy|data|delet/i],
};

/** People network: the networker's idea in the live jam (the follower comments on it and supports it). */
export const E2E_NETWORK_IDEA_TITLE = "Lend-a-colleague days between departments";

/** A jam of its own for typing ideas while the similar-ideas lookup fails. */
export const E2E_TYPING_JAM = { slug: "e2e-typing", title: "E2E Typing Jam", challenge: "Better meetings" } as const;
/** A live jam of its own for the rate-limit test, so the ideas it posts push nothing off another test's pages. */
/** Several server processes on one database: a jam of that test's own. */
export const E2E_PROCESSES_JAM = { slug: "e2e-processes", title: "E2E Processes Jam", challenge: "Across the servers" } as const;
export const E2E_RATE_LIMIT_JAM = { slug: "e2e-rate-limits", title: "E2E Rate Limits Jam", challenge: "Quick thoughts" } as const;

/**
 * The demo company (seeds/demo.ts), seeded first into the same database by prepare-db.ts exactly as
 * `npm run db:seed` seeds it: its documented accounts and its ended jam, which arrives with a
 * published two-level synthesis and three follow-up actions. prepare-db.ts checks these names
 * against the seed, so a change there fails loudly instead of making a test read the wrong thing.
 */
export const DEMO = {
  password: "jamboree-demo",
  leader: { email: "leader@jamboree.test", name: "Jordan Okafor" },
  facilitator: { email: "facilitator@jamboree.test", name: "Priya Raman" },
  endedJam: { slug: "customer-first-2026", title: "Customer First 2026" },
  /** The follow-up action the demo decides on a sub-theme (the other two are on top-level themes). */
  subThemeActionTitle: /^Decide whether to fund work on /,
} as const;

/**
 * A jam of its own with a published two-level synthesis made by hand (deterministic names), for
 * reshaping the top level: promoting a sub-theme and merging two top-level themes.
 */
export const E2E_TWO_LEVELS = {
  slug: "e2e-two-levels",
  title: "E2E Two Levels Jam",
  themes: [
    {
      label: "Faster support for customers",
      summary: "Customers wait too long for answers, whichever way they ask.",
      subThemes: [
        {
          label: "Answers within the hour",
          summary: "A first reply within the hour, on social media as in email.",
          ideas: ["Reply on social media within an hour", "A first answer to every email within an hour", "An on-call agent for Monday mornings"],
        },
        {
          label: "Help articles for repeat questions",
          summary: "Questions that come back every week deserve an article that answers them for good.",
          ideas: ["A help article for every repeat question", "Link the help centre from inside the product", "Video guides for the five most asked questions"],
        },
      ],
    },
    {
      label: "Clearer billing",
      summary: "Invoices and renewals confuse customers and fill the support queue.",
      subThemes: [
        {
          label: "Plain-English invoices",
          summary: "An invoice should say in plain words what a customer pays for.",
          ideas: ["Plain-English line items on every invoice", "One page invoices for small customers"],
        },
        {
          label: "No surprises at renewal",
          summary: "Price changes should be announced well before a renewal.",
          ideas: ["Announce price changes three months ahead", "A renewal reminder with last year's price"],
        },
      ],
    },
    {
      label: "Greener parcels",
      summary: "Parcels should use less plastic and arrive together.",
      ideas: ["Paper padding instead of bubble wrap", "Ship multi-item orders in one parcel"],
    },
  ],
} as const;
