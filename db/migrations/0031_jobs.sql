CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`payload` text NOT NULL,
	`run_after` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`done_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_pending_key_idx` ON `jobs` (`kind`,`key`) WHERE done_at IS NULL;--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`kind`,`run_after`) WHERE done_at IS NULL;--> statement-breakpoint
CREATE INDEX `jobs_done_idx` ON `jobs` (`done_at`);
