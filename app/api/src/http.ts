import type { IncomingMessage, ServerResponse } from "node:http";

/** An error that becomes a JSON response `{ "error": message }` with `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** For 405: the methods the resource supports (the `Allow` header). */
    readonly allow?: readonly string[],
  ) {
    super(message);
  }
}

/** Sends `body` as JSON with headers that keep it out of caches and content sniffing. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(payload)),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(payload);
}

/** Reads and parses a JSON request body of at most `limitBytes`; throws {@link HttpError} 400/413/415. */
export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = req.headers["content-type"];
  if (type !== undefined && type.split(";")[0].trim().toLowerCase() !== "application/json") {
    throw new HttpError(415, "content-type must be application/json");
  }
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Events rather than `for await`: leaving that loop early destroys the socket, and the 413
    // response could not be sent.
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off("data", onData);
        req.resume();
        reject(new HttpError(413, `body must be at most ${limitBytes} bytes`));
      } else {
        chunks.push(chunk);
      }
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
  const text = body.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "body must be valid JSON");
  }
}
