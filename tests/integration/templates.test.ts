import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { fieldName } from "~/domain/templates";
import { ideasCsv } from "~/services/pages/exports.server";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { postIdea } from "~/services/commands/ideas.server";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { editIdea } from "~/services/commands/revisions.server";
import { ideaHistory } from "~/services/pages/idea-history.server";
import {
  addTemplateField,
  moveTemplateField,
  removeTemplateField,
  restoreTemplateField,
  updateTemplateField,
} from "~/services/commands/templates.server";
import { ideaTemplatePanel } from "~/services/lookups/templates.server";
import { templateEditorPage } from "~/services/pages/template-editor.server";
import { personalData } from "~/services/commands/data-export.server";
import { deleteJam } from "~/services/commands/retention.server";
import { db, transaction } from "~db/client";
import { auditLog, ideaFieldValues, ideas, templateFields } from "~db/schema";
import { makeJam, makeUser } from "../factories";

let keys = 0;
const key = () => `key-${Date.now().toString(36)}-${++keys}`.padEnd(8, "x");

async function setting(options: Parameters<typeof makeJam>[0] = {}) {
  const { jam, challengeIds, facilitator } = await makeJam({ challenges: 2, ...options });
  return { jam, challengeId: challengeIds[0]!, otherChallengeId: challengeIds[1]!, facilitator, author: await makeUser({ name: "Pat Poster" }) };
}

async function addField(actor: SessionUser, challengeId: number, field: Record<string, unknown>) {
  return (await addTemplateField(actor, { challengeId, required: "", help: "", ...field })).fieldId;
}

async function post(actor: SessionUser, challengeId: number, values: Record<string, string>, title = `Idea ${key()}`) {
  return await postIdea(actor, { challengeId, title, body: "Details.", isAnonymous: "", clientKey: key(), ...values });
}

