CREATE TABLE `idea_field_revisions` (
	`idea_id` integer NOT NULL,
	`version` integer NOT NULL,
	`answers` text NOT NULL,
	PRIMARY KEY(`idea_id`, `version`),
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `idea_field_values` (
	`idea_id` integer NOT NULL,
	`field_id` integer NOT NULL,
	`value` text NOT NULL,
	`number_value` real,
	PRIMARY KEY(`idea_id`, `field_id`),
	FOREIGN KEY (`idea_id`) REFERENCES `ideas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`field_id`) REFERENCES `template_fields`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `idea_field_values_value_idx` ON `idea_field_values` (`field_id`,`value`,`idea_id`);--> statement-breakpoint
CREATE INDEX `idea_field_values_number_idx` ON `idea_field_values` (`field_id`,`number_value`,`idea_id`);--> statement-breakpoint
CREATE TABLE `template_fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`challenge_id` integer NOT NULL,
	`position` integer NOT NULL,
	`label` text NOT NULL,
	`help` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`required` integer DEFAULT false NOT NULL,
	`options` text DEFAULT '[]' NOT NULL,
	`min` real,
	`max` real,
	`unit` text DEFAULT '' NOT NULL,
	`retired_at` integer,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`challenge_id`) REFERENCES `challenges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `template_fields_challenge_idx` ON `template_fields` (`challenge_id`,`position`);