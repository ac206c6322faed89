import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { requireMember, notFound } from "~/lib/http.server";
import { withNotice, type NoticeKey } from "~/lib/notices";
import { idParam } from "~/lib/params";
import { mergeThread, moveThread, toggleThread, type ThreadToggle } from "~/models/moderation.server";
import { REASON_MAX } from "~/models/forum-rules";

/** Thread moderation (pin, lock, hide, move, merge): form posts from the thread page. */
const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["pin", "unpin", "lock", "unlock", "hide", "restore"]), reason: z.string().trim().max(REASON_MAX).optional() }),
  z.object({ intent: z.literal("move"), category: z.string().min(1).max(100), reason: z.string().trim().max(REASON_MAX).optional() }),
  z.object({ intent: z.literal("merge"), target: z.coerce.number().int().positive(), reason: z.string().trim().max(REASON_MAX).optional() }),
]);

export async function action({ params, request, context }: ActionFunctionArgs) {
  const actor = requireMember(context, request);
  const threadId = idParam(params.id);
  if (!threadId) notFound("There is no such thread.");
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    throw data(`That moderation request is incomplete or too long: ${parsed.error.issues[0]?.message ?? "check the form"}. Reasons are at most ${REASON_MAX} characters.`, { status: 400 });
  }
  const input = parsed.data;
  const outcome =
    input.intent === "move"
      ? await moveThread(actor, threadId, input.category, input.reason)
      : input.intent === "merge"
        ? await mergeThread(actor, threadId, input.target, input.reason)
        : await toggleThread(actor, threadId, input.intent as ThreadToggle, input.reason);
  if (!outcome.ok) throw data(outcome.message, { status: outcome.status });
  const notice: NoticeKey = input.intent === "move" ? "thread-moved" : input.intent === "merge" ? "thread-merged" : `thread-${NOTICE_SUFFIX[input.intent]}`;
  throw redirect(withNotice(outcome.path, notice));
}

const NOTICE_SUFFIX = { pin: "pinned", unpin: "unpinned", lock: "locked", unlock: "unlocked", hide: "hidden", restore: "restored" } as const;