async function refusal(work: () => unknown): Promise<Record<string, string[]>> {
  try {
    await work();
  } catch (error) {
    if (error instanceof Invalid) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected a refusal");
}

const stored = async (ideaId: number) =>
  Object.fromEntries(
    (await db()
      .select()
      .from(ideaFieldValues)
      .where(eq(ideaFieldValues.ideaId, ideaId))
      .all())
      .map((r) => [r.fieldId, r.value]),
  );

describe("the template editor", () => {
  it("adds, edits, reorders and removes fields, each change audited", async () => {
    const { challengeId, facilitator, jam } = await setting();
    const cost = await addField(facilitator, challengeId, { label: "Cost", kind: "number", min: "0", unit: "€", required: "on" });
    const area = await addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Office\nFactory\nOffice\n" });
    const page = await templateEditorPage(facilitator, { challengeId, jamSlug: jam.slug });
    expect(page.fields.map((f) => [f.label, f.kind, f.required, f.options])).toEqual([
      ["Cost", "number", true, []],
      ["Area", "choice", false, ["Office", "Factory"]],
    ]);
    await moveTemplateField(facilitator, { challengeId, fieldId: area, direction: "up" });
    await updateTemplateField(facilitator, { challengeId, fieldId: cost, label: "Cost to start", kind: "number", min: "0", max: "1,000,000", unit: "€", required: "on" });
    expect((await templateEditorPage(facilitator, { challengeId, jamSlug: jam.slug })).fields.map((f) => [f.label, f.max])).toEqual([
      ["Area", null],
      ["Cost to start", 1_000_000],
    ]);
    // No idea answered "Area": removing deletes it.
    expect(await removeTemplateField(facilitator, { challengeId, fieldId: area })).toMatchObject({ outcome: "deleted" });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, "template_changed"), eq(auditLog.subject, `challenge:${challengeId}`))).all();
    expect(audits.map((a) => JSON.parse(a.detail!).change)).toEqual(["added", "added", "moved up", "edited", "removed"]);
  });

  it("refuses bad field definitions with messages", async () => {
    const { challengeId, facilitator } = await setting();
    expect((await refusal(async () => await addField(facilitator, challengeId, { label: "", kind: "short_text" }))).label).toBeDefined();
    expect((await refusal(async () => await addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Only one" }))).options).toEqual([
      "Give at least two options, one a line.",
    ]);
    expect((await refusal(async () => await addField(facilitator, challengeId, { label: "Cost", kind: "number", min: "10", max: "1" }))).max).toBeDefined();
    expect((await refusal(async () => await addField(facilitator, challengeId, { label: "Cost", kind: "number", min: "ten" }))).min).toEqual([
      "The lowest value must be a number, like 0 or 1200.",
    ]);
    expect((await refusal(async () => await addField(facilitator, challengeId, { label: "Kind", kind: "script" }))).kind).toBeDefined();
    const options = Array.from({ length: 500 }, (_, i) => `Option ${i}`).join("\n");
    expect((await refusal(async () => await addField(facilitator, challengeId, { label: "Too many", kind: "choice", options }))).options).toBeDefined();
    expect(await db().select().from(templateFields).where(eq(templateFields.challengeId, challengeId)).all()).toHaveLength(0);
  });

  it("attack: a participant cannot read or change a template; a draft jam's is not found", async () => {
    const { challengeId, facilitator, jam } = await setting();
    const field = await addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    const participant = await makeUser();
    await expect(async () => await templateEditorPage(participant, { challengeId, jamSlug: jam.slug })).rejects.toThrow(Forbidden);
    await expect(async () => await addField(participant, challengeId, { label: "Mine", kind: "short_text" })).rejects.toThrow(Forbidden);
    await expect(async () => await updateTemplateField(participant, { challengeId, fieldId: field, label: "Hacked", kind: "number" })).rejects.toThrow(Forbidden);
    await expect(async () => await removeTemplateField(participant, { challengeId, fieldId: field })).rejects.toThrow(Forbidden);
    await expect(async () => await moveTemplateField(participant, { challengeId, fieldId: field, direction: "up" })).rejects.toThrow(Forbidden);
    expect((await db().select().from(templateFields).where(eq(templateFields.challengeId, challengeId)).all()).map((f) => f.label)).toEqual(["Cost"]);

    // A field of another challenge named through this one is not found (a facilitator cannot cross them either).
    const other = await setting();
    const foreign = await addField(other.facilitator, other.challengeId, { label: "Other", kind: "short_text" });
    await expect(async () => await removeTemplateField(facilitator, { challengeId, fieldId: foreign })).rejects.toThrow(NotFound);

    const draft = await setting({ isDraft: true });
    await expect(async () => await addField(participant, draft.challengeId, { label: "Secret", kind: "short_text" })).rejects.toThrow(NotFound);
  });
});

