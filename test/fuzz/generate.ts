// Seeded generators of hostile request bodies: valid bodies with one part replaced by a strange value,
// broken JSON, invalid UTF-8, deep nesting, out-of-range numbers. The same seed gives the same cases.

/** mulberry32: small, fast and good enough to spread cases; reproducible from one integer. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof rng>;

/** Number tokens JSON.stringify cannot write but a client can send. Spliced in as raw text. */
const RAW_NUMBERS = [
  "1e400",
  "-1e400",
  "1E+999",
  "-0",
  "0.0000000000000000000001",
  "9007199254740993",
  "1e308",
];

const STRINGS = [
  "",
  " ",
  "x",
  "ü🚀 ✓",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "<script>alert(1)</script>",
  "'; DROP TABLE teams; --",
  "%00%ff",
  "\\",
  '"',
  "\r\n\t",
  "0",
  "-1",
  "1e308",
  "null",
  "true",
  "01900000-0000-7000-8000-000000000000",
  "not-a-uuid",
  "claude-sonnet-4-5",
  "gpt-4o-mini",
  "llama3.2:latest",
  "auto",
];

const NUMBERS = [
  0,
  -1,
  1,
  1.5,
  -0.5,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 53 + 2,
  1e15,
  1e308,
  -1e308,
  5e-324,
];

/** A strange JSON value; `raw` marks where a raw number token will be spliced into the text. */
export function weird(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick(NUMBERS);
    case 3:
      return r.pick(STRINGS);
    case 4:
      return "x".repeat(r.pick([255, 256, 1_000, 10_000, 100_000]));
    case 5:
      return `__RAW${r.int(RAW_NUMBERS.length)}__`;
    case 6:
      return Array.from({ length: r.int(4) }, () => weird(r, depth + 1));
    case 7: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--)
        o[r.pick(["type", "text", "a", "", "__proto__", "constructor"])] = weird(r, depth + 1);
      return o;
    }
    default:
      return nested(r.pick([10, 40, 200, 5_000]), r.chance(0.5));
  }
}

function nested(depth: number, arrays: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
}

/** JSON text with the raw-number markers replaced by their tokens. */
export function toText(value: unknown): string {
  return JSON.stringify(value).replace(/"__RAW(\d)__"/g, (_, i) => RAW_NUMBERS[Number(i)] ?? "0");
}

/** A path into an object (dotted, numeric segments index arrays) and the value to put there; `undefined` deletes. */
function setPath(target: unknown, path: string[], value: unknown): void {
  let at = target as Record<string, unknown>;
  for (const seg of path.slice(0, -1)) {
    const next = at[seg];
    if (!next || typeof next !== "object") return;
    at = next as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  if (value === undefined) delete at[last];
  else at[last] = value;
}

const encoder = new TextEncoder();

/**
 * One hostile body built from a valid one: a part replaced or removed, an unknown field, the whole value
 * replaced, the text truncated or corrupted, invalid UTF-8, or nothing at all.
 */
export function mutate(r: Rng, valid: Record<string, unknown>, paths: string[][]): Uint8Array<ArrayBuffer> {
  const body = structuredClone(valid);
  const roll = r.int(100);
  if (roll < 45) setPath(body, r.pick(paths), weird(r));
  else if (roll < 55) setPath(body, r.pick(paths), undefined);
  else if (roll < 62) body[r.pick(["extra", "__proto__", "", "model ", "x".repeat(300)])] = weird(r);
  else if (roll < 66) return encoder.encode(toText(weird(r)));
  else if (roll < 72) {
    const text = toText(body);
    return encoder.encode(text.slice(0, r.int(text.length)));
  } else if (roll < 78) {
    const bytes = encoder.encode(toText(body));
    const at = r.int(bytes.length);
    const bad = r.pick([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00], [0x80]]);
    return new Uint8Array([...bytes.slice(0, at), ...bad, ...bytes.slice(at)]);
  } else if (roll < 80) return new Uint8Array(0);
  else {
    // Two parts at once.
    setPath(body, r.pick(paths), weird(r));
    setPath(body, r.pick(paths), weird(r));
  }
  return encoder.encode(toText(body));
}
