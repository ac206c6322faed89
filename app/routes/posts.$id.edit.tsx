import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { forbidden, invalidForm, notFound, refusal, requireMember } from "~/lib/http.server";
import { idParam } from "~/lib/params";
import { passThroughHeaders } from "~/lib/route-headers";
import { editSchema } from "~/models/forum-input.server";
import { BODY_MAX, EDIT_REASON_MAX, TITLE_MAX } from "~/models/forum-rules";
import { can, canSee } from "~/models/permissions";
import { threadPath } from "~/lib/paths";
import { deletePost, deleteRefusal, editPost, editRefusal, findPostWithThread } from "~/models/threads.server";

export const headers = passThroughHeaders;
export const meta: MetaFunction = () => [{ title: "Edit post · HostHelp" }, { name: "robots", content: "noindex" }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const id = idParam(params.id);
  const found = id ? await findPostWithThread(id) : null;
  if (!found || !canSee(member, found.thread) || !canSee(member, found.post)) notFound("This post does not exist or was removed.");
  if (!can(member, "post:edit", found)) forbidden(editRefusal(found));
  const isOwn = found.post.authorId === member.id;
  // Only authors delete; the page offers the button only when deleting would be allowed, and
  // otherwise says why not.
  const deleteRefused = isOwn ? await deleteRefusal(member, found) : null;
  return {
    post: { id: found.post.id, postNumber: found.post.postNumber, bodySource: found.post.bodySource, isOwn },
    thread: { id: found.thread.id, slug: found.thread.slug, title: found.thread.title },
    whyNotDeletable: deleteRefused?.message ?? null,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const id = idParam(params.id);
  if (!id) notFound("This post does not exist or was removed.");
  const formData = await request.formData();
  if (formData.get("intent") === "delete") {
    // A refused delete is a page of its own: the edit form may not be open to this member at all
    // (another member's post, a hidden one), and the delete button has no field to put back.
    const result = await deletePost(member, id);
    if (!result.ok) throw data(result.message, { status: result.status });
    throw redirect(result.path);
  }
  const parsed = parseForm(editSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const { hideEarlierText, ...edit } = parsed.data;
  const result = await editPost(member, id, { ...edit, hideEarlierText: hideEarlierText === "on" });
  if (!result.ok) return refusal(formData, result);
  throw redirect(result.path);
}

export default function EditPost() {
  const { post, thread, whyNotDeletable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const isQuestion = post.postNumber === 1;
  return (
    <section className="narrow-wide">
      <p className="breadcrumbs">
        <Link to={threadPath(thread, post.postNumber)}>← {thread.title}</Link>
      </p>
      <h1>{isQuestion ? "Edit your question" : post.isOwn ? "Edit your answer" : "Edit this post"}</h1>
      <Form method="post" noValidate className="stack">
        <FormError message={errors.form} />
        {isQuestion ? <Field name="title" label="Title" maxLength={TITLE_MAX} required defaultValue={values.title ?? thread.title} error={errors.title} /> : null}
        <div className={errors.body ? "field field--invalid" : "field"}>
          <label htmlFor="edit-body">Text</label>
          <textarea id="edit-body" name="body" rows={12} maxLength={BODY_MAX} required defaultValue={values.body ?? post.bodySource} aria-invalid={errors.body ? true : undefined} aria-describedby={errors.body ? "edit-body-error" : undefined} />
          {errors.body ? (
            <p id="edit-body-error" className="field__error">
              {errors.body}
            </p>
          ) : null}
        </div>
        <Field
          name="reason"
          label={post.isOwn ? "Reason for the edit (optional)" : "Reason for the edit"}
          hint="Shown in the revision history."
          maxLength={EDIT_REASON_MAX}
          required={!post.isOwn}
          defaultValue={values.reason}
          error={errors.reason}
        />
        <div className="field">
          <div className="field field--checkbox">
            <input id="edit-hide-earlier" type="checkbox" name="hideEarlierText" defaultChecked={values.hideEarlierText === "on"} aria-describedby="edit-hide-earlier-hint" />
            <label htmlFor="edit-hide-earlier">Hide the earlier versions&rsquo; text from other members</label>
          </div>
          <p id="edit-hide-earlier-hint" className="field__hint">
            For a password or other private details pasted by mistake. Moderators{post.isOwn ? "" : " and the author"} can still read it; everyone sees who edited and when.
          </p>
        </div>
        <button type="submit" disabled={busy}>
          Save changes
        </button>
      </Form>
      {post.isOwn && whyNotDeletable ? <p className="danger-zone muted">{whyNotDeletable}</p> : null}
      {post.isOwn && !whyNotDeletable ? (
        <Form method="post" className="danger-zone">
          <input type="hidden" name="intent" value="delete" />
          <p>{isQuestion ? "You can delete your question while nobody has answered it." : "You can delete your answer while nobody has replied after it."}</p>
          <button type="submit" className="button--danger">
            Delete {isQuestion ? "question" : "answer"}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
