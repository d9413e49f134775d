// The sign-in form: the admin username and password, or an admin virtual key (a team admin sees only their team).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ApiError, session } from "./api.ts";
import type { Principal } from "./types.ts";

type Mode = "password" | "key";

export function SignIn({ onSignedIn, notice }: { onSignedIn: (p: Principal) => void; notice?: string }) {
  const [mode, setMode] = useState<Mode>("password");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const principal = await session.signIn(
        mode === "password"
          ? { username: value("username"), password: String(form.get("password") ?? "") }
          : { key: value("key") },
      );
      onSignedIn(principal);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };

  return html`<main class="signin">
    <form class="card signin-card" onSubmit=${submit} aria-labelledby="signin-title">
      <h1 id="signin-title"><span class="logo" aria-hidden="true">◆</span> Snodus admin</h1>
      ${notice ? html`<p class="notice">${notice}</p>` : null}
      <div class="segmented" role="radiogroup" aria-label="Sign in with">
        ${(["password", "key"] as const).map(
          (m) => html`<label class=${mode === m ? "on" : ""}>
            <input type="radio" name="mode" value=${m} checked=${mode === m} onChange=${() => {
              setMode(m);
              setError(null);
            }} />
            ${m === "password" ? "Admin password" : "Admin key"}
          </label>`,
        )}
      </div>
      ${
        mode === "password"
          ? html`<label class="field">Username
              <input name="username" autocomplete="username" required value="admin" />
            </label>
            <label class="field">Password
              <input name="password" type="password" autocomplete="current-password" required autofocus />
            </label>`
          : html`<label class="field">Virtual key
              <input name="key" type="password" autocomplete="off" spellcheck="false" placeholder="sk-…" required autofocus />
              <small>A virtual key whose user has the admin role. A team admin sees only their team.</small>
            </label>`
      }
      ${error ? html`<p class="error-note" role="alert">${error}</p>` : null}
      <button type="submit" class="primary" disabled=${busy}>${busy ? "Signing in…" : "Sign in"}</button>
      <p class="fine">You stay signed in for 12 hours through a cookie that page scripts cannot read, or until you sign out.</p>
    </form>
  </main>`;
}
