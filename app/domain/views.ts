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
