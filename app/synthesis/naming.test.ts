import { describe, expect, it } from "vitest";
import { clip, firstSentence, nameGroup, nameTheme, withoutLeadIn } from "./naming";

describe("theme names a leader reads", () => {
  const reps = [
    { title: "A buddy for every new starter", body: "" },
    { title: "Welcome packs for new customers on day one", body: "Send a welcome pack with the login details and a short video. It saves calls." },
    { title: "Onboarding calls", body: "Call every new customer in their first week." },
  ];

  it("titles a theme with the representative idea that says most of its keywords, in the words its author wrote", () => {
    const name = nameTheme(reps, ["customers", "welcome", "pack", "new"], "customers, welcome, pack");
    expect(name.title).toBe("Welcome packs for new customers on day one");
    expect(name.summary).toBe("Send a welcome pack with the login details and a short video.");
  });

  it("keeps the most representative idea on a tie, and summarises from the next idea when the chosen one has no description", () => {
    const name = nameTheme(reps, ["starter", "calls"], "starter, calls");
    expect(name.title).toBe("A buddy for every new starter");
    expect(name.summary).toBe("Also: “Welcome packs for new customers on day one”.");
  });

  it("falls back to the keyword label when no representative has a title, and never returns more than it should", () => {
    expect(nameTheme([], ["x"], "pricing, invoices")).toEqual({ title: "pricing, invoices", summary: "" });
    const long = { title: "word ".repeat(40), body: `${"Very long sentence ".repeat(30)}end. Second.` };
    const name = nameTheme([long], [], "");
    expect(name.title.length).toBeLessThanOrEqual(80);
    expect(name.title.endsWith("…")).toBe(true);
    expect(name.summary.length).toBeLessThanOrEqual(200);
  });

  it("drops a lead-in label from a title", () => {
    expect(withoutLeadIn("Suggestion: let customers download invoices")).toBe("Let customers download invoices");
    expect(withoutLeadIn("Proposal – quiet Fridays")).toBe("Quiet Fridays");
    expect(withoutLeadIn("Ideas: more")).toBe("More");
    expect(withoutLeadIn("Idea")).toBe("Idea");
    expect(withoutLeadIn("Ideation workshops for teams")).toBe("Ideation workshops for teams");
    expect(nameTheme([{ title: "Idea: shorter meetings", body: "" }], [], "").title).toBe("Shorter meetings");
  });

  it("clips at a word and finds the first sentence", () => {
    expect(clip("one two three", 20)).toBe("one two three");
    expect(clip("alpha beta gamma delta", 12)).toBe("alpha beta…");
    expect(firstSentence("First one. Second one.")).toBe("First one.");
    expect(firstSentence("Version 2.5 is out! Yes.")).toBe("Version 2.5 is out!");
    expect(firstSentence("no full stop")).toBe("no full stop");
  });
});

describe("nameGroup", () => {
  it("names a theme with sub-themes by its two strongest keywords, keeping a representative's sentence", () => {
    const named = nameGroup([{ title: "A pricing calculator", body: "Customers see the price first. Then more." }], ["pricing calculator", "onboarding", "renewal"], "x");
    expect(named).toEqual({ title: "Pricing calculator and onboarding", summary: "Customers see the price first." });
    expect(nameGroup([{ title: "Only one", body: "" }], [], "fallback").title).toBe("Only one");
  });
});
