CREATE TABLE `department_totals` (
	`scope` integer NOT NULL,
	`department_id` integer NOT NULL,
	`total` integer NOT NULL,
	PRIMARY KEY(`scope`, `department_id`),
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `point_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`jam_id` integer NOT NULL,
	`department_id` integer,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`subject` text,
	`points` integer NOT NULL,
	`day` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `point_entries_once_uq` ON `point_entries` (`user_id`,`reason`,`source`);--> statement-breakpoint
CREATE INDEX `point_entries_user_jam_day_idx` ON `point_entries` (`user_id`,`jam_id`,`day`);--> statement-breakpoint
CREATE INDEX `point_entries_subject_idx` ON `point_entries` (`subject`);--> statement-breakpoint
CREATE INDEX `point_entries_jam_idx` ON `point_entries` (`jam_id`);--> statement-breakpoint
CREATE TABLE `point_totals` (
	`scope` integer NOT NULL,
	`user_id` integer NOT NULL,
	`total` integer NOT NULL,
	PRIMARY KEY(`scope`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `point_totals_rank_idx` ON `point_totals` (`scope`,`total`,`user_id`);--> statement-breakpoint
CREATE INDEX `point_totals_user_idx` ON `point_totals` (`user_id`);--> statement-breakpoint
CREATE TABLE `serial_vote_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jam_id` integer NOT NULL,
	`voter_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`votes` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`voter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `serial_vote_reports_uq` ON `serial_vote_reports` (`jam_id`,`voter_id`,`author_id`);--> statement-breakpoint
CREATE INDEX `serial_vote_reports_jam_idx` ON `serial_vote_reports` (`jam_id`,`last_at`);--> statement-breakpoint
CREATE TABLE `user_badges` (
	`user_id` integer NOT NULL,
	`badge_key` text NOT NULL,
	`level` integer NOT NULL,
	`seen_level` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `badge_key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `comments` ADD `hidden_reason` text;--> statement-breakpoint
ALTER TABLE `comments` ADD `hide_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `comments_parent_idx` ON `comments` (`parent_id`);--> statement-breakpoint
ALTER TABLE `ideas` ADD `hidden_reason` text;--> statement-breakpoint
ALTER TABLE `ideas` ADD `hide_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `jams` ADD `point_rules` text;--> statement-breakpoint
ALTER TABLE `jams` ADD `leaderboards_hidden` integer DEFAULT false NOT NULL;