// Compile-time proof that both dialects' tables infer the same row types.
import type * as pg from "./postgres.ts";
import type * as lite from "./sqlite.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Row<T extends { $inferSelect: unknown }> = T["$inferSelect"];
type Insert<T extends { $inferInsert: unknown }> = T["$inferInsert"];

type Check<T extends true> = T;

export type SchemaParity = [
  Check<Same<Row<typeof pg.plans>, Row<typeof lite.plans>>>,
  Check<Same<Row<typeof pg.teams>, Row<typeof lite.teams>>>,
  Check<Same<Row<typeof pg.users>, Row<typeof lite.users>>>,
  Check<Same<Row<typeof pg.apiKeys>, Row<typeof lite.apiKeys>>>,
  Check<Same<Row<typeof pg.spendLog>, Row<typeof lite.spendLog>>>,
  Check<Same<Insert<typeof pg.spendLog>, Insert<typeof lite.spendLog>>>,
  Check<Same<Insert<typeof pg.apiKeys>, Insert<typeof lite.apiKeys>>>,
  Check<Same<Row<typeof pg.latencyHourly>, Row<typeof lite.latencyHourly>>>,
  Check<Same<Row<typeof pg.latencyHourlyAll>, Row<typeof lite.latencyHourlyAll>>>,
  Check<Same<Row<typeof pg.spendDailyModel>, Row<typeof lite.spendDailyModel>>>,
  Check<Same<Row<typeof pg.spendDailyKey>, Row<typeof lite.spendDailyKey>>>,
  Check<Same<Row<typeof pg.spendMonthlyKey>, Row<typeof lite.spendMonthlyKey>>>,
];
