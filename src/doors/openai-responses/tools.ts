// Responses API tools ⇄ Anthropic tools: which kinds translate, which are dropped or refused, and the name map.

import type { AnthropicTool } from "../../providers/translate/anthropic-types.ts";
import { inputSchema, invalid, isObject, type Json } from "../openai-chat/common.ts";

/** What an Anthropic tool name stands for on the Responses side, so a call is rendered as its kind. */
export interface ToolTarget {
  kind: "function" | "custom" | "local_shell";
  name: string;
  /** Functions inside a `namespace` tool (Codex's MCP and agent groups) are called with it. */
  namespace?: string;
}

export type ToolNames = Map<string, ToolTarget>;

const MAX_TOOL_NAME = 64;

/**
 * A namespaced function is one Anthropic tool named `<namespace>__<name>`. Anthropic allows 64
 * characters of `[a-zA-Z0-9_-]`: other characters become `_`, and a longer name is cut and given a
 * short hash of the whole, so two long names never collide. The map built from the request turns
 * the model's calls back into namespace and name, so the change is invisible to the client.
 */
export function namespacedName(namespace: string, name: string): string {
  const full = `${namespace}__${name}`;
  const safe = full.replace(/[^a-zA-Z0-9_-]/g, "_");
  if (safe === full && safe.length <= MAX_TOOL_NAME) return safe;
  const hash = new Bun.CryptoHasher("sha256").update(full).digest("hex").slice(0, 8);
  return `${safe.slice(0, MAX_TOOL_NAME - 9)}_${hash}`;
}

/**
 * Built-in tools OpenAI runs on its own servers, which a Claude or Ollama model cannot reach. Codex
 * sends `web_search` by default on every turn, so these are left out rather than refused: the model
 * simply has no web search (and the gateway bills no search it did not run). Tool search and image
 * generation are optional capabilities of the same kind.
 */
const DROPPED = new Set([
  "web_search",
  "web_search_preview",
  "web_search_2025_08_26",
  "web_search_preview_2025_03_11",
  "image_generation",
  "tool_search",
]);

/**
 * Hosted tools whose absence would silently change the answer (retrieval over the client's files, a
 * code sandbox, a remote MCP server, computer use, OpenAI's own shell and patch tools): refused
 * with a 400 so the client learns at once that this model cannot serve them.
 */
const REFUSED = new Set([
  "file_search",
  "code_interpreter",
  "mcp",
  "computer",
  "computer_use_preview",
  "shell",
  "apply_patch",
]);

/** `local_shell` (older Codex): an exec action, offered to the model as a function with this schema. */
const LOCAL_SHELL_SCHEMA = {
  type: "object",
  properties: {
    command: { type: "array", items: { type: "string" }, description: "The command and its arguments." },
    workdir: { type: "string", description: "The working directory." },
    timeout_ms: { type: "number", description: "How long the command may run, in milliseconds." },
  },
  required: ["command"],
};

/**
 * A custom (freeform) tool takes one string; Anthropic tools take a JSON object, so the string becomes
 * its `input` property, and a grammar (Codex's apply_patch is a Lark grammar) is given to the model in
 * the description, since Anthropic cannot constrain sampling by it.
 */
function customTool(t: Json, at: string): AnthropicTool {
  if (typeof t.name !== "string" || t.name === "") throw invalid(`${at}.name`, "must be a non-empty string");
  let description = typeof t.description === "string" ? t.description : "";
  const format = t.format;
  if (isObject(format) && format.type === "grammar" && typeof format.definition === "string") {
    const syntax = typeof format.syntax === "string" ? format.syntax : "";
    description += `\n\nThe input must follow this ${syntax} grammar:\n${format.definition}`;
  }
  return {
    name: t.name,
    description: description.trim(),
    input_schema: {
      type: "object",
      properties: { input: { type: "string", description: "The raw input for the tool." } },
      required: ["input"],
    },
  };
}

