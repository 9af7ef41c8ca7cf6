CREATE TABLE "community_digests" (
	"community_id" integer NOT NULL,
	"week_end" bigint NOT NULL,
	"claimed_by" text NOT NULL,
	"started_at" bigint NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"finished_at" bigint,
	CONSTRAINT "community_digests_community_id_week_end_pk" PRIMARY KEY("community_id","week_end")
);
--> statement-breakpoint
ALTER TABLE "jellies" ADD COLUMN "community_id" integer;--> statement-breakpoint
ALTER TABLE "jelly_ideas" ADD COLUMN "client_key" text;--> statement-breakpoint
ALTER TABLE "jelly_ideas" ADD COLUMN "idea_id" integer;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "community_id" integer;--> statement-breakpoint
ALTER TABLE "community_digests" ADD CONSTRAINT "community_digests_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jellies" ADD CONSTRAINT "jellies_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jelly_ideas" ADD CONSTRAINT "jelly_ideas_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "public"."ideas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jellies_community_idx" ON "jellies" USING btree ("community_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jelly_ideas_client_key_uq" ON "jelly_ideas" USING btree ("added_by_id","client_key");--> statement-breakpoint
CREATE UNIQUE INDEX "jelly_ideas_idea_uq" ON "jelly_ideas" USING btree ("idea_id");--> statement-breakpoint
CREATE INDEX "questions_community_idx" ON "questions" USING btree ("community_id","id");