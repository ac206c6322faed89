import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { notFound, requireMember } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { idParam } from "~/lib/params";
import { REASON_MAX } from "~/models/forum-rules";
import { resolveFlags, setPostHidden } from "~/models/moderation.server";

/** Post moderation: hide or restore from the thread page, resolve flags from the review queue. */
const schema = z.object({
  intent: z.enum(["hide", "restore", "agree", "disagree", "ignore"]),
  reason: z.string().trim().max(REASON_MAX).optional(),
});

export async function action({ params, request, context }: ActionFunctionArgs) {
  const actor = requireMember(context, request);
  const postId = idParam(params.id);
  if (!postId) notFound("There is no such post.");
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw data(`That moderation request is incomplete or too long. Reasons are at most ${REASON_MAX} characters.`, { status: 400 });
  const { intent, reason } = parsed.data;
  const outcome = intent === "hide" || intent === "restore" ? await setPostHidden(actor, postId, intent === "hide", reason) : await resolveFlags(actor, postId, intent);
  if (!outcome.ok) throw data(outcome.message, { status: outcome.status });
  throw redirect(withNotice(outcome.path, intent === "hide" ? "post-hidden" : intent === "restore" ? "post-restored" : `flags-${intent}`));
}
