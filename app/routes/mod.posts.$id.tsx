import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parseForm } from "~/lib/forms.server";
import { invalidResourceForm, refuseResource, requireMember } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { idParam } from "~/lib/params";
import { postModerationSchema } from "~/models/forum-input.server";
import { resolveFlags, setPostHidden } from "~/models/moderation.server";

/** Post moderation: hide or restore from the thread page, resolve flags from the review queue. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const actor = requireMember(context, request);
  const postId = idParam(params.id);
  if (!postId) refuseResource("There is no such post.", 404);
  const parsed = parseForm(postModerationSchema, await request.formData());
  if (!parsed.ok) invalidResourceForm(parsed);
  const { intent, reason } = parsed.data;
  const outcome = intent === "hide" || intent === "restore" ? await setPostHidden(actor, postId, intent === "hide", reason) : await resolveFlags(actor, postId, intent);
  if (!outcome.ok) refuseResource(outcome.message, outcome.status);
  throw redirect(withNotice(outcome.path, intent === "hide" ? "post-hidden" : intent === "restore" ? "post-restored" : `flags-${intent}`));
}
