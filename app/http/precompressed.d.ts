import type { RequestHandler } from "express";

export function compressAssets(dir: string): number;
export function chooseEncoding(accepts: (encodings: string[]) => string | false, stored: Set<string>): "br" | "gzip" | null;
export function servePrecompressed(dir: string): {
  choose: RequestHandler;
  setHeaders: (res: import("node:http").ServerResponse, path: string) => void;
};
