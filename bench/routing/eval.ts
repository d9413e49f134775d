// npm run routing:eval — scores the routing methods on the held-out part of the labelled set.
// `--dev` scores the development part instead and lists its misroutes (the only part tuning may read).

import { createRouter, type RouterMethod, type Tier } from "../../src/modules/router/index.ts";
import { simulateConversations } from "./conversations.ts";
import { costShares, pricer, TIER_SETS } from "./cost.ts";
import { shuffled } from "./random.ts";
import { ALL, CLAUDE_CODE, isHeldOut, type Label, type LabelledRequest } from "./set/index.ts";
import { STAGES, timeStages } from "./stages.ts";
import { DEFAULT_TIMING, quantile, type Timing, type TimingOptions, timeDecisions } from "./timing.ts";

const WANTED: Record<Label, Tier> = { trivial: "cheap", medium: "middle", hard: "top" };
const DEFAULT_SET = TIER_SETS[0] as (typeof TIER_SETS)[number];
const MODELS = DEFAULT_SET.models;

interface Row {
  name: string;
  tiers: Tier[];
  accuracy: number;
  hardToCheap: number;
  hardCount: number;
  vsTop: number;
  vsOracle: number;
  timing: Timing | null;
}

const argv = process.argv.slice(2);
const args = new Set(argv);
const dev = args.has("--dev");
const numberArg = (name: string, fallback: number) => {
  const at = argv.indexOf(name);
  return at >= 0 ? Math.max(1, Math.floor(Number(argv[at + 1])) || 1) : fallback;
};
/** `--rounds N`: rounds of the timing (30); `--batch N`: decisions per timed batch (20). */
const TIMING: TimingOptions = {
  ...DEFAULT_TIMING,
  rounds: numberArg("--rounds", DEFAULT_TIMING.rounds),
  batch: numberArg("--batch", DEFAULT_TIMING.batch),
};
const items = ALL.filter((i) => isHeldOut(i) !== dev);
const ids = new Set(ALL.map((i) => i.id));
if (ids.size !== ALL.length) throw new Error("duplicate ids in the labelled set");
const oracle = items.map((i) => WANTED[i.label]);
const cost = pricer(items, MODELS);

function figures(name: string, tiers: Tier[], timing: Timing | null): Row {
  let right = 0;
  let hardToCheap = 0;
  items.forEach((item, i) => {
    const tier = tiers[i] as Tier;
    if (tier === WANTED[item.label]) right++;
    if (item.label === "hard" && tier === "cheap") hardToCheap++;
  });
  return {
    name,
    tiers,
    accuracy: right / items.length,
    hardToCheap,
    hardCount: items.filter((i) => i.label === "hard").length,
    ...costShares(items, tiers, oracle, cost),
    timing,
  };
}

/** Each item is decided by a fresh router: the set's items are independent conversations. */
function decideAll(method: RouterMethod): Tier[] {
  return items.map((item) => createRouter().decide(item.body, method).tier);
}

/** One router decides every request, as in the gateway (its stickiness map fills as it would). */
function time(method: RouterMethod): Timing {
  const router = createRouter();
  return timeDecisions(items, (item) => router.decide(item.body, method), TIMING);
}

const score = decideAll("score");
const rules = decideAll("rules");
const scoreTiming = time("score");
const rulesTiming = time("rules");
const rows: Row[] = [
  figures("score", score, scoreTiming),
  figures("rules", rules, rulesTiming),
  figures(
    "always-top",
    items.map(() => "top"),
    null,
  ),
  figures(
    "always-middle",
    items.map(() => "middle"),
    null,
  ),
  // The score method's own tier mix handed out at random: what the mix alone is worth.
  figures("shuffled control", shuffled(score, 20261201), null),
  figures("oracle (labels)", oracle, null),
];

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const us = (x: number | null) => (x === null ? "—" : `${x.toFixed(1)} µs`);
const count = (l: Label) => items.filter((i) => i.label === l).length;
const cc = items.filter((i) => CLAUDE_CODE.includes(i)).length;
console.log(
  `${dev ? "Development" : "Held-out"} part: ${items.length} items (${count("trivial")} trivial, ${count("medium")} medium, ${count("hard")} hard; ${cc} Claude Code shapes).`,
);
console.log(
  `Tiers: ${Object.values(MODELS).join(" / ")}; cost from the price table, real input tokens (o200k_base).`,
);
const t = scoreTiming.options;
console.log(
  `Decision time: CPU time per decision, each request timed in ${t.rounds} rounds (shuffled order) of ${t.batch} decisions after ${t.warmup} warm-up passes; p50 / p99 over the requests of each request's median round, and of its fastest round. 1-minute load average ${scoreTiming.load[0].toFixed(2)} → ${rulesTiming.load[1].toFixed(2)} on ${navigator.hardwareConcurrency} cores.\n`,
);
console.log(
  "| method | accuracy | hard → cheap | cost vs always-top | cost vs oracle | decision p50 | decision p99 | fastest round p50 / p99 |",
);
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  const m = r.timing?.items.map((x) => x.median) ?? null;
  const f = r.timing?.items.map((x) => x.min) ?? null;
  console.log(
    `| ${r.name} | ${pct(r.accuracy)} | ${r.hardToCheap} of ${r.hardCount} (${pct(r.hardToCheap / Math.max(1, r.hardCount))}) | ${pct(r.vsTop)} | ${pct(r.vsOracle)} | ${us(m && quantile(m, 0.5))} | ${us(m && quantile(m, 0.99))} | ${f ? `${us(quantile(f, 0.5))} / ${us(quantile(f, 0.99))}` : "—"} |`,
  );
}

