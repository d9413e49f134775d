// Multi-turn agent sessions built from labelled turns, priced with prompt caching: what stickiness is worth.
import { createRouter, type Router, type RouterMethod, type Tier } from "../../src/modules/router/index.ts";
import { countTokens } from "../../src/modules/router/tokens.ts";
import { costMicros } from "../../src/pricing/cost.ts";
import { lookupPrice } from "../../src/pricing/prices.ts";
import { emptyUsage } from "../../src/pricing/usage.ts";
import { shuffled } from "./random.ts";
import { AGENT_SYSTEM, AGENT_TOOLS } from "./set/claude-code.ts";
import type { Label, LabelledRequest } from "./set/types.ts";

const TURNS = 4;
const WANTED: Record<Label, Tier> = { trivial: "cheap", medium: "middle", hard: "top" };

export interface ConversationRow {
  name: string;
  accuracy: number;
  hardToCheap: number;
  costShare: number;
  switches: number;
  sticky: number;
  forfeited: number;
}

type Decide = (body: Record<string, unknown>, label: Label) => { tier: Tier; sticky: boolean };

const typedText = (item: LabelledRequest): string => {
  const m = (item.body.messages as Array<{ content: unknown }>)[0];
  return typeof m?.content === "string" ? m.content : "";
};

/** `turns` grouped into sessions of TURNS, each reply as long as its label's typical answer. */
function sessions(turns: readonly LabelledRequest[]) {
  const order = shuffled(turns, 7);
  const out: Array<Array<{ item: LabelledRequest; body: Record<string, unknown>; tokens: number }>> = [];
  for (let start = 0; start + TURNS <= order.length; start += TURNS) {
    const messages: unknown[] = [];
    const session = order.slice(start, start + TURNS).map((item, k) => {
      if (k > 0) {
        const previous = order[start + k - 1] as LabelledRequest;
        messages.push({ role: "assistant", content: "ok ".repeat(previous.output) });
      }
      messages.push({ role: "user", content: [{ type: "text", text: typedText(item) }] });
      const body = { system: AGENT_SYSTEM, tools: AGENT_TOOLS, max_tokens: 32_000, messages: [...messages] };
      return { item, body, tokens: countTokens(JSON.stringify(body)) };
    });
    out.push(session);
  }
  return out;
}

export function simulateConversations(turns: readonly LabelledRequest[], models: Record<Tier, string>) {
  const price = (tier: Tier) => {
    const p = lookupPrice(models[tier]);
    if (!p) throw new Error(`no price for ${models[tier]}`);
    return p;
  };
  const all = sessions(turns);

  function run(name: string, perSession: () => Decide) {
    let right = 0;
    let hardToCheap = 0;
    let spent = 0;
    let switches = 0;
    let sticky = 0;
    let forfeited = 0;
    let n = 0;
    for (const session of all) {
      const decide = perSession();
      // Per tier, the prompt tokens its cache holds (its last request's prompt); 0 = nothing cached.
      const cached: Record<Tier, number> = { cheap: 0, middle: 0, top: 0 };
      let last: Tier | null = null;
      for (const { item, body, tokens } of session) {
        const d = decide(body, item.label);
        n++;
        if (d.tier === WANTED[item.label]) right++;
        if (item.label === "hard" && d.tier === "cheap") hardToCheap++;
        if (d.sticky) sticky++;
        const read = Math.min(cached[d.tier], tokens);
        if (last && last !== d.tier) {
          switches++;
          forfeited += Math.max(0, cached[last] - read);
        }
        spent += costMicros(
          {
            ...emptyUsage(),
            cacheReadInputTokens: read,
            cacheCreationInputTokens: tokens - read,
            outputTokens: item.output,
          },
          price(d.tier),
        );
        cached[d.tier] = tokens;
        last = d.tier;
      }
    }
    return { name, right, n, hardToCheap, spent, switches, sticky, forfeited };
  }

  const routed = (method: RouterMethod, keep: boolean) => () => {
    const one: Router = createRouter({ now: () => 0 });
    return ((body) => {
      const d = (keep ? one : createRouter({ now: () => 0 })).decide(body, method);
      return { tier: d.tier, sticky: d.sticky === true };
    }) as Decide;
  };
  const fixed = (tier: Tier | null) => () =>
    ((_body, label) => ({ tier: tier ?? WANTED[label], sticky: false })) as Decide;
  const raw = [
    run("score (sticky)", routed("score", true)),
    run("score, every turn alone", routed("score", false)),
    run("rules", routed("rules", true)),
    run("always-top", fixed("top")),
    run("oracle (labels, every turn alone)", fixed(null)),
  ];
  const top = raw.find((r) => r.name === "always-top")?.spent ?? 1;
  const rows: ConversationRow[] = raw.map((r) => ({
    name: r.name,
    accuracy: r.right / r.n,
    hardToCheap: r.hardToCheap,
    costShare: r.spent / top,
    switches: r.switches,
    sticky: r.sticky,
    forfeited: r.forfeited,
  }));
  return { conversations: all.length, turns: all.length * TURNS, rows };
}
