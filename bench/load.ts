// Open-loop HTTP/1.1 load generator on raw sockets: fixed-rate latency, TTFB/TTLB of streams, many open streams.
//
// Requests are sent on a schedule (rate × time) whatever the answers do, each on an idle keep-alive
// connection, or a new one when none is idle (wrk2-style open loop, not a closed loop that slows down
// with the server). Latency runs from the moment the request's first byte is written to the response's
// last byte; `ttfb` is to the first body byte (the first SSE event of a stream). `lag` is how late the
// write was against the schedule: large values mean the target (or this client) fell behind, and
// `latencyFromSchedule` then includes that queueing (coordinated-omission corrected).
//
//   bun bench/load.ts --url http://127.0.0.1:8080/v1/messages --body small.json --rate 2000 \
//     --duration 10 --warmup 2 --header 'authorization: Bearer sk-…' [--pids 123,456] [--out r.json]
//   bun bench/load.ts --url … --body stream.json --requests 10000 --rate 2000 --pids 123   # open streams

import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { coreTimes, cpuMs, parsePids, rssKb } from "./procfs.ts";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    url: { type: "string" },
    body: { type: "string" },
    header: { type: "string", multiple: true, default: [] },
    rate: { type: "string", default: "100" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "0" },
    requests: { type: "string" },
    "max-conns": { type: "string", default: "20000" },
    "drain-timeout": { type: "string", default: "60" },
    pids: { type: "string", default: "" },
    "sut-cpu": { type: "string" },
    out: { type: "string" },
    label: { type: "string", default: "" },
  },
});

if (!values.url || !values.body) {
  console.error("usage: bun bench/load.ts --url URL --body FILE [--rate N] [--duration S] [--warmup S]");
  process.exit(2);
}
const url = new URL(values.url);
const rate = Number(values.rate);
const warmupS = Number(values.warmup);
const durationS = Number(values.duration);
const total = values.requests ? Number(values.requests) : Math.round(rate * (warmupS + durationS));
const measuredFrom = values.requests ? 0 : Math.round(rate * warmupS);
const maxConns = Number(values["max-conns"]);
const pids = parsePids(values.pids);

const body = readFileSync(values.body);
const head =
  `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n` +
  `content-type: application/json\r\ncontent-length: ${body.byteLength}\r\n` +
  values.header.map((h) => `${h}\r\n`).join("") +
  "\r\n";
const request = Buffer.concat([Buffer.from(head, "latin1"), body]);

// ---- per-request results (index = schedule slot) ----
const intended = new Float64Array(total);
const written = new Float64Array(total);
const firstByte = new Float64Array(total);
const done = new Float64Array(total);
const statusOf = new Uint16Array(total);
let completed = 0;
let failed = 0;
let inflight = 0;
let maxInflight = 0;
let opened = 0;
let live = 0;
let connectErrors = 0;
const errorSamples: string[] = [];

type State = "idle" | "head" | "length" | "size" | "data" | "trailer";

interface Conn {
  socket: Bun.Socket<Conn> | null;
  state: State;
  slot: number;
  pending: Uint8Array | null;
  headBuf: Uint8Array | null;
  remaining: number;
  chunkSize: number;
  inExtension: boolean;
  lineLength: number;
  sawBody: boolean;
  keepAlive: boolean;
}

const idle: Conn[] = [];
const queue: number[] = [];
let queueHead = 0;
let connecting = 0;

function fail(c: Conn, why: string): void {
  if (c.state !== "idle" && c.slot >= 0) {
    failed++;
    inflight--;
    if (errorSamples.length < 5) errorSamples.push(why);
    c.slot = -1;
  }
  c.state = "idle";
}

function startRequest(c: Conn, slot: number): void {
  c.slot = slot;
  c.state = "head";
  c.headBuf = null;
  c.sawBody = false;
  written[slot] = performance.now();
  const socket = c.socket;
  if (!socket) {
    fail(c, "no socket");
    return;
  }
  const n = socket.write(request);
  c.pending = n < request.byteLength ? request.subarray(Math.max(0, n)) : null;
}

function finish(c: Conn): void {
  const slot = c.slot;
  done[slot] = performance.now();
  if (!c.sawBody) firstByte[slot] = done[slot] as number;
  completed++;
  inflight--;
  c.slot = -1;
  c.state = "idle";
  if (!c.keepAlive) {
    c.socket?.end();
    return;
  }
  idle.push(c);
  pump();
}

function indexOfHeadEnd(b: Uint8Array): number {
  for (let i = 3; i < b.length; i++) {
    if (b[i] === 10 && b[i - 1] === 13 && b[i - 2] === 10 && b[i - 3] === 13) return i + 1;
  }
  return -1;
}

function onHead(c: Conn, text: string): void {
  const slot = c.slot;
  statusOf[slot] = Number(text.slice(9, 12));
  const lower = text.toLowerCase();
  c.keepAlive = !/\r\nconnection:\s*close/.test(lower);
  if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) {
    c.state = "size";
    c.chunkSize = 0;
    c.inExtension = false;
  } else {
    const m = /\r\ncontent-length:\s*(\d+)/.exec(lower);
    c.remaining = m ? Number(m[1]) : 0;
    c.state = "length";
  }
}

