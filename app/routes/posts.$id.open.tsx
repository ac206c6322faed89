import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { notFound } from "~/lib/http.server";
import { idParam } from "~/lib/params";
import { canSee } from "~/models/permissions";
import { threadPath } from "~/lib/paths";
import { findPostWithThread } from "~/models/threads.server";

/** A stable link to one post: sends the reader to the page of the thread it is on. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const found = id ? await findPostWithThread(id) : null;
  if (!found || !canSee(context.member, found.thread) || !canSee(context.member, found.post)) notFound("This post does not exist or was removed.");
  throw redirect(threadPath(found.thread, found.post.postNumber));
}
