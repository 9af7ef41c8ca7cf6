import { describe, expect, it } from "vitest";
import { analyze, isContentToken, tokenize } from "./tokenize";

describe("tokenize", () => {
  it("lower-cases and splits on punctuation and hyphens", () => {
    expect(tokenize("Faster on-boarding, please!")).toEqual(["faster", "on", "boarding", "please"]);
  });

  it("keeps technical words whole: dotted names, c++, c#", () => {
    expect(tokenize("Using ASP.NET with C# and C++ in node.js.")).toEqual(["using", "asp.net", "with", "c#", "and", "c++", "in", "node.js"]);
  });

  it("drops possessive 's, removes inner apostrophes (straight or curly) and strips accents", () => {
    expect(tokenize("The café’s menu isn't ready")).toEqual(["the", "cafe", "menu", "isnt", "ready"]);
  });

  it("returns nothing for blank or punctuation-only text", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" — !? ")).toEqual([]);
  });
});

describe("analyze", () => {
  it("drops stop words, numbers and single letters", () => {
    expect(isContentToken("the")).toBe(false);
    expect(isContentToken("2024")).toBe(false);
    expect(isContentToken("x")).toBe(false);
    expect(isContentToken("billing")).toBe(true);
  });

  it("stems words and records the surface form of each term", () => {
    const { terms, surfaces } = analyze("Billing invoices", { bigrams: false });
    expect(terms).toEqual(["bill", "invoic"]);
    expect(surfaces).toEqual(["billing", "invoices"]);
  });

  it("makes bigrams only from words adjacent in the text", () => {
    // "of the" sits between "onboarding" and "customers": no bigram across it.
    const { terms, surfaces } = analyze("Faster onboarding of the new customers");
    expect(terms).toEqual(["faster", "onboard", "new", "custom", "faster onboard", "new custom"]);
    expect(surfaces.slice(4)).toEqual(["faster onboarding", "new customers"]);
  });
});
