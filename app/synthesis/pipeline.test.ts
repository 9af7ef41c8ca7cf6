import { describe, expect, it } from "vitest";
import { ENDED_JAM, createRng, makeIdea } from "../../seeds/idea-bank";
import { runSynthesis, type SynthesisInput } from "./pipeline";

const topics = ENDED_JAM.challenges[2]!.topics; // pricing-billing, customer-privacy, sustainable-packaging
const rng = createRng(9);
const ideas = Array.from({ length: 45 }, (_, i) => {
  const idea = makeIdea(topics[i % 3]!, rng);
  return { id: 100 + i, text: `${idea.title}\n${idea.body}`, votes: i % 7, createdAt: 1_700_000_000_000 + i };
});

describe("runSynthesis", () => {
  it("returns themes with idea ids, a map position per idea, and no opinions without stance votes", () => {
    const progress: number[] = [];
    const out = runSynthesis({ ideas, seed: 2026, stance: null }, (p) => progress.push(p));
    expect(out.opinions).toBeNull();
    const ids = out.themes.flatMap((t) => t.ideaIds).sort((a, b) => a - b);
    expect(ids).toEqual(ideas.map((i) => i.id));
    expect(Object.keys(out.coords).map(Number).sort((a, b) => a - b)).toEqual(ideas.map((i) => i.id));
    for (const t of out.themes) expect(t.representativeIds.every((r) => t.ideaIds.includes(r))).toBe(true);
    expect(out.themes.filter((t) => t.isOther).length).toBeLessThanOrEqual(1);
    expect(progress[progress.length - 1]).toBe(100);
    // Plain data: survives JSON (the worker posts it, the service stores it).
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it("adds opinion groups from stance votes", () => {
    // Two camps of six: camp A agrees with ideas 100-104 and rejects 105-109, camp B the opposite; all agree with 110.
    const votes: NonNullable<SynthesisInput["stance"]>["votes"] = [];
    for (let p = 0; p < 12; p++) {
      for (let i = 100; i <= 110; i++) {
        const campA = p < 6;
        const value = i === 110 ? 1 : (i < 105) === campA ? 1 : -1;
        votes.push({ participant: 500 + p, ideaId: i, value });
      }
    }
    const out = runSynthesis({ ideas, seed: 1, stance: { votes } });
    expect(out.opinions).not.toBeNull();
    const o = out.opinions!;
    expect(o.participants).toBe(12);
    expect(o.groups.map((g) => g.size)).toEqual([6, 6]);
    expect(o.consensusIds[0]).toBe(110);
    expect(o.divisiveIds.every((id) => id >= 100 && id <= 109)).toBe(true);
    for (const g of o.groups) expect(g.representativeIds.length).toBeGreaterThan(0);
    // How each group voted on the ideas it names: everyone agreed with 110; the camps split on the rest.
    expect(o.votesByGroup![110]).toEqual([
      { agree: 6, disagree: 0, seen: 6 },
      { agree: 6, disagree: 0, seen: 6 },
    ]);
    for (const id of o.divisiveIds) {
      const [first, second] = o.votesByGroup![id]!;
      expect([first!.agree, second!.agree].sort()).toEqual([0, 6]);
      expect(first!.agree + first!.disagree).toBe(6);
    }
  });

  it("puts every idea in a theme with noOther (splitting a theme)", () => {
    const out = runSynthesis({ ideas: [...ideas, { id: 1, text: "Vegan lasagne at the cafeteria" }], k: 2, seed: 7, stance: null, noOther: true });
    expect(out.themes).toHaveLength(2);
    expect(out.themes.some((t) => t.isOther)).toBe(false);
  });
});
