import { describe, expect, it } from "vitest";
import { makeIdea, makeJam, makeUser } from "../factories";
import { castVote } from "~/services/commands/votes.server";

describe("factories", () => {
  it("make a live jam with an idea someone else can vote on", async () => {
    const { challengeIds } = await makeJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!);
    const result = await castVote(await makeUser(), { ideaId: idea.id });
    expect(result).toEqual({ ideaId: idea.id, voteCount: 1, hasVoted: true });
  });
});
