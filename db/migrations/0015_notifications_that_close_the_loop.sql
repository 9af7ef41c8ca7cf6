CREATE TABLE `notification_opt_outs` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `jams` ADD `results_sent_at` integer;--> statement-breakpoint
ALTER TABLE `notifications` ADD `kind` text DEFAULT 'actions' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `idea_id` integer REFERENCES ideas(id);--> statement-breakpoint
ALTER TABLE `notifications` ADD `count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_user_time_idx` ON `notifications` (`user_id`,`created_at`,`id`);--> statement-breakpoint
-- Notifications written before: follows' news is about an idea (hidden with it); actions' news keeps the default kind.
UPDATE `notifications` SET `kind` = 'follows', `idea_id` = CAST(substr(`dedupe_key`, 13) AS integer) WHERE `dedupe_key` LIKE 'follow:idea:%';--> statement-breakpoint
-- Jams that ended before this version: their people are not told now, weeks late.
UPDATE `jams` SET `results_sent_at` = `ends_at` WHERE `ends_at` <= CAST(strftime('%s', 'now') AS integer) * 1000;
