// Test helpers for stream translators: feeding bytes split in different ways, reading SSE, serving bytes.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface Pushable {
  push(chunk: Uint8Array): Uint8Array;
}

/** A small seeded PRNG (mulberry32), so a failing random split can be reproduced. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The input cut into pieces: whole, one byte at a time, or at random points (seeded). */
export function split(bytes: Uint8Array, how: "whole" | "bytes" | number): Uint8Array[] {
  if (how === "whole") return [bytes];
  if (how === "bytes") return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  const random = seeded(how);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(random() * 40);
    out.push(bytes.slice(i, i + n));
    i += n;
  }
  return out;
}

export const SPLITS: Array<"whole" | "bytes" | number> = ["whole", "bytes", 1, 2, 3, 42, 1234];

/** Pushes the pieces and concatenates what came out, plus what `tail` returns at the end. */
export function run(t: Pushable, pieces: Uint8Array[], tail: () => Uint8Array): Uint8Array {
  const outs: Uint8Array[] = [];
  for (const piece of pieces) outs.push(t.push(piece));
  outs.push(tail());
  return Buffer.concat(outs);
}

export const bytes = (text: string): Uint8Array => encoder.encode(text);
export const text = (b: Uint8Array): string => decoder.decode(b);

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Anthropic-style SSE (one `event:` and one `data:` line per event) parsed into objects. */
export function parseSse(b: Uint8Array): SseEvent[] {
  return text(b)
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "";
      const data = lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "{}";
      return { event, data: JSON.parse(data) };
    });
}

/** Serves the same body to every request, as an upstream would, on a free port. */
export function serveBytes(body: Uint8Array, contentType: string): { url: string; stop: () => void } {
  const payload = new Uint8Array(body);
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () => new Response(payload, { headers: { "content-type": contentType } }),
  });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}
