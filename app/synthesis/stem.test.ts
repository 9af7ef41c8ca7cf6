import { describe, expect, it } from "vitest";
import { createStemmer, porterStem } from "./stem";

// Examples from Porter's 1980 paper, step by step.
const CASES: Record<string, string> = {
  // 1a
  caresses: "caress", ponies: "poni", ties: "ti", caress: "caress", cats: "cat",
  // 1b
  feed: "feed", agreed: "agre", plastered: "plaster", bled: "bled", motoring: "motor", sing: "sing",
  conflated: "conflat", troubled: "troubl", sized: "size", hopping: "hop", tanned: "tan", falling: "fall",
  hissing: "hiss", fizzed: "fizz", failing: "fail", filing: "file",
  // 1c
  happy: "happi", sky: "sky",
  // 2
  relational: "relat", conditional: "condit", rational: "ration", valenci: "valenc", digitizer: "digit",
  conformabli: "conform", radicalli: "radic", differentli: "differ", vileli: "vile", analogousli: "analog",
  vietnamization: "vietnam", predication: "predic", operator: "oper", feudalism: "feudal", decisiveness: "decis",
  hopefulness: "hope", callousness: "callous", formaliti: "formal", sensitiviti: "sensit", sensibiliti: "sensibl",
  // 3
  triplicate: "triplic", formative: "form", formalize: "formal", electriciti: "electr", electrical: "electr",
  hopeful: "hope", goodness: "good",
  // 4
  revival: "reviv", allowance: "allow", inference: "infer", airliner: "airlin", gyroscopic: "gyroscop",
  adjustable: "adjust", defensible: "defens", irritant: "irrit", replacement: "replac", adjustment: "adjust",
  dependent: "depend", adoption: "adopt", homologou: "homolog", communism: "commun", activate: "activ",
  angulariti: "angular", homologous: "homolog", effective: "effect", bowdlerize: "bowdler",
  // 5
  probate: "probat", rate: "rate", cease: "ceas", controll: "control", roll: "roll",
  // words of this product
  onboarding: "onboard", billing: "bill", privacy: "privaci", packaging: "packag", generalizations: "gener",
};

describe("porterStem", () => {
  it("matches the paper's examples", () => {
    const got = Object.fromEntries(Object.keys(CASES).map((w) => [w, porterStem(w)]));
    expect(got).toEqual(CASES);
  });

  it("leaves short and non a-z words alone", () => {
    expect(porterStem("is")).toBe("is");
    expect(porterStem("c++")).toBe("c++");
    expect(porterStem("asp.net")).toBe("asp.net");
  });

  it("caches without changing results", () => {
    const stem = createStemmer();
    expect(stem("packaging")).toBe("packag");
    expect(stem("packaging")).toBe("packag");
  });
});
