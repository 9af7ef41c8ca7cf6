/**
 * Text that people wrote, shown as text: line breaks kept, http(s) links made
 * clickable (rel="nofollow noopener"), and nothing ever parsed as HTML.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

export function UserText({ text, className = "" }: { text: string; className?: string }) {
  const parts: (string | { href: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href: match[0] });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <div className={`user-text ${className}`.trim()}>
      {parts.map((p, i) =>
        typeof p === "string" ? (
          p
        ) : (
          <a key={i} href={p.href} rel="nofollow noopener noreferrer" target="_blank">
            {p.href}
          </a>
        ),
      )}
    </div>
  );
}
