-- Full-text search over idea titles and bodies, behaving as FTS5 does on SQLite
-- (db/migrations/0001_ideas_fts.sql, tokenize='unicode61 remove_diacritics 2'): a word is a run of
-- letters and digits (everything else separates words, so "e-mail" is "e" and "mail", as in FTS5),
-- lower-cased, accents removed (unaccent), no stemming and no stop words, so every word typed is a
-- prefix term; title and body weigh the same. The column is generated: PostgreSQL keeps it in step
-- with the row inside the same statement, as the FTS5 triggers do. Queries: db/pg/search.ts.
-- unaccent is a trusted extension: the database owner can create it (no superuser needed).
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "jamboree_words" (COPY = pg_catalog.simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "jamboree_words"
  ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
  WITH unaccent, simple;
--> statement-breakpoint
ALTER TABLE "ideas" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
  to_tsvector('jamboree_words'::regconfig, regexp_replace("title" || ' ' || "body", '[^[:alnum:]]+', ' ', 'g'))
) STORED;
--> statement-breakpoint
CREATE INDEX "ideas_search_idx" ON "ideas" USING gin ("search");
