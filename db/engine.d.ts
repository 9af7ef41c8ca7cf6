export function isPostgresUrl(url: string | undefined | null): url is string;
export const POSTGRES_NOT_SERVED_YET: string;
export function servingRefusal(url?: string | undefined): string | null;
export function redactUrl(url: string): string;
