// Query-string hygiene for the admin API's GET routes: an undeclared or repeated parameter is a 422.
import { t } from "elysia";
import { ValidationError } from "../users/service.ts";

/**
 * Elysia drops query parameters a schema does not declare, so a typo (`?team=…`, `?limt=5`) would
 * silently return the unfiltered, default-sized answer. This refuses them instead, naming the
 * parameter; it runs as a `transform` hook, before validation.
 */
export function strictQuery<S extends { properties: object }>(schema: S) {
  const allowed = new Set(Object.keys(schema.properties));
  return {
    query: schema,
    transform({ request }: { request: Request }) {
      const seen = new Set<string>();
      for (const name of new URL(request.url).searchParams.keys()) {
        if (!allowed.has(name))
          throw new ValidationError(`query.${name}`, "is not a parameter of this endpoint");
        // `?limit=1&limit=500`: which one counts would be Elysia's choice, not the caller's.
        if (seen.has(name)) throw new ValidationError(`query.${name}`, "is given more than once");
        seen.add(name);
      }
    },
  };
}

/** For GET routes that take no query parameters at all. */
export const NO_QUERY = strictQuery(t.Object({}));
