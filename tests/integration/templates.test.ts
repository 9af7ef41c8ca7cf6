import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { fieldName } from "~/domain/templates";
import { ideasCsv } from "~/services/exports.server";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { listChallengeIdeas, postIdea } from "~/services/ideas.server";
import { editIdea, ideaHistory } from "~/services/revisions.server";
import {
  addTemplateField,
  ideaTemplatePanel,
  moveTemplateField,
  removeTemplateField,
  restoreTemplateField,
  templateEditorPage,
  updateTemplateField,
} from "~/services/templates.server";
import { personalData } from "~/services/data-export.server";
import { deleteJam } from "~/services/retention.server";
import { db, transaction } from "~db/client";
import { auditLog, ideaFieldValues, templateFields } from "~db/schema";
import { makeJam, makeUser } from "../factories";

let keys = 0;
const key = () => `key-${Date.now().toString(36)}-${++keys}`.padEnd(8, "x");

function setting(options: Parameters<typeof makeJam>[0] = {}) {
  const { jam, challengeIds, facilitator } = makeJam({ challenges: 2, ...options });
  return { jam, challengeId: challengeIds[0]!, otherChallengeId: challengeIds[1]!, facilitator, author: makeUser({ name: "Pat Poster" }) };
}

function addField(actor: SessionUser, challengeId: number, field: Record<string, unknown>) {
  return addTemplateField(actor, { challengeId, required: "", help: "", ...field }).fieldId;
}

function post(actor: SessionUser, challengeId: number, values: Record<string, string>, title = `Idea ${key()}`) {
  return postIdea(actor, { challengeId, title, body: "Details.", isAnonymous: "", clientKey: key(), ...values });
}

