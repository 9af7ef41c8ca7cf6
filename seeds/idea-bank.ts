/**
 * Idea bank for Jamboree's demo seed data.
 *
 * Hand-written phrases and sentence templates, varied by a small deterministic
 * generator, so the demo company's ideas, comments and replies read like things
 * real employees write. Spelling is British English throughout ("centre",
 * "organise", "programme", "colour").
 *
 * Each topic has its own vocabulary (slot lists and sentences) so that a theme
 * clusterer run on the ended jam has clearly separable topics, with only the
 * occasional realistic overlap word ("customers", "team", "support").
 *
 * Self-contained on purpose: no imports.
 */

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/** A source of pseudo-random numbers in [0, 1). */
export type Rng = () => number;

/** Deterministic mulberry32 generator. The seed is reduced to an unsigned 32-bit integer. */
export function createRng(seed: number): Rng {
  let state = Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks one item uniformly. Throws on an empty list. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick() needs a non-empty list");
  const index = Math.min(items.length - 1, Math.floor(rng() * items.length));
  return items[index] as T;
}

function randomInt(rng: Rng, exclusiveMax: number): number {
  return Math.min(exclusiveMax - 1, Math.floor(rng() * exclusiveMax));
}

/** Up to `count` distinct items, in random order (partial Fisher–Yates on a copy). */
function sampleDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = items.slice();
  const n = Math.max(0, Math.min(count, pool.length));
  for (let i = 0; i < n; i++) {
    const j = i + randomInt(rng, pool.length - i);
    const tmp = pool[i] as T;
    pool[i] = pool[j] as T;
    pool[j] = tmp;
  }
  return pool.slice(0, n);
}

// ---------------------------------------------------------------------------
// People and organisation
// ---------------------------------------------------------------------------

export interface IdeaText {
  title: string;
  body: string;
  topic: string;
}

export const DEPARTMENTS: readonly string[] = [
  "Engineering",
  "Sales",
  "Operations",
  "People & Culture",
  "Finance",
  "Customer Success",
];

export const FIRST_NAMES: readonly string[] = [
  "Amara", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiroshi",
  "Isla", "Jamal", "Katarzyna", "Liam", "Mei", "Nikhil", "Olivia", "Pedro",
  "Qiang", "Rosa", "Samir", "Tamsin", "Uchenna", "Valentina", "Wei", "Ximena",
  "Yusuf", "Zara", "Aoife", "Bogdan", "Carmen", "Dmitri", "Efua", "Finn",
  "Gabriela", "Hamza", "Ingrid", "Joon", "Kavya", "Lucas", "Mariam", "Niamh",
  "Oluwaseun", "Priya", "Rhys", "Sofia", "Tariq", "Yara", "Matteo", "Leila",
];

export const LAST_NAMES: readonly string[] = [
  "Adeyemi", "Bauer", "Chen", "Da Silva", "Evans", "Fernández", "Gupta", "Hassan",
  "Ivanova", "Johansson", "Kowalski", "Lee", "Mensah", "Nakamura", "O'Brien", "Patel",
  "Quinn", "Rossi", "Sato", "Thompson", "Usman", "Van der Berg", "Williams", "Xu",
  "Yilmaz", "Zhang", "Abbasi", "Byrne", "Castillo", "Dubois", "Eze", "Fischer",
  "García", "Haddad", "Iyer", "Jones", "Khan", "Lindqvist", "Murphy", "Nguyen",
  "Okafor", "Petrov", "Ramírez", "Singh", "Tanaka", "Walsh", "Novak", "Mbeki",
];

// ---------------------------------------------------------------------------
// Jams and challenges
// ---------------------------------------------------------------------------

export const LIVE_JAM_DESCRIPTION =
  "Working Smarter is a three-day jam for everyone in the company, whatever your role or location. " +
  "We want your ideas for cutting the busywork that gets in the way of good work: fewer pointless meetings, " +
  "tools that just work, and more chances to learn from each other. Post an idea, build on someone else's, " +
  "and vote for the ones you'd like to see happen. The leadership team will pick ideas to pilot when the jam closes.";

export const LIVE_CHALLENGES: readonly { title: string; question: string; topics: readonly string[] }[] = [
  {
    title: "Meetings that matter",
    question: "How could we spend less time in meetings and more time doing the work?",
    topics: ["meetings", "async-communication", "focus-time"],
  },
  {
    title: "Tools that get out of the way",
    question: "Which internal tools, IT processes or repetitive tasks slow you down, and how would you fix them?",
    topics: ["internal-tools", "it-support", "automation"],
  },
  {
    title: "Learning on the job",
    question: "How can we make it easier to learn new skills and share what we know while doing our day jobs?",
    topics: ["mentoring", "training", "knowledge-sharing"],
  },
];

export const ENDED_JAM: {
  title: string;
  description: string;
  challenges: readonly { title: string; question: string; topics: readonly string[] }[];
} = {
  title: "Customer First 2026",
  description:
    "In January we asked everyone to look at the company through our customers' eyes. " +
    "Customer First 2026 collected ideas on how we welcome new customers, how quickly we help them, " +
    "and how we earn their trust. The jam is now closed and the synthesis team is turning the strongest themes into this year's plans.",
  challenges: [
    {
      title: "A great start",
      question:
        "How can we make a new customer's first weeks with us effortless, on any device and for everyone?",
      topics: ["customer-onboarding", "self-service-help", "mobile-app", "accessibility"],
    },
    {
      title: "Listening and responding",
      question:
        "How can we respond faster and listen better to our customers and to the partners who serve them?",
      topics: ["support-response-times", "product-feedback", "partner-experience"],
    },
    {
      title: "Earning trust",
      question:
        "How can we become the company customers trust most with their money, their data and the planet?",
      topics: ["pricing-billing", "customer-privacy", "sustainable-packaging"],
    },
  ],
};

export const UPCOMING_JAM: {
  title: string;
  description: string;
  challenges: readonly { title: string; question: string }[];
} = {
  title: "Wellbeing at Work",
  description:
    "Our next jam is about looking after ourselves and each other. Busy seasons, always-on chat and blurred " +
    "lines between home and work take their toll, and we want practical ideas that make a difference on an ordinary Tuesday, " +
    "not just during wellbeing week. The jam opens next month; start thinking about what would help you and your team.",
  challenges: [
    {
      title: "Healthy workloads",
      question: "What would help you keep your workload sustainable, especially during our busiest periods?",
    },
    {
      title: "Switching off",
      question: "How can we make it easier for everyone to properly disconnect after work and on holiday?",
    },
  ],
};

// ---------------------------------------------------------------------------
// Shared slots, lead-ins and closers
// ---------------------------------------------------------------------------

type SlotLists = Readonly<Record<string, readonly string[]>>;

const SHARED_SLOTS: SlotLists = {
  department: DEPARTMENTS,
  weekday: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
  hours: ["2", "3", "4", "5", "6", "8"],
  minutes: ["20", "25", "30", "40", "45"],
  percent: ["15", "20", "25", "30", "40"],
  count: ["five", "six", "eight", "ten", "twelve"],
  period: ["month", "quarter", "year"],
  frequency: ["every day", "twice a week", "once a week", "every Monday morning", "three days a week"],
  cadence: ["every quarter", "twice a year", "once a year", "every six months"],
  pilotsize: ["ten", "twenty", "fifty", "a hundred"],
  /** Optional scope for internal-idea titles; values may themselves contain slots. */
  scope: ["", " in {department}", " for {department}", " across the company"],
  /** Optional scope for customer-facing idea titles. */
  cscope: ["", "", " — starting in {market}", " (pilot in {market})", " — {market} first"],
  market: ["the UK", "Germany", "France", "Spain", "the US", "Canada"],
};

/** Stand-alone opening sentences that set the tone; they count towards the 2–5 sentences. */
const LEAD_INS: readonly string[] = [
  "Small idea, but hear me out.",
  "This one has bugged me for a while.",
  "Simple suggestion, and I think it would be popular.",
  "I've raised this informally before, so I'm putting it here properly.",
  "Probably not a new idea, but it deserves another look.",
  "Something I'd love to see this year!",
];

const CLOSERS: readonly string[] = [
  "Happy to help pilot this in {department} if there's interest.",
  "Would love to hear whether other teams have tried something similar.",
  "Curious what others think!",
  "I genuinely think this could be a quick win.",
  "Keen to hear the objections too, as there may be a good reason we do it this way.",
  "Really hope this one gets picked up!",
  "Not a big investment, and the payoff could be huge.",
];

const TITLE_PREFIXES: readonly string[] = [
  "Quick win: ",
  "Pilot idea: ",
  "Proposal: ",
  "Small change: ",
  "Idea: ",
  "Suggestion: ",
];

/** Suffixes for ideas about how we work internally (the live jam). */
const INTERNAL_TITLE_SUFFIXES: readonly string[] = [
  " (pilot in {department})",
  " — starting with {department}",
  " — let's try it for a {period}",
  " (trial for a {period})",
];

/** Suffixes for customer-facing ideas (the ended jam). */
const CUSTOMER_TITLE_SUFFIXES: readonly string[] = [
  " (pilot with {pilotsize} customers)",
  " — let's trial it for a {period}",
  " — could start this {period}",
  " (before the next renewal season)",
];

// ---------------------------------------------------------------------------
// Topic banks
// ---------------------------------------------------------------------------

interface TopicBank {
  /** Idea titles. */
  readonly titles: readonly string[];
  /** Sentences describing the problem. */
  readonly problems: readonly string[];
  /** Sentences proposing the fix; every body has exactly one. */
  readonly proposals: readonly string[];
  /** Supporting detail, benefits, caveats and examples. */
  readonly details: readonly string[];
  /** Topic-aware comments on someone else's idea. */
  readonly comments: readonly string[];
  /** Slot values for this topic; unknown slots fall back to SHARED_SLOTS. */
  readonly slots: SlotLists;
}

