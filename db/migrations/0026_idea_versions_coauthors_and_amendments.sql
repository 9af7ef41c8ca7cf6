CREATE TABLE `comment_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`comment_id` integer NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`editor_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `comment_revisions_version_uq` ON `comment_revisions` (`comment_id`,`version`);--> statement-breakpoint
CREATE INDEX `comment_revisions_editor_idx` ON `comment_revisions` (`editor_id`);--> statement-breakpoint
CREATE TABLE `idea_amendments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`idea_id` integer NOT NULL,
	`proposer_id` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`base_version` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`client_key` text NOT NULL,
	`decided_by_id` integer,
	`decided_at` integer,
	`accepted_version` integer,
	`posted_idea_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`posted_idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `idea_amendments_client_key_uq` ON `idea_amendments` (`proposer_id`,`client_key`);--> statement-breakpoint
CREATE INDEX `idea_amendments_idea_idx` ON `idea_amendments` (`idea_id`,`id`);--> statement-breakpoint
CREATE INDEX `idea_amendments_proposer_idx` ON `idea_amendments` (`proposer_id`);--> statement-breakpoint
CREATE TABLE `idea_coauthors` (
	`idea_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`invited_by_id` integer NOT NULL,
	`invited_at` integer NOT NULL,
	`responded_at` integer,
	PRIMARY KEY(`idea_id`, `user_id`),
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invited_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `idea_coauthors_user_idx` ON `idea_coauthors` (`user_id`,`status`);--> statement-breakpoint
CREATE TABLE `idea_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`idea_id` integer NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`kind` text NOT NULL,
	`editor_id` integer NOT NULL,
	`accepted_by_id` integer,
	`amendment_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `idea_revisions_version_uq` ON `idea_revisions` (`idea_id`,`version`);--> statement-breakpoint
CREATE INDEX `idea_revisions_editor_idx` ON `idea_revisions` (`editor_id`);--> statement-breakpoint
ALTER TABLE `comments` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `comments` ADD `edited_at` integer;--> statement-breakpoint
ALTER TABLE `ideas` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `ideas` ADD `edited_at` integer;--> statement-breakpoint
ALTER TABLE `ideas` ADD `built_on_id` integer REFERENCES ideas(id);--> statement-breakpoint
CREATE INDEX `ideas_built_on_idx` ON `ideas` (`built_on_id`) WHERE "ideas"."built_on_id" IS NOT NULL;