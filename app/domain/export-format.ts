/**
 * Formatting for downloads: CSV (RFC 4180, safe to open in a spreadsheet) and
 * Markdown (people's text can never turn into markup). Pure.
 */

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Text that a spreadsheet would run as a formula gets a leading
 * single quote; a cell with a quote, comma or line break is quoted, with its
 * quotes doubled. Numbers are written as they are.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export function csvRow(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** A whole CSV document; the byte-order mark lets spreadsheet programs read it as UTF-8. */
export function csvDocument(header: string[], rows: Iterable<(string | number | null | undefined)[]>): string {
  const parts = ["\uFEFF", csvRow(header)];
  for (const row of rows) parts.push(csvRow(row));
  return parts.join("");
}

/** csvDocument from rows that arrive asynchronously (read from the database page by page). */
export async function csvDocumentOf(header: string[], rows: AsyncIterable<(string | number | null | undefined)[]>): Promise<string> {
  const parts = ["\uFEFF", csvRow(header)];
  for await (const row of rows) parts.push(csvRow(row));
  return parts.join("");
}

/**
 * Text from people for one line of Markdown: line breaks become spaces, inline
 * syntax (emphasis, links, code, HTML, table pipes) is escaped, and so is
 * anything that would start a heading, list or quote.
 */
export function mdText(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, " ")
    .trim()
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/^([#+\-=>]|\d+(?=[.)]))/, (c) => (/^\d/.test(c) ? `${c}\\` : `\\${c}`));
}
