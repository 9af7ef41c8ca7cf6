/** Reading a Server-Sent Events body in tests, frame by frame. */

export interface Frame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comments: string[];
}

function parseFrame(text: string): Frame {
  const frame: Frame = { comments: [] };
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) {
      frame.comments.push(line.slice(1).trim());
      continue;
    }
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
    if (field === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    else if (field === "id" || field === "event" || field === "retry") frame[field] = value;
  }
  return frame;
}

/** Reads an SSE body frame by frame. */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    reader,
    /** The next complete frame, or null when the stream ended; fails after `ms`. */
    async next(ms = 2000): Promise<Frame | null> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const text = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return parseFrame(text);
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no SSE frame within ${ms} ms`)), ms);
        });
        try {
          const { done, value } = await Promise.race([reader.read(), timeout]);
          if (done) return null;
          buffer += decoder.decode(value, { stream: true });
        } finally {
          clearTimeout(timer);
        }
      }
    },
  };
}
