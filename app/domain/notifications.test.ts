import { describe, expect, it } from "vitest";
import { commentNotice, hiddenNotice, NOTICE_KINDS, replyNotice, SWITCHABLE_KINDS, supportNotice, themesNotice } from "./notifications";

describe("notification wording", () => {
  it("names one commenter, counts several, and never names supporters", () => {
    expect(commentNotice(1, "Sam", "Idea")).toBe("Sam commented on your idea “Idea”");
    expect(commentNotice(3, "Sam", "Idea")).toBe("3 new comments on your idea “Idea”");
    expect(replyNotice(2, "Sam", "Idea")).toBe("2 new replies to your comment on “Idea”");
    expect(supportNotice(1, "Idea")).toBe("1 person supported your idea “Idea”");
    expect(supportNotice(5, "Idea")).toBe("5 people supported your idea “Idea”");
  });

  it("a hide says why, who still sees it and whom to ask", () => {
    expect(hiddenNotice({ what: "comment", ideaTitle: "Idea", reason: "Rude", contact: null, jamTitle: "Jam" })).toBe(
      "Your comment on “Idea” was hidden by a moderator. Reason: Rude. Only you and the facilitators can still see it. To ask about it, write to the facilitators of “Jam”.",
    );
  });

  it("themes: one idea, or the first and how many more", () => {
    expect(themesNotice({ ideaTitle: "A", themeLabel: "T", parentLabel: null, more: 0 })).toBe("Your idea “A” is part of the theme “T”");
    expect(themesNotice({ ideaTitle: "A", themeLabel: "T", parentLabel: "P", more: 2 })).toBe(
      "Your idea “A” is part of the theme “T” (under “P”), and 2 more of your ideas are in the published themes",
    );
  });

  it("every kind but a hide can be switched off", () => {
    expect(NOTICE_KINDS.filter((k) => !SWITCHABLE_KINDS.includes(k as never))).toEqual(["hidden"]);
  });
});
