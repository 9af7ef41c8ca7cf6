import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults: OWASP's m=19456 KiB, t=2, p=1.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verified against when no account matches, so a miss costs as long as a hit. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash("not-a-real-password-only-for-timing");
  return dummyHash;
}
