import { describe, expect, it } from "vitest";
import { erasedEmailFor, isErasedEmail } from "./erasure";

describe("the address an erasure leaves", () => {
  it("is under .invalid, names the account and is recognised as erased", () => {
    const address = erasedEmailFor(42, "0123456789abcdef");
    expect(address).toBe("erased-42-0123456789abcdef@erased.invalid");
    expect(isErasedEmail(address)).toBe(true);
  });

  it("is not confused with a real address that looks like it", () => {
    expect(isErasedEmail("erased-42@erased.invalid")).toBe(false);
    expect(isErasedEmail("erased-42-0123456789abcdef@erased.invalid.example.com")).toBe(false);
    expect(isErasedEmail("sam@company.com")).toBe(false);
  });
});
