import { useFetcher } from "@remix-run/react";
import { useId, useState } from "react";
import { ACCEPT, formatBytes } from "~/domain/attachments";
import { FormError, formFailureOf, useKeptFailure, type FormFailure } from "~/components/form";
import { LocalTime } from "~/components/time";
import { plural } from "~/components/ui";

/** What a page passes to show an idea's attachments (app/services/commands/attachments.server.ts, AttachmentView). */
export interface AttachmentItem {
  id: number;
  name: string;
  label: string;
  kind: "image" | "document";
  sizeText: string;
  href: string;
  cardHref: string | null;
  width: number | null;
  height: number | null;
  cardWidth: number | null;
  cardHeight: number | null;
  removedAt: number | null;
}

export interface AttachmentsPanelData {
  ideaId: number;
  ideaTitle: string;
  jamSlug: string;
  jamTitle: string;
  isAnonymous: boolean;
  items: AttachmentItem[];
  canAdd: boolean;
  canRemove: boolean;
  room: number;
  limits: { fileBytes: number; fileText: string; filesPerIdea: number };
}

/**
 * The file input of a form that carries attachments (the idea form, the idea page's "Add files").
 * The picked files are listed with their sizes; one over the limit is flagged at once, but the
 * server checks every file (by its content) and has the last word.
 */
