CREATE TABLE `answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`question_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`parent_id` integer,
	`body` text NOT NULL,
	`client_key` text NOT NULL,
	`hidden_at` integer,
	`hidden_by` integer,
	`hide_reason` text,
	`hide_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hidden_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `answers_client_key_uq` ON `answers` (`author_id`,`client_key`);--> statement-breakpoint
CREATE INDEX `answers_question_idx` ON `answers` (`question_id`,`id`);--> statement-breakpoint
CREATE INDEX `answers_author_idx` ON `answers` (`author_id`);--> statement-breakpoint
CREATE TABLE `question_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target_type` text NOT NULL,
	`target_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `question_flags_once_uq` ON `question_flags` (`target_type`,`target_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `question_flags_open_idx` ON `question_flags` (`resolved_at`);--> statement-breakpoint
CREATE TABLE `question_opt_outs` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `question_routes` (
	`question_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`position` integer NOT NULL,
	`status` text NOT NULL,
	`asked_at` integer,
	`declined_at` integer,
	PRIMARY KEY(`question_id`, `user_id`),
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `question_routes_user_idx` ON `question_routes` (`user_id`,`status`,`question_id`);--> statement-breakpoint
CREATE TABLE `questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`asker_id` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`theme_id` integer,
	`client_key` text NOT NULL,
	`accepted_answer_id` integer,
	`accepted_at` integer,
	`escalated_at` integer,
	`hidden_at` integer,
	`hidden_by` integer,
	`hide_reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`asker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`theme_id`) REFERENCES `themes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hidden_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `questions_client_key_uq` ON `questions` (`asker_id`,`client_key`);--> statement-breakpoint
CREATE INDEX `questions_asker_idx` ON `questions` (`asker_id`,`id`);--> statement-breakpoint
CREATE INDEX `questions_unanswered_idx` ON `questions` (`created_at`) WHERE "questions"."escalated_at" IS NULL AND "questions"."accepted_answer_id" IS NULL;--> statement-breakpoint
CREATE VIRTUAL TABLE `questions_fts` USING fts5(
  `title`, `body`, `answer`,
  tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `questions_fts_ai` AFTER INSERT ON `questions` BEGIN
  INSERT INTO `questions_fts`(rowid, `title`, `body`, `answer`) VALUES (new.`id`, new.`title`, new.`body`, '');
END;
--> statement-breakpoint
CREATE TRIGGER `questions_fts_ad` AFTER DELETE ON `questions` BEGIN
  DELETE FROM `questions_fts` WHERE rowid = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_fts_au` AFTER UPDATE OF `title`, `body`, `accepted_answer_id` ON `questions` BEGIN
  DELETE FROM `questions_fts` WHERE rowid = old.`id`;
  INSERT INTO `questions_fts`(rowid, `title`, `body`, `answer`)
    VALUES (new.`id`, new.`title`, new.`body`, coalesce((SELECT `body` FROM `answers` WHERE `id` = new.`accepted_answer_id` AND `hidden_at` IS NULL), ''));
END;
