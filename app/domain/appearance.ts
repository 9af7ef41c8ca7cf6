/** The colour theme a person chose: their system's (the default), or light or dark whatever it says. */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export function isTheme(value: unknown): value is Theme {
  return typeof value === "string" && (THEMES as readonly string[]).includes(value);
}

const COOKIE = "theme";
const YEAR_SECONDS = 365 * 24 * 3600;

/** The theme a request's cookie names (system when there is none or it is not one). */
export function themeFromCookie(header: string | null): Theme {
  const value = header?.match(/(?:^|;\s*)theme=([a-z]+)/)?.[1];
  return isTheme(value) ? value : "system";
}

/** The Set-Cookie that keeps `theme` (a year; the system's own clears it). */
export function themeCookie(theme: Theme): string {
  return theme === "system" ? `${COOKIE}=; Path=/; Max-Age=0; SameSite=Lax` : `${COOKIE}=${theme}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax`;
}
