import type { z } from "zod";

/** Typed failures thrown by services; app/http/errors.server.ts maps them to HTTP. */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends ServiceError {
  constructor(message = "Not found") {
    super(message, 404);
  }
}

export class Forbidden extends ServiceError {
  constructor(message = "You are not allowed to do that.") {
    super(message, 403);
  }
}

export class Conflict extends ServiceError {
  constructor(message: string) {
    super(message, 409);
  }
}

/** An edit based on a version that is no longer the current one: the current version travels with it. */
export class StaleEdit extends Conflict {
  constructor(
    message: string,
    readonly currentVersion: number,
  ) {
    super(message);
  }
}

export type FieldErrors = Record<string, string[]>;

export class Invalid extends ServiceError {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = "Please correct the highlighted fields.",
  ) {
    super(message, 400);
  }
}

export class TooManyRequests extends ServiceError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 429);
  }
}

/** Parses input with a zod schema, throwing Invalid with one list of messages per field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  throw new Invalid(fieldErrors);
}
