import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { sendJson } from "./respond";

/** One file of the site, held in memory. */
export interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** Headers on every page: only this origin's scripts, styles and API; no framing, no referrer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/**
 * Reads every file under `dir` into memory, keyed by URL path (`/app.js`), with `/` for
 * `index.html`. The site is a handful of small files; serving from a map means no request path
 * ever reaches the file system, so there is no path traversal to defend against.
 */
export function loadSite(dir: string): Map<string, Asset> {
  const site = new Map<string, Asset>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const body = readFileSync(file);
    const urlPath = "/" + relative(dir, file).split(sep).join("/");
    const asset = {
      body,
      type: TYPES[extname(file)] ?? "application/octet-stream",
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
    };
    site.set(urlPath, asset);
    if (urlPath === "/index.html") site.set("/", asset);
  }
  return site;
}

/** Answers GET/HEAD for the site's files (304 when the ETag matches), 404 for anything else. */
export function serveSite(
  site: ReadonlyMap<string, Asset>,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return sendJson(
      res,
      405,
      { error: `method ${req.method} not allowed; use GET, HEAD` },
      { allow: "GET, HEAD" },
    );
  }
  const asset = site.get(path);
  if (asset === undefined) return sendJson(res, 404, { error: "not found" });
  const headers = {
    ...SECURITY_HEADERS,
    etag: asset.etag,
    // Unversioned file names: always revalidate (cheap, thanks to the ETag).
    "cache-control": "no-cache",
  };
  if (req.headers["if-none-match"] === asset.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, "content-type": asset.type, "content-length": String(asset.body.length) });
  res.end(asset.body);
}
