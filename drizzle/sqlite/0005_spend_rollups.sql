CREATE TABLE `spend_daily_key` (
	`day` text NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`api_key_id` text NOT NULL,
	`requests` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cache_creation_input_tokens` integer NOT NULL,
	`cache_read_input_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`errors` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`day`, `team_id`, `user_id`, `api_key_id`)
);
--> statement-breakpoint
CREATE INDEX `spend_daily_key_team_idx` ON `spend_daily_key` (`team_id`,`day`);--> statement-breakpoint
CREATE TABLE `spend_daily_model` (
	`day` text NOT NULL,
	`team_id` text NOT NULL,
	`model` text NOT NULL,
	`provider` text NOT NULL,
	`routed_from` text NOT NULL,
	`routing_method` text NOT NULL,
	`routing_rule` text NOT NULL,
	`requests` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cache_creation_input_tokens` integer NOT NULL,
	`cache_read_input_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`errors` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`day`, `team_id`, `model`, `provider`, `routed_from`, `routing_method`, `routing_rule`)
);
--> statement-breakpoint
CREATE INDEX `spend_daily_model_team_idx` ON `spend_daily_model` (`team_id`,`day`);--> statement-breakpoint
CREATE TABLE `spend_monthly_key` (
	`month` text NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`api_key_id` text NOT NULL,
	`requests` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cache_creation_input_tokens` integer NOT NULL,
	`cache_read_input_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`errors` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`month`, `team_id`, `user_id`, `api_key_id`)
);
--> statement-breakpoint
CREATE INDEX `spend_monthly_key_team_idx` ON `spend_monthly_key` (`team_id`,`month`);