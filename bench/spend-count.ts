// Counts spend_log rows by status in a SQLite file or a Postgres database: bun bench/spend-count.ts DATABASE_URL

import { Database } from "bun:sqlite";
import postgres from "postgres";

const target = Bun.argv[2];
if (!target) {
  console.error("usage: bun bench/spend-count.ts DATABASE_URL");
  process.exit(2);
}

let rows: { status: number; n: number }[];
if (/^postgres(ql)?:\/\//.test(target)) {
  const sql = postgres(target, { max: 1, onnotice: () => {} });
  const result = await sql<{ status: number; n: string }[]>`
    SELECT status, count(*) AS n FROM spend_log GROUP BY status`;
  rows = result.map((r) => ({ status: r.status, n: Number(r.n) }));
  await sql.end();
} else {
  const db = new Database(target.replace(/^(sqlite|file):/, ""), { readonly: true });
  rows = db.query("SELECT status, count(*) AS n FROM spend_log GROUP BY status").all() as {
    status: number;
    n: number;
  }[];
  db.close();
}
const byStatus: Record<string, number> = {};
let total = 0;
for (const r of rows) {
  byStatus[String(r.status)] = r.n;
  total += r.n;
}
console.log(JSON.stringify({ total, byStatus }));
