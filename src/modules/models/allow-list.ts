// Model allow-lists on keys and teams: exact names or `prefix*` patterns, both lists must allow a model.
import type { KeyIdentity } from "../../store/types.ts";
import { ValidationError } from "../users/service.ts";

/** Bounds on one list, so a key's identity stays small in the cache. */
export const MAX_ALLOWED_MODELS = 100;
export const MAX_MODEL_PATTERN_LENGTH = 200;

/** A model name, or a name prefix followed by one `*` at the end (`claude-*`, `gpt-4o*`, `*`). */
const PATTERN = /^[A-Za-z0-9._:/@-]*\*?$/;

function matches(pattern: string, model: string): boolean {
  return pattern.endsWith("*") ? model.startsWith(pattern.slice(0, -1)) : pattern === model;
}

/** null means "no restriction"; an empty list allows nothing. */
export function listAllows(list: readonly string[] | null, model: string): boolean {
  return list === null || list.some((p) => matches(p, model));
}

/** A key may use a model when its own list and its team's list both allow it. */
export function modelAllowed(identity: KeyIdentity, model: string): boolean {
  return listAllows(identity.key.allowedModels, model) && listAllows(identity.team.allowedModels, model);
}

/** Whether any restriction applies to this identity at all (the common case is none: skip the work). */
export function restricted(identity: KeyIdentity): boolean {
  return identity.key.allowedModels !== null || identity.team.allowedModels !== null;
}

/** The patterns that apply, for messages and `GET /v1/key`: the key's, the team's, or both. */
export function describeAllowed(identity: KeyIdentity): string {
  const parts: string[] = [];
  if (identity.key.allowedModels) parts.push(`key: ${identity.key.allowedModels.join(", ") || "none"}`);
  if (identity.team.allowedModels) parts.push(`team: ${identity.team.allowedModels.join(", ") || "none"}`);
  return parts.join("; ");
}

/**
 * Validates and normalises a list from the API or the CLI: trimmed, deduplicated, bounded. `null`
 * clears the restriction. `field` names the input in the 422.
 */
export function validAllowedModels(
  list: readonly string[] | null,
  field = "allowed_models",
): string[] | null {
  if (list === null) return null;
  if (list.length > MAX_ALLOWED_MODELS)
    throw new ValidationError(field, `at most ${MAX_ALLOWED_MODELS} entries`);
  const out: string[] = [];
  for (const raw of list) {
    const p = raw.trim();
    if (!p) throw new ValidationError(field, "entries must not be empty");
    if (p.length > MAX_MODEL_PATTERN_LENGTH)
      throw new ValidationError(field, `entries are at most ${MAX_MODEL_PATTERN_LENGTH} characters`);
    if (!PATTERN.test(p))
      throw new ValidationError(
        field,
        `"${p}" is not a model name or a prefix ending in one * (like claude-*)`,
      );
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** Parses the CLI's comma-separated form; "" or "none" allows nothing, "all" lifts the restriction. */
export function parseAllowedModels(text: string): string[] | null {
  const t = text.trim();
  if (t === "all") return null;
  if (t === "" || t === "none") return [];
  return validAllowedModels(t.split(","), "--allowed-models");
}
