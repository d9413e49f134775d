ALTER TABLE "api_keys" ADD COLUMN "allowed_models" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "max_concurrent" integer;--> statement-breakpoint
ALTER TABLE "spend_log" ADD COLUMN "tags" text;--> statement-breakpoint
ALTER TABLE "spend_log" ADD COLUMN "end_user" text;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "allowed_models" text;