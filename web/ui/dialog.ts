// A modal on the native <dialog>: it traps focus, closes on Escape and makes the page behind it inert.
import { html } from "htm/preact";
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function Modal({
  title,
  onClose,
  children,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const closed = () => onCloseRef.current();
    dialog.addEventListener("close", closed);
    return () => {
      dialog.removeEventListener("close", closed);
      if (dialog.open) dialog.close();
      // Give keyboard users their place back.
      opener?.focus();
    };
  }, []);
  return html`<dialog ref=${ref} class=${wide ? "modal wide" : "modal"} aria-labelledby="modal-title">
    <header class="modal-head">
      <h2 id="modal-title">${title}</h2>
      <button type="button" class="icon" aria-label="Close" onClick=${() => ref.current?.close()}>×</button>
    </header>
    ${children}
  </dialog>`;
}

/** Asks before a consequential action; the safe choice has the focus, so Enter never confirms by accident. */
export function Confirm({
  title,
  message,
  action,
  onConfirm,
  onClose,
  busy,
  error,
  tone = "danger",
}: {
  title: string;
  message: ComponentChildren;
  action: string;
  /** Red for what cannot be undone (revoke); the accent colour for ordinary confirmations. */
  tone?: "danger" | "primary";
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
  error?: string | null;
}) {
  return html`<${Modal} title=${title} onClose=${onClose}>
    <div class="modal-body">${message}</div>
    ${error ? html`<p class="error-note" role="alert">${error}</p>` : null}
    <footer class="modal-foot">
      <button type="button" autofocus onClick=${onClose}>Cancel</button>
      <button type="button" class=${tone} disabled=${busy} onClick=${onConfirm}>${busy ? "Working…" : action}</button>
    </footer>
  <//>`;
}
