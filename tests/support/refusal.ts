import { TooManyRequests } from "~/services/errors";

/** The TooManyRequests that `fn` is refused with; fails when it is let through or refused otherwise. */
export async function refusal(fn: () => unknown): Promise<TooManyRequests> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof TooManyRequests) return error;
    throw error;
  }
  throw new Error("expected TooManyRequests");
}
