/** The orders a challenge's ideas can be listed in. */
export const SORTS = ["newest", "top", "trending"] as const;
export type IdeaSort = (typeof SORTS)[number];

/** "Trending" ranks ideas by votes received within this window. */
export const TRENDING_WINDOW_MS = 24 * 60 * 60 * 1000;
