// GET /v1/models and /v1/models/{id}, in the list shape of whichever SDK is asking.
import { notFound } from "../../errors.ts";
import type { KeyIdentity } from "../../store/types.ts";
import { modelAllowed, restricted } from "../models/allow-list.ts";
import type { ProxyContext } from "./context.ts";

/** A fixed date: the gateway does not know when a provider released a model, and clients only display it. */
const LISTED_AT = "2025-01-01T00:00:00Z";
const LISTED_AT_UNIX = Math.floor(Date.parse(LISTED_AT) / 1000);

interface Entry {
  id: string;
  owner: string;
}

/**
 * Anthropic's SDKs always send `anthropic-version`; OpenAI's never do. Everything else (curl, other
 * tools) gets OpenAI's shape, which is what "OpenAI-compatible" tools expect from /v1/models.
 */
const wantsAnthropic = (headers: Headers) => headers.has("anthropic-version");

/**
 * Every model the gateway serves to this key, with its owner, `auto` first when the router is on.
 * A key (or team) with an allow-list sees only what it may use, so a client's model picker offers
 * nothing that would be refused; `auto` is listed while any of the router's tiers is allowed.
 */
export function entries(ctx: ProxyContext, identity: KeyIdentity): Entry[] {
  const may = restricted(identity) ? (model: string) => modelAllowed(identity, model) : () => true;
  const out = ctx.providers
    .modelEntries()
    .filter((m) => may(m.id))
    .map((m) => ({ id: m.id, owner: m.provider }));
  if (!ctx.config.routerEnabled) return out;
  const routable = Object.values(ctx.providers.tiers()).some((m) => m !== null && may(m));
  return routable ? [{ id: "auto", owner: "snodus" }, ...out] : out;
}

const anthropicModel = (e: Entry) => ({ type: "model", id: e.id, display_name: e.id, created_at: LISTED_AT });
const openAIModel = (e: Entry) => ({ id: e.id, object: "model", created: LISTED_AT_UNIX, owned_by: e.owner });

export function listModels(ctx: ProxyContext, headers: Headers, identity: KeyIdentity): unknown {
  const all = entries(ctx, identity);
  if (!wantsAnthropic(headers)) return { object: "list", data: all.map(openAIModel) };
  const data = all.map(anthropicModel);
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

export function retrieveModel(
  ctx: ProxyContext,
  headers: Headers,
  identity: KeyIdentity,
  id: string,
): unknown {
  const found = entries(ctx, identity).find((e) => e.id === id);
  if (!found) throw notFound(`Model "${id}" is not served by this gateway`);
  return wantsAnthropic(headers) ? anthropicModel(found) : openAIModel(found);
}
