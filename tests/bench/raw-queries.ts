/** The raw baseline's SQL (load-raw-server.ts), shared with post-cost.ts so both time the same statements. */

/** A challenge page: its 20 newest visible ideas (+ one, to know there is a next page) with their authors. */
export const RAW_CHALLENGE_PAGE = `
  SELECT i.id, i.title, i.body, i.vote_count AS voteCount, i.comment_count AS commentCount, i.created_at AS createdAt,
         i.is_anonymous AS isAnonymous, CASE WHEN i.is_anonymous THEN NULL ELSE u.name END AS authorName
  FROM ideas i JOIN users u ON u.id = i.author_id
  WHERE i.challenge_id = ? AND i.hidden_at IS NULL
  ORDER BY i.id DESC LIMIT 21`;

/** The same with the number of rows as a second parameter (page-cost.bench.ts: the 50 newest). */
export const RAW_CHALLENGE_ROWS = RAW_CHALLENGE_PAGE.replace("LIMIT 21", "LIMIT ?");

/** One idea row (the FTS trigger fires); a repeated client key inserts nothing. Parameters: challenge, jam, author, title, body, client key, created at. */
export const RAW_IDEA_INSERT = `
  INSERT INTO ideas (challenge_id, jam_id, author_id, is_anonymous, title, body, client_key, created_at)
  VALUES (?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT (author_id, client_key) DO NOTHING RETURNING id`;
