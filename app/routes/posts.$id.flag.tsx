import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { invalidForm, notFound, refusal, requireMember } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { idParam } from "~/lib/params";
import { threadPath } from "~/lib/paths";
import { passThroughHeaders } from "~/lib/route-headers";
import { flagSchema } from "~/models/forum-input.server";
import { REASON_MAX } from "~/models/forum-rules";
import { flagPost } from "~/models/moderation.server";
import { canSee } from "~/models/permissions";
import { findPostWithThread } from "~/models/threads.server";
import type { FlagReason } from "~db/schema/flags";

export const headers = passThroughHeaders;
export const meta: MetaFunction = () => [{ title: "Flag a post · HostHelp" }, { name: "robots", content: "noindex" }];

/** Each reason in the order offered; a type import only, as the schema module would bring drizzle to the browser. */
const LABELS = {
  spam: "Spam: advertising or links unrelated to the question",
  off_topic: "Off topic: not about this question",
  abusive: "Abusive: rude, hateful or harassing",
  other: "Something else (say what below)",
} satisfies Record<FlagReason, string>;
const REASONS = Object.keys(LABELS) as FlagReason[];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const id = idParam(params.id);
  const found = id ? await findPostWithThread(id) : null;
  if (!found || !canSee(member, found.thread) || !canSee(member, found.post)) notFound("This post does not exist or was removed.");
  return { postId: found.post.id, threadTitle: found.thread.title, back: threadPath(found.thread, found.post.postNumber), excerpt: found.post.bodySource.slice(0, 300) };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const id = idParam(params.id);
  if (!id) notFound("This post does not exist or was removed.");
  const formData = await request.formData();
  const parsed = parseForm(flagSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const outcome = await flagPost(member, id, parsed.data.reason, parsed.data.note);
  if (!outcome.ok) return refusal(formData, outcome);
  throw redirect(withNotice(outcome.path, "post-flagged"));
}

export default function FlagPost() {
  const { threadTitle, back, excerpt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  return (
    <section className="narrow-wide">
      <p className="breadcrumbs">
        <Link to={back}>← {threadTitle}</Link>
      </p>
      <h1>Flag a post</h1>
      <blockquote className="excerpt">{excerpt}</blockquote>
      <Form method="post" className="stack" noValidate>
        <FormError message={errors.form} />
        <fieldset className={errors.reason ? "field field--invalid" : "field"} aria-describedby={errors.reason ? "flag-reason-error" : undefined}>
          <legend>What is wrong with it?</legend>
          {REASONS.map((reason) => (
            <div key={reason} className="field--checkbox">
              <input type="radio" id={`flag-${reason}`} name="reason" value={reason} defaultChecked={values.reason === reason} />
              <label htmlFor={`flag-${reason}`}>{LABELS[reason]}</label>
            </div>
          ))}
          {errors.reason ? (
            <p id="flag-reason-error" className="field__error">
              {errors.reason}
            </p>
          ) : null}
        </fieldset>
        <div className={errors.note ? "field field--invalid" : "field"}>
          <label htmlFor="flag-note">Explanation for the moderators (optional unless “Something else”)</label>
          <textarea id="flag-note" name="note" rows={3} maxLength={REASON_MAX} defaultValue={values.note} aria-invalid={errors.note ? true : undefined} aria-describedby={errors.note ? "flag-note-error" : undefined} />
          {errors.note ? (
            <p id="flag-note-error" className="field__error">
              {errors.note}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          Send flag
        </button>
      </Form>
    </section>
  );
}
