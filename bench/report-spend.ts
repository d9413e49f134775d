// The report's spend-row check: rows written per scenario against the 200s the clients saw, and the
// verdict on lost rows from the final count after SIGTERM (a writer still catching up after one
// scenario shows a deficit there and a surplus in the next; only the end says whether a row is missing).
import { int, type LoadResult, type Spend, table, type WrkResult } from "./report-format.ts";

export type SpendScenario = (LoadResult | WrkResult) & { spendAfter?: Spend };

export interface SpendCheck {
  target: string;
  scenario: string;
  answered200: number;
  rows200: number;
  rowsOther: Record<string, number>;
  lost: number;
  note: string;
}

export interface SpendInput {
  /** The Snodus targets, in the order they ran. */
  targets: string[];
  name: (t: string) => string;
  /** The scenarios of a target in the order they ran. */
  order: (t: string) => string[];
  scenario: (t: string, s: string) => SpendScenario | undefined;
  finalSpend: (t: string) => Spend | undefined;
  /** Connections of a wrk scenario; undefined for an open-loop one. */
  wrkConns: (s: string) => number | undefined;
}

export function spendChecks(i: SpendInput): SpendCheck[] {
  const checks: SpendCheck[] = [];
  for (const t of i.targets) {
    let prev: Spend = { total: 0, byStatus: {} };
    for (const s of i.order(t).flatMap((x) => [`${x}.try1`, x])) {
      const r = i.scenario(t, s);
      if (!r?.spendAfter) continue;
      const now = r.spendAfter;
      const delta = (k: string) => (now.byStatus[k] ?? 0) - (prev.byStatus[k] ?? 0);
      const rowsOther: Record<string, number> = {};
      for (const k of Object.keys(now.byStatus)) if (k !== "200" && delta(k) !== 0) rowsOther[k] = delta(k);
      const base = s.replace(".try1", "");
      const conns = i.wrkConns(base);
      let answered200: number;
      let note: string;
      if (conns !== undefined) {
        const w = r as WrkResult;
        answered200 = w.requests - w.errors.status;
        note = `wrk drops up to ${conns} requests in flight when it stops; those rows exist too`;
      } else {
        answered200 = (r as LoadResult).okAll;
        note = "every request waited for (warm-up included)";
      }
      if (s.endsWith(".try1")) note = `discarded try (another job used the SUT's core); ${note}`;
      const rows200 = delta("200");
      const step = /^sweep-c(\d+)-\d+$/.exec(base);
      const last = checks.at(-1);
      if (step && last?.target === t && last.scenario === `sweep c${step[1]}`) {
        last.answered200 += answered200;
        last.rows200 += rows200;
        for (const [k, v] of Object.entries(rowsOther)) last.rowsOther[k] = (last.rowsOther[k] ?? 0) + v;
        last.lost = Math.max(0, last.answered200 - last.rows200);
        prev = now;
        continue;
      }
      if (step) note = "every fixed-rate step of the sweep at this concurrency, warm-ups included";
      checks.push({
        target: t,
        scenario: step ? `sweep c${step[1]}` : s,
        answered200,
        rows200,
        rowsOther,
        lost: Math.max(0, answered200 - rows200),
        note,
      });
      prev = now;
    }
  }
  return checks;
}

/** Rows missing at the end: 200s answered minus rows of status 200 after SIGTERM, per target. */
export function lostAtEnd(i: SpendInput, checks: SpendCheck[]): number {
  let lost = 0;
  for (const t of i.targets) {
    const mine = checks.filter((c) => c.target === t);
    const final = i.finalSpend(t);
    const answered = mine.reduce((a, c) => a + c.answered200, 0);
    lost += final
      ? Math.max(0, answered - (final.byStatus["200"] ?? 0))
      : mine.reduce((a, c) => a + c.lost, 0);
  }
  return lost;
}

export function spendSection(i: SpendInput): { lines: string[]; checks: SpendCheck[]; totalLost: number } {
  const checks = spendChecks(i);
  const lines = [
    "### Spend rows written vs requests answered 200",
    "",
    table(
      [
        "target",
        "scenario",
        "answered 200",
        "rows status 200",
        "rows other status",
        "short at this count",
        "note",
      ],
      checks.map((c) => [
        i.name(c.target),
        c.scenario,
        int(c.answered200),
        int(c.rows200),
        Object.entries(c.rowsOther)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ") || "0",
        int(c.lost),
        c.note,
      ]),
    ),
    "",
  ];
  for (const t of i.targets) {
    const f = i.finalSpend(t);
    if (!f) continue;
    const last = [...i.order(t)].reverse().find((s) => i.scenario(t, s)?.spendAfter);
    const before = last ? i.scenario(t, last)?.spendAfter : undefined;
    const answered = checks.filter((c) => c.target === t).reduce((a, c) => a + c.answered200, 0);
    lines.push(
      `- ${i.name(t)}: ${int(f.total)} rows after SIGTERM (${Object.entries(f.byStatus)
        .map(([k, v]) => `${k}: ${int(v)}`)
        .join(
          ", ",
        )}) for ${int(answered)} answers 200, ${int(f.total - (before?.total ?? 0))} of them written during shutdown.`,
    );
  }
  lines.push("");
  return { lines, checks, totalLost: lostAtEnd(i, checks) };
}
