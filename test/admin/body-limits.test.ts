// Admin, sign-in and signup bodies: credentials are checked before a byte of the body is read, bodies
// over 1 MiB get 413, too-deep JSON and invalid UTF-8 get 400 — never a 5xx, never a 64 MB buffer.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_ADMIN_BODY_BYTES, MAX_JSON_DEPTH } from "../../src/http/body.ts";
import { type AdminFixture, adminFixture, BASIC } from "./fixture.ts";

/** A body of `chunks` × 64 KiB that counts how many chunks the server pulled. */
function countingBody(chunks: number) {
  const state = { pulled: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === 0) controller.enqueue(new TextEncoder().encode('{"name":"'));
      state.pulled++;
      if (state.pulled > chunks) controller.close();
      else controller.enqueue(chunk);
    },
  });
  return { stream, state };
}

const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe("admin and signup request bodies", () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await adminFixture("sqlite", { SNODUS_FEATURES_SIGNUP: "true" });
  });
  afterAll(async () => fx.close());

  const send = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fx.gateway.app.handle(
      new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      }),
    );

  test("an unauthenticated admin write is refused before its body is read", async () => {
    const body = countingBody(1_000);
    const res = await send("/admin/keys", body.stream);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
    expect(body.state.pulled).toBeLessThanOrEqual(1);
  });

  test("wrong Basic credentials are refused before the body is read too", async () => {
    const body = countingBody(1_000);
    const wrong = `Basic ${Buffer.from("admin:nope").toString("base64")}`;
    const res = await send("/admin/users", body.stream, { authorization: wrong });
    expect(res.status).toBe(401);
    expect(body.state.pulled).toBeLessThanOrEqual(1);
  });

  test("an authenticated admin body over the limit → 413 in the admin shape (declared or streamed)", async () => {
    const declared = await send("/admin/keys", "x".repeat(MAX_ADMIN_BODY_BYTES + 1), {
      authorization: BASIC,
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toMatchObject({ status: 413, code: "request_too_large" });

    const body = countingBody(1_000); // 64 MB if read to the end
    const streamed = await send("/admin/keys", body.stream, { authorization: BASIC });
    expect(streamed.status).toBe(413);
    // Reading stopped just past the limit.
    expect(body.state.pulled).toBeLessThanOrEqual(MAX_ADMIN_BODY_BYTES / (64 * 1024) + 2);
  });

  test("signup and dashboard sign-in bodies over the limit → 413", async () => {
    const big = JSON.stringify({ email: "a@b.co", name: "x".repeat(MAX_ADMIN_BODY_BYTES), company: "c" });
    expect((await send("/signup", big)).status).toBe(413);
    const signIn = await send(
      "/admin/session",
      JSON.stringify({ password: "x".repeat(MAX_ADMIN_BODY_BYTES) }),
      {
        "x-snodus-csrf": "1",
      },
    );
    expect(signIn.status).toBe(413);
  });

  test("a body under the limit still works", async () => {
    const res = await send("/admin/teams", JSON.stringify({ name: `Limits ${Date.now()}` }), {
      authorization: BASIC,
    });
    expect(res.status).toBe(201);
  });

  test("JSON nested deeper than the limit → 400 on admin routes and signup, not 500", async () => {
    for (const [path, headers] of [
      ["/admin/keys", { authorization: BASIC }],
      ["/admin/teams", { authorization: BASIC }],
      ["/signup", {}],
      ["/admin/session", { "x-snodus-csrf": "1" }],
    ] as const) {
      const res = await send(path, deep(5_000), headers);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("json_too_deep");
    }
    const ok = await send("/admin/teams", `{"name":"Depth ${Date.now()}","x":${deep(MAX_JSON_DEPTH - 1)}}`, {
      authorization: BASIC,
    });
    // Within the depth limit the body parses; the unknown field is then refused as usual.
    expect(ok.status).toBe(422);
  });

  test("invalid UTF-8 in a body → 400 invalid_utf8", async () => {
    const prefix = new TextEncoder().encode('{"email":"jo');
    const suffix = new TextEncoder().encode('@example.com","name":"Jo","company":"Bad Bytes"}');
    const bytes = new Uint8Array([...prefix, 0xff, 0xfe, ...suffix]);
    const res = await send("/signup", bytes);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_utf8");
    const admin = await send("/admin/teams", bytes, { authorization: BASIC });
    expect(admin.status).toBe(400);
  });

  test("malformed JSON is still a 400 invalid_json", async () => {
    const res = await send("/admin/teams", '{"name":', { authorization: BASIC });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_json");
  });
});
