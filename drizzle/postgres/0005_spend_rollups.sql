CREATE TABLE "spend_daily_key" (
	"day" text NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"requests" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cache_creation_input_tokens" bigint NOT NULL,
	"cache_read_input_tokens" bigint NOT NULL,
	"cost_micros" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"duration_ms" bigint NOT NULL,
	CONSTRAINT "spend_daily_key_pk" PRIMARY KEY("day","team_id","user_id","api_key_id")
);
--> statement-breakpoint
CREATE TABLE "spend_daily_model" (
	"day" text NOT NULL,
	"team_id" uuid NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"routed_from" text NOT NULL,
	"routing_method" text NOT NULL,
	"routing_rule" text NOT NULL,
	"requests" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cache_creation_input_tokens" bigint NOT NULL,
	"cache_read_input_tokens" bigint NOT NULL,
	"cost_micros" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"duration_ms" bigint NOT NULL,
	CONSTRAINT "spend_daily_model_pk" PRIMARY KEY("day","team_id","model","provider","routed_from","routing_method","routing_rule")
);
--> statement-breakpoint
CREATE TABLE "spend_monthly_key" (
	"month" text NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"requests" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cache_creation_input_tokens" bigint NOT NULL,
	"cache_read_input_tokens" bigint NOT NULL,
	"cost_micros" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"duration_ms" bigint NOT NULL,
	CONSTRAINT "spend_monthly_key_pk" PRIMARY KEY("month","team_id","user_id","api_key_id")
);
--> statement-breakpoint
CREATE INDEX "spend_daily_key_team_idx" ON "spend_daily_key" USING btree ("team_id","day");--> statement-breakpoint
CREATE INDEX "spend_daily_model_team_idx" ON "spend_daily_model" USING btree ("team_id","day");--> statement-breakpoint
CREATE INDEX "spend_monthly_key_team_idx" ON "spend_monthly_key" USING btree ("team_id","month");