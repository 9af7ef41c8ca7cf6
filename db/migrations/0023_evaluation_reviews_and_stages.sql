CREATE TABLE `idea_stages` (
	`idea_id` integer PRIMARY KEY NOT NULL,
	`stage` text NOT NULL,
	`reason` text,
	`review_id` integer,
	`action_id` integer,
	`changed_by` integer,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`action_id`) REFERENCES `follow_up_actions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`changed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `idea_stages_review_idx` ON `idea_stages` (`review_id`);--> statement-breakpoint
CREATE TABLE `review_assignments` (
	`review_id` integer NOT NULL,
	`idea_id` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`assigned_by` integer,
	`assigned_at` integer NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`submitted_at` integer,
	PRIMARY KEY(`review_id`, `idea_id`, `reviewer_id`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_assignments_reviewer_idx` ON `review_assignments` (`reviewer_id`,`review_id`);--> statement-breakpoint
CREATE INDEX `review_assignments_review_reviewer_idx` ON `review_assignments` (`review_id`,`reviewer_id`);--> statement-breakpoint
CREATE TABLE `review_criteria` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`weight` integer DEFAULT 1 NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_criteria_review_idx` ON `review_criteria` (`review_id`,`position`);--> statement-breakpoint
CREATE TABLE `review_ideas` (
	`review_id` integer NOT NULL,
	`idea_id` integer NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`review_id`, `idea_id`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_ideas_idea_idx` ON `review_ideas` (`idea_id`);--> statement-breakpoint
CREATE TABLE `review_reminders` (
	`review_id` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`review_id`, `reviewer_id`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `review_scores` (
	`review_id` integer NOT NULL,
	`idea_id` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`criterion_id` integer NOT NULL,
	`score` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`criterion_id`) REFERENCES `review_criteria`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_scores_once_uq` ON `review_scores` (`criterion_id`,`idea_id`,`reviewer_id`);--> statement-breakpoint
CREATE INDEX `review_scores_review_idx` ON `review_scores` (`review_id`,`idea_id`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jam_id` integer NOT NULL,
	`challenge_id` integer NOT NULL,
	`title` text NOT NULL,
	`blind` integer DEFAULT false NOT NULL,
	`due_at` integer,
	`closed_at` integer,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`challenge_id`) REFERENCES `challenges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reviews_challenge_idx` ON `reviews` (`challenge_id`,`id`);--> statement-breakpoint
CREATE INDEX `reviews_jam_idx` ON `reviews` (`jam_id`,`id`);--> statement-breakpoint
CREATE INDEX `reviews_open_due_idx` ON `reviews` (`due_at`) WHERE "reviews"."closed_at" IS NULL AND "reviews"."due_at" IS NOT NULL;