CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`rate_limit` integer DEFAULT 60 NOT NULL,
	`budget_monthly_cents` integer,
	`is_active` integer DEFAULT true NOT NULL,
	`expires_at` integer,
	`replaced_by` text,
	`last_used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_user_idx` ON `api_keys` (`user_id`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`price_cents` integer,
	`tokens_per_month` integer,
	`max_users` integer,
	`max_keys` integer
);
--> statement-breakpoint
CREATE TABLE `spend_log` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`api_key_id` text NOT NULL,
	`user_id` text NOT NULL,
	`team_id` text NOT NULL,
	`model` text NOT NULL,
	`provider` text NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cache_creation_input_tokens` integer DEFAULT 0 NOT NULL,
	`cache_read_input_tokens` integer DEFAULT 0 NOT NULL,
	`cost_micros` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`status` integer NOT NULL,
	`stream` integer DEFAULT false NOT NULL,
	`routed_from` text,
	`routing_method` text,
	`routing_reason` text,
	`request_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `spend_key_time_idx` ON `spend_log` (`api_key_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `spend_team_time_idx` ON `spend_log` (`team_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `spend_model_time_idx` ON `spend_log` (`model`,`created_at`);--> statement-breakpoint
CREATE INDEX `spend_time_idx` ON `spend_log` (`created_at`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`budget_monthly_cents` integer,
	`plan` text DEFAULT 'free' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_unique` ON `teams` (`name`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`team_id` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_team_idx` ON `users` (`team_id`);