ALTER TABLE `api_keys` ADD `allowed_models` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `max_concurrent` integer;--> statement-breakpoint
ALTER TABLE `spend_log` ADD `tags` text;--> statement-breakpoint
ALTER TABLE `spend_log` ADD `end_user` text;--> statement-breakpoint
ALTER TABLE `teams` ADD `allowed_models` text;