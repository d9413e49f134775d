// `snodus init`: the first team, its admin user and a key in one idempotent step, and the lines that
// point Claude Code, Codex CLI and the SDKs at this gateway.
import type { Config } from "../../config/env.ts";
import { createKey } from "../../modules/keys/service.ts";
import { createTeam } from "../../modules/teams/service.ts";
import { createUser, validEmail } from "../../modules/users/service.ts";
import type { ApiKey, Store, Team, User } from "../../store/types.ts";
import { StoreConflictError } from "../../store/types.ts";
import { CliError, type Command, JSON_FLAG, stringFlag } from "../command.ts";
import { json } from "../output.ts";
import { noProviderHint } from "./serve.ts";

export const INIT_DEFAULTS = {
  team: "Default",
  email: "admin@snodus.local",
  name: "Admin",
  keyName: "default",
};
const SAVE_WARNING = "Save this key now: it will not be shown again.";
/** Stands in for the secret in the client lines when no new key was issued (the old one is not stored). */
const KEY_PLACEHOLDER = "<your sk- key>";

interface InitResult {
  team: Team;
  user: User;
  /** The key just issued, or the newest working key when none was. */
  key: ApiKey | null;
  secret: string | null;
  created: { team: boolean; user: boolean; key: boolean };
}

/**
 * Finds the admin by email (and so its team), else the team by name, creating only what is missing; a
 * key is issued when the admin has no working key or `newKey` asks for one. Everything goes through the
 * admin API's services, so validation and plan caps are the same. A concurrent `init` that wins a race
 * (unique email or team name) is picked up rather than reported as a conflict.
 */
async function initialise(
  store: Store,
  input: { team: string; email: string; name: string; plan?: string; newKey: boolean; enforcePlan: boolean },
  now: number,
): Promise<InitResult> {
  const email = validEmail(input.email);
  const findUser = async () => (await store.users.list()).find((u) => u.email === email) ?? null;
  const findTeam = async () => (await store.teams.list()).find((t) => t.name === input.team.trim()) ?? null;
  const created = { team: false, user: false, key: false };

  let user = await findUser();
  let team: Team | null;
  if (user) {
    team = await store.teams.get(user.teamId);
  } else {
    team = await findTeam();
    if (!team) {
      try {
        team = await createTeam(store, { name: input.team, plan: input.plan });
        created.team = true;
      } catch (err) {
        if (!(err instanceof StoreConflictError)) throw err;
        team = await findTeam();
      }
    }
    if (!team) throw new CliError(`team "${input.team}" vanished while it was being set up; run init again`);
    try {
      user = await createUser(store, {
        email,
        name: input.name,
        teamId: team.id,
        role: "admin",
        enforcePlan: input.enforcePlan,
      });
      created.user = true;
    } catch (err) {
      if (!(err instanceof StoreConflictError)) throw err;
      user = await findUser();
    }
  }
  if (!user || !team) throw new CliError(`user ${email} vanished while it was being set up; run init again`);
  if (user.role !== "admin")
    throw new CliError(
      `${email} already exists as a member of team "${team.name}"; pass --email for an admin`,
    );
  if (!user.isActive) throw new CliError(`${email} is deactivated; pass --email for another admin`);

  const working = (await store.keys.list({ userId: user.id }))
    .filter((k) => k.isActive && (k.expiresAt === null || k.expiresAt.getTime() > now))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  if (working.length > 0 && !input.newKey)
    return { team, user, key: working[0] ?? null, secret: null, created };
  const issued = await createKey(store, {
    userId: user.id,
    name: INIT_DEFAULTS.keyName,
    enforcePlan: input.enforcePlan,
  });
  created.key = true;
  return { team, user, key: issued.key, secret: issued.secret, created };
}

