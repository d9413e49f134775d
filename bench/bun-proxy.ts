// The floor for any gateway written on Bun: a bare passthrough proxy (Bun.serve + fetch), no auth,
// limits, accounting or logging. bench/run measures it beside Snodus so the report can tell Bun's own
// cost on this machine from Snodus's.
//
//   UPSTREAM_URL=http://127.0.0.1:9000 bun bench/bun-proxy.ts   → "listening on 127.0.0.1:PORT" on stderr

const upstream = process.env.UPSTREAM_URL;
if (!upstream) throw new Error("UPSTREAM_URL is required");

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(req) {
    const url = new URL(req.url);
    const headers = new Headers(req.headers);
    headers.delete("host");
    const res = await fetch(`${upstream}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      body: req.body ? await req.arrayBuffer() : undefined,
      redirect: "manual",
    });
    const out = new Headers(res.headers);
    out.delete("content-encoding"); // fetch already decoded the body
    out.delete("content-length");
    out.delete("transfer-encoding");
    return new Response(res.body, { status: res.status, headers: out });
  },
});
console.error(`listening on 127.0.0.1:${server.port}`);
