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
  isMine: boolean;
  hasVoted: boolean;
}

export interface CommentView {
  id: number;
  parentId: number | null;
  body: string;
  createdAt: number;
  author: AuthorView | null;
  isMine: boolean;
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
