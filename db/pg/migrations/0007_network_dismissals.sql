CREATE TABLE "network_dismissals" (
	"user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"target_id" integer NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "network_dismissals_user_id_kind_target_id_pk" PRIMARY KEY("user_id","kind","target_id")
);
--> statement-breakpoint
ALTER TABLE "network_dismissals" ADD CONSTRAINT "network_dismissals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "network_dismissals_target_idx" ON "network_dismissals" USING btree ("kind","target_id");