export function AttachmentPicker({
  errors,
  fileText,
  fileBytes,
  max,
  anonymousNote = false,
  label = "Attach images or documents (optional)",
  kept = true,
}: {
  errors?: string[];
  fileText: string;
  fileBytes?: number;
  max: number;
  anonymousNote?: boolean;
  label?: string;
  /** Whether the rest of the form was kept after a refusal (the idea form keeps what was typed). */
  kept?: boolean;
}) {
  const id = useId();
  const [picked, setPicked] = useState<{ name: string; size: number }[]>([]);
  const failed = Boolean(errors?.length);
  return (
    <div className="field attachment-picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="attachment-picker__input"
        type="file"
        name="attachments"
        multiple={max > 1}
        accept={ACCEPT}
        aria-invalid={failed ? true : undefined}
        aria-describedby={`${id}-hint${failed ? ` ${id}-error` : ""}`}
        onChange={(e) => setPicked([...(e.currentTarget.files ?? [])].map((f) => ({ name: f.name, size: f.size })))}
      />
      <div className="field__hint" id={`${id}-hint`}>
        Up to {plural(max, "file")}, {fileText} each: images (PNG, JPEG, GIF, WebP), PDF, Word, Excel, PowerPoint, text or CSV.
        {anonymousNote ? " Photos are stripped of their location and camera details; a document keeps what its own file says about its author." : ""}
      </div>
      {picked.length > 0 ? (
        <ul className="attachment-picker__list small" aria-label="Files chosen">
          {picked.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              {f.name} <span className="muted">({formatBytes(f.size)})</span>
              {fileBytes && f.size > fileBytes ? <strong className="attachment-picker__over"> larger than {fileText}</strong> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {failed ? (
        <div className="field__error" id={`${id}-error`} role="alert">
          {errors!.join(" ")}
          {kept ? " What you typed is kept." : ""}
        </div>
      ) : null}
    </div>
  );
}

/** An idea card's thumbnail: its first image at card size, sized before it loads so nothing moves. */
export function CardThumbnail({ thumbnail, href }: { thumbnail: { href: string; width: number; height: number }; href: string }) {
  return (
    <a href={href} className="idea__thumb" tabIndex={-1} aria-hidden="true">
      <img src={thumbnail.href} width={thumbnail.width} height={thumbnail.height} loading="lazy" decoding="async" alt="" />
    </a>
  );
}

/** "2 files" on a card that carries attachments but no image to show. */
export function AttachmentCount({ count }: { count: number }) {
  return <span className="attachment-count">· {plural(count, "file")}</span>;
}

/**
 * The idea page's attachments: a gallery of its images (each opens at page size), a list of its
 * documents (name, type, size, a download), and for its writers a form to add files and a button
 * to remove one (asked twice). Moderators also see removed files, marked.
 */
export function AttachmentsSection({ panel, failure }: { panel: AttachmentsPanelData; failure?: FormFailure }) {
  const images = panel.items.filter((i) => i.kind === "image");
  const documents = panel.items.filter((i) => i.kind === "document");
  const action = `/jams/${panel.jamSlug}/ideas/${panel.ideaId}/attachments`;
  if (panel.items.length === 0 && !panel.canAdd) return null;
  return (
    <section className="card stack attachments" id="attachments" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">Attachments</h2>
      {panel.items.length === 0 ? <p className="muted">No files yet.</p> : null}
      {images.length > 0 ? (
        <ul className="attachments__gallery list-plain" aria-label="Images">
          {images.map((item) => (
            <li key={item.id} className="attachments__image">
              <figure>
                <a href={item.href} target="_blank" rel="noopener" aria-label={`Open ${item.name} (${item.label}, ${item.sizeText})`}>
                  <img src={item.cardHref ?? item.href} width={item.cardWidth ?? undefined} height={item.cardHeight ?? undefined} loading="lazy" decoding="async" alt="" />
                </a>
                <figcaption className="small">
                  <span className="attachments__name">{item.name}</span> <span className="muted">· {item.sizeText}</span>
                  {item.removedAt !== null ? <RemovedMark at={item.removedAt} /> : null}
                </figcaption>
              </figure>
              {panel.canRemove && item.removedAt === null ? <RemoveButton action={action} item={item} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {documents.length > 0 ? (
        <ul className="attachments__files list-plain" aria-label="Documents">
          {documents.map((item) => (
            <li key={item.id} className="attachments__file">
              <span className="attachments__icon" aria-hidden="true">
                {item.label.split(" ")[0]!.slice(0, 4).toUpperCase()}
              </span>
              <span className="attachments__file-text">
                <a href={item.href} download className="attachments__name">
                  {item.name}
                </a>
                <span className="small muted">
                  {item.label} · {item.sizeText}
                </span>
                {item.removedAt !== null ? <RemovedMark at={item.removedAt} /> : null}
              </span>
              {panel.canRemove && item.removedAt === null ? <RemoveButton action={action} item={item} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {panel.canAdd ? <AddFilesForm panel={panel} action={action} failure={failure} /> : null}
    </section>
  );
}

function RemovedMark({ at }: { at: number }) {
  return (
    <span className="badge badge--draft attachments__removed">
      removed <LocalTime at={at} />
    </span>
  );
}

function RemoveButton({ action, item }: { action: string; item: AttachmentItem }) {
  const fetcher = useFetcher<FormFailure>();
  const failure = formFailureOf(fetcher.data);
  return (
    <fetcher.Form method="post" action={action} className="attachments__remove">
      <input type="hidden" name="intent" value="remove" />
      <input type="hidden" name="attachmentId" value={item.id} />
      <button
        type="submit"
        className="btn btn--secondary btn--small"
        aria-label={`Remove ${item.name}`}
        disabled={fetcher.state !== "idle"}
        onClick={(e) => {
          if (!window.confirm(`Remove “${item.name}” from this idea? It stays in the idea’s history.`)) e.preventDefault();
        }}
      >
        Remove
      </button>
      {failure?.formError ? (
        <span className="field__error" role="alert">
          {failure.formError}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

/**
 * Adding files: with JavaScript through a fetcher, so a refusal shows here on the idea page; without
 * it a plain post to the attachments page, which shows the refusal beside the same form.
 */
function AddFilesForm({ panel, action, failure }: { panel: AttachmentsPanelData; action: string; failure?: FormFailure }) {
  const fetcher = useFetcher<FormFailure>();
  const sending = fetcher.state === "submitting";
  const shown = useKeptFailure(formFailureOf(fetcher.data) ?? failure, sending);
  return (
    <fetcher.Form method="post" action={action} encType="multipart/form-data" className="stack attachments__add" aria-labelledby="attachments-add-heading">
      <h3 id="attachments-add-heading" className="attachments__add-heading">Add files</h3>
      <input type="hidden" name="intent" value="attach" />
      <FormError message={shown?.formError && !shown.fieldErrors.attachments ? shown.formError : null} />
      <AttachmentPicker
        label="Choose files to add"
        errors={shown?.fieldErrors.attachments}
        fileText={panel.limits.fileText}
        fileBytes={panel.limits.fileBytes}
        max={panel.room}
        anonymousNote={panel.isAnonymous}
        kept={false}
      />
      <div>
        <button type="submit" className="btn btn--secondary" disabled={sending}>
          {sending ? "Uploading…" : "Upload"}
        </button>
      </div>
    </fetcher.Form>
  );
}
