import { describe, expect, test } from "bun:test";
import { clientAddress, parseTrustedProxies } from "./client-ip.ts";

describe("parseTrustedProxies", () => {
  test("addresses and CIDR ranges, IPv4 and IPv6", () => {
    const list = parseTrustedProxies("10.0.0.0/8, 192.168.1.7,fd00::/8 ,::1");
    expect(list.check("10.200.3.4", "ipv4")).toBe(true);
    expect(list.check("192.168.1.7", "ipv4")).toBe(true);
    expect(list.check("192.168.1.8", "ipv4")).toBe(false);
    expect(list.check("fd12::1", "ipv6")).toBe(true);
    expect(list.check("::1", "ipv6")).toBe(true);
  });
  test("a bad entry is named", () => {
    for (const bad of ["10.0.0.0/33", "lb.internal", "10.0.0.1/x", "::/129"])
      expect(() => parseTrustedProxies(`127.0.0.1,${bad}`)).toThrow(`bad entry "${bad}"`);
  });
});

describe("clientAddress", () => {
  const trusted = parseTrustedProxies("10.0.0.0/8");
  test("no trusted proxies, or an untrusted peer: the socket's address", () => {
    expect(clientAddress("203.0.113.1", "198.51.100.1", null)).toBe("203.0.113.1");
    expect(clientAddress("203.0.113.1", "198.51.100.1", trusted)).toBe("203.0.113.1");
    expect(clientAddress(undefined, null, trusted)).toBe("unknown");
  });
  test("a trusted peer: the right-most address that is not a trusted proxy", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.1", trusted)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.2", "1.1.1.1, 198.51.100.1, 10.9.9.9", trusted)).toBe("198.51.100.1");
    expect(clientAddress("10.0.0.2", "10.0.0.3, 10.0.0.4", trusted)).toBe("10.0.0.3");
    expect(clientAddress("10.0.0.2", null, trusted)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "1.1.1.1, junk", trusted)).toBe("10.0.0.2");
    expect(clientAddress("::ffff:10.0.0.2", "2001:db8::5", trusted)).toBe("2001:db8::5");
  });
});
