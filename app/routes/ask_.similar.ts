/**
 * Solved threads like a title being typed, as JSON, for the ask page's suggestions. A route of its
 * own rather than the page's loader through a fetcher: the asker's submit aborts a fetcher still
 * loading, and Remix then logs the aborted download as an error in the browser's console.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/http.server";
import { queryText } from "~/lib/params";
import { TITLE_MAX } from "~/models/forum-rules";
import { similarSolvedThreads } from "~/models/search.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireMember(context, request);
  const title = queryText(new URL(request.url), "title", TITLE_MAX);
  return Response.json({ similar: title ? await similarSolvedThreads(title) : [] });
}
