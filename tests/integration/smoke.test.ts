import { describe, expect, it } from "vitest";
import { makeIdea, makeJam, makeUser } from "../factories";
import { castVote } from "~/services/votes.server";

describe("factories", () => {
  it("make a live jam with an idea someone else can vote on", () => {
    const { challengeIds } = makeJam();
    const author = makeUser();
    const idea = makeIdea(author, challengeIds[0]!);
    const result = castVote(makeUser(), { ideaId: idea.id });
    expect(result).toEqual({ ideaId: idea.id, voteCount: 1, hasVoted: true });
  });
});
