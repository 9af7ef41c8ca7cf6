import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { cleanName, contentDisposition, formatBytes, nameLies, sniffType } from "./attachments";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

/** An Office Open XML file: a zip whose [Content_Types].xml names the main part. */
export function officeZip(mainPart: string, extra: Record<string, Uint8Array> = {}) {
  const types = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/main.xml" ContentType="${mainPart}"/></Types>`;
  return zipSync({ "[Content_Types].xml": strToU8(types), "main.xml": strToU8("<doc/>"), ...extra });
}

const WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

describe("what a file is, by its content", () => {
  it("knows the accepted images, PDF, Office documents and text by their first bytes", () => {
    expect(sniffType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "rest"), "a.bin")).toBe("image/png");
    expect(sniffType(bytes([0xff, 0xd8, 0xff, 0xe0]), "a")).toBe("image/jpeg");
    expect(sniffType(bytes("GIF89a...."), "a")).toBe("image/gif");
    expect(sniffType(bytes("RIFF\x00\x00\x00\x00WEBPVP8 "), "a")).toBe("image/webp");
    expect(sniffType(bytes("%PDF-1.7\n%%EOF"), "a")).toBe("application/pdf");
    expect(sniffType(officeZip(WORD), "a")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(sniffType(officeZip("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"), "a")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(sniffType(officeZip("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"), "a")).toBe(
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    );
    expect(sniffType(strToU8("Ideas, notes\nline two — ünïcode\n"), "notes.txt")).toBe("text/plain");
    expect(sniffType(strToU8("a,b\n1,2\n"), "figures.csv")).toBe("text/csv");
  });

  it("refuses SVG, HTML, XML, scripts and anything else, whatever the name", () => {
    expect(sniffType(strToU8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "pic.png")).toBeNull();
    expect(sniffType(strToU8("<!doctype html><p>hi"), "page.txt")).toBeNull();
    expect(sniffType(strToU8("  \n<html><body>x</body></html>"), "notes.txt")).toBeNull();
    expect(sniffType(strToU8('<?xml version="1.0"?><svg/>'), "a.txt")).toBeNull();
    expect(sniffType(strToU8("Looks harmless\n<script>alert(1)</script>"), "a.txt")).toBeNull();
    expect(sniffType(bytes("MZ\x90\x00"), "setup.pdf")).toBeNull();
    expect(sniffType(new Uint8Array(0), "empty.txt")).toBeNull();
  });

  it("refuses text that is not valid UTF-8 or holds NUL or control characters", () => {
    expect(sniffType(bytes([0x68, 0x69, 0xc3, 0x28]), "a.txt")).toBeNull();
    expect(sniffType(bytes("hello\x00world"), "a.txt")).toBeNull();
    expect(sniffType(bytes("bell\x07"), "a.txt")).toBeNull();
    expect(sniffType(bytes("tabs\tand\r\nlines\f"), "a.txt")).toBe("text/plain");
  });

  it("refuses zips that are not Office documents: macro-enabled, two main parts, no content types, a bomb in their place", () => {
    expect(sniffType(officeZip("application/vnd.ms-word.document.macroEnabled.main+xml"), "a.docx")).toBeNull();
    expect(sniffType(officeZip(WORD, { "word/vbaProject.bin": new Uint8Array(4) }), "a.docx")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(sniffType(zipSync({ "readme.txt": strToU8("hi") }), "a.docx")).toBeNull();
    const bomb = zipSync({ "[Content_Types].xml": new Uint8Array(5 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(sniffType(bomb, "a.docx")).toBeNull();
    expect(sniffType(bytes("PK\x03\x04garbage"), "a.xlsx")).toBeNull();
  });

  it("says when a name lies about the content (x.png holding text), not when an image is only misnamed", () => {
    expect(nameLies("x.png", "text/plain")).toBe("image/png");
    expect(nameLies("report.pdf", "image/png")).toBe("application/pdf");
    expect(nameLies("photo.png", "image/jpeg")).toBeNull();
    expect(nameLies("notes.md", "text/plain")).toBeNull();
    expect(nameLies("data.csv", "text/csv")).toBeNull();
    expect(nameLies("no-extension", "image/gif")).toBeNull();
  });
});

describe("names", () => {
  it("keeps only a label: no path, no control or bidi characters, the checked type's extension", () => {
    expect(cleanName("../../etc/passwd.txt", "text/plain")).toBe("passwd.txt");
    expect(cleanName("C:\\Users\\ada\\photo.JPG", "image/jpeg")).toBe("photo.JPG");
    expect(cleanName("report.html", "image/png")).toBe("report.html.png");
    expect(cleanName("evil\u202Egnp.exe", "image/png")).toBe("evilgnp.exe.png");
    expect(cleanName("a\r\nContent-Type: text/html.pdf", "application/pdf")).toBe("html.pdf");
    expect(cleanName("...", "application/pdf")).toBe("attachment.pdf");
    expect(cleanName(`${"x".repeat(300)}.pdf`, "application/pdf").length).toBeLessThanOrEqual(120);
  });

  it("travel in Content-Disposition as an ASCII fallback and RFC 5987, with nothing that could end the header", () => {
    expect(contentDisposition("attachment", "plan.pdf")).toBe(`attachment; filename="plan.pdf"; filename*=UTF-8''plan.pdf`);
    expect(contentDisposition("inline", "Café “plan”.webp")).toBe(`inline; filename="Caf_ _plan_.webp"; filename*=UTF-8''Caf%C3%A9%20%E2%80%9Cplan%E2%80%9D.webp`);
    const tricky = contentDisposition("attachment", 'a";\r\nSet-Cookie: x=1; b\\.pdf');
    expect(tricky).not.toMatch(/[\r\n]/);
    expect(tricky.match(/;/g)!.length).toBe(2);
    expect(tricky.match(/"/g)!.length).toBe(2);
    expect(tricky.startsWith('attachment; filename="a__')).toBe(true);
  });

  it("sizes read as people read them", () => {
    expect(formatBytes(820)).toBe("820 bytes");
    expect(formatBytes(14 * 1024)).toBe("14 KB");
    expect(formatBytes(3.2 * 1024 * 1024)).toBe("3.2 MB");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MB");
  });
});
