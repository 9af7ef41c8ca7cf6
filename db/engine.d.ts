export function isPostgresUrl(url: string | undefined | null): url is string;
export function databaseUnreachable(url?: string | undefined, timeoutMs?: number): Promise<string | null>;
export function redactUrl(url: string): string;
