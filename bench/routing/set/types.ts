// The shape of one labelled item of the routing evaluation set.

/** What the request needs: trivial → cheap tier, medium → middle, hard → top. */
export type Label = "trivial" | "medium" | "hard";

export interface LabelledRequest {
  id: string;
  label: Label;
  /** The Anthropic Messages body the router sees (model, stream and the like left out). */
  body: Record<string, unknown>;
  note: string;
  /** Output tokens an answer of this kind takes, for the cost comparison (same for every method). */
  output: number;
}
