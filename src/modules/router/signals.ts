// The signals the score method reads from the latest typed user turn: each a number and a short name.

/** One signal that fired, with its contribution to the score (negative pulls towards the cheap tier). */
export interface Signal {
  name: string;
  points: number;
}

const words = (list: string[]) => new RegExp(`\\b(?:${list.join("|")})`, "gi");

// Asks that need reasoning a small model gets wrong: proofs, derivations, formal arguments.
const REASONING = words([
  "prove",
  "proof",
  "theorem",
  "lemma",
  "rigorous",
  "formally",
  "derive",
  "derivation",
  "by induction",
  "counterexample",
  "show that",
  "invariant",
  "np-hard",
  "np-complete",
  "asymptotic",
  "amortized",
  "time complexity",
  "space complexity",
  "big-o",
  "closed form",
  "recurrence",
  "probability that",
  "expected number",
  "optimal strategy",
  "justify",
  "why exactly",
  "edge cases",
]);

// Engineering work where mistakes are costly: concurrency, distributed systems, security, design.
const HARD_ENGINEERING = words([
  "race condition",
  "deadlock",
  "data race",
  "concurren",
  "thread-safe",
  "thread safe",
  "lock-free",
  "memory leak",
  "use-after-free",
  "undefined behavio",
  "segfault",
  "distributed",
  "consensus",
  "linearizab",
  "eventual consistency",
  "exactly-once",
  "idempoten",
  "sharding",
  "replication",
  "architect",
  "system design",
  "design a",
  "design an",
  "trade-off",
  "tradeoff",
  "scalab",
  "threat model",
  "vulnerab",
  "exploit",
  "injection",
  "side channel",
  "root cause",
  "intermittent",
  "flaky",
  "heisenbug",
  "regression",
  "refactor",
  "migrat",
  "zero-downtime",
  "backward compatib",
  "optimi[sz]",
  "bottleneck",
  "profil",
  "latency",
  "throughput",
  "cache invalidation",
  "compiler",
  "garbage collect",
]);

// Ordinary work a middle model does well: write or explain a piece of code, a query, a test.
const WORK = words([
  "write a",
  "write an",
  "write the",
  "write me",
  "implement",
  "function",
  "class",
  "script",
  "query",
  "sql",
  "regex",
  "unit test",
  "tests? for",
  "endpoint",
  "component",
  "explain",
  "compare",
  "difference between",
  "how do i",
  "how can i",
  "how to",
  "example of",
  "debug",
  "bug",
  "error",
  "exception",
  "traceback",
  "stack trace",
  "crash",
  "fails",
  "failing",
  "not working",
  "doesn't work",
  "broken",
  "review",
  "parse",
  "api",
  "schema",
  "dockerfile",
  "pipeline",
  "algorithm",
  "cover letter",
  "essay",
  "blog post",
  "email to",
  "proposal",
  "pros and cons",
]);

// Constraints and steps: the more conditions an ask carries, the more there is to get wrong.
const CONSTRAINTS = words([
  "must",
  "without",
  "ensure",
  "make sure",
  "handle",
  "while keeping",
  "constraint",
  "requirement",
  "at most",
  "at least",
  "guarantee",
  "step by step",
  "then",
  "also",
  "should",
]);

// Openings of asks a small model answers as well as a large one.
const SIMPLE_OPENING =
  /^\s*(?:please\s+)?(?:translate|summari[sz]e|tl;?dr|rephrase|reword|paraphrase|fix (?:the |my |this )?(?:typos?|grammar|spelling)|proofread|spell|capitali[sz]e|format|list|define|what(?:'s| is| are| does| was)|who(?:'s| is| was)|when (?:is|was|did)|where (?:is|was)|how many|how much|convert|give me (?:a |some )?(?:synonyms?|names?|ideas?|word)|rename|shorten|make (?:this|it) (?:shorter|more polite|formal|casual)|hi\b|hello\b|hey\b|thanks|thank you|ok\b|okay\b|yes\b|no\b|good (?:morning|night|evening)|tell me a joke|what time)/i;

const CODE_FENCE = /```/;
const CODE_LINE =
  /^\s*(?:(?:def|class|function|const|let|var|import|from|return|if|for|while|fn|func|pub|package|public|private|SELECT|INSERT|UPDATE|#include)\b|[}\])];?\s*$|.*[;{]\s*$|.*=>)/gm;
const DIFF = /^(?:diff --git|@@ |[+-]{3} [ab]\/)/m;

function distinct(re: RegExp, text: string): string[] {
  re.lastIndex = 0;
  return [...new Set((text.match(re) ?? []).map((m) => m.toLowerCase()))];
}

export interface TextSignals {
  reasoning: string[];
  engineering: string[];
  work: string[];
  constraints: number;
  simpleOpening: boolean;
  codeLines: number;
  fenced: boolean;
  diff: boolean;
  questions: number;
  sentences: number;
  listItems: number;
}

/** Reads the text once per pattern; every pattern is linear, none backtracks across lines. */
export function textSignals(text: string): TextSignals {
  // Past a few KB the extra text is pasted material (code, logs); its size is measured by the token
  // count, and scanning all of it for words would only cost time.
  const head = text.length > 6_000 ? text.slice(0, 6_000) : text;
  CODE_LINE.lastIndex = 0;
  return {
    reasoning: distinct(REASONING, head),
    engineering: distinct(HARD_ENGINEERING, head),
    work: distinct(WORK, head),
    constraints: distinct(CONSTRAINTS, head).length,
    simpleOpening: SIMPLE_OPENING.test(head),
    codeLines: (head.match(CODE_LINE) ?? []).length,
    fenced: CODE_FENCE.test(head),
    diff: DIFF.test(head),
    questions: (head.match(/\?/g) ?? []).length,
    sentences: (head.match(/[.!?](?:\s|$)/g) ?? []).length,
    listItems: (head.match(/^\s*(?:\d+[.)]|[-*•])\s+/gm) ?? []).length,
  };
}
