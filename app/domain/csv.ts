/**
 * Reading CSV (RFC 4180) as spreadsheets write it. Pure.
 *
 * - Fields are separated by commas; a record ends at CRLF, LF or a lone CR.
 * - A field in double quotes may hold commas, quotes (doubled: `""`) and line breaks.
 * - A byte-order mark at the very start is dropped (Excel writes one).
 * - Blank lines (between records, or at the end) are skipped.
 * - A quote inside an unquoted field is kept as it is (`5" screen`), as spreadsheets do;
 *   text after a closing quote (`"a"b`) and a quote never closed are errors, with the line.
 */

export interface CsvRecord {
  /** The record's number, counting the first record (the header) as 1: the row a spreadsheet shows. */
  row: number;
  /** The line of the text the record starts on (differs from `row` after a quoted line break or a blank line). */
  line: number;
  cells: string[];
}

export type CsvResult =
  | { ok: true; records: CsvRecord[] }
  | { ok: false; line: number; message: string; reason: "syntax" | "too-many-rows" };

export interface CsvOptions {
  /** At most this many records (the header included); past it the result is an error. */
  maxRecords?: number;
}

export function parseCsv(text: string, options: CsvOptions = {}): CsvResult {
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const length = input.length;
  let i = 0;
  let line = 1;
  while (i < length) {
    const startLine = line;
    const cells: string[] = [];
    // One record: fields until a line break or the end.
    for (;;) {
      let cell: string;
      if (input.charCodeAt(i) === 34 /* " */) {
        const openedOn = line;
        i++;
        let value = "";
        let from = i;
        for (;;) {
          const quote = input.indexOf('"', i);
          if (quote === -1) {
            return { ok: false, line: openedOn, message: `A quoted field that starts on line ${openedOn} is never closed.`, reason: "syntax" };
          }
          line += countLineBreaks(input, i, quote);
          if (input.charCodeAt(quote + 1) === 34) {
            value += input.slice(from, quote + 1);
            i = quote + 2;
            from = i;
            continue;
          }
          value += input.slice(from, quote);
          i = quote + 1;
          break;
        }
        const next = input.charCodeAt(i);
        if (i < length && next !== 44 && next !== 10 && next !== 13) {
          return { ok: false, line, message: `Line ${line}: text follows a closing quote; put the whole field in quotes and double any quote inside it ("").`, reason: "syntax" };
        }
        cell = value;
      } else {
        let end = i;
        while (end < length) {
          const c = input.charCodeAt(end);
          if (c === 44 || c === 10 || c === 13) break;
          end++;
        }
        cell = input.slice(i, end);
        i = end;
      }
      cells.push(cell);
      if (i < length && input.charCodeAt(i) === 44) {
        i++;
        // A comma at the very end of the text still ends with one (empty) field.
        if (i === length) {
          cells.push("");
          break;
        }
        continue;
      }
      break;
    }
    // The line break that ends the record.
    if (i < length) {
      if (input.charCodeAt(i) === 13 && input.charCodeAt(i + 1) === 10) i += 2;
      else i++;
      line++;
    }
    if (cells.length === 1 && cells[0] === "") continue; // a blank line
    if (records.length >= maxRecords) {
      return { ok: false, line: startLine, message: `The file has more than ${maxRecords.toLocaleString("en")} rows.`, reason: "too-many-rows" };
    }
    records.push({ row: records.length + 1, line: startLine, cells });
  }
  return { ok: true, records };
}

/** Line breaks (CRLF, LF or CR each count once) in input[from, to). */
function countLineBreaks(input: string, from: number, to: number): number {
  let n = 0;
  for (let j = from; j < to; j++) {
    const c = input.charCodeAt(j);
    if (c === 10) n++;
    else if (c === 13 && input.charCodeAt(j + 1) !== 10) n++;
  }
  return n;
}
