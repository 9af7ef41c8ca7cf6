DROP INDEX `point_totals_rank_idx`;--> statement-breakpoint
CREATE INDEX `point_totals_board_idx` ON `point_totals` (`scope`,"total" DESC,`user_id`);