// One request id per incoming request, shared by the handler, the error renderer and the spend row.
import { newRequestId } from "../../errors.ts";

const ids = new WeakMap<Request, string>();

export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    id = newRequestId();
    ids.set(request, id);
  }
  return id;
}
