/**
 * HTTP over a raw socket, for tests that must control how a request body is sent (a head that
 * promises more than is sent, a chunked body sent until the server answers) and see when the
 * answer came.
 */
import { connect, type Socket } from "node:net";

export interface Exchange {
  /** The status line's code. */
  status: number;
  text: string;
  /** Body bytes the client had written when the response's first byte came back. */
  sentWhenAnswered: number;
}

/**
 * Sends a request over a raw socket: the head, then `chunks` of the body as fast as the socket
 * takes them, until the server answers (or everything is sent). Resolves with the answer.
 */
export function rawExchange(port: number, head: string, body: { chunk: Buffer; count: number; chunked?: boolean }): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let sent = 0;
    let sentWhenAnswered = -1;
    let answer = "";
    let sending = true;
    socket.on("data", (data) => {
      if (sentWhenAnswered < 0) sentWhenAnswered = sent;
      sending = false;
      answer += data.toString("latin1");
    });
    const finish = () => {
      const status = Number(answer.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
      resolve({ status, text: answer.split("\r\n\r\n").slice(1).join("\r\n\r\n"), sentWhenAnswered });
    };
    socket.on("close", finish);
    // The server closing while we still write is expected: the answer has arrived by then.
    socket.on("error", (error: NodeJS.ErrnoException) => (answer ? undefined : reject(error)));
    socket.write(head);
    let n = 0;
    const pump = () => {
      while (sending && n < body.count) {
        n++;
        const payload = body.chunked ? Buffer.concat([Buffer.from(`${body.chunk.length.toString(16)}\r\n`), body.chunk, Buffer.from("\r\n")]) : body.chunk;
        sent += body.chunk.length;
        if (!socket.write(payload)) return void socket.once("drain", pump);
      }
      if (sending && body.chunked) socket.write("0\r\n\r\n");
    };
    pump();
  });
}
