// The error a promise rejects with. Bun's `expect(promise).rejects` spins a nested event loop that does
// not deliver worker messages, so it never sees an answer from the SQLite store's worker threads.
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
