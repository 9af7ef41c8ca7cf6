/**
 * Where attachment files live: a folder on disk, `ATTACHMENTS_DIR`, by default `attachments/` beside
 * the SQLite database (./data/attachments/). Every file is named by its attachment's random storage
 * id (never anything a person typed), in a sub-folder of the id's first two characters:
 *
 *   <dir>/3f/3fa9…e1             a document, as uploaded
 *   <dir>/3f/3fa9…e1.page.webp   an image's page-size rendition
 *   <dir>/3f/3fa9…e1.card.webp   an image's card-size rendition
 *   <dir>/tmp/<random>.part      an upload being received or scaled, renamed into place inside the
 *                                transaction that records it (same file system, so the rename is atomic)
 *
 * Several server processes on one machine share the folder. `ATTACHMENTS_STORE` names the store:
 * only `disk` (the default) is built; an S3-compatible bucket is described in the README.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { STORAGE_ID } from "~/domain/attachments";
import { databasePath } from "~db/client";

export type Variant = "file" | "page" | "card";

/** The attachments folder now (read at each call, so tests can point it elsewhere). */
export function attachmentsDir(): string {
  const store = process.env.ATTACHMENTS_STORE;
  if (store && store !== "disk") {
    throw new Error(`ATTACHMENTS_STORE=${store}: only "disk" is built (see the README, Attachments).`);
  }
  const dir = process.env.ATTACHMENTS_DIR;
  return resolve(dir && dir.trim() !== "" ? dir : join(dirname(databasePath()), "attachments"));
}

/** A new storage id: 128 random bits as 32 hex characters. */
export function newStorageId(): string {
  return randomBytes(16).toString("hex");
}

/** The path of one of an attachment's files; anything but a well-formed storage id is refused. */
export function storedPath(storageId: string, variant: Variant): string {
  if (!STORAGE_ID.test(storageId)) throw new Error("Not a storage id.");
  const suffix = variant === "file" ? "" : `.${variant}.webp`;
  return join(attachmentsDir(), storageId.slice(0, 2), `${storageId}${suffix}`);
}

/** The files an attachment has on disk: its renditions for an image, the file itself for a document. */
export function variantsOf(isImage: boolean): Variant[] {
  return isImage ? ["page", "card"] : ["file"];
}

/** A fresh temporary file name in the folder's tmp/ (created when missing). */
export function tempPath(): string {
  const dir = join(attachmentsDir(), "tmp");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${randomBytes(12).toString("hex")}.part`);
}

/** Opens a temporary file to write an upload into. */
export function openTemp() {
  const path = tempPath();
  return { path, stream: createWriteStream(path, { flags: "wx", mode: 0o600 }) };
}

/** Moves a finished temporary file to its place (sync: it runs inside a database transaction). */
export function moveIntoPlace(temp: string, target: string) {
  mkdirSync(dirname(target), { recursive: true });
  renameSync(temp, target);
}

/** Removes files, quietly (a file already gone is what was wanted). */
export function removeFiles(paths: Iterable<string>) {
  for (const path of paths) rmSync(path, { force: true });
}

/** Removes every file of these attachments (erasure, retention). */
export function removeStored(rows: { storageId: string; type: string }[]) {
  for (const row of rows) {
    for (const variant of variantsOf(row.type.startsWith("image/"))) rmSync(storedPath(row.storageId, variant), { force: true });
  }
}

/** The size of a stored file, or null when it is not there. */
export function storedSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
