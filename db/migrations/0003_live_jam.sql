CREATE TABLE `announcements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jam_id` integer NOT NULL,
	`challenge_id` integer,
	`author_id` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`challenge_id`) REFERENCES `challenges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `announcements_jam_idx` ON `announcements` (`jam_id`,`id`);--> statement-breakpoint
CREATE TABLE `dot_allocations` (
	`user_id` integer NOT NULL,
	`idea_id` integer NOT NULL,
	`challenge_id` integer NOT NULL,
	`dots` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `idea_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`challenge_id`) REFERENCES `challenges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dot_allocations_user_challenge_idx` ON `dot_allocations` (`user_id`,`challenge_id`);--> statement-breakpoint
CREATE INDEX `dot_allocations_idea_idx` ON `dot_allocations` (`idea_id`);--> statement-breakpoint
CREATE TABLE `flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jam_id` integer NOT NULL,
	`target_type` text NOT NULL,
	`target_id` integer NOT NULL,
	`reporter_id` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` integer,
	`resolution` text,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flags_once_uq` ON `flags` (`reporter_id`,`target_type`,`target_id`);--> statement-breakpoint
CREATE INDEX `flags_queue_idx` ON `flags` (`jam_id`,`resolved_at`,`id`);--> statement-breakpoint
CREATE TABLE `handoff_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jam_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `handoff_notes_jam_idx` ON `handoff_notes` (`jam_id`,`id`);--> statement-breakpoint
CREATE TABLE `stance_votes` (
	`user_id` integer NOT NULL,
	`idea_id` integer NOT NULL,
	`challenge_id` integer NOT NULL,
	`stance` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `idea_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`challenge_id`) REFERENCES `challenges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stance_votes_idea_idx` ON `stance_votes` (`idea_id`);--> statement-breakpoint
CREATE INDEX `stance_votes_challenge_user_idx` ON `stance_votes` (`challenge_id`,`user_id`);--> statement-breakpoint
ALTER TABLE `challenges` ADD `vote_mode` text DEFAULT 'support' NOT NULL;--> statement-breakpoint
ALTER TABLE `challenges` ADD `dot_budget` integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE `challenges` ADD `dot_max_per_idea` integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE `ideas` ADD `pinned_at` integer;--> statement-breakpoint
ALTER TABLE `ideas` ADD `tag` text;--> statement-breakpoint
ALTER TABLE `ideas` ADD `merged_into_id` integer REFERENCES ideas(id);--> statement-breakpoint
ALTER TABLE `ideas` ADD `agree_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ideas` ADD `disagree_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ideas` ADD `pass_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ideas` ADD `dot_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `ideas_challenge_stance_idx` ON `ideas` (`challenge_id`,`agree_count`);--> statement-breakpoint
CREATE INDEX `ideas_challenge_dots_idx` ON `ideas` (`challenge_id`,`dot_count`,`id`);--> statement-breakpoint
CREATE INDEX `ideas_jam_time_idx` ON `ideas` (`jam_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_time_idx` ON `comments` (`created_at`);--> statement-breakpoint
CREATE INDEX `votes_time_idx` ON `votes` (`created_at`);