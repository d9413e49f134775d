// Which headers cross the gateway: end-to-end headers pass, hop-by-hop and client credentials do not.

// RFC 9110 §7.6.1 hop-by-hop headers, plus those the gateway must set itself.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

// The client's credentials for the gateway must never reach a provider, nor the client's idea of which
// OpenAI organisation or project pays: the gateway's own key and configuration decide billing.
const CLIENT_CREDENTIALS = new Set([
  "authorization",
  "x-api-key",
  "cookie",
  "api-key",
  "openai-organization",
  "openai-project",
]);

/**
 * Copies a client's request headers for the upstream, minus hop-by-hop and credentials.
 * `accept-encoding` is left to the fetch client so it can decompress and we can meter usage.
 */
export function upstreamRequestHeaders(incoming: Headers): Headers {
  const out = new Headers();
  const connectionListed = listedInConnection(incoming);
  for (const [name, value] of incoming) {
    if (HOP_BY_HOP.has(name) || CLIENT_CREDENTIALS.has(name) || connectionListed.has(name)) continue;
    if (name === "accept-encoding") continue;
    out.append(name, value);
  }
  return out;
}

/** Copies upstream response headers for the client. The body is re-framed, so length/encoding go. */
export function clientResponseHeaders(upstream: Headers): Headers {
  const out = new Headers();
  const connectionListed = listedInConnection(upstream);
  for (const [name, value] of upstream) {
    if (HOP_BY_HOP.has(name) || connectionListed.has(name) || name === "content-encoding") continue;
    out.append(name, value);
  }
  return out;
}

function listedInConnection(headers: Headers): Set<string> {
  const value = headers.get("connection");
  if (!value) return new Set();
  return new Set(value.split(",").map((s) => s.trim().toLowerCase()));
}
