// `--url`: the CLI reads a running gateway's admin API instead of its own environment and database.
import type { Config } from "../config/env.ts";
import { CliError } from "./command.ts";

export const URL_FLAG = {
  url: {
    type: "string",
    description:
      "report a running gateway's view (its admin API), e.g. http://localhost:8080; credential from SNODUS_ADMIN_KEY or ADMIN_PASSWORD",
  },
} as const;

function credential(config: Config): string {
  if (config.adminKey) return `Bearer ${config.adminKey.reveal()}`;
  if (config.adminPassword)
    return `Basic ${Buffer.from(`${config.adminUsername}:${config.adminPassword.reveal()}`).toString("base64")}`;
  throw new CliError(
    "--url needs an admin credential: set SNODUS_ADMIN_KEY (an admin key) or ADMIN_PASSWORD",
  );
}

/** A GET on the gateway; unreachable, refused and failed answers become one clear line. */
export async function remoteGet<T>(
  config: Config,
  base: string,
  path: string,
  fetchImpl = fetch,
): Promise<T> {
  let url: URL;
  try {
    url = new URL(path, base.endsWith("/") ? base : `${base}/`);
  } catch {
    throw new CliError(`--url must be an http(s) URL (got "${base}")`);
  }
  let res: Response;
  try {
    res = await fetchImpl(url, {
      headers: { authorization: credential(config), accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new CliError(`cannot reach the gateway at ${url.origin}: ${(err as Error).message}`);
  }
  if (res.status === 401 || res.status === 403)
    throw new CliError(`the gateway at ${url.origin} refused the admin credential (${res.status})`);
  if (!res.ok && path !== "health") throw new CliError(`the gateway answered ${res.status} to GET /${path}`);
  try {
    return (await res.json()) as T;
  } catch {
    throw new CliError(`the gateway at ${url.origin} did not answer JSON to GET /${path}: is it Snodus?`);
  }
}
