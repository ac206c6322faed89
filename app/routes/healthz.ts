import { sql } from "drizzle-orm";
import { db } from "~db/client";

/** For load balancers: 200 when the database answers, 503 when it does not. */
export async function loader() {
  try {
    await db().execute(sql`select 1`);
    return new Response("ok\n", { status: 200, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable\n", { status: 503, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }
}
