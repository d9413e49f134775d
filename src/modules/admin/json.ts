// JSON answers passed through as text, for reports built off the event loop (analytics/jobs.ts).
//
// A route with a `response` schema has Elysia check and encode its answer through TypeBox at run time,
// on the event loop that also serves /v1/*. For a 2,000-key report with nullable fields that held the
// loop ~60 ms a call under load (BENCHMARKS.md, "reports on rollups"); a Response is passed through.
// The schema stays on the route, so the OpenAPI document still describes the answer, and the API
// tests check its content.
export const jsonText = (body: string): Response =>
  new Response(body, { headers: { "content-type": "application/json" } });
