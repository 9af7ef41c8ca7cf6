CREATE TABLE `people_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`file_name` text,
	`csv` text NOT NULL,
	`preview` text NOT NULL,
	`plan_digest` text NOT NULL,
	`applied_at` integer,
	`report` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `people_imports_created_idx` ON `people_imports` (`created_at`);--> statement-breakpoint
ALTER TABLE `departments` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `departments` ADD `directory_group_at` integer;--> statement-breakpoint
ALTER TABLE `departments` ADD `archived_at` integer;--> statement-breakpoint
ALTER TABLE `departments` ADD `created_at` integer;--> statement-breakpoint
ALTER TABLE `departments` ADD `updated_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `departments_external_id_idx` ON `departments` (`external_id`) WHERE "departments"."external_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `updated_at` integer;