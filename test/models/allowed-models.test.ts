// Model allow-lists on keys and teams through a running gateway: every door, `auto`, fallbacks, admin API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIALECTS } from "../helpers/databases.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

const PASSWORD = "allow-list admin password";
const BASIC = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`;

const DOORS = {
  messages: {
    path: "/v1/messages",
    body: (model: string) => ({ model, max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
  },
  chat: {
    path: "/v1/chat/completions",
    body: (model: string) => ({ model, messages: [{ role: "user", content: "hi" }] }),
  },
  responses: { path: "/v1/responses", body: (model: string) => ({ model, input: "hi" }) },
  embeddings: { path: "/v1/embeddings", body: (model: string) => ({ model, input: "hi" }) },
} as const;

for (const dialect of DIALECTS) {
  describe(`allowed_models on ${dialect}`, () => {
    let gw: TestGateway;
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${gw.url}${path}`, {
        method,
        headers: { authorization: BASIC, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    };
    const call = (secret: string, door: keyof typeof DOORS, model: string, body?: Record<string, unknown>) =>
      fetch(`${gw.url}${DOORS[door].path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${secret}`,
          "content-type": "application/json",
          "anthropic-version": "2023-06-01",
        },
        body: JSON.stringify(body ?? DOORS[door].body(model)),
      });
    /** A fresh key of the test team with the given allow-list, set through the admin API. */
    const keyAllowing = async (allowed: string[] | null) => {
      const created = await admin("POST", "/admin/keys", {
        user_id: gw.user.id,
        name: "restricted",
        rate_limit: 10_000,
        allowed_models: allowed,
      });
      expect(created.status).toBe(201);
      expect(created.json.allowed_models).toEqual(allowed);
      return created.json as { id: string; api_key: string };
    };
    const upstreamModels = (from: number) =>
      gw.mock.calls
        .slice(from)
        .filter((c) => c.bodyText)
        .map((c) => JSON.parse(c.bodyText ?? "{}").model as string);

    beforeAll(async () => {
      gw = await startTestGateway(
        dialect,
        {
          ADMIN_PASSWORD: PASSWORD,
          SNODUS_ROUTER_ENABLED: "true",
          SNODUS_FALLBACKS: "claude-opus-4-5-mock-error-529=claude-sonnet-4-5,claude-haiku-4-5",
        },
        { allProviders: true },
      );
    });
    afterAll(async () => gw.close());

    test("a model outside the key's list is a 403 on every door, in its protocol, before any upstream call", async () => {
      const key = await keyAllowing(["claude-haiku-*"]);
      const before = gw.mock.calls.length;
      const cases: [keyof typeof DOORS, string][] = [
        ["messages", "claude-sonnet-4-5"],
        ["chat", "gpt-4o"],
        ["responses", "gpt-4o-mini"],
        ["embeddings", "text-embedding-3-small"],
      ];
      for (const [door, model] of cases) {
        const res = await call(key.api_key, door, model);
        expect(res.status).toBe(403);
        const body = await res.json();
        const message = body.error.message;
        expect(message).toContain(`Model "${model}" is not allowed for this API key`);
        expect(message).toContain("claude-haiku-*");
        if (door === "messages")
          expect(body).toMatchObject({ type: "error", error: { type: "permission_error" } });
        else expect(body.error).toMatchObject({ type: "permission_error", code: "model_not_allowed" });
      }
      expect(gw.mock.calls.length).toBe(before);
      // Nothing reached an upstream, so nothing was billed.
      expect((await gw.spendRows()).filter((r) => r.apiKeyId === key.id)).toHaveLength(0);
      const ok = await call(key.api_key, "messages", "claude-haiku-4-5");
      expect(ok.status).toBe(200);
    });

    test("exact names and wildcards both allow; the Chat door serves an allowed Claude model", async () => {
      const key = await keyAllowing(["gpt-4o-mini", "claude-*"]);
      expect((await call(key.api_key, "chat", "gpt-4o-mini")).status).toBe(200);
      expect((await call(key.api_key, "chat", "claude-sonnet-4-5")).status).toBe(200);
      expect((await call(key.api_key, "chat", "gpt-4o")).status).toBe(403);
    });

    test("auto picks the nearest allowed tier when the router's choice is not allowed", async () => {
      const key = await keyAllowing(["claude-haiku-4-5", "claude-sonnet-4-5"]);
      // "refactor" sends the request to the top tier (Opus), which this key may not use.
      const res = await call(key.api_key, "messages", "auto", {
        model: "auto",
        max_tokens: 10,
        messages: [{ role: "user", content: "refactor this module" }],
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-snodus-routed-model")).toBe("claude-sonnet-4-5");
      const [row] = (await gw.spendRows()).filter((r) => r.apiKeyId === key.id);
      expect(row?.routingReason).toContain("top tier not allowed for this key");

      const cheapOnly = await keyAllowing(["claude-haiku-4-5"]);
      const cheap = await call(cheapOnly.api_key, "messages", "auto", {
        model: "auto",
        max_tokens: 10,
        messages: [{ role: "user", content: "refactor this module" }],
      });
      expect(cheap.headers.get("x-snodus-routed-model")).toBe("claude-haiku-4-5");
    });

    test("auto with no router model allowed is a 403 naming the tiers", async () => {
      const key = await keyAllowing(["gpt-*"]);
      const res = await call(key.api_key, "messages", "auto", {
        model: "auto",
        max_tokens: 10,
        messages: [{ role: "user", content: "hello" }],
      });
      expect(res.status).toBe(403);
      const body = await res.json();
      expect(body.error.message).toContain('model "auto": none of the router\'s models');
      expect(body.error.message).toContain("claude-opus-4-5");
    });

    test("a fallback the key may not use is skipped, never served", async () => {
      const key = await keyAllowing(["claude-opus-4-5-mock-*", "claude-haiku-4-5"]);
      const before = gw.mock.calls.length;
      const res = await call(key.api_key, "messages", "claude-opus-4-5-mock-error-529");
      expect(res.status).toBe(200);
      expect((await res.json()).model).toBe("claude-haiku-4-5");
      const sent = upstreamModels(before);
      expect(sent).toEqual(["claude-opus-4-5-mock-error-529", "claude-haiku-4-5"]);
      expect(sent).not.toContain("claude-sonnet-4-5");
    });

    test("the primary refused and every fallback disallowed: the upstream's answer, no disallowed model tried", async () => {
      const key = await keyAllowing(["claude-opus-4-5-mock-*"]);
      const before = gw.mock.calls.length;
      const res = await call(key.api_key, "messages", "claude-opus-4-5-mock-error-529");
      expect(res.status).toBe(529);
      expect(upstreamModels(before)).toEqual(["claude-opus-4-5-mock-error-529"]);
    });

    test("the team's list applies to all its keys, and PATCH lands at once (the key cache is refreshed)", async () => {
      const open = await keyAllowing(null);
      expect((await call(open.api_key, "chat", "gpt-4o")).status).toBe(200);
      const patched = await admin("PATCH", `/admin/teams/${gw.team.id}`, { allowed_models: ["claude-*"] });
      expect(patched.status).toBe(200);
      expect(patched.json.allowed_models).toEqual(["claude-*"]);
      const refused = await call(open.api_key, "chat", "gpt-4o");
      expect(refused.status).toBe(403);
      expect((await refused.json()).error.message).toContain("team: claude-*");
      expect((await call(open.api_key, "messages", "claude-haiku-4-5")).status).toBe(200);
      // Both lists must allow: the key's own list cannot widen the team's.
      const wide = await keyAllowing(["gpt-4o"]);
      expect((await call(wide.api_key, "chat", "gpt-4o")).status).toBe(403);
      expect((await admin("PATCH", `/admin/teams/${gw.team.id}`, { allowed_models: null })).status).toBe(200);
      expect((await call(open.api_key, "chat", "gpt-4o")).status).toBe(200);
    });

    test("key PATCH replaces and clears the list; the change applies to the next request", async () => {
      const key = await keyAllowing(null);
      const narrowed = await admin("PATCH", `/admin/keys/${key.id}`, {
        allowed_models: ["claude-haiku-4-5"],
      });
      expect(narrowed.json.allowed_models).toEqual(["claude-haiku-4-5"]);
      expect((await call(key.api_key, "messages", "claude-sonnet-4-5")).status).toBe(403);
      await admin("PATCH", `/admin/keys/${key.id}`, { allowed_models: null });
      expect((await call(key.api_key, "messages", "claude-sonnet-4-5")).status).toBe(200);
    });

    test("a team created with allowed_models lists it; bad patterns are a 422 naming the field", async () => {
      const team = await admin("POST", "/admin/teams", {
        name: `Allow ${Math.random().toString(36).slice(2)}`,
        allowed_models: [" claude-* ", "claude-*"],
      });
      expect(team.status).toBe(201);
      expect(team.json.allowed_models).toEqual(["claude-*"]);
      for (const bad of [["claude-*-x"], [""], ["a b"]]) {
        const res = await admin("PATCH", `/admin/keys/${gw.key.id}`, { allowed_models: bad });
        expect(res.status).toBe(422);
        expect(res.json.error.field).toMatch(/allowed_models/);
      }
    });

    test("model lists show a restricted key only what it may use, in every door's list", async () => {
      const get = (secret: string, path: string, headers: Record<string, string> = {}) =>
        fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${secret}`, ...headers } });
      const ids = async (secret: string) => {
        const openai = (await (await get(secret, "/v1/models")).json()).data.map((m: { id: string }) => m.id);
        const anthropic = (
          await (await get(secret, "/v1/models", { "anthropic-version": "2023-06-01" })).json()
        ).data.map((m: { id: string }) => m.id);
        const ollama = (await (await get(secret, "/api/tags")).json()).models.map(
          (m: { name: string }) => m.name,
        );
        expect(anthropic).toEqual(openai);
        expect(ollama).toEqual(openai);
        return openai as string[];
      };
      const open = await ids(gw.secret);
      expect(open).toContain("gpt-4o");
      expect(open[0]).toBe("auto");

      const claude = await keyAllowing(["claude-*"]);
      const listed = await ids(claude.api_key);
      expect(listed.length).toBeGreaterThan(1);
      expect(listed.filter((id) => id !== "auto").every((id) => id.startsWith("claude-"))).toBe(true);
      // The router's tiers are Claude models, so `auto` stays.
      expect(listed[0]).toBe("auto");
      expect((await get(claude.api_key, "/v1/models/claude-haiku-4-5")).status).toBe(200);
      expect((await get(claude.api_key, "/v1/models/gpt-4o")).status).toBe(404);

      const gptOnly = await keyAllowing(["gpt-4o-mini"]);
      expect(await ids(gptOnly.api_key)).toEqual(["gpt-4o-mini"]);
      const show = await fetch(`${gw.url}/api/show`, {
        method: "POST",
        headers: { authorization: `Bearer ${gptOnly.api_key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-haiku-4-5" }),
      });
      expect(show.status).toBe(404);
    });
  });
}