const BANKS: Readonly<Record<string, TopicBank>> = {
  // ----- Live jam: Meetings that matter -----------------------------------
  meetings: {
    titles: [
      "[Make|Keep] {weekday} afternoons meeting-free{scope}",
      "[No agenda, no meeting|No agenda, no invite]: require {rule} for every [invite|meeting|calendar invite]",
      "[Cut|Change|Shorten] the default meeting length to {length}{scope}",
      "Replace the {meeting} with a [short written round-up|five-line written update|shared update doc|weekly email]",
      "[Audit|Review|Prune] our recurring meetings every {period}{scope}",
      "Cap the {meeting} at {attendees} people",
      "Meeting-free {weekday} [mornings|afternoons] for {department}",
      "[Let people decline|Make it OK to decline|Let people skip] the {meeting} without [feeling guilty|having to explain]",
      "Run the {meeting} standing up and finish in {length}",
      "Put [an hourly cost estimate|a cost counter] on the {meeting} invite[| and every invite over {attendees} people]",
      "[Fewer|Shorter|Better] meetings: [start with|begin with] the {meeting}",
      "[Scrap|Pause] the {meeting} for a {period} and see who misses it",
      "Give the {meeting} a [clear owner|written agenda|hard stop|proper end time|single purpose]",
      "Make the {meeting} fortnightly[ instead of weekly| and keep it to {length}]",
    ],
    problems: [
      "We lose about {hours} hours a week to the {meeting} alone, and most of it is people reading out updates that are already in the tracker.",
      "My calendar has {count} recurring meetings on it and I honestly couldn't tell you what half of them decide.",
      "Most invites I get have no agenda, so I don't know whether I need to be there until I'm already in the room.",
      "The {meeting} regularly has {attendees} people on it, but only two or three of them actually speak.",
      "Back-to-back meetings mean there is no time between calls to write anything up or follow through on the actions.",
    ],
    proposals: [
      "What if every meeting invite had to include {rule} before it could be sent?",
      "I'd suggest we trial meeting-free {weekday} afternoons across {department} for one {period} and see what happens.",
      "We could set the default calendar slot to {length} instead of an hour, so meetings end with time to breathe.",
      "Let's replace the {meeting} with a short written round-up and only meet when there's a decision to make.",
      "Every {period}, each team could review its recurring meetings and cancel anything that nobody would miss.",
    ],
    details: [
      "Meeting organisers should feel comfortable ending early if the agenda is done.",
      "If a meeting produces no notes or actions afterwards, that's a good sign it didn't need to happen.",
      "When I tried this with my own team, we got back roughly {hours} hours each per week.",
      "Declining an invite with a polite 'can I read the notes instead?' should be completely normal here.",
      "Headcount matters too: decisions get slower with every extra attendee in the room.",
      "Our calendar software already lets us set shorter default durations, so this costs nothing to try.",
    ],
    comments: [
      "We cancelled the {meeting} for a month in {department} and honestly nobody missed it.",
      "Would this apply to client meetings too, or just internal ones?",
      "Love the agenda rule. I'd add that the invite should say what decision we're making.",
      "Could we start with {weekday}s and review after a {period}?",
      "The hardest part will be senior people sticking to it. If they do, everyone else will follow.",
    ],
    slots: {
      meeting: [
        "weekly status meeting", "Monday stand-up", "project sync", "all-hands", "team check-in",
        "planning meeting", "cross-team catch-up", "steering committee", "pipeline review", "Friday wrap-up",
        "monthly business review", "leadership huddle",
      ],
      length: ["15 minutes", "20 minutes", "25 minutes", "45 minutes", "50 minutes"],
      attendees: ["six", "eight", "ten", "twelve", "fifteen", "twenty"],
      rule: [
        "a written agenda", "a clear owner", "a decision to make", "a shared agenda doc", "a stated outcome",
        "a named note-taker", "a list of pre-reads",
      ],
    },
  },

  "async-communication": {
    titles: [
      "Write it down: async {update}s instead of [status calls|stand-ups|weekly syncs]{scope}",
      "Agree to reply to [chat messages|non-urgent messages|emails] within {window}{scope}",
      "Keep a decision log in {docspace} for every [project|team|programme]{scope}",
      "Swap [live demos|demo meetings|walkthrough calls] for {video}{scope}",
      "[Keep our colleagues in {timezone} in the loop|Make our colleagues in {timezone} part of the conversation|Include the team in {timezone} in decisions]",
      "Async-first {weekday}s{scope}: no calls, just {update}s",
      "[A weekly|A fortnightly|One] written digest from [each team|every project|each department] in the {channel}",
      "[Stop using|Stop reaching for|Ban] [@here|@channel|urgent flags] for things that can wait {window}",
      "Default to a written proposal in {docspace} before booking a [call|meeting|workshop]{scope}",
      "[Handover notes|Written updates|Recorded briefings] that [work|actually work] for the team in {timezone}",
      "Post a {update} in the {channel} instead of meeting {frequency}",
      "[Fewer calls, more writing|Write first, meet second]: {update}s for [every project|every team|{department}]",
    ],
    problems: [
      "Our colleagues in {timezone} usually find out about decisions a day late because everything happened on a call they couldn't join.",
      "Chat has turned into a place where everything feels urgent, and people answer messages instead of finishing work.",
      "Important context gets lost because it was said out loud and never written down anywhere searchable.",
      "I spend the first hour of every day scrolling back through threads trying to work out what I missed overnight.",
      "Half of our status calls could be a written {update} that people read in five minutes when it suits them.",
    ],
    proposals: [
      "I'd like each team to post a weekly written {update} in the {channel} and skip the live call unless something needs discussing.",
      "Let's agree as a company that a non-urgent message gets an answer within {window}, so nobody feels they have to reply instantly.",
      "Decisions should be written up in {docspace} with the context, the options we considered and who signed off.",
      "We could use {video} so people can catch up whenever it suits their time zone.",
      "Before booking a call, write a one-page proposal in {docspace} and let people comment on it asynchronously first.",
    ],
    details: [
      "Writing things down also helps new starters, who can read the history instead of asking around.",
      "It takes practice: at first the written updates will feel slower, but they get sharper after a few weeks.",
      "Colleagues working part-time or based in {timezone} would finally get the same information as everyone else.",
      "A simple template (what changed, what's blocked, what's next) keeps each {update} short.",
      "Genuinely urgent things can still go through a phone call; this is about everything else.",
      "My team moved our stand-up into a thread last {period} and nobody has asked to go back.",
    ],
    comments: [
      "As someone based in {timezone}, this would make a huge difference. I often find out about decisions a day late.",
      "Would we need a rule for what still counts as urgent?",
      "We tried written updates in the {channel} and the trick was keeping them to five bullet points.",
      "Love this. Knowing I have {window} to reply would take so much pressure off.",
      "Where would the decision log live, though? We already have too many places to check.",
    ],
    slots: {
      update: ["status update", "progress note", "project update", "handover note", "decision note"],
      channel: ["team channel", "project thread", "shared update doc", "weekly digest", "discussion board"],
      timezone: ["Singapore", "Toronto", "Lisbon", "Sydney", "Bangalore", "Denver", "Dublin", "São Paulo", "Nairobi"],
      window: ["24 hours", "one working day", "48 hours", "two working days", "the same day"],
      docspace: ["the wiki", "a shared doc", "the project space", "the team notebook", "the shared drive"],
      video: [
        "five-minute recorded walkthroughs", "short screen recordings", "narrated slide decks", "recorded video updates",
      ],
    },
  },

  "focus-time": {
    titles: [
      "Protect a {block} every [day|week]{scope}",
      "[Turn off|Silence|Pause] {distraction} during focus time{scope}",
      "[Company-wide focus time|Focus time for everyone] from {focushours} [every day|on weekdays|three days a week]",
      "[Create|Set aside|Open] a {space} on every [office floor|site]",
      "Use {signal} to show when someone is [heads-down|concentrating|in focus mode]{scope}",
      "Batch {distraction} into [two|three] check-ins a day{scope}",
      "Deep work {weekday}s for {department}[| — no meetings, no chat]",
      "Let people book a {block} without having to [justify it|ask permission]{scope}",
      "[Fewer interruptions|Protect concentration]: an etiquette for {distraction}{scope}",
      "Keep {focushours} free of meetings and {distraction}{scope}",
      "A {block} [every day|twice a week] for {department}",
      "Stop {distraction} from [eating|wrecking] our [mornings|afternoons]{scope}",
    ],
    problems: [
      "Between {distraction} and meetings, I rarely get more than {minutes} minutes of uninterrupted time in a day.",
      "It can take twenty minutes to get back into deep work after an interruption, and we interrupt each other constantly.",
      "The open-plan floor is great for chatting but almost impossible for concentrating on anything difficult.",
      "People end up doing their real work in the evening because the working day is chopped into small pieces.",
      "There's no agreed way to signal 'I'm concentrating, please come back later', so people just get interrupted.",
    ],
    proposals: [
      "I'd love us to protect a {block} for everyone, ideally from {focushours}, when nobody books meetings.",
      "We could agree that {signal} means 'heads-down, message me later' and actually respect it.",
      "Each office could set aside a {space} where calls and conversations aren't allowed.",
      "Notifications for {distraction} could be switched off by default during focus blocks, with an override for genuine emergencies.",
      "Let's try deep work {weekday}s in {department} for a {period} and measure how much gets finished.",
    ],
    details: [
      "Managers going first matters here; if leaders block out focus time, everyone else will feel allowed to.",
      "Focus blocks should show as busy in calendars so they aren't overwritten by the next invite.",
      "A couple of people on my team tried this informally and said they finished their reports {percent}% faster.",
      "It doesn't have to be rigid: even two protected blocks a week would make a big difference to concentration.",
      "We would need a simple escalation route so urgent issues still reach someone.",
      "Concentration is a skill we rarely talk about, and this would signal that it matters.",
    ],
    comments: [
      "Yes! {focushours} is when I do my best thinking, and it's exactly when the pings start.",
      "How would this work for people on call or on the front line?",
      "We use {signal} in {department} already and people do respect it.",
      "A {space} would be brilliant. The open-plan noise is the biggest barrier for me.",
      "I'd suggest making it opt-out rather than opt-in, otherwise the focus blocks get eaten straight away.",
    ],
    slots: {
      block: [
        "two-hour focus block", "no-interruption morning", "deep work afternoon", "quiet hour", "heads-down half day",
        "maker morning",
      ],
      distraction: ["chat notifications", "email pings", "shoulder taps", "ad-hoc calls", "pop-up alerts"],
      signal: [
        "a 'focusing' status in chat", "a focus colour in the calendar", "headphones on", "a do-not-disturb sign",
        "a small desk flag",
      ],
      space: ["quiet zone", "library room", "silent area", "phone-free corner", "focus pod", "no-calls zone"],
      focushours: ["9 to 11", "10 to 12", "2 to 4", "1 to 3", "8 to 10", "3 to 5"],
    },
  },

  // ----- Live jam: Tools that get out of the way ---------------------------
  "internal-tools": {
    titles: [
      "[Single sign-on|One login|No more separate passwords] for {system}{scope}",
      "[Cut|Get] {task} down to [three clicks|one screen|a single form]",
      "Make {system} work [properly|well] on [a phone|mobile|tablets]",
      "One [launch page|home page|directory] for every internal tool[, starting with|, beginning with| — first up:] {system}",
      "[Retire {system} and use|Replace {system} with] [something off the shelf|a simpler tool|an off-the-shelf product]",
      "[A feedback button|A 'report a problem' link] on {system} so [we can flag what's broken|bugs reach the right team|problems get fixed faster]",
      "[Fix|Improve|Rebuild] the search in {system}[| so we can find things]",
      "Stop asking for [the same details|our cost centre|our manager's name] [twice|again and again] when {task}",
      "[Review|Audit] every software [licence|subscription] {cadence} and cancel what nobody uses{scope}",
      "[Pre-fill|Auto-fill] the forms for {task} from [our HR record|the staff directory]",
      "{task}: [fewer clicks|one screen|no more paper forms][, please|]",
      "Put {system} [behind single sign-on|on the launch page] [and give it an owner|with a named owner]",
    ],
    problems: [
      "{task} currently takes {clicks} screens, and I still get it wrong about half the time.",
      "{system} needs {login}, so I end up resetting my password almost every month.",
      "Nobody knows which tool to use for what, so people email the office team instead.",
      "{system} doesn't work on a phone at all, which is painful for anyone who isn't at a desk.",
      "We pay for several tools that do the same job, and each one has its own login and its own quirks.",
    ],
    proposals: [
      "We should put {system} behind single sign-on so it just works with our normal account.",
      "A small team could spend a {period} redesigning the screens for {task} around the three or four fields that actually matter.",
      "Let's build one simple launch page listing every internal tool, what it's for and who owns it.",
      "Every internal tool should have a feedback button that goes straight to the team that owns it.",
      "We could pre-fill forms from the HR record so nobody has to type their cost centre and manager's name again.",
    ],
    details: [
      "I timed it last week: {task} took me {minutes} minutes, and it should take two.",
      "If each of us saves ten minutes a week, that adds up to thousands of hours a year across the company.",
      "Each tool needs a named owner who is responsible for smoothing out the rough edges.",
      "Retiring duplicate software would also save a fair amount on licence fees.",
      "Colleagues in {department} said the same thing when I asked around.",
      "A quick survey would tell us which tools frustrate people most, so we fix those first.",
    ],
    comments: [
      "{system} is my personal nemesis. Anything that makes it simpler gets my vote.",
      "Single sign-on would be amazing, but is it possible with the vendor we use?",
      "In {department} we keep a spreadsheet of which tool does what. A proper launch page would be far better.",
      "I counted {clicks} screens for {task} last week, so this is spot on.",
      "Who would own the launch page once it's built? It will go stale otherwise.",
    ],
    slots: {
      system: [
        "the expenses system", "the holiday booking tool", "the timesheet app", "the intranet", "the procurement portal",
        "the travel booking site", "the HR system", "the learning platform",
      ],
      clicks: ["nine", "eleven", "fourteen", "seventeen"],
      task: [
        "submitting an expense claim", "booking annual leave", "raising a purchase order", "logging timesheets",
        "updating my bank details", "booking a meeting room", "claiming mileage", "ordering equipment",
      ],
      login: ["a separate password", "its own login", "a VPN connection", "two different logins"],
    },
  },

  "it-support": {
    titles: [
      "[A walk-up IT desk|An IT help bar|A tech bar] in [the office|every office|our main site], open {frequency}",
      "[Self-service|Instant] [password resets|account unlocks|MFA resets] [through|via] {itchannel}",
      "[Spare|Backup] {kit}s [ready to swap on the spot|in every office|at the IT desk]",
      "[A named technician|One named person] for every ticket about {issue}{scope}",
      "Have new starters' {kit}s[ and accounts|] ready [a week before day one|before their first morning]{scope}",
      "A [drop-in session|quick-help call|walk-in clinic] {frequency} for IT questions that don't need a ticket",
      "Fix {issue} in minutes, not {wait}",
      "Let people [choose|order] their own {kit} from an approved [list|catalogue]{scope}",
      "Plain-English [guides|videos|checklists|how-tos] for the top {count} IT [problems|questions]{scope}",
      "[A courier service|Next-day swaps] for remote colleagues whose {kit} [breaks|stops working]",
      "Stop waiting {wait} for help with {issue}",
      "[A status page for IT outages|Live outage alerts], so we stop raising tickets about {issue}",
    ],
    problems: [
      "Last month I waited {wait} to get help with {issue}, and couldn't do much work in the meantime.",
      "Raising a ticket feels like sending it into a black hole; you never know whether anyone has picked it up.",
      "New starters often spend their first morning without a working laptop or access to the systems they need.",
      "Password resets still need a ticket and a phone call, which seems like overkill these days.",
      "When my {kit} broke, I had to wait for a replacement to be ordered rather than swapping it on the spot.",
    ],
    proposals: [
      "A walk-up IT desk open {frequency} would fix most small problems in a couple of minutes.",
      "We could keep a small stock of spare {kit}s in each office so broken kit is swapped immediately.",
      "Let people reset their own passwords and unlock their accounts through {itchannel}.",
      "The ticketing system should show where your request is in the queue and which technician is working on it.",
      "IT could prepare laptops and accounts for new starters a week before their first day.",
    ],
    details: [
      "The IT team is brilliant, they're just stretched, so this is about removing easy tickets from their queue.",
      "I'd guess around {percent}% of tickets are password or access issues that could be self-service.",
      "A short troubleshooting guide would cover most of the common problems, like {issue}.",
      "Remote colleagues would need a courier option for swapping hardware too.",
      "Tracking the time to resolve tickets would show whether this actually helps.",
      "Even a simple status page for outages would cut down on duplicate tickets.",
    ],
    comments: [
      "The walk-up desk at my last company was a lifesaver. Five minutes and your laptop was fixed.",
      "I waited {wait} for {issue} last quarter, so yes please.",
      "How would this work for people who are fully remote? A courier for spare {kit}s maybe?",
      "Self-service password resets would probably halve the ticket queue on their own.",
      "Could the IT team tell us which tickets they see most? That would show where to start.",
    ],
    slots: {
      issue: [
        "a laptop that won't connect to the VPN", "a forgotten password", "a broken docking station", "printer problems",
        "a locked account", "a failed software update", "a frozen laptop", "Wi-Fi dropouts",
      ],
      wait: ["two days", "three days", "a week", "most of a morning"],
      kit: ["laptop", "headset", "monitor", "docking station", "keyboard", "charger"],
      itchannel: ["the IT portal", "a chat bot", "a self-service page", "the phone app"],
    },
  },

  automation: {
    titles: [
      "[Automate|Script] {report}[| once and for all]",
      "Stop {manual}[: let a script do it|: let a bot do it|: automate it| — there's a tool for that]",
      "Automatic [reminders|nudges|escalations] for {approval}{scope}",
      "[A small|A central|A two-person] automation team [that any department can send requests to|for {department} and beyond|with a public backlog]",
      "[A shared|An internal] library of [workflow templates|scripts|macros] for {department}",
      "Turn {report} into a live [dashboard|report|feed]",
      "Use [bots|workflows] to chase {approval} so people don't have to{scope}",
      "Automation [office hours|clinics|drop-ins] {frequency}{scope}",
      "[Automation champions|Automation buddies] in every [team|office], [starting with|led by] {department}",
      "No more {manual} for {report}",
      "Get back {hours} hours a week by automating {report}",
      "Let {department} stop {manual}",
    ],
    problems: [
      "Every week someone spends around {hours} hours {manual} to produce {report}.",
      "{approval} sit in inboxes for days because nobody gets a reminder.",
      "A lot of our processes still rely on one person knowing which spreadsheet to update and when.",
      "Copying data between systems by hand introduces mistakes that then take even longer to find.",
      "We keep doing the same repetitive tasks because nobody has the time to automate them.",
    ],
    proposals: [
      "A simple workflow could pull the data overnight and have {report} ready first thing in the morning.",
      "We could set up automatic reminders and escalations so {approval} don't get stuck.",
      "I'd propose a small automation team that any department can send requests to, with a public backlog.",
      "Let's run automation office hours {frequency} where people bring a repetitive task and leave with a script.",
      "We should build a shared library of scripts and workflow templates so every team isn't starting from scratch.",
    ],
    details: [
      "Even automating the three most tedious tasks in {department} would free up a surprising amount of time.",
      "It would also make the numbers more reliable, because nobody is re-typing them.",
      "Low-code workflow tools are good enough now that this doesn't need a developer for every job.",
      "Each automation needs an owner so it doesn't quietly break when a system changes.",
      "I automated part of {report} myself with a macro, and it went from {hours} hours to about ten minutes.",
      "People worry automation means job cuts, so we should be clear that this is about getting rid of drudgery.",
    ],
    comments: [
      "{report} is exactly the kind of thing a script should be doing. Count me in.",
      "We built a small macro for this in {department}. Happy to share it.",
      "What happens when the source system changes and the automation breaks silently?",
      "Automatic nudges for {approval} would save me chasing people every Friday.",
      "Office hours are a great format. People often don't know what's possible until they see it.",
    ],
    slots: {
      report: [
        "the weekly sales report", "the month-end reconciliation", "the headcount report", "the stock spreadsheet",
        "the invoice run", "the KPI dashboard", "the weekly pipeline export", "the customer churn report",
      ],
      manual: [
        "copy-pasting numbers between spreadsheets", "re-keying data from emails", "manually chasing approvals",
        "exporting CSVs by hand", "renaming files one by one", "copying figures into slide decks",
        "updating the same tracker in three places",
      ],
      approval: [
        "purchase approvals", "contract sign-offs", "holiday approvals", "expense approvals", "invoice approvals",
        "new supplier approvals",
      ],
    },
  },

  // ----- Live jam: Learning on the job -------------------------------------
  mentoring: {
    titles: [
      "A {programme} scheme open to [everyone|all staff|every office|{department}]",
      "Give every new [starter|manager] a [buddy|mentor|named contact] for their first {mentorlength}{scope}",
      "[Reverse mentoring|Flip it around]: junior staff mentoring [the leadership team|senior managers] on {subject}",
      "[Match|Pair] mentors across [departments|offices], not just within {department}",
      "[Lightweight|Low-effort|Simple] mentoring[| for {department}]: just {format}",
      "[Recognise|Count] mentoring in [performance reviews|promotion decisions|annual objectives]{scope}",
      "A searchable [mentor directory|list of mentors] [starting with|for] {department}",
      "Pair {pairing} for {mentorlength}[|, with {format}]",
      "[Group mentoring circles|Peer learning circles] of {count} people{scope}",
      "Launch a {programme} pilot with {format}{scope}",
      "[Mentoring|A mentor] for [every new manager|first-time managers] in {department}",
      "A {programme} scheme for {department}",
    ],
    problems: [
      "I learned more from one patient colleague in my first year than from any course, but that happened by luck rather than design.",
      "There's no easy way to find a mentor outside your own team unless you already know someone.",
      "Mentoring happens informally here, which means the people who need it most often miss out.",
      "New managers in particular are thrown in at the deep end with nobody to talk to about it.",
      "People who mentor others put real time in, but it never shows up anywhere in their reviews.",
    ],
    proposals: [
      "We could launch a {programme} scheme, matching people for {mentorlength} with {format}.",
      "Every new starter should be given a buddy outside their line management to ask the 'silly' questions.",
      "Let's pair {pairing} and give them a simple guide for the first few conversations.",
      "A searchable mentor directory would let people look for someone with the experience they need.",
      "Mentoring time should be recognised in performance reviews, so it isn't seen as a favour.",
    ],
    details: [
      "It works both ways: mentors get fresh perspectives and a reason to reflect on what they know.",
      "{format} is a small commitment, but it adds up over a year.",
      "When I was mentored by someone in {department}, I finally understood how their side of the business works.",
      "We'd need to keep matches flexible, so either person can end it without awkwardness.",
      "Group mentoring circles could help where there aren't enough senior mentors to go round.",
      "A short check-in at the end of each scheme would tell us whether mentees found it worthwhile.",
    ],
    comments: [
      "I'd happily be a mentor. I just never knew how to put my hand up.",
      "My buddy in my first {mentorlength} here was the reason I stayed. Fully support this.",
      "Reverse mentoring on {subject} would be fascinating for the leadership team.",
      "Could mentors get a short briefing first? Not everyone knows how to mentor well.",
      "{format} sounds about right. Anything heavier and people will drop out.",
    ],
    slots: {
      programme: ["reverse mentoring", "peer mentoring", "buddy", "cross-department mentoring", "career mentoring"],
      mentorlength: ["three months", "six months", "twelve months"],
      format: ["a monthly coffee", "a 30-minute call every fortnight", "a lunch once a month", "a walk-and-talk every few weeks"],
      pairing: [
        "a senior engineer with a graduate", "new managers with experienced ones", "people from different departments",
        "new starters with long-serving colleagues", "new joiners with people from another office",
        "sales reps with engineers",
      ],
      subject: [
        "new tools", "social media", "what it's like to join us now", "hybrid working", "AI tools",
        "customer expectations", "digital collaboration",
      ],
    },
  },

  training: {
    titles: [
      "A personal [learning|development] budget of {budget} a year[| for everyone]",
      "Protected learning time: {learnhours} a [week|fortnight]{scope}",
      "{learnformat} on {course}",
      "Let people [pick|choose] their own [courses|training] within a {budget} budget{scope}",
      "Replace the annual compliance [marathon|slog|session] with {learnformat}{scope}",
      "Learning days every {period} for {department}",
      "[Pay for|Fund] external [certifications|qualifications] in {cert}",
      "Train [new managers|team leads|first-time supervisors] in {course} before they need it",
      "A [beginners'|refresher|advanced] {course} course{scope}",
      "{course} training for {department}",
      "[Study leave|Paid exam fees] for anyone taking a {cert} qualification{scope}",
      "{learnhours} a week to learn {course}",
    ],
    problems: [
      "Everyone agrees learning matters, but there's never any time in the week to actually do it.",
      "Our training catalogue is hard to find and most of the courses in it are several years old.",
      "The compulsory training is a four-hour block once a year that most people click through without taking in.",
      "I had to make a business case just to attend a one-day course on {course}, and by the time it was approved the project was over.",
      "People in {department} keep asking for training in {course}, but there's nothing on offer.",
    ],
    proposals: [
      "Each person could get a personal learning budget of {budget} a year to spend on courses, books or conferences.",
      "I'd suggest protecting {learnhours} a week as learning time, blocked out in calendars like any other commitment.",
      "Let's offer {learnformat} on {course}, run by colleagues who already know the subject well.",
      "Compliance training could be split into {learnformat} spread through the year instead of one long session.",
      "We should pay for external certifications in {cert} and give people study leave for the exams.",
    ],
    details: [
      "It would help with retention too; people tend to stay where they're growing.",
      "Managers need to be on board, otherwise the learning time gets eaten by deadlines.",
      "A short rating after every course would help us drop the ones that aren't useful.",
      "Budgets don't need to be big: most good online courses cost less than a team lunch.",
      "We spend a lot hiring experienced people when we could be developing the people we already have.",
      "A course on {course} would pay for itself within a {period} in my team alone.",
    ],
    comments: [
      "A learning budget of {budget} would be brilliant. At my last job I used mine for a {cert} certificate.",
      "Protected time is the key bit. Without it, the budget just goes unspent.",
      "Would it count if we learned something on the job, or only formal courses?",
      "{learnformat} on {course} would be really popular in {department}.",
      "Please, yes to splitting up the compliance training. Nobody remembers the four-hour version.",
    ],
    slots: {
      course: [
        "Excel", "presentation skills", "negotiation", "project management", "data analysis", "giving feedback",
        "SQL", "time management", "Power BI",
      ],
      budget: ["£500", "£750", "£1,000", "£1,500"],
      learnformat: ["bite-sized videos", "lunchtime workshops", "short online modules", "half-day sessions"],
      learnhours: ["two hours", "half a day", "three hours", "one afternoon"],
      cert: ["project management", "cloud computing", "accounting", "data analysis", "coaching"],
    },
  },

  "knowledge-sharing": {
    titles: [
      "A shared glossary[ of acronyms| of internal jargon|] for [new hires|new starters] in {department}",
      "[Monthly|Fortnightly] {kformat}s where [teams|departments] explain what they do{scope}",
      "Write down {knowledge} before the experts [leave|retire|move on]",
      "[Clean up|Tidy up|Overhaul] {kplace}{scope} so people can [actually find things|trust what they read]",
      "An 'ask an expert' [channel|forum|rota] for {department}",
      "Record every {kformat}[| in {department}] so [other offices|remote colleagues|night shifts] can watch",
      "Handover notes as standard when someone [changes role|leaves|goes on long leave] in {department}",
      "[Find the expert|Who knows what?]: a [skills directory|'who knows what' page] for {department}",
      "[Write up|Share] lessons learned from every [project|launch|incident]{scope}",
      "A glossary of {department} jargon for [everyone else|new starters|the rest of us]",
      "A {kformat} on {knowledge}{scope}",
      "Get {knowledge} out of people's heads and into {kplace}",
    ],
    problems: [
      "Only two people really understand {knowledge}, and if either of them left we'd be in trouble.",
      "I spent most of my first month asking around for information that should have been written down.",
      "{kplace} is full of out-of-date pages, so nobody trusts what they find there.",
      "Teams solve the same problems over and over because lessons learned never leave the project folder.",
      "Every department uses its own acronyms, which makes cross-team work confusing for newcomers.",
    ],
    proposals: [
      "Let's run a {kformat} once a month where a different team explains what they do and what they're stuck on.",
      "We could build a shared glossary of acronyms and internal jargon, and link to it from the onboarding pack.",
      "The people who know {knowledge} could spend a few hours writing everything down in {kplace}, with screenshots.",
      "Every page in {kplace} should have an owner and a review date, and stale pages should be archived.",
      "A 'who knows what' directory would make it easy to find the right expert without asking five people first.",
    ],
    details: [
      "Recording each {kformat} would let people in other offices catch up later.",
      "Writing things down protects us when people go on leave, change roles or retire.",
      "Most people are happy to share what they know; they just need a nudge and a place to put it.",
      "In {department} we started a simple FAQ page last {period} and the repeated questions have mostly stopped.",
      "Good documentation doesn't need to be long; a page with the key steps is better than nothing.",
      "We could celebrate the most useful write-up each {period} to make it feel worthwhile.",
    ],
    comments: [
      "The glossary alone would have saved me weeks when I joined.",
      "I'd volunteer to write up {knowledge}. It's all in my head at the moment, which isn't great.",
      "A {kformat} from {department} would be really interesting. I've never understood what they do day to day.",
      "How do we stop {kplace} getting out of date again after the clean-up?",
      "We did lessons-learned write-ups on my last project and nobody ever read them. Keeping them short is key.",
    ],
    slots: {
      knowledge: [
        "how the billing process works", "our main client accounts", "the release process", "the month-end close",
        "supplier contracts", "the legacy systems", "the pricing rules", "the quarterly planning process",
      ],
      kformat: ["lunch-and-learn", "show-and-tell", "brown-bag session", "lightning talk", "team open day"],
      kplace: ["the wiki", "the intranet", "the shared drive", "the team handbook"],
    },
  },

  // ----- Ended jam: A great start ------------------------------------------
  "customer-onboarding": {
    titles: [
      "A guided [setup checklist|onboarding plan|first-week plan] for {segment}",
      "Send {asset} [in the first week|on day one|before the kickoff][| to {segment}]",
      "Cut the time to first value: get {step} done [on day one|in the first week][| for {segment}]",
      "[A named|A dedicated] onboarding [contact|specialist] for [the first {days}|{segment}]",
      "[Check in with|Call] {segment} at day {daynum}",
      "[Do|Handle|Take over] the data import for {segment}",
      "Show {segment} their onboarding progress [at a glance|in the product|in one place]",
      "[Welcome emails|A welcome journey|Onboarding emails] tailored to {segment}",
      "A smoother [sales-to-onboarding handover|handover from sales] for {segment}",
      "Fix the stall at {step} for {segment}",
      "Get {segment} live within {days}",
      "{asset} for {segment}",
      "Stop {segment} stalling at {step}",
      "[Onboarding|Welcome] calls for {segment} in their first {days}",
    ],
    problems: [
      "New customers tell us the first {days} feel confusing, and that's exactly when they decide whether we were worth it.",
      "{segment} often stall at {step} and we don't notice until they ask to cancel.",
      "Customers repeat the same information to sales, then onboarding, then the implementation team.",
      "Our welcome emails are generic, so a small retailer gets the same onboarding as a large bank.",
      "The average new account takes about {weeks} weeks to go live, and most of that is waiting on us.",
    ],
    proposals: [
      "We could give {segment} {asset} with the five steps that get them to their first result.",
      "Every new account should have a named onboarding contact for the first {days}, not just a generic inbox.",
      "Let's schedule automatic check-ins at day {daynum} so we spot stalled onboardings early.",
      "The sales team could fill in a short handover form so customers never have to explain their setup twice.",
      "Our onboarding specialists could handle the data import for new customers rather than sending them a template and hoping for the best.",
    ],
    details: [
      "Customers who finish onboarding in the first month are far more likely to renew, so this pays for itself.",
      "We'd track time to go-live and the number of new accounts that stall at {step}.",
      "A short welcome video from the onboarding team would make the first login feel more personal.",
      "In my accounts, the customers who had a proper kickoff are still with us three years later.",
      "Onboarding should feel like we're doing it with the customer, not to them.",
      "It would also cut the setup questions that end up with the implementation team later.",
    ],
    comments: [
      "{segment} are exactly where we lose people. The first {days} are everything.",
      "A named contact makes such a difference. Customers hate being passed around during setup.",
      "We tried a day-{daynum} check-in call in {department} and caught several stalled accounts early.",
      "Could {asset} be personalised by industry?",
      "Love this. The sales-to-onboarding handover is where things fall through the cracks.",
    ],
    slots: {
      step: ["the welcome call", "account setup", "the data import", "the kickoff meeting", "the first login", "user invitations"],
      days: ["30 days", "60 days", "90 days", "two weeks"],
      daynum: ["7", "14", "30", "45"],
      weeks: ["three", "four", "six", "eight"],
      asset: [
        "a welcome pack", "a setup checklist", "a progress tracker", "an onboarding video", "a getting-started guide",
      ],
      segment: [
        "small business customers", "enterprise accounts", "new subscribers", "customers on the starter plan",
        "customers in regulated industries", "customers switching from a competitor",
      ],
    },
  },

  "self-service-help": {
    titles: [
      "Make [the help centre search|help search] find '{article}' first time{cscope}",
      "[Add|Bring] {helpformat} to the help centre[| for '{article}']{cscope}",
      "An in-app {helpsearch} with {helpformat}{cscope}",
      "Let [customers|power users|experienced customers] answer each other's questions in a {community}{cscope}",
      "A help article for every repeat question, starting with {article}{cscope}",
      "[Review|Rewrite] the [least helpful|most-viewed] help centre articles every {period}{cscope}",
      "Refresh {helpformat} after every [product release|update]{cscope}",
      "Translate the [help centre|top fifty help articles] into {language}",
      "Suggest the help article on '{article}' [before customers contact us|as customers type]{cscope}",
      "A {community} for [power users|admins|new customers], linked from the help centre{cscope}",
      "{helpformat} for '{article}'{cscope}",
      "A self-service answer for '{article}' in {language}",
      "An in-app {helpsearch} that answers '{article}'{cscope}",
      "[Update|Refresh] the [screenshots|steps] in '{article}'{cscope}",
    ],
    problems: [
      "Customers contact us to ask {article}, which should be a two-minute read in the help centre.",
      "The help centre search returns old articles first, so customers give up and contact us instead.",
      "Many of our help articles still show screenshots from two versions of the product ago.",
      "A lot of customers don't know the help centre exists because it's not linked from inside the product.",
      "Our help content is only in English, which is a real barrier for customers in our growing {language}-speaking markets.",
    ],
    proposals: [
      "Let's write a proper article, with {helpformat}, for each of the twenty most common questions.",
      "The contact form could suggest relevant help articles as the customer types, before they send anything.",
      "An in-app {helpsearch} would let people find answers without leaving the page they're stuck on.",
      "We could set up a {community} where experienced customers help newer ones, moderated by our team.",
      "Each help article should have an owner and be reviewed after every release.",
    ],
    details: [
      "Customers often prefer to solve things themselves if the answer is easy to find.",
      "Every question answered by a good article frees up people for problems that genuinely need a human.",
      "We can track which articles get the lowest 'was this helpful?' scores and rewrite those first.",
      "{helpformat} work particularly well for setup tasks with lots of steps.",
      "I checked last {period}'s contacts and about {percent}% could have been answered by an existing article.",
      "Translating the top fifty articles into {language} would cover most of our non-English help centre traffic.",
    ],
    comments: [
      "I search our own help centre for {article} and can't find it, so customers have no chance.",
      "{helpformat} would be great, as long as someone keeps them updated after each release.",
      "A {community} could be brilliant, but it needs moderating or it gets messy.",
      "Our {language}-speaking customers would love this. Right now they use browser translation.",
      "Could we add the 'was this helpful?' score to each article owner's dashboard?",
    ],
    slots: {
      article: [
        "how to reset a password", "how to change a delivery address", "how to export reports", "how to add a user",
        "how to update payment details", "how to cancel an order", "how to download an invoice", "how to merge accounts",
      ],
      helpformat: [
        "short how-to videos", "step-by-step guides with screenshots", "interactive walkthroughs", "annotated GIFs",
        "short explainer clips",
      ],
      helpsearch: ["search bar", "help widget", "help panel", "answer finder"],
      community: ["customer community forum", "user group", "Q&A board", "community space"],
      language: ["Spanish", "French", "German", "Portuguese", "Japanese", "Italian"],
    },
  },

  "mobile-app": {
    titles: [
      "Bring {appfeature} into the [mobile app|app|iPhone and Android apps]{cscope}",
      "Fix {appissue} in the [app|Android app|iOS app]{cscope}",
      "Add {gesture} to the [app|mobile app|next app release]{cscope}",
      "[A plan|A target] to get our app store rating from {rating} to {ratingtarget}{cscope}",
      "[Smarter|Useful|Fewer but better] push notifications for {appfeature}{cscope}",
      "[Redesign|Simplify] {appfeature} for [one-handed use|small screens]{cscope}",
      "An app beta programme to catch {appissue} [early|before customers do]{cscope}",
      "[Make|Let] {appfeature} work offline{cscope}",
      "Stop sending [mobile users|app users] to the desktop site for {appfeature}{cscope}",
      "Our {rating}-star app rating: fix {appissue} first{cscope}",
      "{gesture} and {appfeature} in the next app release{cscope}",
      "Test every app release on [older Android phones|budget phones|slow connections] to catch {appissue}{cscope}",
    ],
    problems: [
      "Our app is rated {rating} stars and most of the one-star reviews mention {appissue}.",
      "Customers can't use {appfeature} in the app, so they're sent to the desktop website, which doesn't work well on a phone.",
      "More than half of our customer logins now come from mobile, but the app still feels like an afterthought.",
      "The app crashes on older Android devices, and a lot of our customers don't have the latest phones.",
      "Logging in on a phone means typing a long password every time because there's no biometric login.",
    ],
    proposals: [
      "We should prioritise bringing {appfeature} into the app, as it's the top request in the app store reviews.",
      "Adding {gesture} would make the app feel modern and save customers a lot of frustration.",
      "Let's set a target of {ratingtarget} stars and review app store reviews every sprint.",
      "We could run an app beta programme so enthusiastic customers test new versions on their own devices first.",
      "Key screens should be redesigned for one-handed use, with bigger buttons and fewer taps.",
    ],
    details: [
      "Every app release should be tested on a couple of older Android phones, not just the latest iPhone.",
      "Replying to app store reviews publicly also shows other users that we're listening.",
      "Push notifications should be opt-in and useful, like a delivery update, rather than marketing.",
      "In-app analytics would show us exactly where people drop off on the small screen.",
      "My own parents use our app and couldn't work out {appfeature}, which says a lot.",
      "Download size matters too; a lighter app would help customers on limited mobile data plans.",
    ],
    comments: [
      "I use the app every day and {appissue} drives me mad. Fully agree.",
      "{gesture} is table stakes for a mobile app now.",
      "How many of our customers are on Android versus iPhone? That might change where we start.",
      "Getting from {rating} to {ratingtarget} stars would be a great headline goal for the mobile team.",
      "Could we reply to the one-star app reviews at the same time? Some of them are quick fixes.",
    ],
    slots: {
      appfeature: [
        "order tracking", "invoice payments", "account settings", "appointment booking", "loyalty points", "saved baskets",
        "the store locator", "delivery rescheduling",
      ],
      appissue: [
        "slow loading times", "crashes on older Android phones", "the login screen timing out", "tiny buttons",
        "a confusing menu", "battery drain", "a broken back button",
      ],
      rating: ["2.9", "3.1", "3.4", "3.6"],
      ratingtarget: ["4", "4.5", "4.3"],
      gesture: ["Face ID login", "fingerprint login", "an offline mode", "a home-screen widget", "dark mode"],
    },
  },

  accessibility: {
    titles: [
      "Fix {barrier} across [the website|the customer portal|our emails]{cscope}",
      "Test every [release|change] to {surface} with {assistive}{cscope}",
      "[Meet|Commit to|Aim for] WCAG 2.2 AA on {surface}[| by the end of the {period}]{cscope}",
      "[Captions and transcripts|Captions, transcripts and audio description] for every {videotype}[| we publish| before it goes live]{cscope}",
      "Involve {audience} in [user testing|design reviews] for {surface}",
      "A simple way for {audience} to report [accessibility barriers|problems] on {surface}",
      "Accessibility training for [everyone who builds|the teams who build|designers working on] {surface}{cscope}",
      "Offer [large-print and easy-read|accessible] versions of {document}[| for {audience}]",
      "Make {surface} fully usable with {assistive}{cscope}",
      "Make {surface} work for {audience}",
      "An [independent|expert] accessibility audit of {surface}[| before the next release]{cscope}",
      "No more {barrier} on {surface}{cscope}",
    ],
    problems: [
      "Around one in five people has a disability, yet we've never tested {surface} with {assistive}.",
      "{barrier} make it hard for {audience} to use {surface}.",
      "A customer told us recently that she couldn't finish the sign-up form because the error messages were only shown in red.",
      "Our {document} are mostly scanned PDFs, which screen readers can't read at all.",
      "Accessibility is usually checked at the very end of a project, if at all, when it's expensive to fix.",
    ],
    proposals: [
      "We should commit to WCAG 2.2 AA for {surface} and check it before every release.",
      "Let's recruit {audience} for a paid user testing panel, so we hear directly about the barriers they face.",
      "Every {videotype} should have captions and a transcript as standard.",
      "Designers and developers could take a short accessibility course, with a checklist built into our definition of done.",
      "An accessibility statement with a clear way to report barriers would show disabled customers we take this seriously.",
    ],
    details: [
      "Automated checkers catch maybe a third of problems; the rest need real people using assistive technology.",
      "Accessible design helps everyone: captions are used by people on noisy trains, and good contrast helps in bright sunlight.",
      "Some of our public sector customers are legally required to buy accessible products, so this affects sales too.",
      "Fixing {barrier} is often a small change once someone knows to look for it.",
      "We could appoint an accessibility champion in each product team.",
      "Offering large-print and easy-read versions of {document} would help {audience} straight away.",
    ],
    comments: [
      "As someone who uses {assistive}, thank you for raising this.",
      "We should check {surface} against WCAG before the next release, not after.",
      "{audience} are a bigger group than most people realise. This is overdue.",
      "Could we run an accessibility audit with an external specialist first, to see where we stand?",
      "Captions on every {videotype} is such an easy win.",
    ],
    slots: {
      barrier: [
        "colour contrast problems", "images without alt text", "forms that can't be used with a keyboard",
        "PDF-only documents", "tiny, fixed-size fonts", "videos without captions",
      ],
      assistive: ["a screen reader", "only a keyboard", "voice control software", "a screen magnifier"],
      surface: ["the checkout", "the customer portal", "the sign-up form", "our marketing emails", "the account dashboard"],
      audience: [
        "customers with low vision", "older customers", "deaf and hard-of-hearing customers", "customers with dyslexia",
        "customers with motor impairments",
      ],
      videotype: ["product video", "webinar", "tutorial", "training recording"],
      document: ["contracts", "invoices", "welcome letters", "terms and conditions"],
    },
  },

  // ----- Ended jam: Listening and responding -------------------------------
  "support-response-times": {
    titles: [
      "Answer {supportchannel} tickets within {target}{cscope}",
      "Route {ticket} straight to [the right specialist|a specialist agent|a dedicated queue]{cscope}",
      "Tell customers their place in the [support queue|queue] on {supportchannel}[| and how long they'll wait]{cscope}",
      "A [priority lane|fast track] for {ticket}[| on {supportchannel}]{cscope}",
      "Extend {supportchannel} support [hours into the evening|to weekends|until 8pm]{cscope}",
      "Reply templates for the {count} most common [support tickets|questions on {supportchannel}]{cscope}",
      "Cut first-response time on {supportchannel} from {wait} to {target}{cscope}",
      "Follow-the-sun [support cover|coverage] for {ticket}{cscope}",
      "Don't close tickets for {ticket} until the customer [confirms the fix|says it's sorted]{cscope}",
      "More agents on [Monday morning|lunchtime] shifts to handle {ticket}{cscope}",
      "First response on {supportchannel} in {target}, not {wait}{cscope}",
      "Stop {ticket} bouncing between [agents|teams|queues]{cscope}",
    ],
    problems: [
      "Our first response on {supportchannel} currently takes {wait}, and customers tell us that's what frustrates them most.",
      "{ticket} land in the general queue and get passed between three agents before anyone can answer.",
      "When a customer has to chase us for an update, the ticket usually ends with a bad satisfaction score.",
      "The support queue spikes every Monday morning and we don't have enough agents on shift to cope.",
      "Agents spend time writing the same answers from scratch because there's no shared set of reply templates.",
    ],
    proposals: [
      "I'd like us to commit to a first response within {target} on {supportchannel}, even if it's just to say we're on it.",
      "Smarter routing could send {ticket} straight to agents who specialise in them.",
      "An automatic message telling customers their position in the queue and the expected wait would take the anxiety out of waiting.",
      "We could stagger agent shifts so there's more cover on Monday mornings when the backlog peaks.",
      "Let's build a library of reply templates for the most common tickets, reviewed by senior agents.",
    ],
    details: [
      "Faster first responses were the biggest driver of satisfaction scores in last {period}'s support survey.",
      "We'd need to watch that speed doesn't come at the expense of actually resolving the ticket.",
      "Roughly {percent}% of our tickets are {ticket}, so fixing that one category would make a visible dent.",
      "Agents would appreciate it too; a long queue is stressful for everyone on shift.",
      "A live dashboard of response times would help team leads move agents between channels during busy periods.",
      "Escalated tickets should have their own response target so they don't sit waiting in the queue.",
    ],
    comments: [
      "I work the {supportchannel} queue and {wait} is about right for a first reply at the moment. This would help so much.",
      "Routing {ticket} to specialists is a great idea. They bounce around for ages right now.",
      "How would we staff the longer hours without burning the support team out?",
      "Templates are great as long as agents can still personalise the reply.",
      "Could we publish our response targets so customers know what to expect?",
    ],
    slots: {
      supportchannel: ["email", "live chat", "WhatsApp", "social media", "in-app chat"],
      wait: ["two days", "36 hours", "over a day", "three working days"],
      target: ["four hours", "one hour", "the same working day", "two hours"],
      ticket: [
        "billing questions", "login problems", "delivery queries", "urgent outages", "how-to questions", "refund requests",
        "account changes",
      ],
    },
  },

  "product-feedback": {
    titles: [
      "One place to [collect|track] feedback from {source}{cscope}",
      "Tell customers [when we've built|when we ship] {request}{cscope}",
      "A {panel} to test [features|new releases|prototypes] before launch{cscope}",
      "Close the [feedback loop|loop] with {loop}{cscope}",
      "[Count|Track] how often customers ask for {request}{cscope}",
      "Product managers listening in on [customer calls|sales calls|support calls|onboarding calls] {shadowfreq}{cscope}",
      "Share the top [five|ten|twenty] customer requests with the whole company {cadence}{cscope}",
      "Invite [our most engaged customers|a mix of small and large customers] to a {panel}{cscope}",
      "Turn {source} into a [monthly|quarterly] insights report for the product team{cscope}",
      "A public answer on {request}: planned, considering or not now{cscope}",
      "Stop losing [feature requests|customer feedback] in {source}{cscope}",
      "Use {loop} to show progress on {request}{cscope}",
    ],
    problems: [
      "Feedback arrives through {source}, email and chat, but it's scattered and nobody sees the full picture.",
      "Customers have been asking for {request} for over a year and don't know if we've even heard them.",
      "When we do ship something customers requested, we rarely tell the people who asked for it.",
      "Product decisions are sometimes based on the loudest customer rather than what most customers need.",
      "Frontline teams hear the same feature requests every day but have no easy way to pass them on to product managers.",
    ],
    proposals: [
      "We could tag every piece of feedback from {source} and route it into a single tool that product managers review weekly.",
      "Let's close the loop with {loop}, so customers can see their input shaping the product.",
      "A {panel} would let us try new features with real customers before a full launch.",
      "Product managers could listen in on customer calls {shadowfreq} to hear problems first-hand.",
      "Every feature request should get a reply that says whether it's planned, under consideration or not for now.",
    ],
    details: [
      "Right now, {request} is the most common feature request I hear, and I suspect it's top of many lists.",
      "Even saying 'not now, and here's why' builds more trust than silence.",
      "Weighting requests by account value as well as volume would help prioritise the roadmap fairly.",
      "Customers who feel listened to are much more forgiving when something goes wrong.",
      "The same feedback could feed a short monthly insights report shared with the whole company.",
      "The {panel} should include smaller customers, not just our biggest accounts.",
    ],
    comments: [
      "Customers ask me about {request} almost every week. Would love to give them a real answer.",
      "{loop} would be such a nice touch. People love seeing their suggestion turn into a feature.",
      "How would we stop the {panel} becoming just our five biggest customers?",
      "We capture loads of feedback in {source} and I'm not sure anyone reads it. This fixes that.",
      "Would product managers actually have time to review it weekly? Maybe a rota?",
    ],
    slots: {
      source: [
        "sales calls", "NPS survey comments", "customer interviews", "account reviews", "user research sessions",
        "onboarding calls", "churn interviews",
      ],
      request: [
        "bulk editing", "better export options", "custom reports", "offline access", "an API for integrations",
        "single sign-on", "scheduled exports",
      ],
      loop: [
        "a public roadmap", "a 'you asked, we built it' email", "release notes that credit customers", "a feature voting board",
        "a quarterly customer newsletter",
      ],
      panel: ["customer advisory panel", "beta testing group", "early access programme", "customer research panel", "user council"],
      shadowfreq: ["once a month", "once a quarter", "every couple of weeks"],
    },
  },

  "partner-experience": {
    titles: [
      "[Rebuild|Simplify] {portal} so {partner} can actually use it",
      "Pay {partner} their {commission} within 30 days, not {partnerdays}",
      "Give {partner} [free|better] {partnerasset}",
      "[A dedicated partner manager|A named contact] for our top {count} {partner}",
      "A certification programme for {partner} in {region}",
      "Stop {partner} in {region} competing with our [direct sales team|own sales reps]",
      "A [partner advisory council|partner forum] [that meets|meeting] every {period}[| for {region}]",
      "Share product roadmaps with {partner} [under NDA|every {period}]",
      "[Approve|Confirm] deal registrations from {partner} within [24|48] hours",
      "Simpler partner tiers for {partner} in {region}",
      "[More attention|Better support|Faster answers] for {partner} in {region}",
      "Fix {portal} before we lose more {partner}[| in {region}]",
    ],
    problems: [
      "Our {partner} tell us {portal} is so hard to use that they email their partner manager instead.",
      "Partners currently wait around {partnerdays} for their {commission}, which makes smaller ones think twice about working with us.",
      "Partners sometimes find out about price changes from their own customers before they hear from us.",
      "Deal registration takes days to approve, and in the meantime our direct sales team can end up pitching to the same customer.",
      "A lot of our revenue in {region} comes through {partner}, but they get a fraction of the attention our direct accounts do.",
    ],
    proposals: [
      "We could redesign {portal} with partners themselves, starting with the tasks they do every week.",
      "Let's commit to paying {commission} within 30 days and show partners a live statement of what they're owed.",
      "Giving {partner} {partnerasset} would help them sell confidently without calling us for every pitch.",
      "A partner advisory council meeting every {period} would let our biggest partners shape the programme.",
      "Deal registration should be approved within 48 hours, with clear rules about who owns the customer relationship.",
    ],
    details: [
      "Partners are effectively an extension of our sales team, so their experience reaches our end customers too.",
      "A simple partner satisfaction survey each {period} would tell us where to start.",
      "Several resellers have told me they'd sell more of our products if the paperwork was simpler.",
      "Certifying partners would also raise the quality of the implementations customers receive.",
      "We could give partners early access to release notes so they're never caught off guard.",
      "The partner programme tiers are confusing; three clear levels would be much easier to explain.",
    ],
    comments: [
      "I manage several {partner} in {region} and {portal} is their number one complaint.",
      "Paying {commission} faster would buy us a huge amount of goodwill with smaller partners.",
      "How would we handle channel conflict when a direct rep is already talking to the customer?",
      "{partnerasset} would save our partner managers hours every week.",
      "A partner advisory council is a great idea. Our best resellers know the market better than we do.",
    ],
    slots: {
      partner: [
        "resellers", "implementation partners", "referral partners", "distributors", "agency partners",
        "system integrators", "managed service providers",
      ],
      portal: ["the partner portal", "the deal registration form", "the partner price list", "the commission statement"],
      partnerasset: ["co-branded sales decks", "demo accounts", "product training", "marketing kits", "sandbox licences"],
      commission: ["commission", "rebates", "referral fees"],
      partnerdays: ["60 days", "90 days", "a full quarter"],
      region: [
        "the Nordics", "Southeast Asia", "Latin America", "the Middle East", "Central Europe", "Eastern Europe",
        "Australia and New Zealand",
      ],
    },
  },

  // ----- Ended jam: Earning trust ------------------------------------------
  "pricing-billing": {
    titles: [
      "Plain-English [line items|descriptions] on {invoice}[| for {plan}]",
      "Explain {charge} [before they appear on the bill|in plain English|up front][| to customers on {plan}]",
      "[A pricing calculator|A cost estimator] [on the website|in the sign-up flow|for sales calls] for {plan}",
      "[Usage alerts|Early warnings] before customers on {plan} run into {overage}",
      "Let customers on {plan} pay by {payment}",
      "[A simple comparison table|A one-page summary]: what's [in|not in] {plan}?",
      "{noticedays} days' notice before any change to {plan}",
      "Let customers [download|find|re-send] {invoice} themselves[| from the account dashboard]{cscope}",
      "[No surprises at renewal|Renewals without surprises]: send {invoice} [early|a month ahead|with a summary of changes]{cscope}",
      "One set of plan names across the [quote|website|contract] and {invoice}{cscope}",
      "Stop customers being confused by {charge} on {invoice}{cscope}",
      "Show {overage} in real time for {plan}",
      "Stop charging {overage} without warning on {plan}",
    ],
    problems: [
      "Customers regularly call us to ask what the {charge} on {invoice} actually mean.",
      "Our pricing page lists features in internal jargon, so customers can't tell which plan they need.",
      "A surprise at renewal is the quickest way to lose a customer's trust, and our price increases often come with little warning.",
      "Billing disputes make up around {percent}% of the calls my team handles, and most come down to confusing invoices.",
      "Customers on {plan} can't see their usage until the bill arrives, so {overage} feel like a penalty.",
    ],
    proposals: [
      "Every line on {invoice} should say in plain English what it's for and how it was calculated.",
      "A pricing calculator on the website would let customers estimate their monthly cost before they sign up.",
      "We could send usage alerts at 80% and 100% of the plan allowance so nobody is surprised by {overage}.",
      "Let's give at least {noticedays} days' notice of any price change, with a clear explanation of why.",
      "Customers should be able to pay by {payment} and download their invoices and billing history themselves.",
    ],
    details: [
      "Clear billing reduces disputes, refunds and the credit notes that have to be raised afterwards.",
      "Procurement teams at larger customers especially want predictable annual pricing.",
      "A one-page 'how to read your invoice' guide would be a quick win while the bigger changes happen.",
      "When we simplified the renewal quote for one key account, the deal closed two weeks faster.",
      "Being upfront about price is part of being customer first; hidden fees work against everything else we're doing.",
      "Finance and sales should agree one set of plan names so the quote and the invoice match.",
    ],
    comments: [
      "We get so many calls about {charge}. A plain-English explanation would save hours.",
      "A pricing calculator would help sales too. I build these estimates by hand in a spreadsheet.",
      "{noticedays} days' notice seems fair. Some customers have budget cycles that need even longer.",
      "Could {plan} customers see their usage live in the account dashboard?",
      "Paying by {payment} is a common ask from our larger accounts.",
    ],
    slots: {
      invoice: ["the monthly invoice", "the renewal quote", "the annual invoice", "the usage statement"],
      charge: ["pro-rated charges", "overage fees", "VAT lines", "add-on charges", "currency conversion fees"],
      plan: ["the starter plan", "the team plan", "the enterprise tier", "the annual plan"],
      payment: ["direct debit", "card", "bank transfer", "purchase order"],
      overage: ["overage fees", "usage top-up charges", "excess usage charges"],
      noticedays: ["30", "60", "90"],
    },
  },

  "customer-privacy": {
    titles: [
      "Give customers {privacycontrol} for their {data}{cscope}",
      "Delete {data} after {retentiontarget}, not {retention}{cscope}",
      "[Answer|Complete|Handle] {privacyrequest} in days, not weeks{cscope}",
      "[Explain in plain English|Spell out clearly] how we use {data}{cscope}",
      "Only collect the {data} we genuinely need[| for {purpose}]{cscope}",
      "Privacy training for everyone who [handles|has access to] {data}{cscope}",
      "Tell customers [exactly|upfront] [how|why] we use their {data}{cscope}",
      "Automate {privacyrequest} [end to end|with a self-service form|with proper tracking]{cscope}",
      "[A privacy review|A privacy impact assessment] at the start of every project that [touches|uses] {data}{cscope}",
      "A named owner for every [dataset|spreadsheet|system] containing {data}{cscope}",
      "Stop keeping {data} for {retention}{cscope}",
      "Let customers [see|download|delete] their {data} themselves{cscope}",
    ],
    problems: [
      "Handling {privacyrequest} is still mostly manual, so each one takes someone in legal about {hours} hours.",
      "We keep {data} for {retention} by default, which is longer than we need and a risk if we ever have a breach.",
      "Our privacy notice is eleven pages of legal language, and customers tell us they have no idea what we do with their data.",
      "Customers can't see or change their consent settings without emailing us.",
      "Extracts containing {data} end up in spreadsheets for one-off analysis and are never deleted.",
    ],
    proposals: [
      "Giving customers {privacycontrol} would let them see what we hold and change their choices themselves.",
      "We should automate {privacyrequest} so they're verified, tracked and completed within a week.",
      "Let's set a retention policy of {retentiontarget} for {data}, with automatic deletion after that.",
      "The privacy notice could be rewritten in plain English with a one-page summary at the top.",
      "Every new project that uses {data} should start with a short privacy impact assessment, not end with one.",
    ],
    details: [
      "Trust is becoming a real buying factor; several prospects asked detailed data protection questions in their security reviews last {period}.",
      "Collecting less personal data in the first place is the simplest way to reduce risk.",
      "Under GDPR we have a month to respond to requests, and we sometimes cut it close.",
      "A short privacy training module for anyone handling {data} would prevent most accidental mistakes.",
      "Being open about how we use personal data could become something we're known for, rather than something we hide.",
      "A clear owner for each dataset would mean deletion doesn't fall between teams.",
    ],
    comments: [
      "{privacycontrol} would answer half the privacy questions we get in security reviews.",
      "Do we actually need {data} at all? Worth asking before we build anything.",
      "I handled {privacyrequest} last {period} and it took days of chasing. Automating it would be huge.",
      "A plain-English privacy notice gets my vote. I'm not sure even we understand the current one.",
      "We'd need legal and the data protection officer involved early, but this is the right direction.",
    ],
    slots: {
      data: [
        "contact details", "payment details", "usage data", "location data", "marketing preferences", "purchase history",
        "support chat transcripts", "device identifiers",
      ],
      purpose: ["marketing", "analytics", "product improvements", "personalisation"],
      privacyrequest: ["data access requests", "deletion requests", "consent changes", "data portability requests"],
      privacycontrol: [
        "a privacy dashboard", "one-click data export", "granular consent settings", "a clear cookie banner",
      ],
      retention: ["seven years", "ten years", "five years"],
      retentiontarget: ["two years", "12 months", "18 months"],
    },
  },

  "sustainable-packaging": {
    titles: [
      "Replace {swap} at the {site}",
      "Right-size {boxword} at the {site} so we stop shipping air",
      "A [returnable|reusable] packaging scheme for {regulars}[| at the {site}]",
      "Let {regulars} choose {deliveries} at checkout",
      "Clear [recycling labels|'how to recycle this' instructions] on every parcel [from the {site}|by the end of the {period}]",
      "Cut [our|the {site}'s] packaging waste by {percent}% within [a year|two years]",
      "Show customers the carbon footprint of {deliveries}[| at checkout| before they order]{cscope}",
      "Ask our packaging suppliers for {alternative} [instead of|to replace] {material}{cscope}",
      "Ship multi-item orders [together|in one parcel][| from the {site}] to cut down on {material}",
      "Phase out {material} [by the end of the {period}|at the {site}]",
      "Plastic-free parcels from the {site} [by next year|within a {period}]",
      "Use {alternative} for every order from the {site}",
    ],
    problems: [
      "Customers regularly post photos of a tiny item arriving in a huge box full of {material}.",
      "We still use {material}, which most customers can't recycle at home.",
      "Multi-item orders often arrive in three separate parcels on three different days.",
      "Customers, especially younger ones, increasingly tell us that sustainability affects who they buy from.",
      "Only about {percent}% of our packaging is currently recyclable kerbside, which isn't good enough.",
    ],
    proposals: [
      "We could replace {swap} across the warehouse within a {period}.",
      "Adding a few more {boxword} and a right-sizing machine would stop us shipping air.",
      "Let's offer {deliveries} at checkout, with an honest note about the carbon saved.",
      "A returnable packaging scheme would let {regulars} send boxes back with their next delivery.",
      "Each parcel could carry a simple 'how to recycle this' label so customers know what goes in which bin.",
    ],
    details: [
      "Smaller boxes also mean lower shipping costs, so this isn't just a green gesture.",
      "Our packaging suppliers already offer {alternative}, so the change could be quick.",
      "We should measure packaging weight per order and publish the figure every {period}.",
      "Staff in the warehouse have plenty of ideas on this too; it's worth asking them directly.",
      "Competitors are already advertising plastic-free deliveries, so we risk falling behind.",
      "It would give us a genuine, measurable sustainability story rather than vague green claims.",
    ],
    comments: [
      "The {material} complaints come up in reviews all the time. Great idea.",
      "Switching to {alternative} costs a little more per unit, but the smaller boxes should more than cover it.",
      "Would the warehouse team need new equipment for this? Worth asking them first.",
      "I'd definitely choose {deliveries} if it was offered at checkout.",
      "Could we publish our packaging waste figures each {period}? That would keep us honest.",
    ],
    slots: {
      material: [
        "plastic bubble wrap", "polystyrene chips", "plastic mailer bags", "oversized cardboard boxes", "plastic tape",
      ],
      alternative: [
        "recycled cardboard", "paper tape", "compostable mailers", "moulded pulp inserts", "reusable shipping boxes",
      ],
      swap: [
        "plastic bubble wrap with paper padding", "polystyrene chips with moulded pulp inserts",
        "plastic mailer bags with compostable mailers", "plastic tape with paper tape",
        "single-use cartons with reusable shipping boxes",
      ],
      regulars: ["subscription customers", "regular customers", "business customers", "our most frequent buyers"],
      boxword: ["box sizes", "carton sizes", "mailer sizes"],
      site: ["main warehouse", "Leeds warehouse", "Rotterdam hub", "returns centre", "Midlands distribution centre"],
      deliveries: [
        "consolidated deliveries", "a slower, greener delivery option", "a click-and-collect point", "a single weekly delivery",
      ],
    },
  },
};

