// The signals the score method reads from the latest typed user turn: each a number and a short name.

/** One signal that fired, with its contribution to the score (negative pulls towards the cheap tier). */
export interface Signal {
  name: string;
  points: number;
}

// The text is lower-cased once, so the lists are matched without the (slower) case-insensitive flag.
const words = (list: string[]) => new RegExp(`\\b(?:${list.join("|")})`, "g");

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
  "explain why",
  "failure modes",
  "think through",
  "think it through",
  "think hard",
  "think harder",
  "ultrathink",
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
  "design (?:a|an|the)\\b",
  "threat-model",
  "sync protocol",
  "offline-first",
  "conflicts?\\b",
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
  "optimi[sz]",
  "bottleneck",
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
  "add (?:a|an|the|support)\\b",
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
  "show (?:me )?how",
  "best way",
  "write (?:\\w+ )?code",
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
const WHY =
  /\b(?:why (?:does|do|is|are|can't|cannot|might|would|did)|what could explain|how would you|how can that happen|what is going on|what's going on|walk me through)\b/;

// A first-person production situation: someone describing their own system's problem.
const SITUATION =
  /\b(?:our|we're|we are|we see|we need|we must|we think|in production|a customer|users complain)\b/;

const CODE_FENCE = /```/;
// Lines that open like code, and lines that end like code; counted separately (a line may be both).
const CODE_OPENING =
  /^\s*(?:def|class|function|const|let|var|import|from|return|if|for|while|fn|func|pub|package|public|private|select|insert|update|#include)\b/gm;
const CODE_ENDING = /(?:[;{}]|=>)[ \t]*$/gm;
const DIFF = /^(?:diff --git|@@ |[+-]{3} [ab]\/)/m;

function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
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

function distinct(re: RegExp, text: string): string[] {
  re.lastIndex = 0;
  return [...new Set(text.match(re) ?? [])];
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

/** Reads the text once per pattern; every pattern is linear, none backtracks across lines. */
export function textSignals(text: string): TextSignals {
  const head = windowOf(text).toLowerCase();
  const wordCount = countWords(head);
  return {
    reasoning: distinct(REASONING, head),
    engineering: distinct(HARD_ENGINEERING, head),
    work: distinct(WORK, head),
    constraints: distinct(CONSTRAINTS, head).length,
    simpleOpening:
      SIMPLE_TASK.test(head) || (SIMPLE_QUESTION.test(head) && wordCount <= SHORT_QUESTION_WORDS),
    short: wordCount <= SHORT_QUESTION_WORDS,
    definition: DEFINITION.test(head),
    why: WHY.test(head),
    situation: SITUATION.test(head),
    words: wordCount,
    codeLines: countMatches(CODE_OPENING, head) + countMatches(CODE_ENDING, head),
    fenced: CODE_FENCE.test(head),
    diff: DIFF.test(head),
    questions: countMatches(/\?/g, head),
    listItems: countMatches(/^\s*(?:\d+[.)]|[-*•])\s+/gm, head),
  };
}
