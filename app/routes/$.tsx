import { notFound } from "~/lib/http.server";

// Any address no other route claims: answers 404 through the root error boundary.
export async function loader() {
  notFound();
}

export default function NotFound() {
  return null;
}
