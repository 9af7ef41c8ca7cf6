CREATE TABLE `follows` (
	`follower_id` integer NOT NULL,
	`target_type` text NOT NULL,
	`target_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`follower_id`, `target_type`, `target_id`),
	FOREIGN KEY (`follower_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `follows_target_idx` ON `follows` (`target_type`,`target_id`);--> statement-breakpoint
CREATE TABLE `network_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` integer NOT NULL,
	`status` text NOT NULL,
	`computed_at` integer NOT NULL,
	`data` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `network_snapshots_scope_idx` ON `network_snapshots` (`scope`,`id`);--> statement-breakpoint
ALTER TABLE `users` ADD `hidden_from_rankings` integer DEFAULT false NOT NULL;