// Ollama /api/chat as the mock speaks it: NDJSON streams and whole answers.
import { describe, expect, test } from "bun:test";
import { mockHeader } from "./index.ts";
import { DEFAULT_TEXT, ndjson, USER, useMock } from "./wire.ts";

const { up, postOllama } = useMock();

describe("Ollama /api/chat", () => {
  test("streams NDJSON by default, ending with a done line that carries the counts", async () => {
    const res = await postOllama({ model: "llama3.2", messages: USER });
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = ndjson(await res.text());
    const last = lines.at(-1);
    expect(lines.slice(0, -1).every((l) => l.done === false)).toBe(true);
    expect(last).toMatchObject({
      model: "llama3.2",
      done: true,
      done_reason: "stop",
      prompt_eval_count: 12,
      eval_count: 8,
    });
    for (const key of ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"]) {
      expect(typeof last?.[key]).toBe("number");
    }
    const text = lines.map((l) => (l.message as { content: string }).content).join("");
    expect(text).toBe(DEFAULT_TEXT);
    expect(Number.isNaN(Date.parse(String(lines[0]?.created_at)))).toBe(false);
  });

  test("stream: false answers with one JSON object", async () => {
    const res = await postOllama({ model: "qwen2.5:7b", messages: USER, stream: false });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "qwen2.5:7b",
      message: { role: "assistant", content: DEFAULT_TEXT },
      done: true,
      done_reason: "stop",
    });
  });

  test("tool calls carry arguments as an object and done_reason stays 'stop'", async () => {
    const toolUse = { name: "get_time", input: { tz: "UTC" } };
    const res = await postOllama(
      { model: "llama3.2", messages: USER },
      { "x-mock": mockHeader({ toolUse }) },
    );
    const lines = ndjson(await res.text());
    const withCalls = lines.find((l) => (l.message as { tool_calls?: unknown }).tool_calls);
    expect(withCalls?.message).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ function: { name: "get_time", arguments: { tz: "UTC" } } }],
    });
    expect(lines.at(-1)?.done_reason).toBe("stop");
  });

  test("failMidStream ends with an error line; statuses use the bare error shape", async () => {
    const res = await postOllama(
      { model: "llama3.2", messages: USER },
      { "x-mock": '{"failMidStream":true}' },
    );
    const lines = ndjson(await res.text());
    expect(lines).toHaveLength(2);
    expect(lines[0]?.done).toBe(false);
    expect(typeof lines[1]?.error).toBe("string");

    const failed = await postOllama(
      { model: "llama3.2", messages: USER },
      { "x-mock": '{"status":404,"errorMessage":"model \\"x\\" not found"}' },
    );
    expect(failed.status).toBe(404);
    expect(await failed.json()).toEqual({ error: 'model "x" not found' });
  });

  test("/api/tags lists the default models, or the ones set with setDefault", async () => {
    const tags = (await (await fetch(`${up.mock.url}/api/tags`)).json()) as {
      models: Array<Record<string, unknown>>;
    };
    expect(tags.models.map((m) => m.name)).toEqual(["llama3.2:latest", "qwen2.5:7b"]);
    expect(tags.models[0]).toMatchObject({ model: "llama3.2:latest", details: { family: "llama" } });
    expect(typeof tags.models[0]?.size).toBe("number");
    expect(String(tags.models[0]?.digest)).toMatch(/^[0-9a-f]{64}$/);

    up.mock.setDefault({ ollamaModels: ["mistral:7b"] });
    const custom = (await (await fetch(`${up.mock.url}/api/tags`)).json()) as {
      models: Array<Record<string, unknown>>;
    };
    expect(custom.models).toHaveLength(1);
    expect(custom.models[0]).toMatchObject({
      name: "mistral:7b",
      model: "mistral:7b",
      details: { format: "gguf" },
    });
  });
});
