import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv";

const cellsOf = (text: string) => {
  const result = parseCsv(text);
  if (!result.ok) throw new Error(result.message);
  return result.records.map((r) => r.cells);
};

describe("parseCsv", () => {
  it("reads plain records with any line ending, and skips blank lines", () => {
    expect(cellsOf("email,name\r\na@x.test,Ann\nb@x.test,Bo\rc@x.test,Cy\r\n\r\n")).toEqual([
      ["email", "name"],
      ["a@x.test", "Ann"],
      ["b@x.test", "Bo"],
      ["c@x.test", "Cy"],
    ]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks inside", () => {
    expect(cellsOf('name,note\r\n"Smith, Ann","She said ""hi""\r\nand left"\r\n')).toEqual([
      ["name", "note"],
      ["Smith, Ann", 'She said "hi"\r\nand left'],
    ]);
  });

  it("drops a byte-order mark, keeps empty fields, and keeps a quote inside an unquoted field", () => {
    expect(cellsOf('\uFEFFemail,name,department\r\na@x.test,,\r\nb@x.test,5" screen,Ops')).toEqual([
      ["email", "name", "department"],
      ["a@x.test", "", ""],
      ["b@x.test", '5" screen', "Ops"],
    ]);
  });

  it("numbers records as a spreadsheet does and says on which line each starts", () => {
    const result = parseCsv('h\n\n"a\nb"\nc\n');
    expect(result).toEqual({
      ok: true,
      records: [
        { row: 1, line: 1, cells: ["h"] },
        { row: 2, line: 3, cells: ["a\nb"] },
        { row: 3, line: 5, cells: ["c"] },
      ],
    });
  });

  it("refuses a quote never closed and text after a closing quote, naming the line", () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n')).toMatchObject({ ok: false, line: 2, reason: "syntax" });
    expect(parseCsv('a,b\n1,"x"y\n')).toMatchObject({ ok: false, line: 2, reason: "syntax" });
  });

  it("stops at the row limit", () => {
    expect(parseCsv("h\n1\n2\n3\n", { maxRecords: 3 })).toMatchObject({ ok: false, reason: "too-many-rows", line: 4 });
    expect(parseCsv("h\n1\n2\n", { maxRecords: 3 })).toMatchObject({ ok: true });
  });

  // Any table written as RFC 4180 (quoting where needed or always, any line ending, with or
  // without a BOM and a final line break) reads back as the same table.
  const cell = fc.string({ unit: fc.constantFrom("a", "Z", " ", ",", '"', "\r", "\n", "é", "\t", "'") , maxLength: 8 });
  const table = fc
    .array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 })
    // A record of one empty field is a blank line, which is skipped.
    .filter((rows) => rows.every((r) => !(r.length === 1 && r[0] === "")));
  const quote = (value: string, always: boolean) =>
    always || /[",\r\n]/.test(value) || value.startsWith('"') ? `"${value.replace(/"/g, '""')}"` : value;

  it("reads back any table it is given as RFC 4180 text", () => {
    fc.assert(
      fc.property(table, fc.constantFrom("\r\n", "\n", "\r"), fc.boolean(), fc.boolean(), fc.boolean(), (rows, eol, bom, always, trailing) => {
        const text = (bom ? "\uFEFF" : "") + rows.map((r) => r.map((c) => quote(c, always)).join(",")).join(eol) + (trailing ? eol : "");
        expect(cellsOf(text)).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", ",", '"', "\r", "\n", "\uFEFF"), maxLength: 40 }), (text) => {
        const result = parseCsv(text);
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
  });

  it("reads 50,000 rows quickly", () => {
    const text = "email,name,department\r\n" + Array.from({ length: 50_000 }, (_, i) => `p${i}@x.test,"Person, ${i}",Team ${i % 40}`).join("\r\n");
    const started = performance.now();
    const result = parseCsv(text);
    expect(result.ok && result.records.length).toBe(50_001);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