describe("posting an idea with a template", () => {
  async function templated() {
    const s = await setting();
    const f = s.facilitator;
    const ids = {
      cost: await addField(f, s.challengeId, { label: "Cost", kind: "number", min: "0", max: "100000", unit: "€", required: "on" }),
      area: await addField(f, s.challengeId, { label: "Area", kind: "choice", options: "Office\nFactory" }),
      tried: await addField(f, s.challengeId, { label: "Tried before", kind: "yes_no" }),
      link: await addField(f, s.challengeId, { label: "Source", kind: "link" }),
      who: await addField(f, s.challengeId, { label: "Who benefits", kind: "short_text" }),
      how: await addField(f, s.challengeId, { label: "How", kind: "long_text" }),
    };
    return { ...s, ids };
  }

  it("stores valid answers of every kind, numbers as numbers", async () => {
    const { challengeId, author, ids } = await templated();
    const idea = await post(author, challengeId, {
      [fieldName(ids.cost)]: " 1,200.50 ",
      [fieldName(ids.area)]: "Factory",
      [fieldName(ids.tried)]: "no",
      [fieldName(ids.link)]: "https://example.com/a?b=c",
      [fieldName(ids.who)]: "Night shift",
      [fieldName(ids.how)]: "Step one.\nStep two.",
    });
    expect(await stored(idea.id)).toEqual({
      [ids.cost]: "1200.5",
      [ids.area]: "Factory",
      [ids.tried]: "no",
      [ids.link]: "https://example.com/a?b=c",
      [ids.who]: "Night shift",
      [ids.how]: "Step one.\nStep two.",
    });
    const row = (await db().select().from(ideaFieldValues).where(and(eq(ideaFieldValues.ideaId, idea.id), eq(ideaFieldValues.fieldId, ids.cost))).get())!;
    expect(row.numberValue).toBe(1200.5);
    const panel = await ideaTemplatePanel(author, idea.id);
    expect(panel.answers.map((a) => [a.label, a.text])).toContainEqual(["Cost", "1,200.5 €"]);
    expect(panel.answers.find((a) => a.label === "Tried before")!.text).toBe("No");
  });

  it("refuses each kind's bad answer with a clear message, together with the idea's own errors, and stores nothing", async () => {
    const { challengeId, author, ids } = await templated();
    const errors = await refusal(async () =>
      await postIdea(author, {
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
    expect(await refusal(async () => await post(author, challengeId, {}))).toEqual({ [fieldName(ids.cost)]: ["“Cost” is required."] });
    expect(await refusal(async () => await post(author, challengeId, { [fieldName(ids.cost)]: "-1" }))).toEqual({
      [fieldName(ids.cost)]: ["“Cost” must be between 0 and 100,000 €."],
    });
    expect((await db().select().from(ideaFieldValues).all()).filter((r) => Object.values(ids).includes(r.fieldId))).toHaveLength(0);
  });

  it("attack: link schemes other than http(s) are refused", async () => {
    const { challengeId, author, ids } = await templated();
    for (const link of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd", "//evil.example", "https://", "http://exa mple.com"]) {
      expect((await refusal(async () => await post(author, challengeId, { [fieldName(ids.cost)]: "1", [fieldName(ids.link)]: link })))[fieldName(ids.link)], link).toBeDefined();
    }
    const ok = await post(author, challengeId, { [fieldName(ids.cost)]: "1", [fieldName(ids.link)]: "http://intranet.example/wiki" });
    expect((await stored(ok.id))[ids.link]).toBe("http://intranet.example/wiki");
  });

  it("attack: a value for another challenge's field (or a removed one) is not stored", async () => {
    const { challengeId, otherChallengeId, facilitator, author, ids } = await templated();
    const foreign = await addField(facilitator, otherChallengeId, { label: "Budget owner", kind: "short_text" });
    const gone = await addField(facilitator, challengeId, { label: "Old", kind: "short_text" });
    const kept = await post(author, challengeId, { [fieldName(ids.cost)]: "5", [fieldName(gone)]: "first answer" });
    await removeTemplateField(facilitator, { challengeId, fieldId: gone });
    const idea = await post(author, challengeId, { [fieldName(ids.cost)]: "5", [fieldName(foreign)]: "smuggled", [fieldName(gone)]: "late answer" });
    expect(await stored(idea.id)).toEqual({ [ids.cost]: "5" });
    expect((await stored(kept.id))[gone]).toBe("first answer");
  });

  it("attack: a huge, malformed form reads only the template's fields and refuses oversized answers", async () => {
    const { challengeId, author, ids } = await templated();
    const junk: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) junk[`field_${1_000_000 + i}`] = "x";
    junk["field_abc"] = "y";
    junk["__proto__"] = "z";
    const started = performance.now();
    const idea = await post(author, challengeId, { ...junk, [fieldName(ids.cost)]: "7" });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await stored(idea.id)).toEqual({ [ids.cost]: "7" });
    expect((await refusal(async () => await post(author, challengeId, { [fieldName(ids.cost)]: "9".repeat(5000) })))[fieldName(ids.cost)]).toBeDefined();
    expect((await refusal(async () => await post(author, challengeId, { [fieldName(ids.cost)]: "1", [fieldName(ids.how)]: "y".repeat(4001) })))[fieldName(ids.how)]).toBeDefined();
    expect((await refusal(async () => await post(author, challengeId, { [fieldName(ids.cost)]: "1", [fieldName(ids.link)]: `https://e.com/${"a".repeat(2001)}` })))[fieldName(ids.link)]).toBeDefined();
    // A participant who cannot see a draft challenge learns nothing of its template: not found, not "X is required".
    const draft = await setting({ isDraft: true });
    await addField(draft.facilitator, draft.challengeId, { label: "Secret plan", kind: "short_text", required: "on" });
    await expect(async () => await post(author, draft.challengeId, {})).rejects.toThrow(NotFound);
  });

  it("a field made required binds new posts and edits, not ideas already posted", async () => {
    const { challengeId, facilitator, author, jam } = await setting();
    const team = await addField(facilitator, challengeId, { label: "Team", kind: "short_text" });
    const old = await post(author, challengeId, {});
    await updateTemplateField(facilitator, { challengeId, fieldId: team, label: "Team", kind: "short_text", required: "on" });
    // The old idea still lists and reads as it was.
    const page = await listChallengeIdeas(author, { challengeId });
    expect(page.ideas.map((i) => i.id)).toContain(old.id);
    expect(await refusal(async () => await post(author, challengeId, {}))).toEqual({ [fieldName(team)]: ["“Team” is required."] });
    // Editing it now asks for the field.
    expect(await refusal(async () => await editIdea(author, { ideaId: old.id, title: "Changed", body: "Details.", baseVersion: 1 }))).toEqual({
      [fieldName(team)]: ["“Team” is required."],
    });
    await editIdea(author, { ideaId: old.id, title: "Changed", body: "Details.", baseVersion: 1, [fieldName(team)]: "Ops" });
    expect(await stored(old.id)).toEqual({ [team]: "Ops" });
    expect((await ideaHistory(author, { ideaId: old.id, jamSlug: jam.slug })).versions[0]!.fieldChanges).toEqual([{ label: "Team", before: null, after: "Ops" }]);
  });

  it("editing the answers alone makes a version whose history shows the change; the same again writes nothing", async () => {
    const { challengeId, facilitator, author, jam } = await setting();
    const cost = await addField(facilitator, challengeId, { label: "Cost", kind: "number", unit: "€" });
    const old = await addField(facilitator, challengeId, { label: "Old question", kind: "short_text" });
    const idea = await post(author, challengeId, { [fieldName(cost)]: "100", [fieldName(old)]: "kept" }, "Same title");
    await removeTemplateField(facilitator, { challengeId, fieldId: old });
    const input = { ideaId: idea.id, title: "Same title", body: "Details.", baseVersion: 1, [fieldName(cost)]: "250" };
    expect(await editIdea(author, input)).toMatchObject({ changed: true, version: 2 });
    expect(await editIdea(author, { ...input, baseVersion: 2 })).toMatchObject({ changed: false, version: 2 });
    // The retired field's answer is untouched by the edit.
    expect(await stored(idea.id)).toEqual({ [cost]: "250", [old]: "kept" });
    const history = await ideaHistory(await makeUser(), { ideaId: idea.id, jamSlug: jam.slug });
    expect(history.versions[0]!.fieldChanges).toEqual([{ label: "Cost", before: "100 €", after: "250 €" }]);
    expect(history.versions[1]!.fieldChanges).toEqual([]);
  });

  it("a retired field keeps its values: in the CSV (labelled), the data download, and back when restored", async () => {
    const { challengeId, facilitator, author, jam } = await setting();
    const area = await addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Office\nFactory" });
    const note = await addField(facilitator, challengeId, { label: "Note", kind: "short_text" });
    const idea = await post(author, challengeId, { [fieldName(area)]: "Office", [fieldName(note)]: "=HYPERLINK(\"http://evil\")" });
    expect(await removeTemplateField(facilitator, { challengeId, fieldId: area })).toMatchObject({ outcome: "retired" });
    expect((await stored(idea.id))[area]).toBe("Office");
    // Gone from the form, the cards and the filters.
    expect((await ideaTemplatePanel(author, idea.id)).fields.map((f) => f.label)).toEqual(["Note"]);
    expect((await listChallengeIdeas(author, { challengeId })).template.fields.map((f) => f.label)).toEqual(["Note"]);
    const csv = (await ideasCsv(facilitator, jam.slug)).body;
    const [header, row] = csv.replace("\uFEFF", "").split("\r\n");
    expect(header).toContain("Challenge 1: Note,Challenge 1: Area (retired)");
    // Formula injection is defused as in every other cell.
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")",Office`);
    const data = await personalData(db(), author.id);
    expect(data.ideaAnswers).toContainEqual(expect.objectContaining({ ideaId: idea.id, field: "Area", value: "Office", fieldRemoved: true }));
    await restoreTemplateField(facilitator, { challengeId, fieldId: area });
    expect((await ideaTemplatePanel(author, idea.id)).answers.map((a) => a.text)).toEqual(["=HYPERLINK(\"http://evil\")", "Office"]);
  });

  it("an anonymous idea's answers show on its card and page, and nothing of its author does", async () => {
    const { challengeId, facilitator, author } = await setting();
    const team = await addField(facilitator, challengeId, { label: "Team", kind: "short_text" });
    const idea = await postIdea(author, { challengeId, title: "Quiet idea", isAnonymous: "on", clientKey: key(), [fieldName(team)]: "Platform" });
    const reader = await makeUser();
    const card = (await listChallengeIdeas(reader, { challengeId })).ideas.find((i) => i.id === idea.id)!;
    expect(card.answers).toEqual([{ fieldId: team, label: "Team", kind: "short_text", text: "Platform", href: null }]);
    expect(card.author).toBeNull();
    const sent = JSON.stringify([card, await ideaTemplatePanel(reader, idea.id)]);
    expect(sent).not.toContain("Pat Poster");
    expect(sent).not.toContain(`"authorId"`);
  });

  it("a field's kind cannot change once ideas answered it", async () => {
    const { challengeId, facilitator, author } = await setting();
    const cost = await addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    await post(author, challengeId, { [fieldName(cost)]: "3" });
    expect((await refusal(async () => await updateTemplateField(facilitator, { challengeId, fieldId: cost, label: "Cost", kind: "short_text" }))).kind).toBeDefined();
  });

  it("a jam deleted for retention takes its templates and answers with it", async () => {
    const { challengeId, facilitator, author, jam } = await setting();
    const cost = await addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    const idea = await post(author, challengeId, { [fieldName(cost)]: "3" });
    await editIdea(author, { ideaId: idea.id, title: "New", body: "Details.", baseVersion: 1, [fieldName(cost)]: "4" });
    const deleted = await transaction(async (tx) => await deleteJam(tx, jam.id, Date.now() + 10 * 24 * 3600_000, Date.now()));
    expect(deleted).not.toBeNull();
    expect(await db().select().from(templateFields).where(eq(templateFields.challengeId, challengeId)).all()).toHaveLength(0);
    expect(await stored(idea.id)).toEqual({});
  });
});

describe("filtering a challenge's ideas by their answers", () => {
  it("filters by number range, choice, yes/no and text, across keyset pages, in every sort", async () => {
    const { challengeId, facilitator, author } = await setting();
    const other = await makeUser();
    const cost = await addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    const area = await addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Office\nFactory" });
    const tried = await addField(facilitator, challengeId, { label: "Tried", kind: "yes_no" });
    const who = await addField(facilitator, challengeId, { label: "Who", kind: "short_text" });
    const posted: { id: number; cost: number; area: string; tried: string; who: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const v = { cost: i * 10, area: i % 3 === 0 ? "Factory" : "Office", tried: i % 2 === 0 ? "yes" : "no", who: i % 5 === 0 ? "night 100% shift" : "day team" };
      const idea = await post(i % 2 ? other : author, challengeId, {
        [fieldName(cost)]: String(v.cost),
        [fieldName(area)]: v.area,
        [fieldName(tried)]: v.tried,
        [fieldName(who)]: v.who,
      });
      posted.push({ id: idea.id, ...v });
    }
    await post(author, challengeId, {}); // no answers: never matches a filter
    const all = async (filters: Record<string, string>, sort = "newest") => {
      const ids: number[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 10; n++) {
        const page = await listChallengeIdeas(facilitator, { challengeId, sort, cursor, filters });
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
    expect(await all(range)).toEqual(expected((p) => p.cost >= 150 && p.cost <= 520));
    expect(await all(range)).toHaveLength(38);
    expect(await all({ [`f${area}`]: "Factory", [`f${tried}`]: "yes" })).toEqual(expected((p) => p.area === "Factory" && p.tried === "yes"));
    // "100%" is matched as typed: % and _ are not wildcards.
    expect(await all({ [`f${who}`]: "100%" })).toEqual(expected((p) => p.who.includes("100%")));
    expect(await all({ [`f${who}`]: "%" })).toEqual(expected((p) => p.who.includes("%")));
    expect(new Set(await all({ [`f${cost}_min`]: "300" }, "top"))).toEqual(new Set(expected((p) => p.cost >= 300)));
    expect(await all({ [`f${area}`]: "Moon" })).toHaveLength(61); // not an option: no filter
    const page = await listChallengeIdeas(facilitator, { challengeId, filters: { [`f${cost}_min`]: "100000" } });
    expect(page.ideas).toEqual([]);
    expect(page.template.filters).toEqual([{ fieldId: cost, op: "min", value: "100000", number: 100000 }]);
  });

  it("gives the same pages whether a filter matches few answers (listed first) or thousands (checked idea by idea)", async () => {
    const { jam, challengeId, facilitator, author } = await setting();
    const cost = await addField(facilitator, challengeId, { label: "Cost", kind: "number" });
    const area = await addField(facilitator, challengeId, { label: "Area", kind: "choice", options: "Office\nLab" });
    // 2,600 ideas written straight to the tables (the services would take long): costs 0..2,599, one in ten in the Lab.
    const rows: { id: number; cost: number; area: string }[] = [];
    await transaction(async (tx) => {
      for (let from = 0; from < 2600; from += 200) {
        const made = await tx
          .insert(ideas)
          .values(Array.from({ length: 200 }, (_, k) => from + k).map((i) => ({
            challengeId, jamId: jam.id, authorId: author.id, title: `Bulk idea ${i}`, body: "", clientKey: `bulk-${i}-key`, createdAt: Date.now(),
          })))
          .returning({ id: ideas.id, title: ideas.title })
          .all();
        const answers: (typeof ideaFieldValues.$inferInsert)[] = [];
        for (const { id, title } of made) {
          const i = Number(title.slice("Bulk idea ".length));
          const a = i % 10 === 0 ? "Lab" : "Office";
          answers.push({ ideaId: id, fieldId: cost, value: String(i), numberValue: i }, { ideaId: id, fieldId: area, value: a, numberValue: null });
          rows.push({ id, cost: i, area: a });
        }
        await tx.insert(ideaFieldValues).values(answers).run();
      }
    });
    const pages = async (filters: Record<string, string>, sort = "newest", max = 3) => {
      const ids: number[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < max; n++) {
        const page = await listChallengeIdeas(facilitator, { challengeId, sort, cursor, filters });
        ids.push(...page.ideas.map((i) => i.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return ids;
    };
    const newest = (keep: (r: (typeof rows)[number]) => boolean, n = 60) => rows.filter(keep).map((r) => r.id).sort((a, b) => b - a).slice(0, n);
    // Thousands match: checked idea by idea as the page is read.
    expect(await pages({ [`f${cost}_min`]: "100" })).toEqual(newest((r) => r.cost >= 100));
    expect(await pages({ [`f${area}`]: "Office" })).toEqual(newest((r) => r.area === "Office"));
    // A few hundred match: listed first.
    expect(await pages({ [`f${area}`]: "Lab" })).toEqual(newest((r) => r.area === "Lab"));
    // Both kinds together, and a number's two bounds read as one range.
    expect(await pages({ [`f${area}`]: "Lab", [`f${cost}_min`]: "100", [`f${cost}_max`]: "1000" }, "newest", 10)).toEqual(
      newest((r) => r.area === "Lab" && r.cost >= 100 && r.cost <= 1000, 1000),
    );
    expect(new Set(await pages({ [`f${cost}_min`]: "2500" }, "top", 10))).toEqual(new Set(newest((r) => r.cost >= 2500, 1000)));
  });

  it("attack: a filter on another challenge's field or a removed field applies nothing", async () => {
    const { challengeId, otherChallengeId, facilitator, author } = await setting();
    const foreign = await addField(facilitator, otherChallengeId, { label: "Secret", kind: "short_text" });
    const gone = await addField(facilitator, challengeId, { label: "Gone", kind: "short_text" });
    await post(author, challengeId, { [fieldName(gone)]: "a" });
    await post(author, otherChallengeId, { [fieldName(foreign)]: "needle" });
    await removeTemplateField(facilitator, { challengeId, fieldId: gone });
    const page = await listChallengeIdeas(author, { challengeId, filters: { [`f${foreign}`]: "needle", [`f${gone}`]: "zzz" } });
    expect(page.template.filters).toEqual([]);
    expect(page.ideas).toHaveLength(1);
  });
});
