// A TCP forwarder a test can cut and restore, to play a database outage without touching the shared server.
import type { Socket, TCPSocketListener } from "bun";

export interface TcpProxy {
  port: number;
  /** Closes every open connection and stops listening (connections are refused): the server is stopped. */
  cut(): void;
  /** Closes every open connection; new ones are accepted, then closed at once (a proxy in front of a dead server). */
  hangUp(): void;
  /** Holds every byte in both directions without closing anything: a network partition. */
  stall(): void;
  /** Forwards again (bytes held during a stall are delivered, as TCP would retransmit them). */
  restore(): void;
  stop(): void;
}

interface Pair {
  client: Socket<Pair>;
  upstream: Socket<Pair> | null;
  /** Bytes from the client not yet written upstream (before connect, or during a stall). */
  toUpstream: Uint8Array[];
  toClient: Uint8Array[];
}

export async function startTcpProxy(target: { hostname: string; port: number }): Promise<TcpProxy> {
  let mode: "up" | "down" | "stalled" = "up";
  let listening = true;
  const pairs = new Set<Pair>();

  /** Writes what the socket takes; the rest waits for its drain event. */
  const send = (socket: Socket<Pair>, queue: Uint8Array[]) => {
    while (queue.length > 0) {
      const head = queue[0] as Uint8Array;
      const n = socket.write(head);
      if (n < head.byteLength) {
        queue[0] = head.subarray(Math.max(0, n));
        return;
      }
      queue.shift();
    }
  };
  const flush = (p: Pair) => {
    if (mode !== "up") return;
    if (p.upstream) send(p.upstream, p.toUpstream);
    send(p.client, p.toClient);
  };
  const close = (p: Pair) => {
    pairs.delete(p);
    p.client.end();
    p.upstream?.end();
  };

  const handlers: Parameters<typeof Bun.listen<Pair>>[0]["socket"] = {
    open(client) {
      if (mode === "down") {
        client.end();
        return;
      }
      const pair: Pair = { client, upstream: null, toUpstream: [], toClient: [] };
      client.data = pair;
      pairs.add(pair);
      void Bun.connect<Pair>({
        hostname: target.hostname,
        port: target.port,
        socket: {
          open(upstream) {
            upstream.data = pair;
            pair.upstream = upstream;
            flush(pair);
          },
          data(_, chunk) {
            pair.toClient.push(new Uint8Array(chunk));
            flush(pair);
          },
          drain() {
            flush(pair);
          },
          close() {
            if (pairs.has(pair)) close(pair);
          },
          error() {
            if (pairs.has(pair)) close(pair);
          },
        },
      }).catch(() => close(pair));
    },
    data(client, chunk) {
      client.data.toUpstream.push(new Uint8Array(chunk));
      flush(client.data);
    },
    drain(client) {
      if (client.data) flush(client.data);
    },
    close(client) {
      if (client.data && pairs.has(client.data)) close(client.data);
    },
    error(client) {
      if (client.data && pairs.has(client.data)) close(client.data);
    },
  };
  let listener: TCPSocketListener<Pair> = Bun.listen<Pair>({
    hostname: "127.0.0.1",
    port: 0,
    socket: handlers,
  });
  const port = listener.port;

  return {
    port,
    cut() {
      mode = "down";
      for (const p of [...pairs]) close(p);
      listener.stop(true);
      listening = false;
    },
    hangUp() {
      mode = "down";
      for (const p of [...pairs]) close(p);
    },
    stall() {
      mode = "stalled";
    },
    restore() {
      // The same port again: the client's configuration names it.
      if (!listening) listener = Bun.listen<Pair>({ hostname: "127.0.0.1", port, socket: handlers });
      listening = true;
      mode = "up";
      for (const p of pairs) flush(p);
    },
    stop() {
      for (const p of [...pairs]) close(p);
      if (listening) listener.stop(true);
      listening = false;
    },
  };
}
