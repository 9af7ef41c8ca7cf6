import type { RequestHandler } from "express";

export const DEFAULT_BODY_LIMIT: number;
export const BODY_LIMITS: { path: RegExp; bytes: number }[];
export function bodyLimitFor(path: string): number;
export function isFormType(contentType: string | undefined): boolean;
export function readBody(): RequestHandler;
export const SCIM_PATH: RegExp;
export const SCIM_BODY_LIMIT: number;
export function isScimJsonType(contentType: string | undefined): boolean;
export const ATTACHMENT_PATHS: RegExp[];
