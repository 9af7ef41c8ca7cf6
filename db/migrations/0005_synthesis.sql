CREATE TABLE `action_ideas` (
	`action_id` integer NOT NULL,
	`idea_id` integer NOT NULL,
	PRIMARY KEY(`action_id`, `idea_id`),
	FOREIGN KEY (`action_id`) REFERENCES `follow_up_actions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `action_ideas_idea_idx` ON `action_ideas` (`idea_id`);--> statement-breakpoint
CREATE TABLE `follow_up_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jam_id` integer NOT NULL,
	`theme_id` integer,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`owner_id` integer NOT NULL,
	`due_date` integer,
	`status` text DEFAULT 'proposed' NOT NULL,
	`decline_reason` text,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`theme_id`) REFERENCES `themes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `actions_jam_idx` ON `follow_up_actions` (`jam_id`,`status`);--> statement-breakpoint
CREATE INDEX `actions_owner_idx` ON `follow_up_actions` (`owner_id`,`status`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`body` text NOT NULL,
	`link` text,
	`dedupe_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_once_uq` ON `notifications` (`user_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`read_at`,`id`);--> statement-breakpoint
CREATE TABLE `synthesis_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jam_id` integer NOT NULL,
	`challenge_id` integer,
	`status` text NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`requested_k` integer,
	`seed` integer NOT NULL,
	`started_by` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`error` text,
	`version_id` integer,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`challenge_id`) REFERENCES `challenges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`started_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `synthesis_runs_jam_idx` ON `synthesis_runs` (`jam_id`,`id`);--> statement-breakpoint
CREATE TABLE `synthesis_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`jam_id` integer NOT NULL,
	`challenge_id` integer,
	`number` integer NOT NULL,
	`kind` text NOT NULL,
	`based_on_id` integer,
	`opinions` text,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`published_at` integer,
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`challenge_id`) REFERENCES `challenges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `synthesis_versions_number_uq` ON `synthesis_versions` (`jam_id`,`number`);--> statement-breakpoint
CREATE INDEX `synthesis_versions_published_idx` ON `synthesis_versions` (`jam_id`,`published_at`);--> statement-breakpoint
CREATE TABLE `theme_ideas` (
	`version_id` integer NOT NULL,
	`idea_id` integer NOT NULL,
	`theme_id` integer NOT NULL,
	`excluded` integer DEFAULT false NOT NULL,
	`x` real DEFAULT 0 NOT NULL,
	`y` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`version_id`, `idea_id`),
	FOREIGN KEY (`version_id`) REFERENCES `synthesis_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`theme_id`) REFERENCES `themes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `theme_ideas_theme_idx` ON `theme_ideas` (`theme_id`);--> statement-breakpoint
CREATE TABLE `themes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version_id` integer NOT NULL,
	`label` text NOT NULL,
	`keywords` text NOT NULL,
	`representatives` text NOT NULL,
	`is_other` integer DEFAULT false NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`version_id`) REFERENCES `synthesis_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `themes_version_idx` ON `themes` (`version_id`,`position`);