function refusal(work: () => unknown): Record<string, string[]> {
  try {
    work();
  } catch (error) {
    if (error instanceof Invalid) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected a refusal");
}

const stored = (ideaId: number) =>
  Object.fromEntries(
    db()
      .select()
      .from(ideaFieldValues)
      .where(eq(ideaFieldValues.ideaId, ideaId))
      .all()
      .map((r) => [r.fieldId, r.value]),
  );

describe("the template editor", () => {
  it("adds, edits, reorders and removes fields, each change audited", () => {
    const { challengeId, facilitator, jam } = setting();
    const cost = addField(facilitator, challengeId, { label: "Cost", kind: "number", min: "0", unit: "€", required: "on" });
    const area = addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Office\nFactory\nOffice\n" });
    const page = templateEditorPage(facilitator, { challengeId, jamSlug: jam.slug });
    expect(page.fields.map((f) => [f.label, f.kind, f.required, f.options])).toEqual([
      ["Cost", "number", true, []],
      ["Area", "choice", false, ["Office", "Factory"]],
    ]);
    moveTemplateField(facilitator, { challengeId, fieldId: area, direction: "up" });
    updateTemplateField(facilitator, { challengeId, fieldId: cost, label: "Cost to start", kind: "number", min: "0", max: "1,000,000", unit: "€", required: "on" });
    expect(templateEditorPage(facilitator, { challengeId, jamSlug: jam.slug }).fields.map((f) => [f.label, f.max])).toEqual([
      ["Area", null],
      ["Cost to start", 1_000_000],
    ]);
    // No idea answered "Area": removing deletes it.
    expect(removeTemplateField(facilitator, { challengeId, fieldId: area })).toMatchObject({ outcome: "deleted" });
    const audits = db().select().from(auditLog).where(and(eq(auditLog.action, "template_changed"), eq(auditLog.subject, `challenge:${challengeId}`))).all();
    expect(audits.map((a) => JSON.parse(a.detail!).change)).toEqual(["added", "added", "moved up", "edited", "removed"]);
  });

  it("refuses bad field definitions with messages", () => {
    const { challengeId, facilitator } = setting();
    expect(refusal(() => addField(facilitator, challengeId, { label: "", kind: "short_text" })).label).toBeDefined();
    expect(refusal(() => addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Only one" })).options).toEqual([
      "Give at least two options, one a line.",
    ]);
    expect(refusal(() => addField(facilitator, challengeId, { label: "Cost", kind: "number", min: "10", max: "1" })).max).toBeDefined();
    expect(refusal(() => addField(facilitator, challengeId, { label: "Cost", kind: "number", min: "ten" })).min).toEqual([
      "The lowest value must be a number, like 0 or 1200.",
    ]);
    expect(refusal(() => addField(facilitator, challengeId, { label: "Kind", kind: "script" })).kind).toBeDefined();
    const options = Array.from({ length: 500 }, (_, i) => `Option ${i}`).join("\n");
    expect(refusal(() => addField(facilitator, challengeId, { label: "Too many", kind: "choice", options })).options).toBeDefined();
    expect(db().select().from(templateFields).where(eq(templateFields.challengeId, challengeId)).all()).toHaveLength(0);
  });

  it("attack: a participant cannot read or change a template; a draft jam's is not found", () => {
    const { challengeId, facilitator, jam } = setting();
    const field = addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    const participant = makeUser();
    expect(() => templateEditorPage(participant, { challengeId, jamSlug: jam.slug })).toThrow(Forbidden);
    expect(() => addField(participant, challengeId, { label: "Mine", kind: "short_text" })).toThrow(Forbidden);
    expect(() => updateTemplateField(participant, { challengeId, fieldId: field, label: "Hacked", kind: "number" })).toThrow(Forbidden);
    expect(() => removeTemplateField(participant, { challengeId, fieldId: field })).toThrow(Forbidden);
    expect(() => moveTemplateField(participant, { challengeId, fieldId: field, direction: "up" })).toThrow(Forbidden);
    expect(db().select().from(templateFields).where(eq(templateFields.challengeId, challengeId)).all().map((f) => f.label)).toEqual(["Cost"]);

    // A field of another challenge named through this one is not found (a facilitator cannot cross them either).
    const other = setting();
    const foreign = addField(other.facilitator, other.challengeId, { label: "Other", kind: "short_text" });
    expect(() => removeTemplateField(facilitator, { challengeId, fieldId: foreign })).toThrow(NotFound);

    const draft = setting({ isDraft: true });
    expect(() => addField(participant, draft.challengeId, { label: "Secret", kind: "short_text" })).toThrow(NotFound);
  });
});

describe("posting an idea with a template", () => {
  function templated() {
    const s = setting();
    const f = s.facilitator;
    const ids = {
      cost: addField(f, s.challengeId, { label: "Cost", kind: "number", min: "0", max: "100000", unit: "€", required: "on" }),
      area: addField(f, s.challengeId, { label: "Area", kind: "choice", options: "Office\nFactory" }),
      tried: addField(f, s.challengeId, { label: "Tried before", kind: "yes_no" }),
      link: addField(f, s.challengeId, { label: "Source", kind: "link" }),
      who: addField(f, s.challengeId, { label: "Who benefits", kind: "short_text" }),
      how: addField(f, s.challengeId, { label: "How", kind: "long_text" }),
    };
    return { ...s, ids };
  }

  it("stores valid answers of every kind, numbers as numbers", () => {
    const { challengeId, author, ids } = templated();
    const idea = post(author, challengeId, {
      [fieldName(ids.cost)]: " 1,200.50 ",
      [fieldName(ids.area)]: "Factory",
      [fieldName(ids.tried)]: "no",
      [fieldName(ids.link)]: "https://example.com/a?b=c",
      [fieldName(ids.who)]: "Night shift",
      [fieldName(ids.how)]: "Step one.\nStep two.",
    });
    expect(stored(idea.id)).toEqual({
      [ids.cost]: "1200.5",
      [ids.area]: "Factory",
      [ids.tried]: "no",
      [ids.link]: "https://example.com/a?b=c",
      [ids.who]: "Night shift",
      [ids.how]: "Step one.\nStep two.",
    });
    const row = db().select().from(ideaFieldValues).where(and(eq(ideaFieldValues.ideaId, idea.id), eq(ideaFieldValues.fieldId, ids.cost))).get()!;
    expect(row.numberValue).toBe(1200.5);
    const panel = ideaTemplatePanel(author, idea.id);
    expect(panel.answers.map((a) => [a.label, a.text])).toContainEqual(["Cost", "1,200.5 €"]);
    expect(panel.answers.find((a) => a.label === "Tried before")!.text).toBe("No");
  });

  it("refuses each kind's bad answer with a clear message, together with the idea's own errors, and stores nothing", () => {
    const { challengeId, author, ids } = templated();
    const errors = refusal(() =>
      postIdea(author, {
        challengeId,
        title: "",
        clientKey: key(),
        [fieldName(ids.cost)]: "twelve",
        [fieldName(ids.area)]: "Moon base",
        [fieldName(ids.tried)]: "maybe",
        [fieldName(ids.link)]: "javascript:alert(document.cookie)",
        [fieldName(ids.who)]: "x".repeat(201),
        [fieldName(ids.how)]: "Fine\u202Ereversed",
      }),
    );
    expect(errors).toMatchObject({
      title: ["Give your idea a title."],
      [fieldName(ids.cost)]: ["“Cost” must be a number, like 1200 or 3.5."],
      [fieldName(ids.area)]: ["Pick one of the options for “Area”."],
      [fieldName(ids.tried)]: ["Answer “Tried before” with yes or no."],
      [fieldName(ids.link)]: ["“Source” must be a web address starting with https:// or http://."],
      [fieldName(ids.who)]: ["Keep “Who benefits” to 200 characters or fewer."],
    });
    expect(errors[fieldName(ids.how)]![0]).toMatch(/text-direction/);
    expect(refusal(() => post(author, challengeId, {}))).toEqual({ [fieldName(ids.cost)]: ["“Cost” is required."] });
    expect(refusal(() => post(author, challengeId, { [fieldName(ids.cost)]: "-1" }))).toEqual({
      [fieldName(ids.cost)]: ["“Cost” must be between 0 and 100,000 €."],
    });
    expect(db().select().from(ideaFieldValues).all().filter((r) => Object.values(ids).includes(r.fieldId))).toHaveLength(0);
  });

  it("attack: link schemes other than http(s) are refused", () => {
    const { challengeId, author, ids } = templated();
    for (const link of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd", "//evil.example", "https://", "http://exa mple.com"]) {
      expect(refusal(() => post(author, challengeId, { [fieldName(ids.cost)]: "1", [fieldName(ids.link)]: link }))[fieldName(ids.link)], link).toBeDefined();
    }
    const ok = post(author, challengeId, { [fieldName(ids.cost)]: "1", [fieldName(ids.link)]: "http://intranet.example/wiki" });
    expect(stored(ok.id)[ids.link]).toBe("http://intranet.example/wiki");
  });

  it("attack: a value for another challenge's field (or a removed one) is not stored", () => {
    const { challengeId, otherChallengeId, facilitator, author, ids } = templated();
    const foreign = addField(facilitator, otherChallengeId, { label: "Budget owner", kind: "short_text" });
    const gone = addField(facilitator, challengeId, { label: "Old", kind: "short_text" });
    const kept = post(author, challengeId, { [fieldName(ids.cost)]: "5", [fieldName(gone)]: "first answer" });
    removeTemplateField(facilitator, { challengeId, fieldId: gone });
    const idea = post(author, challengeId, { [fieldName(ids.cost)]: "5", [fieldName(foreign)]: "smuggled", [fieldName(gone)]: "late answer" });
    expect(stored(idea.id)).toEqual({ [ids.cost]: "5" });
    expect(stored(kept.id)[gone]).toBe("first answer");
  });

  it("attack: a huge, malformed form reads only the template's fields and refuses oversized answers", () => {
    const { challengeId, author, ids } = templated();
    const junk: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) junk[`field_${1_000_000 + i}`] = "x";
    junk["field_abc"] = "y";
    junk["__proto__"] = "z";
    const started = performance.now();
    const idea = post(author, challengeId, { ...junk, [fieldName(ids.cost)]: "7" });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(stored(idea.id)).toEqual({ [ids.cost]: "7" });
    expect(refusal(() => post(author, challengeId, { [fieldName(ids.cost)]: "9".repeat(5000) }))[fieldName(ids.cost)]).toBeDefined();
    expect(refusal(() => post(author, challengeId, { [fieldName(ids.cost)]: "1", [fieldName(ids.how)]: "y".repeat(4001) }))[fieldName(ids.how)]).toBeDefined();
    expect(refusal(() => post(author, challengeId, { [fieldName(ids.cost)]: "1", [fieldName(ids.link)]: `https://e.com/${"a".repeat(2001)}` }))[fieldName(ids.link)]).toBeDefined();
    // A participant who cannot see a draft challenge learns nothing of its template: not found, not "X is required".
    const draft = setting({ isDraft: true });
    addField(draft.facilitator, draft.challengeId, { label: "Secret plan", kind: "short_text", required: "on" });
    expect(() => post(author, draft.challengeId, {})).toThrow(NotFound);
  });

  it("a field made required binds new posts and edits, not ideas already posted", () => {
    const { challengeId, facilitator, author, jam } = setting();
    const team = addField(facilitator, challengeId, { label: "Team", kind: "short_text" });
    const old = post(author, challengeId, {});
    updateTemplateField(facilitator, { challengeId, fieldId: team, label: "Team", kind: "short_text", required: "on" });
    // The old idea still lists and reads as it was.
    const page = listChallengeIdeas(author, { challengeId });
    expect(page.ideas.map((i) => i.id)).toContain(old.id);
    expect(refusal(() => post(author, challengeId, {}))).toEqual({ [fieldName(team)]: ["“Team” is required."] });
    // Editing it now asks for the field.
    expect(refusal(() => editIdea(author, { ideaId: old.id, title: "Changed", body: "Details.", baseVersion: 1 }))).toEqual({
      [fieldName(team)]: ["“Team” is required."],
    });
    editIdea(author, { ideaId: old.id, title: "Changed", body: "Details.", baseVersion: 1, [fieldName(team)]: "Ops" });
    expect(stored(old.id)).toEqual({ [team]: "Ops" });
    expect(ideaHistory(author, { ideaId: old.id, jamSlug: jam.slug }).versions[0]!.fieldChanges).toEqual([{ label: "Team", before: null, after: "Ops" }]);
  });

  it("editing the answers alone makes a version whose history shows the change; the same again writes nothing", () => {
    const { challengeId, facilitator, author, jam } = setting();
    const cost = addField(facilitator, challengeId, { label: "Cost", kind: "number", unit: "€" });
    const old = addField(facilitator, challengeId, { label: "Old question", kind: "short_text" });
    const idea = post(author, challengeId, { [fieldName(cost)]: "100", [fieldName(old)]: "kept" }, "Same title");
    removeTemplateField(facilitator, { challengeId, fieldId: old });
    const input = { ideaId: idea.id, title: "Same title", body: "Details.", baseVersion: 1, [fieldName(cost)]: "250" };
    expect(editIdea(author, input)).toMatchObject({ changed: true, version: 2 });
    expect(editIdea(author, { ...input, baseVersion: 2 })).toMatchObject({ changed: false, version: 2 });
    // The retired field's answer is untouched by the edit.
    expect(stored(idea.id)).toEqual({ [cost]: "250", [old]: "kept" });
    const history = ideaHistory(makeUser(), { ideaId: idea.id, jamSlug: jam.slug });
    expect(history.versions[0]!.fieldChanges).toEqual([{ label: "Cost", before: "100 €", after: "250 €" }]);
    expect(history.versions[1]!.fieldChanges).toEqual([]);
  });

  it("a retired field keeps its values: in the CSV (labelled), the data download, and back when restored", () => {
    const { challengeId, facilitator, author, jam } = setting();
    const area = addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Office\nFactory" });
    const note = addField(facilitator, challengeId, { label: "Note", kind: "short_text" });
    const idea = post(author, challengeId, { [fieldName(area)]: "Office", [fieldName(note)]: "=HYPERLINK(\"http://evil\")" });
    expect(removeTemplateField(facilitator, { challengeId, fieldId: area })).toMatchObject({ outcome: "retired" });
    expect(stored(idea.id)[area]).toBe("Office");
    // Gone from the form, the cards and the filters.
    expect(ideaTemplatePanel(author, idea.id).fields.map((f) => f.label)).toEqual(["Note"]);
    expect(listChallengeIdeas(author, { challengeId }).template.fields.map((f) => f.label)).toEqual(["Note"]);
    const csv = ideasCsv(facilitator, jam.slug).body;
    const [header, row] = csv.replace("\uFEFF", "").split("\r\n");
    expect(header).toContain("Challenge 1: Note,Challenge 1: Area (retired)");
    // Formula injection is defused as in every other cell.
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")",Office`);
    const data = personalData(db(), author.id);
    expect(data.ideaAnswers).toContainEqual(expect.objectContaining({ ideaId: idea.id, field: "Area", value: "Office", fieldRemoved: true }));
    restoreTemplateField(facilitator, { challengeId, fieldId: area });
    expect(ideaTemplatePanel(author, idea.id).answers.map((a) => a.text)).toEqual(["=HYPERLINK(\"http://evil\")", "Office"]);
  });

  it("an anonymous idea's answers show on its card and page, and nothing of its author does", () => {
    const { challengeId, facilitator, author } = setting();
    const team = addField(facilitator, challengeId, { label: "Team", kind: "short_text" });
    const idea = postIdea(author, { challengeId, title: "Quiet idea", isAnonymous: "on", clientKey: key(), [fieldName(team)]: "Platform" });
    const reader = makeUser();
    const card = listChallengeIdeas(reader, { challengeId }).ideas.find((i) => i.id === idea.id)!;
    expect(card.answers).toEqual([{ fieldId: team, label: "Team", kind: "short_text", text: "Platform", href: null }]);
    expect(card.author).toBeNull();
    const sent = JSON.stringify([card, ideaTemplatePanel(reader, idea.id)]);
    expect(sent).not.toContain("Pat Poster");
    expect(sent).not.toContain(`"authorId"`);
  });

  it("a field's kind cannot change once ideas answered it", () => {
    const { challengeId, facilitator, author } = setting();
    const cost = addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    post(author, challengeId, { [fieldName(cost)]: "3" });
    expect(refusal(() => updateTemplateField(facilitator, { challengeId, fieldId: cost, label: "Cost", kind: "short_text" })).kind).toBeDefined();
  });

  it("a jam deleted for retention takes its templates and answers with it", () => {
    const { challengeId, facilitator, author, jam } = setting();
    const cost = addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    const idea = post(author, challengeId, { [fieldName(cost)]: "3" });
    editIdea(author, { ideaId: idea.id, title: "New", body: "Details.", baseVersion: 1, [fieldName(cost)]: "4" });
    const deleted = transaction((tx) => deleteJam(tx, jam.id, Date.now() + 10 * 24 * 3600_000, Date.now()));
    expect(deleted).not.toBeNull();
    expect(db().select().from(templateFields).where(eq(templateFields.challengeId, challengeId)).all()).toHaveLength(0);
    expect(stored(idea.id)).toEqual({});
  });
});

describe("filtering a challenge's ideas by their answers", () => {
  it("filters by number range, choice, yes/no and text, across keyset pages, in every sort", () => {
    const { challengeId, facilitator, author } = setting();
    const other = makeUser();
    const cost = addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    const area = addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Office\nFactory" });
    const tried = addField(facilitator, challengeId, { label: "Tried", kind: "yes_no" });
    const who = addField(facilitator, challengeId, { label: "Who", kind: "short_text" });
    const posted: { id: number; cost: number; area: string; tried: string; who: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const v = { cost: i * 10, area: i % 3 === 0 ? "Factory" : "Office", tried: i % 2 === 0 ? "yes" : "no", who: i % 5 === 0 ? "night 100% shift" : "day team" };
      const idea = post(i % 2 ? other : author, challengeId, {
        [fieldName(cost)]: String(v.cost),
        [fieldName(area)]: v.area,
        [fieldName(tried)]: v.tried,
        [fieldName(who)]: v.who,
      });
      posted.push({ id: idea.id, ...v });
    }
    post(author, challengeId, {}); // no answers: never matches a filter
    const all = (filters: Record<string, string>, sort = "newest") => {
      const ids: number[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 10; n++) {
        const page = listChallengeIdeas(facilitator, { challengeId, sort, cursor, filters });
        expect(page.ideas.length).toBeLessThanOrEqual(20);
        ids.push(...page.ideas.map((i) => i.id));
        if (!page.nextCursor) return ids;
        cursor = page.nextCursor;
      }
      throw new Error("too many pages");
    };
    const expected = (keep: (p: (typeof posted)[number]) => boolean) =>
      posted
        .filter(keep)
        .map((p) => p.id)
        .sort((a, b) => b - a);
    const range = { [`f${cost}_min`]: "150", [`f${cost}_max`]: "520" };
    expect(all(range)).toEqual(expected((p) => p.cost >= 150 && p.cost <= 520));
    expect(all(range)).toHaveLength(38);
    expect(all({ [`f${area}`]: "Factory", [`f${tried}`]: "yes" })).toEqual(expected((p) => p.area === "Factory" && p.tried === "yes"));
    // "100%" is matched as typed: % and _ are not wildcards.
    expect(all({ [`f${who}`]: "100%" })).toEqual(expected((p) => p.who.includes("100%")));
    expect(all({ [`f${who}`]: "%" })).toEqual(expected((p) => p.who.includes("%")));
    expect(new Set(all({ [`f${cost}_min`]: "300" }, "top"))).toEqual(new Set(expected((p) => p.cost >= 300)));
    expect(all({ [`f${area}`]: "Moon" })).toHaveLength(61); // not an option: no filter
    const page = listChallengeIdeas(facilitator, { challengeId, filters: { [`f${cost}_min`]: "100000" } });
    expect(page.ideas).toEqual([]);
    expect(page.template.filters).toEqual([{ fieldId: cost, op: "min", value: "100000", number: 100000 }]);
  });

  it("gives the same pages whether a filter matches few answers (listed first) or thousands (checked idea by idea)", () => {
    const { jam, challengeId, facilitator, author } = setting();
    const cost = addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    const area = addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Office\nLab" });
    // 2,600 ideas written straight to the tables (the services would take long): costs 0..2,599, one in ten in the Lab.
    const client = db().$client;
    const idea = client.prepare("INSERT INTO ideas (challenge_id, jam_id, author_id, title, body, client_key, created_at) VALUES (?, ?, ?, ?, '', ?, ?)");
    const answer = client.prepare("INSERT INTO idea_field_values (idea_id, field_id, value, number_value) VALUES (?, ?, ?, ?)");
    const rows: { id: number; cost: number; area: string }[] = [];
    client.transaction(() => {
      for (let i = 0; i < 2600; i++) {
        const id = Number(idea.run(challengeId, jam.id, author.id, `Bulk idea ${i}`, `bulk-${i}-key`, Date.now()).lastInsertRowid);
        const a = i % 10 === 0 ? "Lab" : "Office";
        answer.run(id, cost, String(i), i);
        answer.run(id, area, a, null);
        rows.push({ id, cost: i, area: a });
      }
    })();
    const pages = (filters: Record<string, string>, sort = "newest", max = 3) => {
      const ids: number[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < max; n++) {
        const page = listChallengeIdeas(facilitator, { challengeId, sort, cursor, filters });
        ids.push(...page.ideas.map((i) => i.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return ids;
    };
    const newest = (keep: (r: (typeof rows)[number]) => boolean, n = 60) => rows.filter(keep).map((r) => r.id).sort((a, b) => b - a).slice(0, n);
    // Thousands match: checked idea by idea as the page is read.
    expect(pages({ [`f${cost}_min`]: "100" })).toEqual(newest((r) => r.cost >= 100));
    expect(pages({ [`f${area}`]: "Office" })).toEqual(newest((r) => r.area === "Office"));
    // A few hundred match: listed first.
    expect(pages({ [`f${area}`]: "Lab" })).toEqual(newest((r) => r.area === "Lab"));
    // Both kinds together, and a number's two bounds read as one range.
    expect(pages({ [`f${area}`]: "Lab", [`f${cost}_min`]: "100", [`f${cost}_max`]: "1000" }, "newest", 10)).toEqual(
      newest((r) => r.area === "Lab" && r.cost >= 100 && r.cost <= 1000, 1000),
    );
    expect(new Set(pages({ [`f${cost}_min`]: "2500" }, "top", 10))).toEqual(new Set(newest((r) => r.cost >= 2500, 1000)));
  });

  it("attack: a filter on another challenge's field or a removed field applies nothing", () => {
    const { challengeId, otherChallengeId, facilitator, author } = setting();
    const foreign = addField(facilitator, otherChallengeId, { label: "Secret", kind: "short_text" });
    const gone = addField(facilitator, challengeId, { label: "Gone", kind: "short_text" });
    post(author, challengeId, { [fieldName(gone)]: "a" });
    post(author, otherChallengeId, { [fieldName(foreign)]: "needle" });
    removeTemplateField(facilitator, { challengeId, fieldId: gone });
    const page = listChallengeIdeas(author, { challengeId, filters: { [`f${foreign}`]: "needle", [`f${gone}`]: "zzz" } });
    expect(page.template.filters).toEqual([]);
    expect(page.ideas).toHaveLength(1);
  });
});
