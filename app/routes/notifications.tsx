import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { notFound, requireMember } from "~/lib/http.server";
import { listNotifications, markAllRead, openNotification, REWARDS_PATH } from "~/models/notifications.server";
import type { NOTIFICATION_KINDS } from "~db/schema";

export const meta: MetaFunction = () => [{ title: "Notifications · HostHelp" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  return { notifications: await listNotifications(member) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "read-all") {
    await markAllRead(member.id);
    throw redirect("/notifications");
  }
  const id = Number(formData.get("id"));
  const target = Number.isSafeInteger(id) && id > 0 ? await openNotification(member.id, id) : null;
  if (!target) notFound("There is no such notification.");
  throw redirect(target.grantId ? REWARDS_PATH : target.postId ? `/posts/${target.postId}/open` : target.threadId ? `/t/${target.threadId}` : "/notifications");
}

const DESCRIBE: Record<Exclude<(typeof NOTIFICATION_KINDS)[number], "reward_granted" | "target_breached">, string> = {
  reply_on_your_thread: "answered your question",
  reply_in_watched_thread: "replied in",
  answer_accepted: "accepted your answer in",
  post_hidden: "hid your post in",
};

function describe(n: { kind: (typeof NOTIFICATION_KINDS)[number]; actorName: string | null; threadTitle: string | null }): string {
  const thread = `“${n.threadTitle ?? "a removed thread"}”`;
  switch (n.kind) {
    case "reward_granted":
      return `${n.actorName} granted you a reward: see your rewards`;
    case "target_breached":
      return `${thread}, asked by ${n.actorName}, waits past its first-response target`;
    default:
      return `${n.actorName} ${DESCRIBE[n.kind]} ${thread}`;
  }
}

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const unread = notifications.some((n) => !n.readAt);
  return (
    <section>
      <div className="page-heading">
        <h1>Notifications</h1>
        {unread ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="button--secondary">
              Mark all as read
            </button>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? (
        <p className="empty">
          Nothing yet. You hear here when someone answers your questions, replies in threads you watch, or accepts your answer. Email settings are on your <Link to="/account">account page</Link>.
        </p>
      ) : (
        <ul className="notifications">
          {notifications.map((n) => (
            <li key={n.id} className={n.readAt ? "notification" : "notification notification--unread"}>
              <Form method="post" className="notification__form">
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" className="link-button notification__open">
                  {n.readAt ? null : <span className="visually-hidden">Unread: </span>}
                  {describe(n)}
                </button>
              </Form>
              <span className="muted">
                <Time value={n.createdAt} withTime />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
