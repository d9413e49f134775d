// Request tags and end users: from headers or the body to the spend row, filters in analytics and the CSV export.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DIALECTS } from "../helpers/databases.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";

const PASSWORD = "tags admin password";
const BASIC = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`;

for (const dialect of DIALECTS) {
  describe(`tags and end users on ${dialect}`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(dialect, { ADMIN_PASSWORD: PASSWORD }, { allProviders: true });
    });
    afterAll(async () => gw.close());

    const messages = (headers: Record<string, string>, extra: Record<string, unknown> = {}) =>
      fetch(`${gw.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json", ...headers },
        body: JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 10,
          messages: [{ role: "user", content: "hi" }],
          ...extra,
        }),
      });
    const chat = (headers: Record<string, string>, extra: Record<string, unknown> = {}) =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.secret}`, "content-type": "application/json", ...headers },
        body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], ...extra }),
      });
    const admin = async (path: string) => {
      const res = await fetch(`${gw.url}${path}`, { headers: { authorization: BASIC } });
      return {
        status: res.status,
        text: await res.clone().text(),
        json: res.headers.get("content-type")?.includes("json") ? await res.json() : null,
      };
    };
    const rowOf = async (res: Response) => {
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const id = res.headers.get("x-snodus-request-id");
      return (await gw.spendRows()).find((r) => r.requestId === id);
    };

    test("headers, OpenAI's user and Anthropic's metadata.user_id reach the spend row; the header wins", async () => {
      const tagged = await rowOf(
        await messages({ "x-snodus-tags": " batch, nightly ,batch", "x-snodus-user": "alice" }),
      );
      expect(tagged).toMatchObject({ tags: "batch,nightly", endUser: "alice" });
      expect(await rowOf(await chat({}, { user: "bob" }))).toMatchObject({ tags: null, endUser: "bob" });
      expect(await rowOf(await messages({}, { metadata: { user_id: "carol" } }))).toMatchObject({
        endUser: "carol",
      });
      expect(
        await rowOf(await chat({ "x-snodus-user": "dave", "x-snodus-tags": "ci" }, { user: "bob" })),
      ).toMatchObject({
        tags: "ci",
        endUser: "dave",
      });
    });

    test("too many or too long tags, bad characters and a long end user are 400s in the door's protocol", async () => {
      const before = gw.mock.calls.length;
      const cases: [Response, RegExp][] = [
        [
          await messages({ "x-snodus-tags": Array.from({ length: 11 }, (_, i) => `t${i}`).join(",") }),
          /at most 10 tags/,
        ],
        [await chat({ "x-snodus-tags": "x".repeat(65) }), /at most 64 characters/],
        [await messages({ "x-snodus-tags": "has space" }), /may only use letters/],
        [await chat({}, { user: "u".repeat(257) }), /at most 256 characters/],
      ];
      for (const [i, [res, message]] of cases.entries()) {
        expect(res.status).toBe(400);
        const body = await res.json();
        expect(body.error.message).toMatch(message);
        if (i % 2 === 0) expect(body.type).toBe("error");
        else expect(body.error.type).toBe("invalid_request_error");
      }
      expect(gw.mock.calls.length).toBe(before);
    });

    test("analytics and the CSV export filter by tag (whole tags only) and end user", async () => {
      await rowOf(await messages({ "x-snodus-tags": "report_q4,finance", "x-snodus-user": "erin" }));
      await rowOf(await messages({ "x-snodus-tags": "reportxq4" }));
      const recent = await admin("/admin/analytics/recent?tag=report_q4");
      expect(recent.status).toBe(200);
      expect(recent.json.data).toHaveLength(1);
      expect(recent.json.data[0]).toMatchObject({ tags: ["report_q4", "finance"], end_user: "erin" });
      expect((await admin("/admin/analytics/recent?tag=report")).json.data).toHaveLength(0);
      const byUser = await admin("/admin/analytics/recent?end_user=alice");
      expect(byUser.json.data.map((r: { end_user: string }) => r.end_user)).toEqual(["alice"]);
      const models = await admin("/admin/analytics/models?tag=nightly");
      expect(models.json.data.reduce((s: number, m: { requests: number }) => s + m.requests, 0)).toBe(1);
      const daily = await admin("/admin/analytics/daily?end_user=bob");
      expect(daily.json.totals.requests).toBe(1);

      const csv = await admin("/admin/analytics/export?tag=finance");
      const lines = csv.text.trim().split("\r\n");
      expect(lines[0]?.endsWith(",tags,end_user")).toBe(true);
      expect(lines).toHaveLength(2);
      expect(lines[1]?.endsWith(",report_q4 finance,erin")).toBe(true);
      const bad = await admin("/admin/analytics/recent?tag=a%20b");
      expect(bad.status).toBe(422);
      expect(bad.json.error.field).toBe("tag");
    });
  });
}
