// Self-service signup: a team, its admin user and a first key, created together or not at all.
import { PLANS } from "../../store/plans.ts";
import type { SignupResult, Store } from "../../store/types.ts";
import { StoreConflictError } from "../../store/types.ts";
import { generateKey } from "../keys/secret.ts";
import { validPlan } from "../teams/service.ts";
import { ValidationError, validEmail } from "../users/service.ts";

export interface SignupRequest {
  email: string;
  name: string;
  company: string;
  plan?: string;
}

/** Plans a stranger may pick; Enterprise is "contact us" (no caps at all), so never self-service. */
export const SIGNUP_PLANS = PLANS.filter((p) => p.priceCents !== null).map((p) => p.id);

function required(field: string, value: string, max: number): string {
  const clean = value.trim();
  if (!clean) throw new ValidationError(field, "must not be empty");
  if (clean.length > max) throw new ValidationError(field, `must be at most ${max} characters`);
  return clean;
}

export async function signup(store: Store, input: SignupRequest): Promise<SignupResult & { secret: string }> {
  const email = validEmail(input.email);
  const name = required("name", input.name, 200);
  const company = required("company", input.company, 200);
  const plan = validPlan(input.plan ?? "free");
  if (!SIGNUP_PLANS.includes(plan))
    throw new ValidationError("plan", `must be one of ${SIGNUP_PLANS.join(", ")}; for ${plan}, contact us`);
  const key = generateKey();
  try {
    const created = await store.signup({
      team: { name: company, plan },
      user: { email, name },
      key: { name: "default", keyHash: key.hash, keyPrefix: key.prefix, rateLimit: 60 },
    });
    return { ...created, secret: key.secret };
  } catch (err) {
    // Say no more than that one of the two is taken: which one, and whose, is other people's data.
    if (err instanceof StoreConflictError) throw new StoreConflictError("email or company");
    throw err;
  }
}
