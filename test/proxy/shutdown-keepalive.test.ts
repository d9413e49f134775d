// SIGTERM closes an idle keep-alive connection gracefully (FIN, not RST), and stops listening first.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { freshDatabase, type TestDatabase } from "../helpers/databases.ts";
import { type ServeProcess, spawnServe } from "../helpers/process.ts";

let db: TestDatabase;
let serve: ServeProcess | undefined;
beforeAll(async () => {
  db = await freshDatabase("sqlite");
});
afterAll(async () => {
  if (serve && serve.proc.exitCode === null) await serve.stop("SIGKILL");
  await db.drop();
});

test("an idle keep-alive connection ends with a clean close on SIGTERM; new connections are refused", async () => {
  serve = await spawnServe({ DATABASE_URL: db.url, SNODUS_SHUTDOWN_GRACE_MS: "3000" });
  const { hostname, port } = new URL(serve.url);
  let received = "";
  let answered!: () => void;
  const gotAnswer = new Promise<void>((resolve) => (answered = resolve));
  let closed!: (how: string) => void;
  const closedHow = new Promise<string>((resolve) => (closed = resolve));
  const socket = await Bun.connect({
    hostname,
    port: Number(port),
    socket: {
      data(_s, chunk) {
        received += new TextDecoder().decode(chunk);
        if (received.includes("\r\n\r\n")) answered();
      },
      end: () => closed("end"),
      close: () => closed("close"),
      error: (_s, err) => closed(`error: ${(err as Error).message}`),
    },
  });
  socket.write(`GET /health HTTP/1.1\r\nhost: ${hostname}\r\nconnection: keep-alive\r\n\r\n`);
  await gotAnswer;
  expect(received).toStartWith("HTTP/1.1 200");
  serve.proc.kill("SIGTERM");
  // The peer's FIN arrives as `end` (or a plain close); a reset would be an error.
  expect(await closedHow).not.toStartWith("error");
  expect(await serve.proc.exited).toBe(0);
  const after = await fetch(`${serve.url}/health`).then(
    () => "answered",
    () => "refused",
  );
  expect(after).toBe("refused");
});
