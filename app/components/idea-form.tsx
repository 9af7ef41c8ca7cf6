import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { LIMITS } from "~/domain/limits";
import { useBackgroundJson } from "~/components/background-json";
import { TemplateFieldInputs } from "~/components/idea-template";
import type { FieldDef } from "~/domain/templates";
import { AttachmentPicker } from "~/components/attachments";
import { CheckboxField, FormError, TextArea, TextField, useKeptFailure, type FormFailure } from "~/components/form";

interface Similar {
  id: number;
  title: string;
  voteCount: number;
  href: string;
}

/**
 * While someone types, ideas in the challenge that look the same (full-text
 * search), so they can support one instead of posting a duplicate. A failed
 * lookup shows nothing: the form and what was typed are never touched.
 */
function useSimilarIdeas(similarUrl: string) {
  const [text, setText] = useState("");
  const wanted = text.trim().length >= 4;
  const lookup = useBackgroundJson<{ ideas: Similar[] }>(wanted ? `${similarUrl}?text=${encodeURIComponent(text.slice(0, 600))}` : null, 300);
  const ideas = wanted && (lookup.state === "done" || lookup.state === "loading") ? (lookup.data?.ideas ?? []) : [];
  const field = (form: HTMLFormElement, name: string) => {
    const element = form.elements.namedItem(name);
    return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement ? element.value : "";
  };
  return { ideas, onInput: (form: HTMLFormElement) => setText(`${field(form, "title")} ${field(form, "body")}`) };
}

/**
 * Post an idea. Limits are shown as you type; the server has the last word and keeps what you wrote.
 * With JavaScript it starts folded to its title field, so the ideas above the fold are the page's
 * first sight; it opens as soon as the person goes to write (and stays open after a refusal).
 * Without JavaScript it is simply shown in full (the fold is CSS under `html.js`).
 */
export function IdeaForm({
  clientKey,
  failure,
  similarUrl,
  template = [],
  attachmentLimits,
}: {
  clientKey: string;
  failure?: FormFailure;
  similarUrl: string;
  /** The challenge's idea template: its fields show under the description. */
  template?: FieldDef[];
  /** Shown when the form takes files (attachments, the challenge page). */
  attachmentLimits?: { fileText: string; filesPerIdea: number };
}) {
  const similar = useSimilarIdeas(similarUrl);
  const navigation = useNavigation();
  const sending = navigation.state !== "idle" && navigation.formData?.get("intent") === "post";
  const busy = sending && navigation.state === "submitting";
  // A refusal (a missing title, posting too fast) stays while live updates reload the page.
  const shown = useKeptFailure(failure, sending);
  const v = shown?.values;
  const [opened, setOpened] = useState(false);
  const folded = !opened && !shown;
  return (
    <Form
      method="post"
      encType={attachmentLimits ? "multipart/form-data" : undefined}
      className="stack idea-form"
      data-folded={folded ? "" : undefined}
      noValidate
      aria-labelledby="post-idea-heading"
      onFocus={() => setOpened(true)}
      onInput={(e) => similar.onInput(e.currentTarget)}
    >
      <h2 id="post-idea-heading">Share an idea</h2>
      <input type="hidden" name="intent" value="post" />
      <input type="hidden" name="clientKey" value={v?.clientKey ?? clientKey} />
      <FormError message={shown?.formError} />
      <TextField
        label="Title"
        name="title"
        defaultValue={v?.title}
        errors={shown?.fieldErrors.title}
        hint={`A short headline, up to ${LIMITS.ideaTitle} characters.`}
        placeholder="What’s your idea? Start with a short title"
      />
      <div className="stack idea-form__more">
      <TextArea
        label="Describe your idea"
        name="body"
        rows={4}
        defaultValue={v?.body}
        errors={shown?.fieldErrors.body}
        maxLength={LIMITS.ideaBody}
      />
      <TemplateFieldInputs fields={template} values={v} errors={shown?.fieldErrors} />
      {similar.ideas.length > 0 ? (
        <aside className="alert alert--info similar" aria-live="polite" aria-label="Similar ideas">
          <strong>Similar ideas already posted</strong>: support one of them instead of posting a duplicate?
          <ul>
            {similar.ideas.map((i) => (
              <li key={i.id}>
                <a href={i.href} target="_blank" rel="noopener">
                  {i.title}
                </a>{" "}
                <span className="small">
                  ({i.voteCount} {i.voteCount === 1 ? "vote" : "votes"})
                </span>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
      {attachmentLimits ? (
        <AttachmentPicker errors={shown?.fieldErrors.attachments} fileText={attachmentLimits.fileText} max={attachmentLimits.filesPerIdea} anonymousNote />
      ) : null}
      <CheckboxField
        label="Post anonymously"
        name="isAnonymous"
        defaultChecked={v?.isAnonymous === "on"}
        hint="Other people see “Anonymous” instead of your name. You cannot vote on your own idea either way."
      />
      <div>
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Posting…" : "Post idea"}
        </button>
      </div>
      </div>
    </Form>
  );
}
