/**
 * Reading a form that may carry files. The body was already read within the route's limit by
 * app/http/body-limit.js (every file at its limit plus the text); here Remix's multipart parser
 * streams it part by part: each file goes to a temporary file on disk and stops being written the
 * moment it passes its own limit (the rest of that part is skipped, never kept), text fields are
 * capped, and so is the number of files and parts. A refused file never loses the rest of the
 * form: its text comes back with the refusals, for the page to keep what was typed.
 */
import { unstable_parseMultipartFormData } from "@remix-run/node";
import { attachmentLimits } from "./attachment-limits.js";
import { formatBytes } from "~/domain/attachments";
import { openTemp, removeFiles } from "~/services/effects/attachment-store.server.js";
import { formValues } from "./respond.server";

/** A file received into a temporary file, not yet checked. */
export interface ReceivedFile {
  tempPath: string;
  /** The name the browser sent (a label only; cleaned before it is kept). */
  name: string;
  size: number;
}

export interface UploadForm {
  values: Record<string, string>;
  files: ReceivedFile[];
  /** Why files were refused while reading (too big, too many), in order. */
  refusals: string[];
}

/** The field the forms' file input uses. */
export const FILE_FIELD = "attachments";
const TEXT_FIELD_MAX = 64 * 1024;
const PARTS_MAX = 200;

export function isMultipart(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

/**
 * The form's text values and its files (in temporary files the caller must keep or remove:
 * `discardFiles`). A form that is not multipart has no files.
 */
export async function readUploadForm(request: Request, options: { maxFiles?: number } = {}): Promise<UploadForm> {
  if (!isMultipart(request)) return { values: formValues(await request.formData()), files: [], refusals: [] };
  const limits = attachmentLimits();
  const maxFiles = options.maxFiles ?? limits.filesPerIdea;
  const files: ReceivedFile[] = [];
  const refusals: string[] = [];
  let parts = 0;
  let tooManyFiles = false;
  // The text fields read so far: kept if the parser gives up on a later part.
  const seen: Record<string, string> = {};
  try {
    const form = await unstable_parseMultipartFormData(request, async (part) => {
      parts += 1;
      if (parts > PARTS_MAX) {
        for await (const _ of part.data) void _;
        return undefined;
      }
      if (typeof part.filename !== "string") {
        // A text field: kept up to its cap (no form of ours sends more).
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of part.data) {
          size += chunk.length;
          if (size <= TEXT_FIELD_MAX) chunks.push(chunk);
        }
        if (size > TEXT_FIELD_MAX) return undefined;
        const text = Buffer.concat(chunks).toString("utf8");
        seen[part.name] = text;
        return text;
      }
      // Browsers send `"`, CR and LF in a file name as %22, %0D and %0A (the HTML standard's form encoding).
      const name = part.filename.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      // Another field's file, or a file input left blank (no name, nothing in it): skipped.
      if (part.name !== FILE_FIELD || name === "") {
        for await (const _ of part.data) void _;
        return undefined;
      }
      if (files.length >= maxFiles) {
        for await (const _ of part.data) void _;
        if (!tooManyFiles) refusals.push(maxFiles === 0 ? "This idea has all the files it can carry." : `At most ${maxFiles} ${maxFiles === 1 ? "file" : "files"} here: leave some out.`);
        tooManyFiles = true;
        return undefined;
      }
      const { path, stream } = openTemp();
      let size = 0;
      let over = false;
      try {
        for await (const chunk of part.data) {
          size += chunk.length;
          if (over) continue;
          if (size > limits.fileBytes) {
            // Past the limit: nothing more of it is written; the part is skipped to its end.
            over = true;
            continue;
          }
          if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once("drain", resolve));
        }
      } finally {
        await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      }
      if (over) {
        removeFiles([path]);
        refusals.push(`“${shortName(name)}” is larger than ${formatBytes(limits.fileBytes)}, the most a file may have.`);
        return undefined;
      }
      if (size === 0) {
        removeFiles([path]);
        refusals.push(`“${shortName(name)}” is empty.`);
        return undefined;
      }
      files.push({ tempPath: path, name, size });
      return undefined;
    });
    return { values: formValues(form), files, refusals };
  } catch (error) {
    discardFiles(files);
    // The parser refuses some headers a browser sends (a file name with a semicolon in it): the
    // form is answered as refused, with the text read before that part, never as a server error.
    if (error instanceof Error && /content-disposition|multipart|boundary/i.test(error.message)) {
      return {
        values: seen,
        files: [],
        refusals: ["The files could not be read. If a file’s name has a semicolon (;) or an equals sign (=) in it, rename the file and try again."],
      };
    }
    throw error;
  }
}

function shortName(name: string): string {
  const clean = name.replace(/[\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, "");
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean || "A file";
}

/** Removes the temporary files of a form that was refused. */
export function discardFiles(files: { tempPath: string }[]) {
  removeFiles(files.map((f) => f.tempPath).filter((path) => path !== ""));
}
