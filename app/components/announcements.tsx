import { LocalTime } from "~/components/time";
import { UserText } from "~/components/user-text";

export interface AnnouncementView {
  id: number;
  body: string;
  challengeTitle: string | null;
  author: string;
  createdAt: number;
}

/** The latest announcements, newest first. */
export function AnnouncementList({ announcements, title = "Announcements" }: { announcements: AnnouncementView[]; title?: string }) {
  if (announcements.length === 0) return null;
  return (
    <section aria-label={title} className="stack" style={{ marginBottom: "var(--s-4)" }}>
      <ul className="list-plain announcement-list">
        {announcements.map((a) => (
          <li key={a.id} className="card">
            <UserText text={a.body} />
            <div className="small muted">
              {a.author}
              {a.challengeTitle ? ` · ${a.challengeTitle}` : " · whole jam"} · <LocalTime at={a.createdAt} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
