/**
 * A static file server for the built app (no logic of its own): files from `dir`, plus a few
 * fixed JSON documents (the app's `config.json` and the deployment record) at given paths.
 * Used by `npm run app` and the browser tests; listens on 127.0.0.1 only.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1:`port` (0: any free port). `documents` maps URL paths (such as
 * "/config.json") to functions returning their JSON, read on every request.
 */
export function serveStatic(
  dir: string,
  documents: Record<string, () => unknown> = {},
  port = 0,
): Promise<StaticServer> {
  const root = path.resolve(dir);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const doc = documents[url.pathname];
    if (doc !== undefined) {
      res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" });
      res.end(JSON.stringify(doc()));
      return;
    }
    const file = path.resolve(root, "." + decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname));
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const addr = server.address();
      const p = typeof addr === "object" && addr !== null ? addr.port : port;
      resolve({
        url: `http://127.0.0.1:${p}/`,
        port: p,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
