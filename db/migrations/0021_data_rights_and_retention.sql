CREATE INDEX `audit_actor_idx` ON `audit_log` (`actor_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_subject_idx` ON `audit_log` (`subject`);--> statement-breakpoint
CREATE INDEX `users_erased_idx` ON `users` (`id`) WHERE "users"."erased_at" IS NOT NULL;