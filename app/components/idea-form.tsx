import { Form, useNavigation } from "@remix-run/react";
import { LIMITS } from "~/domain/limits";
import { CheckboxField, FormError, TextArea, TextField } from "./form";

interface Failure {
  fieldErrors: Record<string, string[]>;
  formError: string | null;
  values: Record<string, string>;
}

/** Post an idea. Limits are shown as you type; the server has the last word and keeps what you wrote. */
export function IdeaForm({ clientKey, failure }: { clientKey: string; failure?: Failure }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "post";
  const v = failure?.values;
  return (
    <Form method="post" className="stack" noValidate aria-labelledby="post-idea-heading">
      <h2 id="post-idea-heading">Share an idea</h2>
      <input type="hidden" name="intent" value="post" />
      <input type="hidden" name="clientKey" value={v?.clientKey ?? clientKey} />
      <FormError message={failure?.formError} />
      <TextField
        label="Title"
        name="title"
        defaultValue={v?.title}
        errors={failure?.fieldErrors.title}
        hint={`A short headline, up to ${LIMITS.ideaTitle} characters.`}
      />
      <TextArea
        label="Describe your idea"
        name="body"
        rows={4}
        defaultValue={v?.body}
        errors={failure?.fieldErrors.body}
        maxLength={LIMITS.ideaBody}
      />
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
    </Form>
  );
}
