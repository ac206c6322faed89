import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/field";
import { leftToMarkup, ServerMarkup } from "~/components/server-markup";
import { postsMarkup } from "~/components/thread-posts.server";
import { DISCOVER, useFollowLinks } from "~/components/follow-links";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import { parseForm } from "~/lib/forms.server";
import { formErrors, invalidForm, notFound, refusal, requireMember } from "~/lib/http.server";
import { idParam, pageParam } from "~/lib/params";
import { passThroughHeaders } from "~/lib/route-headers";
import { acceptAnswer, acceptHistory, withdrawAcceptance } from "~/models/answers.server";
import { acceptSchema, replySchema } from "~/models/forum-input.server";
import { BODY_MAX, formatDuration, REASON_MAX } from "~/models/forum-rules";
import { setWatching } from "~/models/notifications.server";
import { listCategories } from "~/models/categories.server";
import { can } from "~/models/permissions";
import { threadPath } from "~/lib/paths";
import { createReply, getThreadPage, mergedTarget } from "~/models/threads.server";
import { useCurrentMember } from "~/root";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Thread not found · HostHelp" }];
  return [
    { title: `${data.thread.title} · ${data.category.name} · HostHelp` },
    { tagName: "link", rel: "canonical", href: `${threadPath(data.thread)}${data.page > 1 ? `?page=${data.page}` : ""}` },
  ];
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  if (!id) notFound("There is no such thread.");
  const url = new URL(request.url);
  const page = pageParam(url);
  const view = await getThreadPage(id, page, context.member);
  if (!view) {
    const target = await mergedTarget(id, context.member);
    if (target) throw redirect(threadPath(target), 301);
    notFound("This thread does not exist or was removed.");
  }
  if (params.slug !== view.thread.slug) {
    throw redirect(`${threadPath(view.thread)}${url.search}`, 301);
  }
  if (page > view.pages) notFound(`This thread has ${view.pages} ${view.pages === 1 ? "page" : "pages"}.`);
  // Moderators get the category list for the "Move" control and the accept history: two more
  // queries, for staff only.
  const [categories, acceptRecords] = can(context.member, "thread:moderate") ? await Promise.all([listCategories(), acceptHistory(id)]) : [[], []];
  const { posts, accepted, ...rest } = view;
  const viewer = { member: context.member, thread: view.thread };
  const markup = context.markupFragments;
  return {
    ...rest,
    // The posts as HTML (see ~/components/thread-posts.server): the question, then the replies.
    questionHtml: leftToMarkup("question", postsMarkup(posts.filter((post) => post.postNumber === 1), viewer), markup),
    repliesHtml: leftToMarkup("replies", postsMarkup(posts.filter((post) => post.postNumber > 1), viewer), markup),
    // Quoted under the question on the first page only; the later pages show just that it is solved.
    accepted: accepted && { ...accepted, bodyHtml: page === 1 ? leftToMarkup("accepted-answer", accepted.bodyHtml, markup) : null },
    moveTargets: categories.map(({ slug, name }) => ({ slug, name })),
    acceptRecords,
    firstResponseSeconds: view.thread.firstResponseAt ? Math.round((new Date(view.thread.firstResponseAt).getTime() - new Date(view.thread.createdAt).getTime()) / 1000) : null,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const threadId = idParam(params.id);
  if (!threadId) notFound("There is no such thread.");
  const formData = await request.formData();
  const intent = formData.get("intent");
  switch (intent) {
    case "reply": {
      const parsed = parseForm(replySchema, formData);
      if (!parsed.ok) return invalidForm(parsed);
      const result = await createReply(member, threadId, parsed.data.body);
      if (!result.ok) return refusal(formData, result, "body");
      throw redirect(result.path);
    }
    case "accept": {
      const parsed = parseForm(acceptSchema, formData);
      if (!parsed.ok) return invalidForm(parsed);
      const result = await acceptAnswer(member, threadId, parsed.data.postId);
      if (!result.ok) return refusal(formData, { ...result, field: "accept" });
      throw redirect(result.path);
    }
    case "unaccept": {
      const result = await withdrawAcceptance(member, threadId);
      if (!result.ok) return refusal(formData, { ...result, field: "accept" });
      throw redirect(result.path);
    }
    case "watch":
    case "unwatch": {
      const watching = intent === "watch";
      if (!(await setWatching(member, threadId, watching))) notFound("This thread does not exist or was removed.");
      return { watching };
    }
    default:
      return formErrors(formData, { form: "Unknown action." });
  }
}

