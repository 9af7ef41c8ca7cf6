CREATE TABLE `calendar_feeds` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_hash_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE TABLE `jellies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`host_id` integer NOT NULL,
	`title` text NOT NULL,
	`about` text NOT NULL,
	`starts_at` integer NOT NULL,
	`time_zone` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`place` text,
	`call_link` text,
	`capacity` integer NOT NULL,
	`theme_id` integer,
	`pair_with_id` integer,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`check_in_code` text NOT NULL,
	`notes` text,
	`notes_at` integer,
	`client_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`host_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`theme_id`) REFERENCES `themes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pair_with_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jellies_client_key_uq` ON `jellies` (`host_id`,`client_key`);--> statement-breakpoint
CREATE INDEX `jellies_starts_idx` ON `jellies` (`starts_at`,`id`);--> statement-breakpoint
CREATE INDEX `jellies_host_idx` ON `jellies` (`host_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `jellies_theme_idx` ON `jellies` (`theme_id`);--> statement-breakpoint
CREATE TABLE `jelly_ideas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jelly_id` integer NOT NULL,
	`credited_id` integer NOT NULL,
	`added_by_id` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`jelly_id`) REFERENCES `jellies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credited_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `jelly_ideas_jelly_idx` ON `jelly_ideas` (`jelly_id`,`id`);--> statement-breakpoint
CREATE INDEX `jelly_ideas_credited_idx` ON `jelly_ideas` (`credited_id`);--> statement-breakpoint
CREATE TABLE `jelly_rsvps` (
	`jelly_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`queued_at` integer NOT NULL,
	`checked_in_at` integer,
	PRIMARY KEY(`jelly_id`, `user_id`),
	FOREIGN KEY (`jelly_id`) REFERENCES `jellies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `jelly_rsvps_queue_idx` ON `jelly_rsvps` (`jelly_id`,`status`,`queued_at`);--> statement-breakpoint
CREATE INDEX `jelly_rsvps_user_idx` ON `jelly_rsvps` (`user_id`,`status`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_point_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`jam_id` integer,
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
INSERT INTO `__new_point_entries`("id", "user_id", "jam_id", "department_id", "reason", "source", "subject", "points", "day", "created_at") SELECT "id", "user_id", "jam_id", "department_id", "reason", "source", "subject", "points", "day", "created_at" FROM `point_entries`;--> statement-breakpoint
DROP TABLE `point_entries`;--> statement-breakpoint
ALTER TABLE `__new_point_entries` RENAME TO `point_entries`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `point_entries_once_uq` ON `point_entries` (`user_id`,`reason`,`source`);--> statement-breakpoint
CREATE INDEX `point_entries_user_jam_day_idx` ON `point_entries` (`user_id`,`jam_id`,`day`);--> statement-breakpoint
CREATE INDEX `point_entries_subject_idx` ON `point_entries` (`subject`);--> statement-breakpoint
CREATE INDEX `point_entries_jam_idx` ON `point_entries` (`jam_id`);