/** Where clients reach this gateway: --url, else SNODUS_ADDR with a wildcard host read as localhost. */
export function clientBaseUrl(config: Config, override: string | undefined): string {
  if (override !== undefined) {
    let url: URL;
    try {
      url = new URL(override);
    } catch {
      throw new CliError(
        `--url must be an http(s) URL such as http://gateway.internal:8080 (got "${override}")`,
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new CliError(`--url must be an http(s) URL (got "${override}")`);
    return url.href.replace(/\/+$/, "");
  }
  const { hostname, port } = config.addr;
  if (port === 0)
    throw new CliError("SNODUS_ADDR has port 0 (chosen at start): pass --url with the real address");
  const wildcard = hostname === "" || hostname === "0.0.0.0" || hostname === "::";
  const host = wildcard ? "localhost" : hostname.includes(":") ? `[${hostname}]` : hostname;
  return `http://${host}:${port}`;
}

/** The model of the first request: one a configured provider serves. */
function sampleModel(config: Config): string {
  if (!config.anthropicApiKey && config.openaiApiKey) return "gpt-4o-mini";
  return "claude-haiku-4-5";
}

export function clientSetup(baseUrl: string, key: string, model: string) {
  const codexToml = [
    'model_provider = "snodus"',
    "",
    "[model_providers.snodus]",
    'name = "Snodus"',
    `base_url = "${baseUrl}/v1"`,
    'wire_api = "responses"',
    'env_key = "SNODUS_API_KEY"',
  ].join("\n");
  const body = JSON.stringify({ model, max_tokens: 100, messages: [{ role: "user", content: "Hello!" }] });
  return {
    base_url: baseUrl,
    curl: [
      `curl ${baseUrl}/v1/messages \\`,
      `  -H "Authorization: Bearer ${key}" \\`,
      '  -H "Content-Type: application/json" \\',
      '  -H "anthropic-version: 2023-06-01" \\',
      `  -d '${body}'`,
    ].join("\n"),
    claude_code: { env: { ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_AUTH_TOKEN: key } },
    codex_cli: { config_toml: codexToml, env: { SNODUS_API_KEY: key } },
    openai_sdk: { env: { OPENAI_BASE_URL: `${baseUrl}/v1`, OPENAI_API_KEY: key } },
    anthropic_sdk: { env: { ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_API_KEY: key } },
    dashboard: `${baseUrl}/admin/`,
  };
}

const exportLines = (env: Record<string, string>) =>
  Object.entries(env).map(([name, value]) => `  export ${name}="${value}"`);
const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => (l ? `  ${l}` : ""))
    .join("\n");

function render(result: InitResult, setup: ReturnType<typeof clientSetup>, hint: string | null): string {
  const { team, user, key, secret, created } = result;
  const lines = [
    `${created.team ? "Created" : "Using"} team "${team.name}" (${team.id}, plan ${team.plan}).`,
    `${created.user ? "Created" : "Using"} admin user ${user.email} (${user.id}).`,
    "",
  ];
  if (secret) lines.push(`api_key: ${secret}`, SAVE_WARNING);
  else
    lines.push(
      `Keeping key ${key?.keyPrefix ?? "—"} (${key?.name ?? "—"}): its secret was shown once when it was made and is not stored.`,
      `Run \`snodus init --new-key\` for another key; below, ${KEY_PLACEHOLDER} stands for the one you saved.`,
    );
  if (hint) lines.push("", `Note: ${hint}.`);
  lines.push(
    "",
    "First request:",
    indent(setup.curl),
    "",
    "Claude Code:",
    ...exportLines(setup.claude_code.env),
    "  claude",
    "",
    "Codex CLI, in ~/.codex/config.toml (model_provider above any [table]):",
    indent(setup.codex_cli.config_toml),
    "then:",
    ...exportLines(setup.codex_cli.env),
    "  codex",
    "",
    "OpenAI SDK:",
    ...exportLines(setup.openai_sdk.env),
    "",
    "Anthropic SDK:",
    ...exportLines(setup.anthropic_sdk.env),
    "",
    `Dashboard: ${setup.dashboard} — sign in under "Admin key" with this key (this team),`,
    "or as ADMIN_USERNAME with ADMIN_PASSWORD when that is set (every team).",
  );
  return lines.join("\n");
}

export const initCommand: Command = {
  name: "init",
  summary: "first-time setup: a team, its admin and a key, and how to point clients here (idempotent)",
  flags: {
    team: { type: "string", description: `team name (default "${INIT_DEFAULTS.team}")` },
    email: { type: "string", description: `admin's email (default ${INIT_DEFAULTS.email})` },
    name: { type: "string", description: `admin's display name (default ${INIT_DEFAULTS.name})` },
    plan: { type: "string", description: "plan of a new team: free, basic, pro, enterprise (default free)" },
    "new-key": { type: "boolean", description: "issue another key even though the admin has one" },
    url: {
      type: "string",
      description: "the gateway's address as clients reach it (default from SNODUS_ADDR)",
    },
    ...JSON_FLAG,
  },
  async run(ctx, flags) {
    // Resolved first: a bad --url must not leave a half-finished setup behind.
    const baseUrl = clientBaseUrl(ctx.config, stringFlag(flags, "url"));
    const result = await initialise(
      await ctx.store(),
      {
        team: stringFlag(flags, "team") || INIT_DEFAULTS.team,
        email: stringFlag(flags, "email") || INIT_DEFAULTS.email,
        name: stringFlag(flags, "name") || INIT_DEFAULTS.name,
        plan: stringFlag(flags, "plan"),
        newKey: flags["new-key"] === true,
        enforcePlan: ctx.config.featurePlans,
      },
      ctx.now(),
    );
    const setup = clientSetup(baseUrl, result.secret ?? KEY_PLACEHOLDER, sampleModel(ctx.config));
    const hint = noProviderHint(ctx.config);
    if (!ctx.json) {
      ctx.print(render(result, setup, hint));
      return 0;
    }
    const { keyHash: _hash, ...publicKey } = result.key ?? { keyHash: "" };
    ctx.print(
      json({
        team: result.team,
        user: result.user,
        key: result.key ? publicKey : null,
        created: result.created,
        api_key: result.secret,
        ...(result.secret ? { warning: SAVE_WARNING } : {}),
        ...(hint ? { note: hint } : {}),
        ...setup,
      }),
    );
    return 0;
  },
};
