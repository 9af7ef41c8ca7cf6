-- Full-text search over idea titles and bodies (SQLite FTS5, external content).
-- No stemmer: every query word is a prefix term, and a stemmer would stem the typed
-- prefix too ("bicy" -> "bici"), so half-typed words would find nothing.
-- Triggers keep the index in step with the ideas table inside the same transaction.
CREATE VIRTUAL TABLE `ideas_fts` USING fts5(
  `title`, `body`,
  content='ideas', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER `ideas_fts_ai` AFTER INSERT ON `ideas` BEGIN
  INSERT INTO `ideas_fts`(rowid, `title`, `body`) VALUES (new.`id`, new.`title`, new.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `ideas_fts_ad` AFTER DELETE ON `ideas` BEGIN
  INSERT INTO `ideas_fts`(`ideas_fts`, rowid, `title`, `body`) VALUES ('delete', old.`id`, old.`title`, old.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `ideas_fts_au` AFTER UPDATE OF `title`, `body` ON `ideas` BEGIN
  INSERT INTO `ideas_fts`(`ideas_fts`, rowid, `title`, `body`) VALUES ('delete', old.`id`, old.`title`, old.`body`);
  INSERT INTO `ideas_fts`(rowid, `title`, `body`) VALUES (new.`id`, new.`title`, new.`body`);
END;
