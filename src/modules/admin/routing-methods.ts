// The answer schema of /admin/analytics/routing/methods (computed in ../analytics/routing-methods.ts).
import { t } from "elysia";

export const RoutingMethodsReport = t.Object(
  {
    from: t.String({ format: "date-time" }),
    to: t.String({ format: "date-time" }),
    team_id: t.Nullable(t.String({ format: "uuid" })),
    top_model: t.Nullable(
      t.String({
        description:
          "The model the always-top estimate prices: the top tier's most used model, else the configured one",
      }),
    ),
    data: t.Array(
      t.Object({
        method: t.String({ description: "rules or score" }),
        requests: t.Integer(),
        tiers: t.Object({ cheap: t.Integer(), middle: t.Integer(), top: t.Integer(), other: t.Integer() }),
        cost_micros: t.Integer({ description: "What the routed requests cost" }),
        always_top_micros: t.Nullable(
          t.Integer({
            description: "The same tokens at the top model's base rates; null when no top model is known",
          }),
        ),
        saving_micros: t.Nullable(t.Integer({ description: "always_top_micros - cost_micros" })),
        sticky_requests: t.Integer({
          description: "Requests kept on their conversation's tier for its cached prefix",
        }),
        sticky_cache_read_tokens: t.Integer({
          description: "Cache-read tokens of those requests: what switching models would have forfeited",
        }),
        background_requests: t.Integer({
          description: "Recognised background calls (titles, labels, compaction)",
        }),
      }),
    ),
  },
  { description: "Routed requests per routing method: tier mix, spend and the saving against always-top" },
);