const BANK_BY_TOPIC: ReadonlyMap<string, TopicBank> = new Map(Object.entries(BANKS));

/** Topics about customers rather than internal ways of working; they get customer-flavoured title suffixes. */
const CUSTOMER_TOPICS: ReadonlySet<string> = new Set(ENDED_JAM.challenges.flatMap((c) => c.topics));

/** Every topic key used by LIVE_CHALLENGES and ENDED_JAM. */
export const TOPICS: readonly string[] = Object.keys(BANKS);

// ---------------------------------------------------------------------------
// Template filling
// ---------------------------------------------------------------------------

const MAX_TITLE = 120;
const MAX_BODY = 2000;
const SLOT_PATTERN = /\{(\w+)\}/g;
/** Inline alternatives: "[Make|Keep] Fridays meeting-free"; an empty option is allowed ("[| for everyone]"). */
const CHOICE_PATTERN = /\[([^[\]]*)\]/g;

function resolveChoices(rng: Rng, template: string): string {
  return template.replace(CHOICE_PATTERN, (_match: string, options: string) => pick(rng, options.split("|")));
}

function lookupSlot(name: string, slots: SlotLists | undefined): readonly string[] | undefined {
  if (slots && Object.prototype.hasOwnProperty.call(slots, name)) return slots[name];
  if (Object.prototype.hasOwnProperty.call(SHARED_SLOTS, name)) return SHARED_SLOTS[name];
  return undefined;
}

