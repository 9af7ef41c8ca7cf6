import type { RequestHandler } from "express";

export const ENCODINGS: readonly (readonly ["br" | "gzip", ".br" | ".gz"])[];
export function compressAssets(dir: string): number;
export function chooseEncoding(accepts: (encodings: string[]) => string | false, stored: Set<string>): "br" | "gzip" | null;
export function servePrecompressed(dir: string): {
  choose: RequestHandler;
  setHeaders: (res: import("node:http").ServerResponse, path: string) => void;
};
