ALTER TABLE `themes` ADD `parent_id` integer REFERENCES themes(id);--> statement-breakpoint
CREATE INDEX `themes_parent_idx` ON `themes` (`parent_id`);