export default function ThreadPage() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const member = useCurrentMember();
  const { thread, category, page, pages, accepted } = view;
  const errors = result && "errors" in result ? result.errors : {};
  const values = result && "values" in result ? result.values : {};
  const canReply = can(member, "thread:reply", { thread });
  const path = threadPath(thread);
  // The page's own links, the posts' included, are plain anchors followed from here (see useFollowLinks).
  const followLink = useFollowLinks();

  return (
    <article className="thread" onClick={followLink}>
      <header className="thread__header">
        <p className="breadcrumbs">
          <a href={`/c/${category.slug}`} {...DISCOVER}>
            {category.name}
          </a>
        </p>
        <h1>{thread.title}</h1>
        <p className="thread__meta">
          {thread.urgent ? <span className="badge badge--urgent">Urgent</span> : null} {accepted ? <span className="badge badge--solved">Solved</span> : null}{" "}
          {thread.lockedAt ? <span className="badge">Locked</span> : null} Asked by{" "}
          <a href={`/u/${view.authorName}`} {...DISCOVER}>
            {view.authorName}
          </a>{" "}
          on <Time value={thread.createdAt} withTime /> ·{" "}
          {thread.replyCount} {thread.replyCount === 1 ? "reply" : "replies"}
          {view.firstResponseSeconds !== null ? ` · first response after ${formatDuration(view.firstResponseSeconds)}` : ""}
        </p>
      </header>

      <ServerMarkup name="question" html={view.questionHtml} />

      {accepted && page === 1 ? (
        <section className="accepted-answer" aria-labelledby="accepted-heading">
          <h2 id="accepted-heading">
            Accepted answer by{" "}
            <a href={`/u/${accepted.authorName}`} {...DISCOVER}>
              {accepted.authorName}
            </a>
          </h2>
          <ServerMarkup name="accepted-answer" html={accepted.bodyHtml} className="post__body" />
          <p>
            <a href={threadPath(thread, accepted.postNumber)} {...DISCOVER}>
              Jump to the answer in the thread
            </a>
          </p>
        </section>
      ) : null}

      {/* The accept buttons' messages: the model's refusals (accept) and a malformed request (postId). */}
      <FormError message={errors.accept ?? errors.postId ?? errors.form} />

      <section aria-labelledby="answers-heading">
        <h2 id="answers-heading">{thread.replyCount === 0 ? "No answers yet" : thread.replyCount === 1 ? "1 answer" : `${thread.replyCount} answers`}</h2>
        <Pagination page={page} pages={pages} label="Answer pages, top" />
        <ServerMarkup name="replies" html={view.repliesHtml} />
        <Pagination page={page} pages={pages} label="Answer pages, bottom" />
      </section>

      {member ? <WatchForm watching={result && "watching" in result ? result.watching : view.watching} /> : null}

      {can(member, "thread:moderate") ? <ModerationPanel thread={thread} categories={view.moveTargets} acceptRecords={view.acceptRecords} /> : null}

      {/* Keyed by the reply count so that the box empties once the answer is posted. */}
      <ReplyForm key={thread.replyCount} canReply={canReply} signedIn={Boolean(member)} locked={Boolean(thread.lockedAt)} error={errors.body} body={values.body} path={path} />
    </article>
  );
}

/** The button says what it will do; no aria-pressed, which would announce the state twice over a changing label. */
function WatchForm({ watching }: { watching: boolean }) {
  return (
    <Form method="post" className="watch-form">
      <input type="hidden" name="intent" value={watching ? "unwatch" : "watch"} />
      <button type="submit" className="button--secondary button--small">
        {watching ? "Watching: stop notifications" : "Watch this thread"}
      </button>
    </Form>
  );
}

