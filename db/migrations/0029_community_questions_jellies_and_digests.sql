CREATE TABLE `community_digests` (
	`community_id` integer NOT NULL,
	`week_end` integer NOT NULL,
	`claimed_by` text NOT NULL,
	`started_at` integer NOT NULL,
	`queued` integer DEFAULT 0 NOT NULL,
	`finished_at` integer,
	PRIMARY KEY(`community_id`, `week_end`),
	FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `jellies` ADD `community_id` integer REFERENCES communities(id);--> statement-breakpoint
CREATE INDEX `jellies_community_idx` ON `jellies` (`community_id`,`starts_at`);--> statement-breakpoint
ALTER TABLE `jelly_ideas` ADD `client_key` text;--> statement-breakpoint
ALTER TABLE `jelly_ideas` ADD `idea_id` integer REFERENCES ideas(id);--> statement-breakpoint
CREATE UNIQUE INDEX `jelly_ideas_client_key_uq` ON `jelly_ideas` (`added_by_id`,`client_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `jelly_ideas_idea_uq` ON `jelly_ideas` (`idea_id`);--> statement-breakpoint
ALTER TABLE `questions` ADD `community_id` integer REFERENCES communities(id);--> statement-breakpoint
CREATE INDEX `questions_community_idx` ON `questions` (`community_id`,`id`);