-- Full-text search over questions, behaving as FTS5's questions_fts does on SQLite
-- (db/migrations/0025_questions_routed_to_the_people_who_know.sql): a question is found by the
-- words of its title, its details and its accepted answer while that answer is not hidden, with
-- the words of db/pg/migrations/0001_ideas_search.sql (configuration "jamboree_words": runs of
-- letters and digits, lower-cased, unaccented, no stemming, no stop words). The accepted answer
-- lives in another table, so the column cannot be generated: a trigger fills it when a question is
-- written and when its title, details or accepted answer are set, as SQLite's triggers do (hiding
-- or restoring an accepted answer sets accepted_answer_id to itself to refresh it, on both
-- engines). Queries: db/pg/search.ts through db/fts.ts.
ALTER TABLE "questions" ADD COLUMN "search" tsvector;
--> statement-breakpoint
CREATE FUNCTION "questions_search_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search" := to_tsvector('jamboree_words'::regconfig, regexp_replace(
    NEW."title" || ' ' || NEW."body" || ' ' ||
      coalesce((SELECT "body" FROM "answers" WHERE "id" = NEW."accepted_answer_id" AND "hidden_at" IS NULL), ''),
    '[^[:alnum:]]+', ' ', 'g'));
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "questions_search_insert" BEFORE INSERT ON "questions"
  FOR EACH ROW EXECUTE FUNCTION "questions_search_refresh"();
--> statement-breakpoint
CREATE TRIGGER "questions_search_update" BEFORE UPDATE OF "title", "body", "accepted_answer_id" ON "questions"
  FOR EACH ROW EXECUTE FUNCTION "questions_search_refresh"();
--> statement-breakpoint
UPDATE "questions" SET "title" = "title";
--> statement-breakpoint
CREATE INDEX "questions_search_idx" ON "questions" USING gin ("search");
