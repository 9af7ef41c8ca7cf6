CREATE TABLE `jam_invitations` (
	`jam_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`invited_by` integer,
	`invited_at` integer NOT NULL,
	`mailed_at` integer,
	PRIMARY KEY(`jam_id`, `user_id`),
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `jam_invitations_user_idx` ON `jam_invitations` (`user_id`);--> statement-breakpoint
CREATE INDEX `jam_invitations_unmailed_idx` ON `jam_invitations` (`jam_id`) WHERE "jam_invitations"."mailed_at" IS NULL;--> statement-breakpoint
CREATE TABLE `jam_mailings` (
	`jam_id` integer NOT NULL,
	`occasion` text NOT NULL,
	`since` integer,
	`until` integer,
	`started_at` integer NOT NULL,
	`done_through` integer DEFAULT 0 NOT NULL,
	`queued` integer DEFAULT 0 NOT NULL,
	`finished_at` integer,
	PRIMARY KEY(`jam_id`, `occasion`),
	FOREIGN KEY (`jam_id`) REFERENCES `jams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `jam_mailings_unfinished_idx` ON `jam_mailings` (`started_at`) WHERE "jam_mailings"."finished_at" IS NULL;