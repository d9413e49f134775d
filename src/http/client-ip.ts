// The client's address for per-address throttles (signup, failed logins), behind trusted proxies too.
//
// Behind a load balancer every socket comes from the balancer, so all clients would share one signup
// allowance. X-Forwarded-For fixes that only for hops the admin trusts (SNODUS_TRUSTED_PROXIES): any
// client can write the header, so it is read from the right, skipping trusted hops, and the first
// address not trusted is the client.
import { BlockList, isIP } from "node:net";

/** Parses `10.0.0.0/8, 192.168.1.7, fd00::/8`; throws with the offending entry. */
export function parseTrustedProxies(raw: string): BlockList {
  const list = new BlockList();
  for (const entry of raw
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = "", prefix] = entry.split("/");
    const version = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = version === 6 ? 128 : 32;
    if (!version || (bits !== undefined && (!Number.isInteger(bits) || bits < 0 || bits > max)))
      throw new Error(`must be IP addresses or CIDR ranges separated by commas (bad entry "${entry}")`);
    const type = version === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

function trusts(list: BlockList, address: string): boolean {
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 6 ? "ipv6" : "ipv4");
}

/**
 * `peer` is the socket's address. Without trusted proxies, or from an untrusted peer, it is the answer;
 * from a trusted one, the right-most X-Forwarded-For entry that is not itself a trusted proxy.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | null,
  trusted: BlockList | null,
) {
  if (!peer) return "unknown";
  if (!trusted || !forwardedFor || !trusts(trusted, peer)) return peer;
  let client = peer;
  const hops = forwardedFor.split(",").map((h) => h.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!isIP(hop)) break; // garbage: stop at the last address a trusted hop vouched for
    client = hop;
    if (!trusts(trusted, hop)) break;
  }
  return client;
}
