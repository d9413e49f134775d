// The contract between the /v1/messages pipeline and a provider: send upstream, answer the client.

import type { Attempt } from "../attempt.ts";
import type { ProxyContext } from "../context.ts";
import type { ProxiedBody } from "../request-body.ts";

export interface UpstreamInput {
  request: Request;
  body: ProxiedBody;
  /** The model to ask for (the client's, or the router's / fallback's choice). */
  model: string;
}

export interface MessagesAdapter {
  /** Sends the request upstream; throws a GatewayError (502/504) when the transport fails. */
  send(ctx: ProxyContext, input: UpstreamInput): Promise<Response>;
  /**
   * Answers the client in Anthropic's format from the upstream's response. Owns the attempt from here:
   * records its spend row exactly once and leaves the in-flight count when done.
   */
  respond(ctx: ProxyContext, upstream: Response, attempt: Attempt, input: UpstreamInput): Promise<Response>;
}
