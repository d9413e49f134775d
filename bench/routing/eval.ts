// npm run routing:eval — scores the routing methods on the held-out part of the labelled set.
// `--dev` scores the development part instead and lists its misroutes (the only part tuning may read).

import { createRouter, type RouterMethod, type Tier } from "../../src/modules/router/index.ts";
import { countTokens } from "../../src/modules/router/tokens.ts";
import { costMicros } from "../../src/pricing/cost.ts";
import { lookupPrice } from "../../src/pricing/prices.ts";
import { emptyUsage } from "../../src/pricing/usage.ts";
import { simulateConversations } from "./conversations.ts";
import { shuffled } from "./random.ts";
import { ALL, CLAUDE_CODE, isHeldOut, type Label, type LabelledRequest } from "./set/index.ts";

/** The gateway's default tiers when Anthropic is configured. */
const MODELS: Record<Tier, string> = {
  cheap: "claude-haiku-4-5",
  middle: "claude-sonnet-4-5",
  top: "claude-opus-4-5",
};
const WANTED: Record<Label, Tier> = { trivial: "cheap", medium: "middle", hard: "top" };

interface Row {
  name: string;
  accuracy: number;
  hardToCheap: number;
  hardCount: number;
  costShare: number;
  p50us: number | null;
  p99us: number | null;
}

const argv = process.argv.slice(2);
const args = new Set(argv);
const dev = args.has("--dev");
/** `--rounds N`: how many times each request is decided for the timing (default 200). */
const roundsAt = argv.indexOf("--rounds");
const TIMING_ROUNDS = roundsAt >= 0 ? Math.max(1, Number(argv[roundsAt + 1]) || 1) : 200;
const items = ALL.filter((i) => isHeldOut(i) !== dev);
const ids = new Set(ALL.map((i) => i.id));
if (ids.size !== ALL.length) throw new Error("duplicate ids in the labelled set");

// Real tokens of each request as sent, with the label's typical answer length.
const inputTokens = new Map(items.map((i) => [i.id, countTokens(JSON.stringify(i.body))]));
function cost(item: LabelledRequest, tier: Tier): number {
  const price = lookupPrice(MODELS[tier]);
  if (!price) throw new Error(`no price for ${MODELS[tier]}`);
  return costMicros(
    { ...emptyUsage(), inputTokens: inputTokens.get(item.id) ?? 0, outputTokens: item.output },
    price,
  );
}

function figures(name: string, tiers: Tier[], timing: number[] | null): Row {
  let right = 0;
  let hardToCheap = 0;
  let spent = 0;
  let top = 0;
  items.forEach((item, i) => {
    const tier = tiers[i] as Tier;
    if (tier === WANTED[item.label]) right++;
    if (item.label === "hard" && tier === "cheap") hardToCheap++;
    spent += cost(item, tier);
    top += cost(item, "top");
  });
  const sorted = timing ? [...timing].sort((a, b) => a - b) : null;
  const q = (p: number) =>
    sorted ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) : null;
  return {
    name,
    accuracy: right / items.length,
    hardToCheap,
    hardCount: items.filter((i) => i.label === "hard").length,
    costShare: spent / top,
    p50us: q(0.5),
    p99us: q(0.99),
  };
}

/** Each item is decided by a fresh router: the set's items are independent conversations. */
function decideAll(method: RouterMethod): Tier[] {
  return items.map((item) => createRouter().decide(item.body, method).tier);
}

/**
 * Decision time in µs per request: each item decided TIMING_ROUNDS times in a row by one router (as
 * in the gateway), timed by the process's own CPU time (getrusage), so another job preempting this
 * process on a shared machine does not pose as the router's cost. The percentiles are then taken
 * over the requests of the set.
 */
function time(method: RouterMethod): number[] {
  const router = createRouter();
  for (const item of items) router.decide(item.body, method); // warm up: JIT, tokenizer caches
  return items.map((item) => {
    const start = process.cpuUsage();
    for (let round = 0; round < TIMING_ROUNDS; round++) router.decide(item.body, method);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / TIMING_ROUNDS;
  });
}

const score = decideAll("score");
const rules = decideAll("rules");
const rows: Row[] = [
  figures("score", score, time("score")),
  figures("rules", rules, time("rules")),
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
  figures(
    "oracle (labels)",
    items.map((i) => WANTED[i.label]),
    null,
  ),
];

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const us = (x: number | null) => (x === null ? "—" : `${x.toFixed(1)} µs`);
const count = (l: Label) => items.filter((i) => i.label === l).length;
const cc = items.filter((i) => CLAUDE_CODE.includes(i)).length;
console.log(
  `${dev ? "Development" : "Held-out"} part: ${items.length} items (${count("trivial")} trivial, ${count("medium")} medium, ${count("hard")} hard; ${cc} Claude Code shapes).`,
);
console.log(
  `Tiers: ${Object.values(MODELS).join(" / ")}; cost from the price table, real input tokens (o200k_base).\n`,
);
console.log("| method | accuracy | hard → cheap | cost vs always-top | decision p50 | decision p99 |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${pct(r.accuracy)} | ${r.hardToCheap} of ${r.hardCount} (${pct(r.hardToCheap / Math.max(1, r.hardCount))}) | ${pct(r.costShare)} | ${us(r.p50us)} | ${us(r.p99us)} |`,
  );
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