// The same decisions priced with other tiers: the top tier's premium decides "cost vs always-top".
console.log("\nCost vs always-top (and vs the oracle) with other tier prices, same decisions:\n");
console.log(`| method | ${TIER_SETS.map((x) => x.name).join(" | ")} |`);
console.log(`|---|${TIER_SETS.map(() => "---|").join("")}`);
const pricers = TIER_SETS.map((x) => pricer(items, x.models));
for (const r of rows) {
  if (r.name === "always-top") continue;
  const cells = pricers.map((p) => {
    const c = costShares(items, r.tiers, oracle, p);
    return r.name.startsWith("oracle") ? pct(c.vsTop) : `${pct(c.vsTop)} (${pct(c.vsOracle)})`;
  });
  console.log(`| ${r.name} | ${cells.join(" | ")} |`);
}

// Accuracy per group, so a method that is good on plain turns but bad on Claude Code shows it.
const groups: Array<[string, (i: LabelledRequest) => boolean]> = [
  ["last turns", (i) => !CLAUDE_CODE.includes(i)],
  ["Claude Code shapes", (i) => CLAUDE_CODE.includes(i)],
];
console.log(`\n| method | ${groups.map(([g]) => g).join(" | ")} |`);
console.log(`|---|${groups.map(() => "---|").join("")}`);
for (const [name, tiers] of [
  ["score", score],
  ["rules", rules],
] as const) {
  const cells = groups.map(([, keep]) => {
    const idx = items.map((it, k) => [it, k] as const).filter(([it]) => keep(it));
    const right = idx.filter(([it, k]) => tiers[k] === WANTED[it.label]).length;
    return `${pct(right / Math.max(1, idx.length))} of ${idx.length}`;
  });
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}

// Where the always-top bill comes from, by label: the mix of the set decides the headline cost.
console.log(
  "\nBy label (default tiers): each label's share of the always-top bill, and what each method spends on those items as a share of always-top:\n",
);
console.log("| label | items | share of the always-top bill | score | rules | oracle |");
console.log("|---|---|---|---|---|---|");
const topBill = items.reduce((n, it) => n + cost(it, "top"), 0);
for (const label of ["trivial", "medium", "hard"] as const) {
  const idx = items.map((it, k) => [it, k] as const).filter(([it]) => it.label === label);
  const top = idx.reduce((n, [it]) => n + cost(it, "top"), 0);
  const spent = (tiers: readonly Tier[]) =>
    pct(idx.reduce((n, [it, k]) => n + cost(it, tiers[k] as Tier), 0) / top);
  console.log(
    `| ${label} | ${idx.length} | ${pct(top / topBill)} | ${spent(score)} | ${spent(rules)} | ${spent(oracle)} |`,
  );
}

// Where the slowest requests spend their time, stage by stage.
const slowest = items
  .map((item, k) => ({ item, t: scoreTiming.items[k]?.median ?? 0 }))
  .sort((a, b) => b.t - a.t)
  .slice(0, 6)
  .map((x) => x.item);
console.log("\nThe slowest requests of the score method, each stage timed alone (median µs):\n");
console.log(`| request | typed chars | decide | ${STAGES.join(" | ")} |`);
console.log(`|---|---|---|${STAGES.map(() => "---|").join("")}`);
for (const r of timeStages(slowest, TIMING))
  console.log(
    `| ${r.id} | ${r.typed.toLocaleString("en")} | ${r.decide.toFixed(1)} | ${r.stages.map((x) => x.toFixed(1)).join(" | ")} |`,
  );

if (dev) {
  console.log("\nMisroutes of the score method (development part only):");
  items.forEach((item, k) => {
    if (score[k] === WANTED[item.label]) return;
    const d = createRouter().decide(item.body, "score");
    const text = JSON.stringify(item.body.messages).slice(0, 110);
    console.log(`  ${item.label} → ${score[k]}  [${d.reason}]  ${item.id} ${text}`);
  });
}

// Conversations: the same turns strung into agent sessions, priced with prompt caching, to show what
// stickiness keeps and what switching tiers throws away.
const conv = simulateConversations(
  items.filter((i) => !CLAUDE_CODE.includes(i)),
  MODELS,
);
console.log(
  `\nConversations: ${conv.conversations} agent sessions of ${conv.turns / conv.conversations} turns from this part's last turns, priced with prompt caching (a tier's cache holds the prefix up to its last request).\n`,
);
console.log(
  "| method | accuracy per turn | hard → cheap | cost vs always-top | tier switches | sticky decisions | cache-read tokens forfeited by switches |",
);
console.log("|---|---|---|---|---|---|---|");
for (const r of conv.rows) {
  console.log(
    `| ${r.name} | ${pct(r.accuracy)} | ${r.hardToCheap} | ${pct(r.costShare)} | ${r.switches} | ${r.sticky} | ${r.forfeited.toLocaleString("en")} |`,
  );
}
