import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawExchange } from "../../tests/raw-http";
import { bodyLimitFor, DEFAULT_BODY_LIMIT, isFormType } from "./body-limit.js";

/**
 * A real HTTP server with the middleware, in a process of its own (a client in the same process
 * shares its event loop and never sees the race between a reset and the answer). Its route answers
 * "got N" with the size of the body it was given.
 */
let port = 0;
let server: ChildProcess;
beforeAll(async () => {
  server = spawn(process.execPath, ["tests/integration/helpers/body-limit-server.mjs"], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(server.stdout!, "data")) as [Buffer];
  port = Number(line.toString().trim());
});
afterAll(() => {
  server.kill();
});

const MB = 1024 * 1024;
const FORM = "application/x-www-form-urlencoded";

describe("request bodies", () => {
  it("answers 413 to a 30 MB form by its Content-Length alone, before any of it is sent", async () => {
    const result = await rawExchange(
      port,
      `POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: ${30 * MB}\r\n\r\n`,
      // The body would follow only once the server has not answered: it answers first.
      { chunk: Buffer.alloc(64 * 1024, "a"), count: 480 },
    );
    expect(result.status).toBe(413);
    expect(result.text).toContain("Request body too large: this address takes at most 64 KB.");
    expect(result.sentWhenAnswered).toBeLessThan(30 * MB);
  });

  it("stops reading a chunked body once it passes the limit, while the client is still sending", async () => {
    const result = await rawExchange(
      port,
      `POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=xyz\r\nTransfer-Encoding: chunked\r\n\r\n`,
      { chunk: Buffer.alloc(16 * 1024, "b"), count: (60 * MB) / (16 * 1024), chunked: true },
    );
    expect(result.status).toBe(413);
    expect(result.sentWhenAnswered).toBeGreaterThan(DEFAULT_BODY_LIMIT);
    // Answered while the client was still sending. How far it got first is how long it waited for
    // the CPU to read the answer (the server throws away what arrives meanwhile for at most
    // LINGER_MS): 12 MB of the 60 at a load of 21 on two cores, so the bound is the body itself.
    expect(result.sentWhenAnswered).toBeLessThan(60 * MB);
  });

  it("lets every refused client that is still sending read its 413, not a connection reset", async () => {
    // Closing at once with the client's bytes unread sends a reset that often beat the answer (EPIPE).
    const head = (chunked: boolean) =>
      chunked
        ? `POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n`
        : `POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: ${30 * MB}\r\n\r\n`;
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          rawExchange(port, head(i % 2 === 0), { chunk: Buffer.alloc(16 * 1024, "x"), count: (30 * MB) / (16 * 1024), chunked: i % 2 === 0 }).then(
            (r) => r.status,
            (error: NodeJS.ErrnoException) => error.code,
          ),
        ),
      );
      expect(results).toEqual(Array(10).fill(413));
    }
  });

  it("refuses a JSON body (or any type that is not a form) with 415, reading none of it", async () => {
    for (const type of ["application/json", "text/plain", "application/octet-stream"]) {
      const body = Buffer.from(JSON.stringify({ email: "a@b.test", password: "x" }));
      const result = await rawExchange(
      port,
        `POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`,
        { chunk: body, count: 1 },
      );
      expect(result.status, type).toBe(415);
      expect(result.text).toContain("this address takes form posts");
    }
    const compressed = await rawExchange(
      port,
      `POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n`,
      { chunk: Buffer.from("abcd"), count: 1 },
    );
    expect(compressed.status).toBe(415);
  });

  it("passes forms within their limit, whole, and requests without a body", async () => {
    const form = Buffer.from(`email=a%40b.test&password=${"p".repeat(DEFAULT_BODY_LIMIT - 100)}`);
    const result = await rawExchange(port, `POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n`, {
      chunk: form,
      count: 1,
    });
    expect(result.status).toBe(200);
    expect(result.text).toBe(`got ${form.length}`);

    const chunked = await rawExchange(port, `POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`, {
      chunk: Buffer.from("a=1&b=2"),
      count: 3,
      chunked: true,
    });
    expect(chunked.text).toBe("got 21");

    const empty = await rawExchange(port, `POST /logout HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, { chunk: Buffer.alloc(0), count: 0 });
    expect(empty.text).toBe("got 0");
  });

  it("gives the few routes with big forms their own limit, and only them", async () => {
    const form = Buffer.from(`description=${"d".repeat(140 * 1024)}`);
    for (const [path, status] of [["/jams/some-jam/edit", 200], ["/jams/new", 200], ["/jams/some-jam/synthesis", 200], ["/jams/some-jam", 413]] as const) {
      const result = await rawExchange(port, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n`, {
        chunk: form,
        count: 1,
      });
      expect(result.status, path).toBe(status);
    }
  });
});

