// The signals the score method reads from the latest typed user turn: each a number and a short name.

/** One signal that fired, with its contribution to the score (negative pulls towards the cheap tier). */
export interface Signal {
  name: string;
  points: number;
}

import { lineCounts } from "./lines.ts";
import { type PhraseList, phraseMatcher } from "./phrases.ts";

// The lists are phrases in the notation of phrases.ts, matched against the lower-cased text.

// Asks that need reasoning a small model gets wrong: proofs, derivations, formal arguments.
const REASONING: PhraseList = [
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
  "explain why",
  "failure modes",
  "think through",
  "think it through",
  "think hard",
  "think harder",
  "ultrathink",
];

// Engineering work where mistakes are costly: concurrency, distributed systems, security, design.
const HARD_ENGINEERING: PhraseList = [
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
  "design a\\b|design an\\b|design the\\b",
  "threat-model",
  "sync protocol",
  "offline-first",
  "conflicts\\b|conflict\\b",
  "memory model",
  "memory ordering",
  "borrow checker",
  "leak",
  "file descriptor",
  "too many open files",
  "event loop lag",
  "mutex",
  "reader-writer",
  "condition variable",
  "starv",
  "wait-free",
  "retries",
  "reconnect",
  "regions\\b",
  "zero downtime",
  "at any point",
  "tail latency",
  "p99",
  "estimate how many",
  "privilege",
  "pointer cast",
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
  "migrate",
  "zero-downtime",
  "backward compatib",
  "optimis|optimiz",
  "bottleneck",
  "latency",
  "throughput",
  "cache invalidation",
  "compiler",
  "garbage collect",
];

// Ordinary work a middle model does well: write or explain a piece of code, a query, a test.
const WORK: PhraseList = [
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
  "tests for|test for",
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
  "add a\\b|add an\\b|add the\\b|add support\\b",
  "create a",
  "build a",
  "set up",
  "flag",
  "migration",
  "draft",
  "outline",
  "plan\\b",
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
  "show me how|show how",
  "best way",
  "write * code|write code",
];

// Constraints and steps: the more conditions an ask carries, the more there is to get wrong.
const CONSTRAINTS: PhraseList = [
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
];

// Openings of tasks a small model does as well as a large one, however long the text they apply to.
const SIMPLE_TASK =
  /^\s*(?:please\s+)?(?:translate|summari[sz]e|tl;?dr|rephrase|reword|paraphrase|fix (?:the |my |this )?(?:typos?|grammar|spelling)|correct the (?:grammar|spelling)|proofread|spell|capitali[sz]e|format|list|sort|define|convert|give me (?:a |some )?(?:synonyms?|names?|ideas?|word|antonyms?)|rename|shorten|make (?:this|it) (?:shorter|more polite|more formal|formal|casual)|hi\b|hello\b|hey\b|thanks|thank you|ok\b|okay\b|yes\b|no\b|good (?:morning|night|evening)|tell me a joke)/;
// Openings of factual questions: simple only while the question stays short.
const SIMPLE_QUESTION =
  /^\s*(?:what(?:'s| is| are| does| was)|which|who(?:'s| is| was)|when (?:is|was|did)|where (?:is|was)|how many|how much|is (?:a|an|the|it|this)|does|can you)\b/;
// Questions about what a word means.
const DEFINITION = /^\s*(?:please\s+)?(?:define|what(?:'s| is| are| does)|meaning of)\b/;
const SHORT_QUESTION_WORDS = 11;

// Asking why something happens is asking for a causal explanation, not a fact.
const WHY: PhraseList = [
  "why does\\b|why do\\b|why is\\b|why are\\b|why can't\\b|why cannot\\b|why might\\b|why would\\b|why did\\b",
  "what could explain\\b",
  "how would you\\b",
  "how can that happen\\b",
  "what is going on\\b",
  "what's going on\\b",
  "walk me through\\b",
];

// A first-person production situation: someone describing their own system's problem.
const SITUATION: PhraseList = [
  "our\\b",
  "we're\\b",
  "we are\\b",
  "we see\\b",
  "we need\\b",
  "we must\\b",
  "we think\\b",
  "in production\\b",
  "a customer\\b",
  "users complain\\b",
];

/** The phrase lists, in the order the matcher reports them (exported for the matcher's tests). */
export const PHRASE_LISTS = [REASONING, HARD_ENGINEERING, WORK, CONSTRAINTS, WHY, SITUATION] as const;
// All six lists in one matcher: one walk over the text's word starts finds the matches of every list.
const PHRASES = phraseMatcher(PHRASE_LISTS);

const CODE_FENCE = /```/;
const DIFF = /^(?:diff --git|@@ |[+-]{3} [ab]\/)/m;

/** Matches of a global pattern that cannot match the empty string; `test` allocates no match array. */
function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.test(text)) n++;
  return n;
}

/** Whitespace-separated words, counted without allocating them. */
function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

export interface TextSignals {
  reasoning: string[];
  engineering: string[];
  work: string[];
  constraints: number;
  simpleOpening: boolean;
  /** At most SHORT_QUESTION_WORDS words. */
  short: boolean;
  /** Opens like a question about what a term means. */
  definition: boolean;
  why: boolean;
  situation: boolean;
  words: number;
  codeLines: number;
  fenced: boolean;
  diff: boolean;
  questions: number;
  listItems: number;
}

/** Characters read from each end of a long turn. */
export const WINDOW_HEAD = 500;
export const WINDOW_TAIL = 250;

/**
 * The part of a turn the patterns read. A long turn is mostly pasted material (code, logs, a
 * document) whose size the token count already measures; the ask sits before it or after it. Reading
 * both ends keeps a decision within microseconds however much was pasted.
 */
export function windowOf(text: string): string {
  if (text.length <= WINDOW_HEAD + WINDOW_TAIL) return text;
  return `${text.slice(0, WINDOW_HEAD)}\n${text.slice(-WINDOW_TAIL)}`;
}

/**
 * Reads the window once for the phrase lists, and once per remaining pattern; the remaining patterns
 * are anchored or short, and none backtracks across lines.
 */
export function textSignals(text: string): TextSignals {
  const head = windowOf(text).toLowerCase();
  const wordCount = countWords(head);
  const [reasoning = [], engineering = [], work = [], constraints = [], why = [], situation = []] =
    PHRASES.scan(head);
  // Lines that open like code, and lines that end like code; counted separately (a line may be both).
  const lines = lineCounts(head);
  return {
    reasoning,
    engineering,
    work,
    constraints: constraints.length,
    simpleOpening:
      SIMPLE_TASK.test(head) || (SIMPLE_QUESTION.test(head) && wordCount <= SHORT_QUESTION_WORDS),
    short: wordCount <= SHORT_QUESTION_WORDS,
    definition: DEFINITION.test(head),
    why: why.length > 0,
    situation: situation.length > 0,
    words: wordCount,
    codeLines: lines.codeOpenings + lines.codeEndings,
    fenced: CODE_FENCE.test(head),
    diff: DIFF.test(head),
    questions: countMatches(/\?/g, head),
    listItems: lines.listItems,
  };
}
