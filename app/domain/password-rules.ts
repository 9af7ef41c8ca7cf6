/**
 * What makes a new password too easy to guess: pure rules, no I/O. The list of common passwords
 * comes in as `isCommon` (app/auth/common-passwords.server.ts, kept off the browser's bundle).
 *
 * Refused: one character repeated ("aaaaaaaaaa"); one of the 10,000 most common passwords, alone or
 * with digits and symbols around it ("password123!", "2024dragon2024" are what leaked lists are full
 * of); and a password holding the person's email name or a part of their name (four letters or
 * more), the first words a guesser tries.
 */
export interface PasswordOwner {
  email?: string;
  name?: string;
}

/** The words of an email's name part and of a person's name worth looking for (four characters or more). */
function personalWords(owner: PasswordOwner): string[] {
  const local = owner.email?.split("@")[0]?.toLowerCase() ?? "";
  const words = [local, ...local.split(/[._+-]+/), ...(owner.name?.toLowerCase().split(/[\s.'’-]+/) ?? [])];
  const whole = owner.name?.toLowerCase().replace(/[\s.'’-]+/g, "") ?? "";
  return [...new Set([...words, whole])].filter((w) => w.length >= 4);
}

/** Why `password` is too easy to guess, as a person reads it, or null when it is fine. */
export function passwordWeakness(password: string, owner: PasswordOwner, isCommon: (candidate: string) => boolean): string | null {
  const lower = password.toLowerCase();
  const chars = [...password];
  if (chars.every((c) => c === chars[0])) return "Not one character repeated: that is among the first passwords anyone tries.";
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (isCommon(lower) || (core.length >= 4 && isCommon(core))) {
    return "That is one of the most common passwords (or one with digits or symbols added). Choose something less predictable, like a few unrelated words.";
  }
  if (personalWords(owner).some((word) => lower.includes(word))) return "Leave your name and email address out of your password.";
  return null;
}
