CREATE TABLE `idea_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`storage_id` text NOT NULL,
	`idea_id` integer NOT NULL,
	`uploader_id` integer NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`size` integer NOT NULL,
	`stored_size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`card_width` integer,
	`card_height` integer,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	`removed_by_id` integer,
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploader_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`removed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `idea_attachments_storage_uq` ON `idea_attachments` (`storage_id`);--> statement-breakpoint
CREATE INDEX `idea_attachments_idea_idx` ON `idea_attachments` (`idea_id`,`id`);--> statement-breakpoint
CREATE INDEX `idea_attachments_uploader_idx` ON `idea_attachments` (`uploader_id`,`created_at`);