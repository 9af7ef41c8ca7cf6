import { describe, expect, it } from "vitest";
import { coalesce } from "./coalesce";

const e = (id: number, type: string, data: Record<string, unknown> = {}) => ({ id, type, data });

describe("coalesce", () => {
  it("keeps the latest counts of each idea and one points ping, in order, and every new idea", () => {
    const turn = [
      e(1, "idea.created", { ideaId: 9 }),
      e(2, "points.changed"),
      e(3, "vote.changed", { ideaId: 7, voteCount: 1 }),
      e(4, "points.changed"),
      e(5, "vote.changed", { ideaId: 8, voteCount: 4 }),
      e(6, "vote.changed", { ideaId: 7, voteCount: 2 }),
      e(7, "idea.created", { ideaId: 10 }),
      e(8, "points.changed"),
    ];
    expect(coalesce(turn).map((x) => x.id)).toEqual([1, 5, 6, 7, 8]);
    expect(coalesce(turn).find((x) => x.data.ideaId === 7)!.data.voteCount).toBe(2);
  });

  it("never drops what cannot be replaced: comments, announcements, jam changes", () => {
    const turn = [e(1, "comment.created", { commentId: 1 }), e(2, "comment.created", { commentId: 2 }), e(3, "jam.changed"), e(4, "jam.changed"), e(5, "announcement.created", { id: 1 })];
    expect(coalesce(turn).map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it("returns the same list when nothing can go (no copy for the common case)", () => {
    const turn = [e(1, "idea.created", { ideaId: 1 }), e(2, "points.changed")];
    expect(coalesce(turn)).toBe(turn);
  });
});
