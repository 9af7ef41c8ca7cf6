import { data } from "@remix-run/node";
import type { SessionUser } from "~/auth/session.server";
import { recordRefusedAccess } from "~/services/commands/accounts.server";
import type { FormFailure } from "~/components/form";
import { Forbidden, Invalid, ServiceError, TooManyRequests, type FieldErrors } from "~/services/errors";

export type { FormFailure };

/** The answer to a form post whose `intent` the action does not know: 400, as a form failure. */
export function unknownIntent() {
  return data<FormFailure>({ fieldErrors: {}, formError: "Unknown action.", values: {} }, { status: 400 });
}

const NEVER_ECHOED = new Set(["password"]);

/** FormData as plain strings (files dropped); repeated names keep their last value. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") values[key] = value;
  }
  return values;
}

function echo(values: Record<string, string>) {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !NEVER_ECHOED.has(k)));
}

interface RefusalContext {
  request: Request;
  user: SessionUser | null;
  ip: string | null;
}

async function refuse(error: ServiceError, ctx: RefusalContext): Promise<never> {
  if (error instanceof Forbidden) {
    await recordRefusedAccess(ctx.user, new URL(ctx.request.url).pathname, { ip: ctx.ip });
  }
  const headers: HeadersInit = error instanceof TooManyRequests ? { "Retry-After": String(error.retryAfterSeconds) } : {};
  throw new Response(error.message, { status: error.status, headers });
}

/**
 * Runs a loader's service call: typed service errors become HTTP responses
 * (404, 403 audited, 409, 429), anything else is a real failure and propagates.
 */
export async function orRespond<T>(work: () => T | Promise<T>, ctx: RefusalContext): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ServiceError) await refuse(error, ctx);
    throw error;
  }
}

/**
 * Runs an action's service call. A rejected form goes back to the page with
 * status 400 (or 409/429) and what was typed; not-found and forbidden throw.
 */
export async function orFormFailure<T>(
  work: () => T | Promise<T>,
  ctx: RefusalContext & {
    values: Record<string, string>;
    /** Renames field errors to the form's own field names where they differ. */
    mapErrors?: (fieldErrors: FieldErrors) => FieldErrors;
  },
) {
  try {
    return { ok: true as const, result: await work() };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (error instanceof Invalid) {
      const { form, ...raw } = error.fieldErrors;
      const fieldErrors = ctx.mapErrors ? ctx.mapErrors(raw) : raw;
      return {
        ok: false as const,
        response: data<FormFailure>(
          { fieldErrors, formError: form?.[0] ?? error.message, values: echo(ctx.values) },
          { status: 400 },
        ),
      };
    }
    if (error.status === 409 || error.status === 429) {
      const headers: HeadersInit =
        error instanceof TooManyRequests ? { "Retry-After": String(error.retryAfterSeconds) } : {};
      return {
        ok: false as const,
        response: data<FormFailure>(
          { fieldErrors: {}, formError: error.message, values: echo(ctx.values) },
          { status: error.status, headers },
        ),
      };
    }
    return await refuse(error, ctx);
  }
}
