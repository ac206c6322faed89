import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parseForm } from "~/lib/forms.server";
import { invalidResourceForm, refuseResource, requireMember } from "~/lib/http.server";
import { withNotice, type NoticeKey } from "~/lib/notices";
import { idParam } from "~/lib/params";
import { mergeThread, moveThread, toggleThread, type ThreadToggle } from "~/models/moderation.server";
import { threadModerationSchema } from "~/models/forum-input.server";

/** Thread moderation (pin, lock, hide, move, merge): form posts from the thread page. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const actor = requireMember(context, request);
  const threadId = idParam(params.id);
  if (!threadId) refuseResource("There is no such thread.", 404);
  const parsed = parseForm(threadModerationSchema, await request.formData());
  if (!parsed.ok) invalidResourceForm(parsed);
  const input = parsed.data;
  const outcome =
    input.intent === "move"
      ? await moveThread(actor, threadId, input.category, input.reason)
      : input.intent === "merge"
        ? await mergeThread(actor, threadId, input.target, input.reason)
        : await toggleThread(actor, threadId, input.intent as ThreadToggle, input.reason);
  if (!outcome.ok) refuseResource(outcome.message, outcome.status);
  const notice: NoticeKey = input.intent === "move" ? "thread-moved" : input.intent === "merge" ? "thread-merged" : `thread-${NOTICE_SUFFIX[input.intent]}`;
  throw redirect(withNotice(outcome.path, notice));
}

const NOTICE_SUFFIX = { pin: "pinned", unpin: "unpinned", lock: "locked", unlock: "unlocked", hide: "hidden", restore: "restored" } as const;
