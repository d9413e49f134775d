// The landing page's HTML: what Snodus is and how to start, with this gateway's own address in the examples.

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** `origin` comes from the Host header, i.e. from the client: it is escaped like any other input. */
export function landingPage(origin: string, signupEnabled: boolean): string {
  const o = escapeHtml(origin);
  const signup = signupEnabled
    ? `<h2>1. Sign up</h2>
<pre>curl -X POST ${o}/signup \\
  -H "Content-Type: application/json" \\
  -d '{"email":"you@company.com","name":"Name","company":"Company","plan":"basic"}'</pre>
<p>The answer holds <code>api_key</code> (it starts with <code>sk-</code>). Save it: it will not be shown again.</p>`
    : `<h2>1. Get a key</h2>
<p>Ask your administrator for a virtual key (<code>sk-…</code>), or create one with the CLI:
<code>snodus keys create --user-id UUID --name dev</code>.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Snodus — one endpoint for Anthropic, OpenAI and Ollama</title>
<style>
body{font:16px/1.6 system-ui,sans-serif;max-width:760px;margin:3rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:2.2rem;margin-bottom:.2rem}.lead{font-size:1.15rem;color:#444}
pre{background:#f5f7fa;border:1px solid #e3e7ee;border-radius:6px;padding:.8rem;overflow:auto}
code{font-family:ui-monospace,monospace}a{color:#1769aa}footer{margin-top:3rem;color:#777;font-size:.9rem}
</style>
</head>
<body>
<h1>Snodus</h1>
<p class="lead">An AI gateway: one endpoint in front of Anthropic, OpenAI and Ollama, with virtual API keys,
budgets, rate limits, a dashboard and smart routing.</p>
${signup}
<h2>2. Use it with Claude Code</h2>
<pre>export ANTHROPIC_BASE_URL="${o}"
export ANTHROPIC_AUTH_TOKEN="sk-…"
claude</pre>
<h2>3. Or call it directly</h2>
<pre>curl ${o}/v1/messages \\
  -H "Authorization: Bearer sk-…" \\
  -H "Content-Type: application/json" \\
  -H "anthropic-version: 2023-06-01" \\
  -d '{"model":"auto","max_tokens":100,"messages":[{"role":"user","content":"Hello!"}]}'</pre>
<h2>4. Watch your usage</h2>
<p>Spend, tokens, models, keys and teams: <a href="/admin/">the dashboard</a>.
The admin API is documented at <a href="/admin/docs">/admin/docs</a>.</p>
<footer>Snodus — MIT</footer>
</body>
</html>`;
}
