import type { AnswerView } from "./templates";
import type { Stance, VoteMode } from "./vote-modes";

/** What an erased person is called wherever what they wrote stays (their name and e-mail are gone). */
export const FORMER_PARTICIPANT = "Former participant";

/**
 * What the browser may know about people's contributions. Services build these;
 * components render them. An anonymous idea carries no author at all.
 */
export interface AuthorView {
  id: number;
  name: string;
  department: string | null;
}

export interface IdeaCard {
  id: number;
  challengeId: number;
  title: string;
  excerpt: string;
  createdAt: number;
  voteCount: number;
  commentCount: number;
  isAnonymous: boolean;
  author: AuthorView | null;
  /** Accepted co-authors, named beside the author (never on an anonymous idea). */
  coauthors?: AuthorView[];
  isMine: boolean;
  /** When its text last changed after it was posted (it shows "edited", linking to its history). */
  editedAt?: number | null;
  /** A facilitator's tag and pin (moderation). */
  tag?: "emerging" | "best" | null;
  isPinned?: boolean;
  hasVoted: boolean;
  /** How the idea's challenge votes, and the stance and dot tallies (see vote-modes.ts). */
  voteMode: VoteMode;
  agreeCount: number;
  disagreeCount: number;
  passCount: number;
  dotCount: number;
  /** The viewer's own stance and dots on the idea. */
  myStance: Stance | null;
  myDots: number;
  /** Its short answers to the challenge's idea template (app/domain/templates.ts), for the card. */
  answers?: AnswerView[];
  /** Its attachments: how many, and its first image at card size (app/services/lookups/attachments.server.ts). */
  attachments?: { count: number; thumbnail: { href: string; width: number; height: number } | null };
}

export interface CommentView {
  id: number;
  parentId: number | null;
  body: string;
  createdAt: number;
  author: AuthorView | null;
  isMine: boolean;
  /** When it was last edited (null if never), and its current version (an edit is based on it). */
  editedAt?: number | null;
  version?: number;
  /** Set only for a hidden comment shown to its author or a facilitator: why it was hidden. */
  hiddenReason?: string | null;
}

/** A row of a people leaderboard. */
export interface LeaderRow {
  rank: number;
  userId: number;
  name: string;
  department: string | null;
  total: number;
  isMe: boolean;
}

/** A department on a leaderboard, ranked both by total and per member. */
export interface DepartmentRow {
  id: number;
  name: string;
  total: number;
  headcount: number;
  perHead: number;
  rankByTotal: number;
  rankPerHead: number;
}
