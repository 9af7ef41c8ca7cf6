ALTER TABLE `notifications` ADD `jam_id` integer REFERENCES jams(id);--> statement-breakpoint
-- Notifications written before: their jam from their link (an action's page or an idea's page).
UPDATE `notifications` SET `jam_id` = (SELECT a.`jam_id` FROM `follow_up_actions` a WHERE `notifications`.`link` = '/actions/' || a.`id`) WHERE `link` LIKE '/actions/%';--> statement-breakpoint
UPDATE `notifications` SET `jam_id` = (SELECT j.`id` FROM `jams` j WHERE `notifications`.`link` LIKE '/jams/' || j.`slug` || '/%') WHERE `link` LIKE '/jams/%';