function onData(c: Conn, data: Uint8Array): void {
  let i = 0;
  let bytes = data;
  while (c.slot >= 0) {
    if (c.state === "head") {
      const buf: Uint8Array = c.headBuf ? Buffer.concat([c.headBuf, bytes.subarray(i)]) : bytes.subarray(i);
      const end = indexOfHeadEnd(buf);
      if (end < 0) {
        c.headBuf = buf.slice();
        return;
      }
      c.headBuf = null;
      onHead(c, Buffer.from(buf.buffer, buf.byteOffset, end).toString("latin1"));
      bytes = buf;
      i = end;
      if ((c.state as State) === "length" && c.remaining === 0) {
        finish(c);
        return;
      }
      continue;
    }
    if (i >= bytes.length) return;
    if (!c.sawBody) {
      c.sawBody = true;
      firstByte[c.slot] = performance.now();
    }
    if (c.state === "length") {
      const take = Math.min(c.remaining, bytes.length - i);
      c.remaining -= take;
      i += take;
      if (c.remaining === 0) finish(c);
      return;
    }
    if (c.state === "data") {
      const take = Math.min(c.remaining, bytes.length - i);
      c.remaining -= take;
      i += take;
      if (c.remaining === 0) c.state = "size";
      continue;
    }
    const b = bytes[i++] as number;
    if (c.state === "size") {
      if (b === 10) {
        if (c.chunkSize === 0) {
          c.state = "trailer";
          c.lineLength = 0;
        } else {
          c.state = "data";
          c.remaining = c.chunkSize + 2; // the data, then its CRLF
        }
        c.chunkSize = 0;
        c.inExtension = false;
      } else if (b === 59) c.inExtension = true;
      else if (b !== 13 && !c.inExtension) {
        const d = b <= 57 ? b - 48 : (b | 0x20) - 87;
        c.chunkSize = c.chunkSize * 16 + d;
      }
    } else if (c.state === "trailer") {
      if (b === 10) {
        if (c.lineLength === 0) {
          finish(c);
          return;
        }
        c.lineLength = 0;
      } else if (b !== 13) c.lineLength++;
    }
  }
}

function openConn(): void {
  connecting++;
  opened++;
  live++;
  const c: Conn = {
    socket: null,
    state: "idle",
    slot: -1,
    pending: null,
    headBuf: null,
    remaining: 0,
    chunkSize: 0,
    inExtension: false,
    lineLength: 0,
    sawBody: false,
    keepAlive: true,
  };
  Bun.connect<Conn>({
    hostname: url.hostname,
    port: Number(url.port),
    data: c,
    socket: {
      open(s) {
        s.setNoDelay(true);
      },
      data(s, d) {
        onData(s.data, d);
      },
      drain(s) {
        const p = s.data.pending;
        if (!p) return;
        const n = s.write(p);
        s.data.pending = n < p.byteLength ? p.subarray(Math.max(0, n)) : null;
      },
      close(s) {
        const conn = s.data;
        conn.socket = null;
        live--;
        fail(conn, "connection closed mid-response");
        const at = idle.indexOf(conn);
        if (at >= 0) idle.splice(at, 1);
        pump();
      },
      error(s, err) {
        fail(s.data, `socket error: ${err.message}`);
      },
    },
  }).then(
    (socket) => {
      connecting--;
      c.socket = socket;
      idle.push(c);
      pump();
    },
    (err: Error) => {
      connecting--;
      live--;
      connectErrors++;
      if (errorSamples.length < 5) errorSamples.push(`connect: ${err.message}`);
      // The queued request that wanted this connection is still waiting: another try serves it.
      if (queueHead < queue.length && connectErrors < 1000) setTimeout(pump, 10);
      else while (queueHead < queue.length) markFailed(queue[queueHead++] as number);
    },
  );
}

function markFailed(slot: number): void {
  failed++;
  inflight--;
  statusOf[slot] = 0;
}

/** Hands queued requests to idle connections (most recently used first), opening more under the cap. */
function pump(): void {
  while (queueHead < queue.length) {
    const c = idle.pop();
    if (c) {
      startRequest(c, queue[queueHead++] as number);
    } else if (live < maxConns && connecting < queue.length - queueHead) {
      openConn();
    } else {
      break;
    }
  }
}

function dispatch(slot: number): void {
  inflight++;
  if (inflight > maxInflight) maxInflight = inflight;
  queue.push(slot);
  pump();
}

// ---- resource sampling of the system under test (every process of it, e.g. nginx master + worker) ----
const sut = pids;
const rssStart = rssKb(sut);
let rssPeak = rssStart;
let rssAtMaxInflight = rssStart;
const sampler = setInterval(() => {
  const r = rssKb(sut);
  if (r > rssPeak) rssPeak = r;
  if (inflight >= maxInflight) rssAtMaxInflight = r;
}, 200);

