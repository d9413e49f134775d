-- Fills the daily rollups from the spend rows already there, in the migration's transaction, so an
-- upgraded gateway's reports equal its raw rows. Same encoding as src/store/rollup.ts: "" for NULL,
-- "=" + value otherwise; the routing rule is the reason up to its first " (".
INSERT INTO `spend_daily_model` (`day`, `team_id`, `model`, `provider`, `routed_from`, `routing_method`, `routing_rule`, `requests`, `input_tokens`, `output_tokens`, `cache_creation_input_tokens`, `cache_read_input_tokens`, `cost_micros`, `errors`, `duration_ms`)
SELECT strftime('%Y-%m-%d', `created_at` / 1000, 'unixepoch'), `team_id`, `model`, `provider`,
  coalesce('=' || `routed_from`, ''), coalesce('=' || `routing_method`, ''),
  coalesce('=' || substr(`routing_reason`, 1, instr(`routing_reason` || ' (', ' (') - 1), ''),
  count(*), sum(`input_tokens`), sum(`output_tokens`), sum(`cache_creation_input_tokens`),
  sum(`cache_read_input_tokens`), sum(`cost_micros`), sum(CASE WHEN `status` >= 400 THEN 1 ELSE 0 END), sum(`duration_ms`)
FROM `spend_log` GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO `spend_daily_key` (`day`, `team_id`, `user_id`, `api_key_id`, `requests`, `input_tokens`, `output_tokens`, `cache_creation_input_tokens`, `cache_read_input_tokens`, `cost_micros`, `errors`, `duration_ms`)
SELECT strftime('%Y-%m-%d', `created_at` / 1000, 'unixepoch'), `team_id`, `user_id`, `api_key_id`,
  count(*), sum(`input_tokens`), sum(`output_tokens`), sum(`cache_creation_input_tokens`),
  sum(`cache_read_input_tokens`), sum(`cost_micros`), sum(CASE WHEN `status` >= 400 THEN 1 ELSE 0 END), sum(`duration_ms`)
FROM `spend_log` GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO `spend_monthly_key` (`month`, `team_id`, `user_id`, `api_key_id`, `requests`, `input_tokens`, `output_tokens`, `cache_creation_input_tokens`, `cache_read_input_tokens`, `cost_micros`, `errors`, `duration_ms`)
SELECT substr(`day`, 1, 7), `team_id`, `user_id`, `api_key_id`, sum(`requests`), sum(`input_tokens`), sum(`output_tokens`),
  sum(`cache_creation_input_tokens`), sum(`cache_read_input_tokens`), sum(`cost_micros`), sum(`errors`), sum(`duration_ms`)
FROM `spend_daily_key` GROUP BY 1, 2, 3, 4;
