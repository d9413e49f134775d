// Preload for the Portkey peer (node --import / bun --preload): binds its HTTP server to 127.0.0.1 only.
import http from "node:http";

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  // @hono/node-server calls listen(port, undefined, callback): give it the loopback host.
  if (typeof args[0] === "number" && typeof args[1] !== "string") {
    const callback = args.find((a) => typeof a === "function");
    return callback
      ? listen.call(this, args[0], "127.0.0.1", callback)
      : listen.call(this, args[0], "127.0.0.1");
  }
  return listen.apply(this, args);
};
