import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Search · HostHelp" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { query: new URL(request.url).searchParams.get("q")?.slice(0, 200) ?? "" };
}

export default function Search() {
  const { query } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Search</h1>
      {query ? <p>No questions match “{query}”: there are no questions yet.</p> : <p>Type what you are looking for in the search box above.</p>}
    </section>
  );
}
