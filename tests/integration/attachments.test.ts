/**
 * Attachments on ideas, end to end below the browser: forms with files read within their limits,
 * files checked by content and images re-encoded without their metadata, the files on disk by a
 * random id (never the name), served with safe headers to exactly the people who may see the idea
 * (one plain 404 for everything else), and gone with an erased account; the data download holds them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import sharp from "sharp";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { insertSession, sessionCookie, type SessionUser } from "~/auth/session.server";
import { readUploadForm } from "~/http/uploads.server";
import { loader as fileLoader } from "~/routes/attachments.$id";
import { loader as variantLoader } from "~/routes/attachments.$id_.$variant";
import { action as challengeAction } from "~/routes/jams.$slug.challenges.$id";
import {
  attachToIdea,
  prepareUploads,
  recordAttachmentsIn,
  removeAttachment,
  withPreparedFiles,
} from "~/services/commands/attachments.server";
import { ideaAttachmentsPanel } from "~/services/pages/attachments.server";
import { inviteCoauthor, answerInvitation } from "~/services/commands/coauthors.server";
import { dataArchive, personalData } from "~/services/commands/data-export.server";
import { eraseAccountAsAdmin } from "~/services/commands/erasure.server";
import { Conflict, Invalid, NotFound } from "~/services/errors";
import { ideasCsv } from "~/services/pages/exports.server";
import { ideaHistory } from "~/services/pages/idea-history.server";
import { postIdea } from "~/services/commands/ideas.server";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { hideIdea } from "~/services/commands/moderation.server";
import { inviteMembers, keepThemeAlive, respondToInvitation, postInIdeaBox } from "~/services/commands/communities.server";
import { db, transaction } from "~db/client";
import { deleteJam } from "~/services/commands/retention.server";
import { communities, ideaAttachments, jams, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const dir = mkdtempSync(join(tmpdir(), "jamboree-attachments-"));
process.env.ATTACHMENTS_DIR = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  delete process.env.ATTACHMENT_MAX_MB;
  delete process.env.ATTACHMENT_MAX_FILES;
  delete process.env.ATTACHMENT_DAILY_MB;
  delete process.env.ATTACHMENT_MAX_PIXELS;
});

const HOUR = 3_600_000;
const key = () => `k-${Math.random().toString(36).slice(2)}`.padEnd(8, "x");

/** Every file under the attachments folder, as paths relative to it. */
function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

const png = (width = 64, height = 48, colour = { r: 200, g: 60, b: 40 }) =>
  sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

const WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
const docx = () =>
  Buffer.from(
    zipSync({
      "[Content_Types].xml": strToU8(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="${WORD}"/></Types>`),
      "word/document.xml": strToU8("<w:document/>"),
    }),
  );
const pdf = () => Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

/** A multipart form request as a browser sends it. */
function formRequest(url: string, fields: Record<string, string>, files: { name: string; data: Buffer | string; type?: string }[], cookie?: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append("attachments", new Blob([typeof f.data === "string" ? f.data : new Uint8Array(f.data)], { type: f.type ?? "application/octet-stream" }), f.name);
  return new Request(url, { method: "POST", body: form, headers: cookie ? { Cookie: cookie } : {} });
}

/** Receives and prepares files as the routes do. */
async function prepared(files: { name: string; data: Buffer | string }[]) {
  const form = await readUploadForm(formRequest("http://jamboree.test/x", { intent: "attach" }, files));
  return prepareUploads(form.files, form.refusals);
}

async function cookieFor(user: SessionUser) {
  const token = await insertSession(db(), user.id, Date.now());
  return sessionCookie(new Request("http://jamboree.test/"), token).split(";")[0]!;
}

async function fetchFile(user: SessionUser, storageId: string, variant?: string) {
  const request = new Request(`http://jamboree.test/attachments/${storageId}${variant ? `/${variant}` : ""}`, { headers: { Cookie: await cookieFor(user) } });
  const args = { request, params: variant ? { id: storageId, variant } : { id: storageId }, context: { ip: null, nonce: "" } } as never;
  const response = (variant ? await variantLoader(args) : await fileLoader(args)) as Response;
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

/** The message a refused upload shows under the file field. */
async function refusal(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (error instanceof Invalid) return error.fieldErrors.attachments?.[0] ?? error.message;
    throw error;
  }
  throw new Error("It was not refused.");
}

async function rowsOf(ideaId: number) {
  return await db().select().from(ideaAttachments).where(eq(ideaAttachments.ideaId, ideaId)).all();
}

async function liveJam() {
  const { jam, challengeIds, facilitator } = await makeJam();
  return { jam, challengeId: challengeIds[0]!, facilitator };
}

async function ideaWithFiles(author: SessionUser, challengeId: number, files: { name: string; data: Buffer | string }[], options: { isAnonymous?: boolean } = {}) {
  const attachments = await prepared(files);
  return await postIdea(author, { challengeId, title: "Brighter stairwells", body: "Paint them.", isAnonymous: options.isAnonymous ?? false, clientKey: key() }, { attachments });
}

describe("reading a form with files", () => {
  it("answers a name the parser cannot read (a semicolon) as a refusal that keeps the text before it", async () => {
    const form = await readUploadForm(formRequest("http://jamboree.test/x", { title: "Kept" }, [{ name: "Q1; plan.pdf", data: pdf() }]));
    expect(form.values).toEqual({ title: "Kept" });
    expect(form.files).toEqual([]);
    expect(form.refusals[0]).toMatch(/semicolon/);
  });

  it("keeps what was typed when a file is over the limit, and writes no more of it than the limit", async () => {
    process.env.ATTACHMENT_MAX_MB = "1";
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const before = filesOnDisk();
    const form = await readUploadForm(formRequest("http://jamboree.test/x", { title: "Keep me", body: "And me" }, [{ name: "huge.pdf", data: big }]));
    expect(form.values).toMatchObject({ title: "Keep me", body: "And me" });
    expect(form.files).toEqual([]);
    expect(form.refusals).toEqual(["“huge.pdf” is larger than 1 MB, the most a file may have."]);
    expect(filesOnDisk()).toEqual(before);
  });

  it("takes at most the files an idea may carry, and says so", async () => {
    process.env.ATTACHMENT_MAX_FILES = "2";
    const form = await readUploadForm(formRequest("http://jamboree.test/x", {}, [1, 2, 3].map((i) => ({ name: `n${i}.txt`, data: `note ${i}` }))));
    expect(form.files.map((f) => f.name)).toEqual(["n1.txt", "n2.txt"]);
    expect(form.refusals).toEqual(["At most 2 files here: leave some out."]);
    await expect(prepareUploads(form.files, form.refusals)).rejects.toThrow(Invalid);
    expect(filesOnDisk().filter((f) => f.startsWith("tmp/"))).toEqual([]);
  });

  it("the challenge page refuses a file named x.png that is not an image, keeps the idea's text and posts nothing", async () => {
    const { jam, challengeId } = await liveJam();
    const author = await makeUser();
    const request = formRequest(
      `http://jamboree.test/jams/${jam.slug}/challenges/${challengeId}`,
      { intent: "post", title: "Quieter meeting rooms", body: "Felt pads under every chair.", clientKey: key() },
      [{ name: "x.png", data: "this is not an image at all", type: "image/png" }],
      await cookieFor(author),
    );
    const result = (await challengeAction({ request, params: { slug: jam.slug, id: String(challengeId) }, context: { ip: null, nonce: "" } } as never)) as unknown as {
      data: { fieldErrors: Record<string, string[]>; values: Record<string, string> };
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.fieldErrors.attachments).toEqual(["“x.png” is not a PNG image, whatever its name says: what is inside a file decides what it is."]);
    expect(result.data.values).toMatchObject({ title: "Quieter meeting rooms", body: "Felt pads under every chair." });
    expect((await listChallengeIdeas(author, { challengeId })).ideas).toEqual([]);
    expect(filesOnDisk().filter((f) => f.startsWith("tmp/"))).toEqual([]);
  });
});

describe("checking content", () => {
  it("takes every accepted type, each recorded as what its content is", async () => {
    const { challengeId } = await liveJam();
    const author = await makeUser();
    process.env.ATTACHMENT_MAX_FILES = "10";
    const files = [
      { name: "a.png", data: await png() },
      { name: "b.jpg", data: await sharp(await png()).jpeg().toBuffer() },
      { name: "c.gif", data: await sharp(await png()).gif().toBuffer() },
      { name: "d.webp", data: await sharp(await png()).webp().toBuffer() },
      { name: "e.pdf", data: pdf() },
      { name: "f.docx", data: docx() },
      { name: "g.txt", data: "Plain notes\n" },
      { name: "h.csv", data: "a,b\n1,2\n" },
    ];
    const idea = await ideaWithFiles(author, challengeId, files);
    expect((await rowsOf(idea.id)).map((r) => r.type)).toEqual([
      "image/png",
      "image/jpeg",
      "image/gif",
      "image/webp",
      "application/pdf",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "text/plain",
      "text/csv",
    ]);
  });

  it("refuses SVG, HTML, a script, an executable and lying names, and records nothing when one is refused", async () => {
    for (const file of [
      { name: "logo.svg", data: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>' },
      { name: "logo.png", data: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
      { name: "page.html", data: "<!doctype html><script>alert(1)</script>" },
      { name: "page.txt", data: "<html><body>hi</body></html>" },
      { name: "run.exe", data: Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1") },
      { name: "x.png", data: "hello" },
      { name: "report.pdf", data: docx() },
      { name: "fake.png", data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("garbage")]) },
    ]) {
      const error = await prepared([{ name: "fine.txt", data: "ok" }, file]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, file.name).toBeInstanceOf(Invalid);
      expect((error as Invalid).fieldErrors.attachments![0], file.name).toContain(`“${file.name}”`);
    }
    expect(filesOnDisk().filter((f) => f.startsWith("tmp/"))).toEqual([]);
  });

  it("refuses an image past the pixel limit (a decompression bomb) before decoding it", async () => {
    process.env.ATTACHMENT_MAX_PIXELS = "1000000";
    const bomb = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: "#fff" } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(200 * 1024);
    await expect(prepared([{ name: "bomb.png", data: bomb }])).rejects.toThrow(Invalid);
  });

  it("strips a photo's GPS position, camera and author, so an anonymous idea's photo names nobody and nowhere", async () => {
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#39c" } })
      .jpeg()
      .withExif({
        IFD0: { Artist: "Ada Lovelace-Secret", Copyright: "Ada Lovelace-Secret", Make: "PhoneCo", Model: "Model X" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "0/1 7/1 0/1" },
      })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    expect(photo.includes("Ada Lovelace-Secret")).toBe(true);
    const { challengeId } = await liveJam();
    const author = await makeUser({ name: "Ada Lovelace-Secret" });
    const idea = await ideaWithFiles(author, challengeId, [{ name: "IMG_1234.jpg", data: photo }], { isAnonymous: true });
    const [row] = await rowsOf(idea.id);
    const viewer = await makeUser();
    for (const variant of [undefined, "card"]) {
      const { response, body } = await fetchFile(viewer, row!.storageId, variant);
      expect(response.status).toBe(200);
      const meta = await sharp(body).metadata();
      expect(meta.format).toBe("webp");
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(body.includes("Ada")).toBe(false);
      expect(body.includes("PhoneCo")).toBe(false);
    }
    // Nothing of the page or the card names the uploader either.
    const panel = await ideaAttachmentsPanel(viewer, { ideaId: idea.id });
    expect(JSON.stringify(panel)).not.toMatch(/uploader|Ada/);
    const card = (await listChallengeIdeas(viewer, { challengeId })).ideas.find((i) => i.id === idea.id)!;
    expect(card.author).toBeNull();
    expect(card.attachments?.thumbnail).toMatchObject({ width: 480, height: 360 });
  });
});

describe("on disk", () => {
  it("names files by a random id under the attachments folder, never by the uploaded name (path traversal)", async () => {
    const { challengeId } = await liveJam();
    const idea = await ideaWithFiles(await makeUser(), challengeId, [{ name: "../../../../etc/passwd.txt", data: "root:x:0:0" }]);
    const [row] = await rowsOf(idea.id);
    expect(row!.name).toBe("passwd.txt");
    expect(row!.storageId).toMatch(/^[0-9a-f]{32}$/);
    expect(filesOnDisk()).toContain(join(row!.storageId.slice(0, 2), row!.storageId));
    expect(filesOnDisk().some((f) => f.includes("passwd"))).toBe(false);
    expect(readFileSync(join(dir, row!.storageId.slice(0, 2), row!.storageId), "utf8")).toBe("root:x:0:0");
  });

  it("removes the files when the transaction fails (the jam closed meanwhile), and leaves no temporary file", async () => {
    const { challengeIds } = await makeJam({ startsAt: Date.now() - 48 * HOUR, endsAt: Date.now() - HOUR });
    const before = filesOnDisk();
    await expect(ideaWithFiles(await makeUser(), challengeIds[0]!, [{ name: "a.png", data: await png() }, { name: "b.pdf", data: pdf() }])).rejects.toThrow(Conflict);
    expect(filesOnDisk()).toEqual(before);
  });

  it("records a double submit's files once", async () => {
    const { challengeId } = await liveJam();
    const author = await makeUser();
    const clientKey = key();
    const input = { challengeId, title: "Once", body: "", isAnonymous: false, clientKey };
    const first = await postIdea(author, input, { attachments: await prepared([{ name: "a.pdf", data: pdf() }]) });
    const before = filesOnDisk();
    const again = await postIdea(author, input, { attachments: await prepared([{ name: "a.pdf", data: pdf() }]) });
    expect(again.id).toBe(first.id);
    expect(await rowsOf(first.id)).toHaveLength(1);
    expect(filesOnDisk()).toEqual(before);
  });
  it("keeps the files of a transaction run again (as PostgreSQL does after a serialization failure), and removes those the run that commits does not record", async () => {
    const { jam, challengeId } = await liveJam();
    const author = await makeUser();
    const idea = await postIdea(author, { challengeId, title: "Retried", body: "", isAnonymous: false, clientKey: key() });
    const target = { id: idea.id, jamId: jam.id };
    const rolledBack = async (files: Awaited<ReturnType<typeof prepared>>) =>
      await expect(
        transaction(async (tx) => {
          await recordAttachmentsIn(tx, author, target, files, Date.now());
          throw new Error("could not serialize access");
        }),
      ).rejects.toThrow(/serialize/);

    const before = filesOnDisk();
    const files = await prepared([{ name: "a.png", data: await png() }, { name: "b.pdf", data: pdf() }]);
    const ids = await withPreparedFiles(files, async () => {
      await rolledBack(files);
      return await transaction(async (tx) => await recordAttachmentsIn(tx, author, target, files, Date.now()));
    });
    expect(ids).toHaveLength(2);
    const rows = await rowsOf(idea.id);
    expect(rows).toHaveLength(2);
    const stored = (storageId: string, suffixes: string[]) => suffixes.map((s) => join(storageId.slice(0, 2), `${storageId}${s}`));
    const [image, document] = [rows.find((r) => r.name === "a.png")!, rows.find((r) => r.name === "b.pdf")!];
    expect(filesOnDisk()).toEqual([...before, ...stored(image.storageId, [".card.webp", ".page.webp"]), ...stored(document.storageId, [""])].sort());

    // The run that commits records nothing (say, a double submit's first idea committed meanwhile): nothing stays.
    const kept = filesOnDisk();
    const unused = await prepared([{ name: "c.pdf", data: pdf() }]);
    await withPreparedFiles(unused, async () => {
      await rolledBack(unused);
      await transaction(async () => {});
    });
    expect(filesOnDisk()).toEqual(kept);
    expect(await rowsOf(idea.id)).toHaveLength(2);
  });
});

describe("limits", () => {
  it("counts the files an idea carries, across posts and later additions", async () => {
    process.env.ATTACHMENT_MAX_FILES = "2";
    const { challengeId } = await liveJam();
    const author = await makeUser();
    const idea = await ideaWithFiles(author, challengeId, [{ name: "a.pdf", data: pdf() }]);
    await attachToIdea(author, { ideaId: idea.id }, await prepared([{ name: "b.pdf", data: pdf() }]));
    const more = await prepared([{ name: "c.pdf", data: pdf() }]);
    expect(await refusal(async () => await attachToIdea(author, { ideaId: idea.id }, more))).toMatch(/at most 2 files, and this one has them all/);
    expect(await rowsOf(idea.id)).toHaveLength(2);
    // A removed file frees its place.
    await removeAttachment(author, { ideaId: idea.id, attachmentId: (await rowsOf(idea.id))[0]!.id });
    await attachToIdea(author, { ideaId: idea.id }, await prepared([{ name: "c.pdf", data: pdf() }]));
  });

  it("limits what one person uploads in a day", async () => {
    process.env.ATTACHMENT_DAILY_MB = "0.05";
    const { challengeId } = await liveJam();
    const author = await makeUser();
    const text = (n: number) => `${"word ".repeat(n)}\n`;
    await ideaWithFiles(author, challengeId, [{ name: "a.txt", data: text(8000) }]);
    const files = await prepared([{ name: "b.txt", data: text(4000) }]);
    expect(await refusal(async () => await postIdea(author, { challengeId, title: "More", body: "", isAnonymous: false, clientKey: key() }, { attachments: files }))).toMatch(/You can upload 51 KB a day/);
    // Someone else still can.
    await ideaWithFiles(await makeUser(), challengeId, [{ name: "b.txt", data: text(4000) }]);
  });
});

describe("who may add and remove files", () => {
  it("its author and accepted co-authors while it may be edited; not others, not after the jam", async () => {
    const { challengeId, facilitator } = await liveJam();
    const author = await makeUser();
    const coauthor = await makeUser();
    const idea = await makeIdea(author, challengeId);
    await inviteCoauthor(author, { ideaId: idea.id, userId: coauthor.id });
    await answerInvitation(coauthor, { ideaId: idea.id, answer: "accept" });
    await attachToIdea(coauthor, { ideaId: idea.id }, await prepared([{ name: "by-coauthor.pdf", data: pdf() }]));
    const stranger = await makeUser();
    await expect(prepared([{ name: "s.pdf", data: pdf() }]).then(async (p) => await attachToIdea(stranger, { ideaId: idea.id }, p))).rejects.toThrow(NotFound);
    const [row] = await rowsOf(idea.id);
    await expect(async () => await removeAttachment(stranger, { ideaId: idea.id, attachmentId: row!.id })).rejects.toThrow(NotFound);
    // A removal is kept in the history and for moderators; the file stays on disk.
    await removeAttachment(author, { ideaId: idea.id, attachmentId: row!.id });
    await removeAttachment(author, { ideaId: idea.id, attachmentId: row!.id });
    const history = await ideaHistory(stranger, { ideaId: idea.id, jamSlug: idea.jamSlug });
    expect(history.attachments.map((a) => a.kind)).toEqual(["added", "removed"]);
    expect((await ideaAttachmentsPanel(stranger, { ideaId: idea.id })).items).toEqual([]);
    expect((await ideaAttachmentsPanel(facilitator, { ideaId: idea.id })).items).toHaveLength(1);
    expect((await fetchFile(stranger, row!.storageId)).response.status).toBe(404);
    expect((await fetchFile(facilitator, row!.storageId)).response.status).toBe(200);
  });

  it("not once the jam has ended", async () => {
    const { jam, challengeIds } = await makeJam({ startsAt: Date.now() - 2 * HOUR, endsAt: Date.now() + HOUR });
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!);
    const files = await prepared([{ name: "late.pdf", data: pdf() }]);
    await expect(async () => await attachToIdea(author, { ideaId: idea.id }, files, { now: jam.endsAt + 1 })).rejects.toThrow(Conflict);
    expect(filesOnDisk().filter((f) => f.startsWith("tmp/"))).toEqual([]);
  });
});

describe("serving a file", () => {
  it("with its checked type, nosniff, a sandbox, private caching, and the name in RFC 6266/5987 form", async () => {
    const { challengeId } = await liveJam();
    const idea = await ideaWithFiles(await makeUser(), challengeId, [
      { name: 'Café "plan"\r\nSet-Cookie: x.pdf', data: pdf() },
      { name: "photo.png", data: await png() },
      { name: "notes.txt", data: "plain" },
    ]);
    const [document, image, text] = await rowsOf(idea.id);
    const viewer = await makeUser();
    const doc = await fetchFile(viewer, document!.storageId);
    expect(doc.response.status).toBe(200);
    expect(doc.response.headers.get("content-type")).toBe("application/pdf");
    expect(doc.response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(doc.response.headers.get("cache-control")).toBe("private, max-age=600");
    expect(doc.response.headers.get("content-security-policy")).toContain("sandbox");
    expect(doc.response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const disposition = doc.response.headers.get("content-disposition")!;
    expect(disposition).not.toMatch(/[\r\n]/);
    expect(disposition).toBe(`attachment; filename="Caf_ planSet-Cookie x.pdf"; filename*=UTF-8''Caf%C3%A9%20planSet-Cookie%20x.pdf`);
    expect(doc.body.toString("latin1")).toBe(pdf().toString("latin1"));
    const img = await fetchFile(viewer, image!.storageId);
    expect(img.response.headers.get("content-type")).toBe("image/webp");
    expect(img.response.headers.get("content-disposition")).toMatch(/^inline; filename="photo\.webp"/);
    const card = await fetchFile(viewer, image!.storageId, "card");
    expect(card.response.status).toBe(200);
    expect((await fetchFile(viewer, document!.storageId, "card")).response.status).toBe(404);
    expect((await fetchFile(viewer, image!.storageId, "original")).response.status).toBe(404);
    const txt = await fetchFile(viewer, text!.storageId);
    expect(txt.response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(txt.response.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("follows the idea's access: draft jams, hidden ideas, members-only community boxes; and ids cannot be probed", async () => {
    const participant = await makeUser();
    // A jam back to draft: only staff see it, and its files.
    const draft = await liveJam();
    const inDraft = await ideaWithFiles(await makeUser(), draft.challengeId, [{ name: "d.pdf", data: pdf() }]);
    await db().update(jams).set({ isDraft: true }).where(eq(jams.id, draft.jam.id)).run();
    const { challengeId, facilitator } = await liveJam();
    const author = await makeUser();
    const idea = await ideaWithFiles(author, challengeId, [{ name: "h.pdf", data: pdf() }]);
    const [row] = await rowsOf(idea.id);
    expect((await fetchFile(participant, row!.storageId)).response.status).toBe(200);
    await hideIdea(facilitator, { id: idea.id, reason: "Off topic" }, { ip: null } as never);
    const hidden = await fetchFile(participant, row!.storageId);
    const missing = await fetchFile(participant, "0".repeat(32));
    const malformed = await fetchFile(participant, "../../etc/passwd");
    // The same answer for a hidden idea's file, a file that never existed and a malformed id.
    for (const r of [hidden, missing, malformed]) {
      expect(r.response.status).toBe(404);
      expect(r.body.toString()).toBe("Not found.");
      expect(r.response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    }
    expect((await fetchFile(author, row!.storageId)).response.status).toBe(200);
    expect((await fetchFile(facilitator, row!.storageId)).response.status).toBe(200);
    const [d] = await rowsOf(inDraft.id);
    expect((await fetchFile(participant, d!.storageId)).response.status).toBe(404);
    expect((await fetchFile(draft.facilitator, d!.storageId)).response.status).toBe(200);
  });

  it("keeps a members-only community box's files from non-members", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const { jam, challengeIds } = await makeJam({ facilitator, startsAt: Date.now() - 48 * HOUR, endsAt: Date.now() + HOUR });
    const member = await makeUser();
    const seedIdea = await makeIdea(member, challengeIds[0]!);
    const version = await db().insert(synthesisVersions).values({ jamId: jam.id, number: 1, kind: "curated", createdBy: facilitator.id, createdAt: Date.now(), publishedAt: Date.now() }).returning().get();
    const theme = await db().insert(themes).values({ versionId: version.id, label: "Quiet", keywords: "[]", representatives: JSON.stringify([seedIdea.id]) }).returning().get();
    await db().insert(themeIdeas).values({ versionId: version.id, ideaId: seedIdea.id, themeId: theme.id }).run();
    const { community } = await keepThemeAlive(facilitator, { themeId: theme.id, privacy: "members" });
    await inviteMembers(facilitator, { communityId: community.id, userIds: [member.id] });
    await respondToInvitation(member, { communityId: community.id, answer: "accept" });
    const box = (await db().select().from(communities).where(eq(communities.id, community.id)).get())!;
    const boxIdea = await postInIdeaBox(member, box, { title: "Members only plan", body: "", clientKey: key() });
    await attachToIdea(member, { ideaId: boxIdea.id }, await prepared([{ name: "m.pdf", data: pdf() }]));
    const [row] = await rowsOf(boxIdea.id);
    expect((await fetchFile(member, row!.storageId)).response.status).toBe(200);
    expect((await fetchFile(await makeUser(), row!.storageId)).response.status).toBe(404);
    expect((await fetchFile(await makeUser({ role: "facilitator" }), row!.storageId)).response.status).toBe(404);
  });
});

describe("retention", () => {
  it("deleting an ended jam takes its ideas' files, from the database and, once committed, from disk", async () => {
    const { jam, challengeIds } = await makeJam({ startsAt: Date.now() - 2 * HOUR, endsAt: Date.now() + HOUR });
    const idea = await ideaWithFiles(await makeUser(), challengeIds[0]!, [{ name: "old.pdf", data: pdf() }]);
    const [row] = await rowsOf(idea.id);
    const later = jam.endsAt + 400 * 24 * HOUR;
    await transaction(async (tx) => await deleteJam(tx, jam.id, later, later));
    expect(await rowsOf(idea.id)).toEqual([]);
    expect(filesOnDisk().some((f) => f.includes(row!.storageId))).toBe(false);
  });
});

describe("a person's data and erasure", () => {
  it("puts their files in the download (list and files), and erasure removes them from disk and the database", async () => {
    const { challengeId, jam } = await liveJam();
    const author = await makeUser();
    const idea = await ideaWithFiles(author, challengeId, [{ name: "plan.pdf", data: pdf() }, { name: "photo.png", data: await png() }]);
    const rows = await rowsOf(idea.id);
    const data = await personalData(db(), author.id);
    expect(data.attachments.map((a) => a.name)).toEqual(["plan.pdf", "photo.png"]);
    const archive = unzipSync((await dataArchive(author, { ip: null })).body);
    expect(Object.keys(archive).filter((k) => k.startsWith("attachments/")).sort()).toEqual([`attachments/${rows[0]!.id}-plan.pdf`, `attachments/${rows[1]!.id}-photo.webp`]);
    expect(Buffer.from(archive[`attachments/${rows[0]!.id}-plan.pdf`]!).toString("latin1")).toBe(pdf().toString("latin1"));
    expect(archive["attachments.csv"]).toBeDefined();
    // The CSV export of ideas counts them.
    const staff = await makeUser({ role: "facilitator" });
    const csv = (await ideasCsv(staff, jam.slug)).body;
    expect(csv.split("\r\n")[0]).toContain("attachments");
    const on = filesOnDisk();
    for (const r of rows) expect(on.some((f) => f.includes(r.storageId))).toBe(true);
    await eraseAccountAsAdmin(await makeUser({ role: "admin" }), { userId: author.id, confirmation: author.email }, { ip: null });
    expect(await rowsOf(idea.id)).toEqual([]);
    const after = filesOnDisk();
    for (const r of rows) expect(after.some((f) => f.includes(r.storageId))).toBe(false);
  });
});

