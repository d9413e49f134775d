// The mock's embeddings (OpenAI /v1/embeddings, Ollama /api/embed) and OpenAI's models routes, via the SDK.

import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import {
  type MockBehavior,
  type MockUpstream,
  mockEmbedding,
  mockHeader,
  mockTokenCount,
  startMockUpstream,
} from "./index.ts";

let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream({ port: 0 });
});
afterEach(() => mock.reset());
afterAll(async () => {
  await mock.stop();
});

function client(behavior?: MockBehavior): OpenAI {
  return new OpenAI({
    baseURL: `${mock.url}/v1`,
    apiKey: "sk-openai-test",
    maxRetries: 0,
    defaultHeaders: behavior ? { "x-mock": mockHeader(behavior) } : undefined,
  });
}

function postEmbed(body: unknown, behavior?: MockBehavior): Promise<Response> {
  const headers: Record<string, string> = behavior ? { "x-mock": mockHeader(behavior) } : {};
  return fetch(`${mock.url}/api/embed`, { method: "POST", headers, body: JSON.stringify(body) });
}

function postOpenAI(body: unknown): Promise<Response> {
  return fetch(`${mock.url}/v1/embeddings`, {
    method: "POST",
    headers: { authorization: "Bearer x", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function norm(v: number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function decodeBase64(s: string): number[] {
  const bytes = Buffer.from(s, "base64");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

describe("OpenAI /v1/embeddings", () => {
  test("float vectors: the list shape, unit length, deterministic, with token usage", async () => {
    const res = await client().embeddings.create({
      model: "text-embedding-3-small",
      input: ["hello world", "Bonjour, le monde !"],
      encoding_format: "float",
    });
    expect(res.object).toBe("list");
    expect(res.model).toBe("text-embedding-3-small");
    expect(res.data.map((d) => [d.object, d.index])).toEqual([
      ["embedding", 0],
      ["embedding", 1],
    ]);
    const [a, b] = res.data.map((d) => d.embedding);
    expect(a).toHaveLength(1536);
    expect(norm(a ?? [])).toBeCloseTo(1, 5);
    expect(a).toEqual(mockEmbedding("hello world", 1536));
    expect(b).not.toEqual(a);
    expect(res.usage).toEqual({ prompt_tokens: 2 + 5, total_tokens: 7 });
    expect(mockTokenCount("Bonjour, le monde !")).toBe(5);

    const again = await client().embeddings.create({ model: "text-embedding-3-large", input: "hello world" });
    expect(again.data[0]?.embedding).toHaveLength(3072);
    expect(again.data[0]?.embedding.slice(0, 4)).not.toEqual(a?.slice(0, 4));
  });

  test("base64: what the SDK asks for by default and decodes, or returns as sent when asked", async () => {
    const floats = (
      await client().embeddings.create({
        model: "text-embedding-3-small",
        input: "x",
        encoding_format: "float",
      })
    ).data[0]?.embedding;
    const decoded = await client().embeddings.create({ model: "text-embedding-3-small", input: "x" });
    expect(JSON.parse(mock.calls[1]?.bodyText ?? "{}").encoding_format).toBe("base64");
    expect(decoded.data[0]?.embedding).toEqual(floats ?? []);

    const raw = (await (
      await postOpenAI({ model: "text-embedding-3-small", input: "x", encoding_format: "base64" })
    ).json()) as {
      data: Array<{ embedding: unknown }>;
    };
    const b64 = raw.data[0]?.embedding;
    expect(typeof b64).toBe("string");
    expect(decodeBase64(String(b64))).toEqual(floats ?? []);
  });

  test("dimensions shortens (a cut of the full vector, renormalised); ada-002 refuses it", async () => {
    const short = await client().embeddings.create({
      model: "text-embedding-3-small",
      input: "hello",
      dimensions: 8,
      encoding_format: "float",
    });
    const v = short.data[0]?.embedding ?? [];
    expect(v).toHaveLength(8);
    const full = mockEmbedding("hello", 1536).slice(0, 8);
    const scale = 1 / norm(full);
    v.forEach((x, i) => {
      expect(x).toBeCloseTo((full[i] ?? 0) * scale, 6);
    });

    const err = await rejection(
      client().embeddings.create({ model: "text-embedding-ada-002", input: "x", dimensions: 8 }),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    if (err instanceof OpenAI.APIError)
      expect(err.message).toContain("does not support specifying dimensions");

    const viaBehavior = await client({ embeddingDimensions: 4 }).embeddings.create({
      model: "text-embedding-3-small",
      input: "x",
      encoding_format: "float",
    });
    expect(viaBehavior.data[0]?.embedding).toHaveLength(4);
  });

  test("token arrays count one token per id; bad inputs are the API's 400", async () => {
    const res = await client().embeddings.create({
      model: "text-embedding-3-small",
      input: [
        [1, 2, 3],
        [4, 5],
      ],
      encoding_format: "float",
    });
    expect(res.data).toHaveLength(2);
    expect(res.usage.prompt_tokens).toBe(5);
    expect(res.data[0]?.embedding).toEqual(mockEmbedding([1, 2, 3], 1536));

    for (const input of ["", [], ["a", 1], [[1], "a"], { text: "x" }]) {
      const bad = await postOpenAI({ model: "text-embedding-3-small", input });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    }
    const noInput = await postOpenAI({ model: "text-embedding-3-small" });
    expect(await noInput.json()).toMatchObject({
      error: { param: "input", code: "missing_required_parameter" },
    });
    const format = await postOpenAI({ model: "text-embedding-3-small", input: "x", encoding_format: "int8" });
    expect(await format.json()).toMatchObject({ error: { param: "encoding_format", code: "invalid_value" } });
  });

  test("behaviours: status, presets and a cut body", async () => {
    const limited = await rejection(client({ status: 429 }).embeddings.create({ model: "m", input: "x" }));
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    const preset = await rejection(client().embeddings.create({ model: "mock-error-503", input: "x" }));
    expect(preset).toBeInstanceOf(OpenAI.InternalServerError);
    const cut = await rejection(
      client({ abortMidStream: true }).embeddings.create({ model: "m", input: "x" }),
    );
    expect(cut).toBeInstanceOf(Error);
  });
});

describe("Ollama /api/embed", () => {
  test("string or list input, the model's vector length, the same vectors as the OpenAI side", async () => {
    const one = (await (await postEmbed({ model: "nomic-embed-text", input: "hello world" })).json()) as {
      model: string;
      embeddings: number[][];
      total_duration: number;
      load_duration: number;
      prompt_eval_count: number;
    };
    expect(one.model).toBe("nomic-embed-text");
    expect(one.embeddings).toHaveLength(1);
    expect(one.embeddings[0]).toHaveLength(768);
    expect(one.embeddings[0]).toEqual(mockEmbedding("hello world", 768));
    expect(one.prompt_eval_count).toBe(2);
    expect(Number.isInteger(one.total_duration) && Number.isInteger(one.load_duration)).toBe(true);

    const many = (await (await postEmbed({ model: "all-minilm:latest", input: ["a", "b c"] })).json()) as {
      embeddings: number[][];
      prompt_eval_count: number;
    };
    expect(many.embeddings.map((e) => e.length)).toEqual([384, 384]);
    expect(many.prompt_eval_count).toBe(3);

    const openai = await client().embeddings.create({
      model: "text-embedding-3-small",
      input: "hello world",
      dimensions: 768,
      encoding_format: "float",
    });
    expect(openai.data[0]?.embedding).toEqual(one.embeddings[0] ?? []);
  });

  test("Ollama's errors: bare shape, missing model, wrong input type, behaviour status", async () => {
    const noModel = await postEmbed({ input: "x" });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toEqual({ error: "model is required" });
    const badInput = await postEmbed({ model: "nomic-embed-text", input: [1, 2] });
    expect(badInput.status).toBe(400);
    expect(await badInput.json()).toEqual({ error: "invalid input type" });
    const missing = await postEmbed(
      { model: "nope", input: "x" },
      { status: 404, errorMessage: 'model "nope" not found, try pulling it first' },
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'model "nope" not found, try pulling it first' });
    const load = (await (await postEmbed({ model: "nomic-embed-text" })).json()) as { embeddings: unknown[] };
    expect(load.embeddings).toEqual([]);
  });
});

describe("OpenAI /v1/models", () => {
  test("list and retrieve answer in OpenAI's shape; an unknown id is model_not_found", async () => {
    const sdk = client();
    const ids: string[] = [];
    for await (const m of sdk.models.list()) ids.push(m.id);
    expect(ids).toContain("text-embedding-3-small");
    const model = await sdk.models.retrieve("gpt-4o");
    expect(model).toEqual({ id: "gpt-4o", object: "model", created: 1715367049, owned_by: "system" });
    const err = await rejection(sdk.models.retrieve("gpt-nope"));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    if (err instanceof OpenAI.APIError) expect(err.code).toBe("model_not_found");
  });
});
