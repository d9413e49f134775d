// The dashboard's entry: checks the session, then shows the signed-in shell with one tab per admin area.
import { html } from "htm/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { onSignedOut, session } from "./api.ts";
import { useRoute } from "./route.ts";
import { SignIn } from "./signin.ts";
import { AccountTab } from "./tabs/account.ts";
import { ActivityTab } from "./tabs/activity.ts";
import { KeysTab } from "./tabs/keys.ts";
import { LatencyTab } from "./tabs/latency.ts";
import { RoutingTab } from "./tabs/routing.ts";
import { SpendTab } from "./tabs/spend.ts";
import { UsersTab } from "./tabs/users.ts";
import type { Principal } from "./types.ts";
import { Loading } from "./ui/parts.ts";

const TABS = [
  { id: "spend", label: "Spend", view: SpendTab },
  { id: "activity", label: "Activity", view: ActivityTab },
  { id: "latency", label: "Latency", view: LatencyTab },
  { id: "keys", label: "Keys", view: KeysTab },
  { id: "users", label: "Users & Teams", view: UsersTab },
  { id: "account", label: "Account", view: AccountTab },
  { id: "routing", label: "Routing", view: RoutingTab },
] as const;

function App() {
  // undefined while the session check runs, null when signed out.
  const [principal, setPrincipal] = useState<Principal | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  useEffect(() => {
    session.current().then(setPrincipal, () => setPrincipal(null));
    return onSignedOut(() => {
      setNotice("Your session ended. Sign in again to continue.");
      setPrincipal(null);
    });
  }, []);

  if (principal === undefined) return html`<${Loading} label="Checking your session…" />`;
  if (principal === null)
    return html`<${SignIn}
      notice=${notice}
      onSignedIn=${(p: Principal) => {
        setNotice(undefined);
        setPrincipal(p);
      }}
    />`;
  return html`<${Shell} principal=${principal} onSignOut=${() => setPrincipal(null)} />`;
}

function Shell({ principal, onSignOut }: { principal: Principal; onSignOut: () => void }) {
  const route = useRoute();
  const tab = TABS.find((t) => t.id === route.tab) ?? TABS[0];
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    document.title = `${tab.label} · Snodus admin`;
  }, [tab]);

  const signOut = async () => {
    setSigningOut(true);
    // Whatever the server says, forget the session locally; the cookie is HttpOnly, so only the server can clear it.
    await session.signOut().catch(() => undefined);
    onSignOut();
  };

  const who =
    principal.kind === "global" ? principal.username : `${principal.user.name} · ${principal.team.name}`;
  return html`<div class="shell">
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <div class="brand"><span class="logo" aria-hidden="true">◆</span> Snodus</div>
      <nav class="tabs" aria-label="Dashboard">
        ${TABS.map(
          (t) =>
            html`<a href=${`#/${t.id}`} aria-current=${t.id === tab.id ? "page" : undefined}>${t.label}</a>`,
        )}
      </nav>
      <div class="who">
        <span class="who-name" title=${principal.kind === "global" ? "Global administrator" : "Team administrator"}>
          ${principal.kind === "global" ? html`<span class="badge">global</span>` : html`<span class="badge team">team</span>`}
          ${who}
        </span>
        <button type="button" class="ghost" onClick=${signOut} disabled=${signingOut}>Sign out</button>
      </div>
    </header>
    <main id="main" class="content" tabindex="-1">
      <${tab.view} principal=${principal} params=${route.params} />
    </main>
  </div>`;
}

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(html`<${App} />`, root);
}