describe("forms that carry attachments", () => {
  const upload = (path: string, head: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\n${head}\r\n`;

  it("answers 413 to a 2 GB upload by its Content-Length alone, before any of it is sent", async () => {
    const result = await rawExchange(port, upload("/jams/some-jam/challenges/3", `Content-Length: ${2 * 1024 * MB}\r\n`), { chunk: Buffer.alloc(64 * 1024, "p"), count: 200 });
    expect(result.status).toBe(413);
    expect(result.text).toContain("at most 50 MB");
    expect(result.sentWhenAnswered).toBeLessThan(13 * MB);
  });

  it("stops reading a chunked 2 GB upload once it passes every file's limit, with nearly all of it unsent", async () => {
    const result = await rawExchange(port, upload("/jams/some-jam/ideas/9/attachments", "Transfer-Encoding: chunked\r\n"), {
      chunk: Buffer.alloc(64 * 1024, "q"),
      count: (2 * 1024 * MB) / (64 * 1024),
      chunked: true,
    });
    expect(result.status).toBe(413);
    expect(result.sentWhenAnswered).toBeGreaterThan(50 * MB);
    expect(result.sentWhenAnswered).toBeLessThan(70 * MB);
  });
});

describe("directory sync bodies (/scim/v2)", () => {
  const SCIM_JSON = "application/scim+json";

  it("takes JSON within 1 MB, and refuses a bigger one with 413 in SCIM's error format before reading it", async () => {
    const body = Buffer.from(JSON.stringify({ userName: "a@b.test", displayName: "d".repeat(200 * 1024) }));
    const ok = await rawExchange(port, `POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nContent-Type: ${SCIM_JSON}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, {
      chunk: body,
      count: 1,
    });
    expect(ok.text).toBe(`got ${body.length}`);
    const json = Buffer.from('{"op":"x"}');
    const plain = await rawExchange(port, `PATCH /scim/v2/Users/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${json.length}\r\nConnection: close\r\n\r\n`, {
      chunk: json,
      count: 1,
    });
    expect(plain.status).toBe(200);

    const huge = await rawExchange(port, `POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nContent-Type: ${SCIM_JSON}\r\nContent-Length: ${30 * MB}\r\n\r\n`, {
      chunk: Buffer.alloc(64 * 1024, "a"),
      count: 480,
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text)).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "413",
      detail: "Request body too large: this address takes at most 1 MB.",
    });
    expect(huge.sentWhenAnswered).toBeLessThan(30 * MB);
  });

  it("refuses a form posted to it with 415, and a JSON body posted anywhere else", async () => {
    const form = Buffer.from("userName=a%40b.test");
    const refused = await rawExchange(port, `POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: ${form.length}\r\n\r\n`, { chunk: form, count: 1 });
    expect(refused.status).toBe(415);
    expect(JSON.parse(refused.text)).toMatchObject({ status: "415" });
    const json = Buffer.from("{}");
    const elsewhere = await rawExchange(port, `POST /scimv2/Users HTTP/1.1\r\nHost: x\r\nContent-Type: ${SCIM_JSON}\r\nContent-Length: 2\r\n\r\n`, { chunk: json, count: 1 });
    expect(elsewhere.status).toBe(415);
  });
});

describe("body limits and types", () => {
  it("are 64 KB for a form unless the route is in the table", () => {
    expect(bodyLimitFor("/login")).toBe(64 * 1024);
    expect(bodyLimitFor("/jams/x/ideas/3")).toBe(64 * 1024);
    expect(bodyLimitFor("/jams/x/edit")).toBe(256 * 1024);
    expect(bodyLimitFor("/jams/x/edit.data")).toBe(256 * 1024);
    expect(bodyLimitFor("/jams/x/edit/more")).toBe(64 * 1024);
    // The People page takes a 5 MB CSV import; directory sync 1 MB of JSON.
    expect(bodyLimitFor("/admin/people")).toBe(5 * 1024 * 1024 + 64 * 1024);
    expect(bodyLimitFor("/admin/people.data")).toBe(5 * 1024 * 1024 + 64 * 1024);
    expect(bodyLimitFor("/scim/v2/Groups/3")).toBe(1024 * 1024);
    // Posting an idea and adding files to one: five files of 10 MB and the form's text.
    expect(bodyLimitFor("/jams/x/challenges/12")).toBe(50 * 1024 * 1024 + 64 * 1024);
    expect(bodyLimitFor("/jams/x/challenges/12.data")).toBe(50 * 1024 * 1024 + 64 * 1024);
    expect(bodyLimitFor("/jams/x/ideas/3/attachments")).toBe(50 * 1024 * 1024 + 64 * 1024);
    expect(bodyLimitFor("/jams/x/challenges/12/vote")).toBe(64 * 1024);
    expect(bodyLimitFor("/SCIM/V2/Users")).toBe(1024 * 1024);
  });

  it("take the two form encodings, whatever their parameters", () => {
    expect(isFormType("application/x-www-form-urlencoded;charset=UTF-8")).toBe(true);
    expect(isFormType("Multipart/Form-Data; boundary=abc")).toBe(true);
    expect(isFormType("application/json")).toBe(false);
    expect(isFormType(undefined)).toBe(false);
  });
});
