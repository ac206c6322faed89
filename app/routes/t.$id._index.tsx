import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { notFound } from "~/lib/http.server";
import { idParam } from "~/lib/params";
import { threadPath } from "~/lib/paths";
import { getThreadPage, mergedTarget } from "~/models/threads.server";

/** /t/<id> without its slug: sends links that lost the title to the thread's address. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const view = id ? await getThreadPage(id, 1, context.member) : null;
  const target = view?.thread ?? (id ? await mergedTarget(id, context.member) : null);
  if (!target) notFound("There is no such thread.");
  throw redirect(`${threadPath(target)}${new URL(request.url).search}`, 301);
}
