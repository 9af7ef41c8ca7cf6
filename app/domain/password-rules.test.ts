import { describe, expect, it } from "vitest";
import { isCommonPassword } from "~/auth/common-passwords.server";
import { passwordWeakness } from "./password-rules";

const owner = { email: "maria.gonzalez@example.com", name: "María González-Ortiz" };
const weakness = (password: string) => passwordWeakness(password, owner, isCommonPassword);

describe("the common-passwords list", () => {
  it("holds the 10,000 most common passwords, in any case", () => {
    for (const p of ["123456", "password", "qwertyuiop", "1q2w3e4r5t", "PASSWORD", "Dragon"]) expect(isCommonPassword(p), p).toBe(true);
    expect(isCommonPassword("qqqqqq1")).toBe(true); // the 10,000th
    expect(isCommonPassword("correct-horse-battery")).toBe(false);
  });
});

describe("passwordWeakness", () => {
  it("refuses common passwords, alone or with digits and symbols around them", () => {
    for (const p of ["qwertyuiop", "1234567890", "password123", "Password2024!", "2024dragon2024", "!!!letmein!!!", "Football_1234"]) {
      expect(weakness(p), p).toMatch(/most common passwords/);
    }
  });

  it("refuses one character repeated, whatever it is", () => {
    for (const p of ["aaaaaaaaaa", "!!!!!!!!!!!!", "éééééééééé", "7777777777"]) expect(weakness(p), p).toMatch(/one character repeated/);
  });

  it("refuses a password holding the email name or a part of the person's name", () => {
    for (const p of ["maria.gonzalez!", "my-gonzalez-pass", "I am Maria, 1980", "ortiz-forever-and-ever", "gonzalezortiz99"]) {
      expect(weakness(p), p).toMatch(/name and email/);
    }
  });

  it("accepts passwords that are none of these", () => {
    for (const p of ["correct-horse-battery", "jamboree-demo", "e2e-password-123", "a-long-enough-password", "tulip sofa windy 42", "aaaaaaaaab"]) {
      expect(weakness(p), p).toBeNull();
    }
    // Short name parts (under four letters) are not looked for: they are inside too many words.
    expect(passwordWeakness("bo-and-the-cat-sat", { email: "bo@example.com", name: "Bo Li" }, isCommonPassword)).toBeNull();
  });
});