function ReplyForm({ canReply, signedIn, locked, error, body, path }: { canReply: boolean; signedIn: boolean; locked: boolean; error?: string; body?: string; path: string }) {
  const busy = useNavigation().state === "submitting";
  if (!signedIn) {
    return (
      <p className="reply-cta">
        <a href={`/login?redirectTo=${encodeURIComponent(path)}`} {...DISCOVER}>
          Sign in
        </a>{" "}
        or{" "}
        <a href="/signup" {...DISCOVER}>
          create an account
        </a>{" "}
        to answer.
      </p>
    );
  }
  if (!canReply) {
    return (
      <div className="reply-cta">
        <p>{locked ? "This thread is locked: it takes no new replies." : "You cannot reply to this thread."}</p>
        {/* The thread closed while an answer was being written: the text is handed back, not lost. */}
        {body ? (
          <div className="field">
            <label htmlFor="unsent-reply">Your unsent answer (copy it if you want to keep it)</label>
            <textarea id="unsent-reply" readOnly rows={6} defaultValue={body} />
          </div>
        ) : null}
      </div>
    );
  }
  return (
    <Form method="post" className="stack reply-form" aria-labelledby="reply-heading">
      <h2 id="reply-heading">Your answer</h2>
      <input type="hidden" name="intent" value="reply" />
      <div className={error ? "field field--invalid" : "field"}>
        <label htmlFor="reply-body">Answer</label>
        <p id="reply-body-hint" className="field__hint">
          Markdown works: **bold**, `code`, lists, links. Say what fixed it for you, step by step.
        </p>
        <textarea id="reply-body" name="body" rows={8} maxLength={BODY_MAX} required defaultValue={body} aria-invalid={error ? true : undefined} aria-describedby={error ? "reply-body-hint reply-body-error" : "reply-body-hint"} />
        {error ? (
          <p id="reply-body-error" className="field__error">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={busy}>
        {busy ? "Posting…" : "Post your answer"}
      </button>
    </Form>
  );
}

type ViewThread = ReturnType<typeof useLoaderData<typeof loader>>["thread"];
type AcceptRecord = ReturnType<typeof useLoaderData<typeof loader>>["acceptRecords"][number];

function ModerationPanel({ thread, categories, acceptRecords }: { thread: ViewThread; categories: Array<{ slug: string; name: string }>; acceptRecords: AcceptRecord[] }) {
  const action = `/mod/threads/${thread.id}`;
  const toggle = (on: boolean, yes: string, no: string, label: string) => (
    <Form method="post" action={action} className="inline-form">
      <input type="hidden" name="intent" value={on ? no : yes} />
      <button type="submit" className="button--secondary button--small">
        {label}
      </button>
    </Form>
  );
  return (
    <details className="moderation-panel">
      <summary>Moderation</summary>
      <div className="moderation-panel__row">
        {toggle(Boolean(thread.pinnedAt), "pin", "unpin", thread.pinnedAt ? "Unpin" : "Pin")}
        {toggle(Boolean(thread.lockedAt), "lock", "unlock", thread.lockedAt ? "Unlock" : "Lock")}
        {toggle(Boolean(thread.hiddenAt), "hide", "restore", thread.hiddenAt ? "Restore thread" : "Hide thread")}
      </div>
      <Form method="post" action={action} className="moderation-panel__row">
        <input type="hidden" name="intent" value="move" />
        <label htmlFor="move-category">Move to</label>
        <select id="move-category" name="category" defaultValue="">
          <option value="" disabled>
            Choose a category…
          </option>
          {categories.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
        <label htmlFor="move-reason">Reason for moving (logged)</label>
        <input id="move-reason" name="reason" maxLength={REASON_MAX} />
        <button type="submit" className="button--small">
          Move
        </button>
      </Form>
      <Form method="post" action={action} className="moderation-panel__row">
        <input type="hidden" name="intent" value="merge" />
        <label htmlFor="merge-target">Merge this duplicate into thread number</label>
        <input id="merge-target" name="target" inputMode="numeric" pattern="[0-9]+" size={8} required />
        <label htmlFor="merge-reason">Reason for merging (logged)</label>
        <input id="merge-reason" name="reason" maxLength={REASON_MAX} />
        <button type="submit" className="button--small">
          Merge
        </button>
      </Form>
      <AcceptHistory thread={thread} records={acceptRecords} />
      <p className="muted">Thread number {thread.id}. Every action here is written to the moderation log.</p>
    </details>
  );
}

/** Every accept and withdrawal, as recorded: self-accepts never count toward figures or rewards. */
function AcceptHistory({ thread, records }: { thread: ViewThread; records: AcceptRecord[] }) {
  return (
    <section aria-labelledby="accept-history-heading">
      <h3 id="accept-history-heading">Accepted answer history</h3>
      {records.length === 0 ? (
        <p className="muted">No answer has been accepted in this thread.</p>
      ) : (
        <ol className="plain-list">
          {records.map((record, index) => (
            <li key={index}>
              <Time value={record.createdAt} withTime />: {record.actorName} {record.action === "accept" ? "accepted" : "withdrew the acceptance of"}{" "}
              <a href={threadPath(thread, record.postNumber)}>answer #{record.postNumber}</a>
              {record.isSelfAccept ? " (a self-accept, not counted)" : ""}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