/**
 * Returns a filler that resolves `[a|b]` alternatives and then replaces
 * `{slot}` placeholders. A slot keeps the same value for the lifetime of the
 * filler, so a title and body that both mention `{tool}` talk about the same tool.
 */
function createFiller(rng: Rng, slots: SlotLists | undefined): (template: string) => string {
  const bound = new Map<string, string>();
  const fill = (template: string, depth: number): string => {
    if (depth > 3) throw new Error(`idea-bank: slots nested too deeply in "${template}"`);
    return resolveChoices(rng, template).replace(SLOT_PATTERN, (_match: string, name: string) => {
      const existing = bound.get(name);
      if (existing !== undefined) return existing;
      const values = lookupSlot(name, slots);
      if (!values) throw new Error(`idea-bank: no values for slot {${name}}`);
      // Slot values may contain further slots or choices, e.g. " in {department}".
      const value = fill(pick(rng, values), depth + 1);
      bound.set(name, value);
      return value;
    });
  };
  return (template) => fixArticles(fill(template, 0));
}

/** "a early access programme" → "an early access programme" (slot values can start with a vowel). */
function fixArticles(text: string): string {
  return text.replace(/\b([Aa]) (?=([A-Za-z]+))/g, (match: string, article: string, word: string) =>
    /^[aeiou]/i.test(word) && !/^(one|once|uni|use|usu|eu)/i.test(word) ? `${article}n ` : match,
  );
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/** Trims and, as a last resort, shortens at a word boundary. */
function clamp(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function bankFor(topic: string): TopicBank {
  const bank = BANK_BY_TOPIC.get(topic);
  if (!bank) throw new Error(`idea-bank: unknown topic "${topic}"`);
  return bank;
}

function buildTitle(rng: Rng, topic: string, base: string, fill: (t: string) => string): string {
  const roll = rng();
  let decorated = base;
  if (roll < 0.13 && !base.includes(":")) {
    decorated = pick(rng, TITLE_PREFIXES) + base;
  } else if (roll < 0.3 && !/[—(]/.test(base)) {
    const suffixes = CUSTOMER_TOPICS.has(topic) ? CUSTOMER_TITLE_SUFFIXES : INTERNAL_TITLE_SUFFIXES;
    decorated = base + fill(pick(rng, suffixes));
  }
  return clamp(decorated.length <= MAX_TITLE ? decorated : base, MAX_TITLE);
}

function buildBody(rng: Rng, bank: TopicBank, fill: (t: string) => string): string {
  const target = 2 + randomInt(rng, 4); // 2..5 sentences
  const sentences: string[] = [];
  if (target >= 3 && rng() < 0.15) sentences.push(pick(rng, LEAD_INS));
  if (rng() < 0.8) sentences.push(pick(rng, bank.problems));
  sentences.push(pick(rng, bank.proposals));
  const closer = rng() < 0.25 ? pick(rng, CLOSERS) : undefined;
  const room = target - sentences.length - (closer ? 1 : 0);
  sentences.push(...sampleDistinct(rng, bank.details, room));
  if (closer && sentences.length < target) sentences.push(closer);

  const filled = sentences.map((s) => capitalise(fill(s)));
  let body: string;
  if (filled.length >= 3 && rng() < 0.35) {
    const split = 1 + randomInt(rng, filled.length - 1);
    body = `${filled.slice(0, split).join(" ")}\n\n${filled.slice(split).join(" ")}`;
  } else {
    body = filled.join(" ");
  }
  return clamp(body, MAX_BODY);
}

// ---------------------------------------------------------------------------
// Public generators
// ---------------------------------------------------------------------------

/** A realistic idea (title + 2–5 sentence body) for a topic. Throws on an unknown topic. */
export function makeIdea(topic: string, rng: Rng): IdeaText {
  const bank = bankFor(topic);
  let fill = createFiller(rng, bank.slots);
  let base = capitalise(fill(pick(rng, bank.titles)));
  // A few long slot combinations can exceed the limit; draw again rather than truncate.
  for (let attempt = 0; base.length > MAX_TITLE && attempt < 5; attempt++) {
    fill = createFiller(rng, bank.slots);
    base = capitalise(fill(pick(rng, bank.titles)));
  }
  const title = buildTitle(rng, topic, base, fill);
  const body = buildBody(rng, bank, fill);
  return { title, body, topic };
}

const GENERIC_COMMENTS: readonly string[] = [
  "Love this — in {department} we tried something similar last {period} and it stuck.",
  "How would this work for shift workers?",
  "+1. This would make a real difference to our team.",
  "Would this need budget, or could we trial it with what we already have?",
  "I like the idea, but who would own it once the jam is over?",
  "We did a version of this at my last company. The key was getting managers to go first.",
  "Strong support from {department}. Happy to volunteer for a pilot.",
  "How would we measure whether it's working after a {period}?",
  "Interesting — how would this work for colleagues who are fully remote?",
  "I'd worry a bit about the extra admin, but the upside seems worth it.",
  "This came up in our team meeting last week too, so there's clearly appetite for it.",
  "Could we start small with one team and share the results?",
  "Great idea. One tweak: make it opt-in at first so people don't feel it's being imposed.",
  "Not sure about this one. We tried it in {department} and it fizzled out after a couple of months.",
  "What would this cost, roughly? Putting a number on it might help it get picked.",
  "Yes please! This has been a pain point for as long as I've been here.",
  "Building on this: we could run a short survey before and after to see the difference.",
  "How does this fit with what {department} is already working on?",
  "Agree with the problem, less sure about the fix. Would a lighter version work?",
  "Has anyone checked whether legal or compliance would have concerns?",
  "Simple, cheap and obviously useful. Voted.",
  "I'd add a review date, so we check after a {period} whether it's still worth doing.",
];

const COMMENT_ADD_ONS: readonly string[] = [
  "Count me in.",
  "Happy to help.",
  "Following with interest.",
  "Great to see this raised.",
  "Thanks for posting!",
];

/**
 * A comment on an idea. When `ideaTopic` is a known topic, roughly half of the
 * comments are topic-aware; unknown or missing topics give generic comments.
 */
export function makeComment(rng: Rng, ideaTopic?: string): string {
  const bank = ideaTopic === undefined ? undefined : BANK_BY_TOPIC.get(ideaTopic);
  const useTopic = bank !== undefined && rng() < 0.5;
  const fill = createFiller(rng, useTopic ? bank.slots : undefined);
  let text = capitalise(fill(pick(rng, useTopic ? bank.comments : GENERIC_COMMENTS)));
  if (rng() < 0.2) text = `${text} ${pick(rng, COMMENT_ADD_ONS)}`;
  return clamp(text, MAX_BODY);
}

const REPLIES: readonly string[] = [
  "Good point, I hadn't thought of that.",
  "Agreed!",
  "Thanks, that's really helpful context.",
  "Fair challenge. I think we'd start with a small pilot and see.",
  "Yes, exactly this.",
  "Happy to chat more about it. Drop me a message.",
  "We had the same experience in {department}.",
  "Great question. I'd say opt-in to start with.",
  "That's a good tweak, I'll add it to the idea.",
  "+1 to this.",
  "Ha, we must work in the same team!",
  "Interesting, how did it go in the end?",
  "I'd be up for piloting it with you.",
  "Good shout. Could we measure it over a {period}?",
  "I think {department} would be a good place to test it.",
  "True, although the cost is probably smaller than it looks.",
  "Noted. Let's raise it with the jam hosts.",
  "Completely agree, thanks for adding this.",
];

/** A short reply to a comment. */
export function makeReply(rng: Rng): string {
  const fill = createFiller(rng, undefined);
  return capitalise(fill(pick(rng, REPLIES)));
}