function functionTool(t: Json, at: string, name: string): AnthropicTool {
  if (typeof t.name !== "string" || t.name === "") throw invalid(`${at}.name`, "must be a non-empty string");
  const tool: AnthropicTool = { name, input_schema: inputSchema(t.parameters, `${at}.parameters`) };
  if (typeof t.description === "string" && t.description !== "") tool.description = t.description;
  return tool;
}

/** The request's `tools` as Anthropic tools, with the map that renders the model's calls back. */
export function responsesTools(tools: unknown): { tools: AnthropicTool[]; names: ToolNames } {
  const out: AnthropicTool[] = [];
  const names: ToolNames = new Map();
  if (tools === undefined || tools === null) return { tools: out, names };
  if (!Array.isArray(tools)) throw invalid("tools", "must be a list");
  for (const [i, t] of tools.entries()) {
    const at = `tools[${i}]`;
    if (!isObject(t) || typeof t.type !== "string") throw invalid(at, "must be an object with a type");
    if (DROPPED.has(t.type)) continue;
    if (REFUSED.has(t.type))
      throw invalid(`${at}.type`, `"${t.type}" is an OpenAI-hosted tool this model cannot use`);
    switch (t.type) {
      case "function":
        out.push(functionTool(t, at, String(t.name)));
        names.set(String(t.name), { kind: "function", name: String(t.name) });
        break;
      case "custom":
        out.push(customTool(t, at));
        names.set(String(t.name), { kind: "custom", name: String(t.name) });
        break;
      case "local_shell":
        out.push({
          name: "local_shell",
          description: "Runs a shell command locally.",
          input_schema: LOCAL_SHELL_SCHEMA,
        });
        names.set("local_shell", { kind: "local_shell", name: "local_shell" });
        break;
      case "namespace": {
        if (typeof t.name !== "string" || t.name === "" || !Array.isArray(t.tools)) {
          throw invalid(at, "a namespace needs a name and a list of tools");
        }
        for (const [j, member] of t.tools.entries()) {
          const mat = `${at}.tools[${j}]`;
          if (!isObject(member) || member.type !== "function")
            throw invalid(mat, 'must be of type "function"');
          const name = namespacedName(t.name, String(member.name));
          const tool = functionTool(member, mat, name);
          const group =
            typeof t.description === "string" && t.description !== "" ? ` (${t.description})` : "";
          tool.description = `[${t.name}${group}] ${tool.description ?? ""}`.trim();
          out.push(tool);
          names.set(name, { kind: "function", name: String(member.name), namespace: t.name });
        }
        break;
      }
      default:
        throw invalid(`${at}.type`, `"${t.type}" is not supported for this model`);
    }
  }
  return { tools: out, names };
}

/** The name map alone, never throwing: for rendering a reply when the request was already accepted. */
export function toolNamesOf(request: unknown): ToolNames {
  if (!isObject(request)) return new Map();
  try {
    return responsesTools(request.tools).names;
  } catch {
    return new Map();
  }
}

/** A call as the item the Responses client expects: function_call, custom_tool_call or local_shell_call. */
export function callItem(
  id: string,
  callId: string,
  anthropicName: string,
  input: unknown,
  names: ToolNames,
): Json {
  const target = names.get(anthropicName) ?? { kind: "function", name: anthropicName };
  const args = isObject(input) ? input : {};
  if (target.kind === "custom") {
    const text = typeof args.input === "string" ? args.input : JSON.stringify(args);
    return {
      type: "custom_tool_call",
      id,
      call_id: callId,
      name: target.name,
      input: text,
      status: "completed",
    };
  }
  if (target.kind === "local_shell") {
    const command = Array.isArray(args.command) ? args.command.map(String) : [];
    const action: Json = { type: "exec", command, env: {} };
    if (typeof args.workdir === "string") action.working_directory = args.workdir;
    if (typeof args.timeout_ms === "number") action.timeout_ms = args.timeout_ms;
    return { type: "local_shell_call", id, call_id: callId, status: "completed", action };
  }
  return {
    type: "function_call",
    id,
    call_id: callId,
    name: target.name,
    ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
    arguments: JSON.stringify(args),
    status: "completed",
  };
}