// Keep a few connections ready so the first requests do not pay for connecting.
const prewarm = Math.min(8, maxConns, total);
for (let i = 0; i < prewarm; i++) openConn();
while (connecting > 0) await Bun.sleep(1);

const sutCore = values["sut-cpu"] === undefined ? -1 : Number(values["sut-cpu"]);
let cpuAtMeasure = -1;
let coreAtMeasure = coreTimes(sutCore);
const t0 = performance.now() + 5;
const period = 1000 / rate;
let next = 0;
for (let i = 0; i < total; i++) intended[i] = t0 + i * period;
await new Promise<void>((resolve) => {
  const tick = () => {
    const now = performance.now();
    while (next < total && (intended[next] as number) <= now) {
      if (next === measuredFrom) {
        cpuAtMeasure = cpuMs(sut);
        coreAtMeasure = coreTimes(sutCore);
      }
      dispatch(next++);
    }
    if (next >= total) {
      clearInterval(timer);
      resolve();
    }
  };
  const timer = setInterval(tick, 1);
});
const sendEnd = performance.now();
const drainUntil = sendEnd + Number(values["drain-timeout"]) * 1000;
while (inflight > 0 && performance.now() < drainUntil) await Bun.sleep(5);
const end = performance.now();
if (cpuAtMeasure < 0) cpuAtMeasure = cpuMs(sut);
const cpuEnd = cpuMs(sut);
const coreEnd = coreTimes(sutCore);
clearInterval(sampler);
const rssEnd = rssKb(sut);
for (const c of idle) c.socket?.end();

// ---- summary over the measured slots ----
const lat: number[] = [];
const sched: number[] = [];
const ttfb: number[] = [];
const lag: number[] = [];
const statuses: Record<string, number> = {};
let ok = 0;
let okAll = 0;
let lastDone = 0;
for (let i = 0; i < total; i++) {
  const d = done[i] as number;
  const s = statusOf[i] as number;
  if (d > 0 && s === 200) okAll++;
  if (i < measuredFrom) continue;
  statuses[String(d > 0 ? s : 0)] = (statuses[String(d > 0 ? s : 0)] ?? 0) + 1;
  if (d <= 0) continue;
  if (s === 200) ok++;
  if (d > lastDone) lastDone = d;
  const w = written[i] as number;
  lat.push(d - w);
  sched.push(d - (intended[i] as number));
  ttfb.push((firstByte[i] as number) - w);
  lag.push(w - (intended[i] as number));
}

function pct(xs: number[]) {
  const s = Float64Array.from(xs).sort();
  const at = (q: number) =>
    s.length ? (s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number) : 0;
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: s.length,
    p50: r(at(0.5)),
    p90: r(at(0.9)),
    p99: r(at(0.99)),
    p999: r(at(0.999)),
    max: r(s.length ? (s[s.length - 1] as number) : 0),
    mean: r(mean),
  };
}

const measuredCount = total - measuredFrom;
const measuredStart = intended[measuredFrom] ?? t0;
const result = {
  label: values.label,
  tool: "bench/load.ts (open loop, raw sockets)",
  url: values.url,
  bodyBytes: body.byteLength,
  targetRate: rate,
  warmupS,
  durationS: values.requests ? (sendEnd - t0) / 1000 : durationS,
  sent: total,
  measured: measuredCount,
  ok,
  okAll,
  completed,
  failed,
  connectErrors,
  statuses,
  errors: errorSamples,
  achievedRate: Math.round((measuredCount / Math.max(1, lastDone - measuredStart)) * 1000),
  connections: opened,
  maxInflight,
  unfinished: inflight,
  latencyMs: pct(lat),
  latencyFromScheduleMs: pct(sched),
  ttfbMs: pct(ttfb),
  lagMs: pct(lag),
  sut: {
    pids: sut,
    rssStartKb: rssStart,
    rssPeakKb: rssPeak,
    rssAtMaxInflightKb: rssAtMaxInflight,
    rssEndKb: rssEnd,
    cpuMs: Math.round(cpuEnd - cpuAtMeasure),
    cpuUsPerRequest: ok > 0 ? Math.round(((cpuEnd - cpuAtMeasure) * 1000) / ok) : null,
    cpuShare: Math.round(((cpuEnd - cpuAtMeasure) / Math.max(1, end - measuredStart)) * 100) / 100,
    // Whatever else ran on the system under test's core (other people's jobs, the host taking the vCPU).
    otherOnSutCore:
      sutCore < 0
        ? null
        : Math.round(
            (Math.max(0, coreEnd.busyMs - coreAtMeasure.busyMs - (cpuEnd - cpuAtMeasure)) /
              Math.max(1, end - measuredStart)) *
              100,
          ) / 100,
    stealMs: Math.round(coreEnd.stealMs - coreAtMeasure.stealMs),
  },
};
const json = JSON.stringify(result, null, 2);
if (values.out) writeFileSync(values.out, `${json}\n`);
else console.log(json);
process.exit(0);
