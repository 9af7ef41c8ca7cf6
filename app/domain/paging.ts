/**
 * Numbered pages over a list whose total is known (a person's own activity): which rows a
 * page holds, clamped so any `?page=` in an address reads a real page.
 */
export interface PageWindow {
  page: number;
  pages: number;
  offset: number;
  /** 1-based position of the first and last row shown; 0 and 0 when the list is empty. */
  from: number;
  to: number;
  total: number;
}

export function pageWindow(total: number, requested: unknown, size: number): PageWindow {
  const pages = Math.max(1, Math.ceil(total / size));
  const asked = Number(requested);
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1;
  const offset = (page - 1) * size;
  return { page, pages, offset, from: total === 0 ? 0 : offset + 1, to: Math.min(total, offset + size), total };
}
