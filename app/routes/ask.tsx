import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Field, FormError } from "~/components/field";
import { parseForm } from "~/lib/forms.server";
import { invalidForm, refusal, requireMember } from "~/lib/http.server";
import { queryText } from "~/lib/params";
import { threadPath } from "~/lib/paths";
import { passThroughHeaders } from "~/lib/route-headers";
import { listCategories } from "~/models/categories.server";
import { askSchema, titleSchema } from "~/models/forum-input.server";
import { BODY_MAX, TITLE_MAX, TITLE_MIN } from "~/models/forum-rules";
import { can } from "~/models/permissions";
import { similarSolvedThreads } from "~/models/search.server";
import { createThread } from "~/models/threads.server";

export const headers = passThroughHeaders;
export const meta: MetaFunction = () => [{ title: "Ask a question · HostHelp" }];

/**
 * Asking is two steps, so that it works without JavaScript: the title first, then similar
 * solved threads (perhaps the answer is already here) above the full form. With JavaScript the
 * suggestions also appear while the title is typed.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const url = new URL(request.url);
  const title = queryText(url, "title", TITLE_MAX);
  // Step 1 sent a title (without JavaScript, or past the browser's own check): step 2 only once it is a title.
  const titleCheck = url.searchParams.has("title") ? titleSchema.safeParse(title) : null;
  const titleError = titleCheck && !titleCheck.success ? titleCheck.error.issues[0]!.message : undefined;
  const [categories, similar] = await Promise.all([listCategories(), title ? similarSolvedThreads(title) : Promise.resolve([])]);
  return {
    title,
    titleError,
    category: queryText(url, "category", 100),
    step: titleCheck?.success ? ("details" as const) : ("title" as const),
    categories: categories.filter((category) => can(member, "thread:create", { category })).map(({ slug, name }) => ({ slug, name })),
    similar,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const formData = await request.formData();
  const parsed = parseForm(askSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const { title, body, category, urgent } = parsed.data;
  const result = await createThread(member, { title, body, categorySlug: category, urgent: urgent === "on" });
  if (!result.ok) return refusal(formData, result);
  throw redirect(threadPath(result.thread));
}

type Similar = Awaited<ReturnType<typeof similarSolvedThreads>>;

/**
 * The live region is always on the page, empty until suggestions arrive: screen readers announce
 * changes only inside a region that was already there.
 */
function SimilarThreads({ threads }: { threads: Similar }) {
  return (
    <div aria-live="polite">
      {threads.length > 0 ? (
        <section className="similar" aria-labelledby="similar-heading">
          <h2 id="similar-heading">Solved questions like yours</h2>
          <ul>
            {threads.map((thread) => (
              <li key={thread.id}>
                <Link to={threadPath(thread)}>{thread.title}</Link> <span className="muted">({thread.replyCount} {thread.replyCount === 1 ? "reply" : "replies"})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export default function Ask() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const [suggested, setSuggested] = useState<{ similar: Similar } | null>(null);
  const [typedTitle, setTypedTitle] = useState(values.title ?? data.title);

  // While typing, ask for similar solved threads (debounced); without JavaScript, step 2 shows them.
  // The title the page arrived with has its suggestions already: asking again on load would only
  // race the asker's first click, which aborts the request.
  useEffect(() => {
    if (typedTitle.trim().length < 8 || typedTitle === data.title) return;
    const request = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/ask/similar?title=${encodeURIComponent(typedTitle)}`, { signal: request.signal })
        .then((response) => (response.ok ? (response.json() as Promise<{ similar: Similar }>) : null))
        .then((body) => body && setSuggested(body))
        // Cancelled by the next keystroke or by leaving the page; suggestions are a help, not a step.
        .catch(() => {});
    }, 400);
    return () => {
      clearTimeout(timer);
      request.abort();
    };
  }, [typedTitle, data.title]);
  const similar = typedTitle === data.title ? data.similar : suggested?.similar ?? data.similar;

  const categoryOptions = (
    <div className={errors.category ? "field field--invalid" : "field"}>
      <label htmlFor="ask-category">Category</label>
      <select id="ask-category" name="category" required defaultValue={values.category ?? data.category} aria-invalid={errors.category ? true : undefined} aria-describedby={errors.category ? "ask-category-error" : undefined}>
        <option value="">Choose one…</option>
        {data.categories.map((category) => (
          <option key={category.slug} value={category.slug}>
            {category.name}
          </option>
        ))}
      </select>
      {errors.category ? (
        <p id="ask-category-error" className="field__error">
          {errors.category}
        </p>
      ) : null}
    </div>
  );

  if (data.step === "title" && !result) {
    return (
      <section className="narrow-wide">
        <h1>Ask a question</h1>
        <Form method="get" className="stack">
          <Field
            name="title"
            label="Title"
            hint="One sentence that says what is wrong, e.g. “Emails to Gmail bounce with 550 since Monday”."
            minLength={TITLE_MIN}
            maxLength={TITLE_MAX}
            required
            value={typedTitle}
            onChange={(event) => setTypedTitle(event.currentTarget.value)}
            error={data.titleError}
          />
          <input type="hidden" name="category" value={data.category} />
          <SimilarThreads threads={similar} />
          <button type="submit">Continue</button>
        </Form>
      </section>
    );
  }

  return (
    <section className="narrow-wide">
      <h1>Ask a question</h1>
      <Form method="post" noValidate className="stack">
        <FormError message={errors.form} />
        <Field name="title" label="Title" maxLength={TITLE_MAX} required value={typedTitle} onChange={(event) => setTypedTitle(event.currentTarget.value)} error={errors.title} />
        {/* Below the title, so that suggestions arriving while it is typed do not move it. */}
        <SimilarThreads threads={similar} />
        {categoryOptions}
        <div className={errors.body ? "field field--invalid" : "field"}>
          <label htmlFor="ask-body">Your question</label>
          <p id="ask-body-hint" className="field__hint">
            What did you try, what happened, any error message? Markdown works. Never post passwords.
          </p>
          <textarea id="ask-body" name="body" rows={10} maxLength={BODY_MAX} required defaultValue={values.body} aria-invalid={errors.body ? true : undefined} aria-describedby={errors.body ? "ask-body-hint ask-body-error" : "ask-body-hint"} />
          {errors.body ? (
            <p id="ask-body-error" className="field__error">
              {errors.body}
            </p>
          ) : null}
        </div>
        <div className="field field--checkbox">
          <input id="ask-urgent" type="checkbox" name="urgent" defaultChecked={values.urgent === "on"} />
          <label htmlFor="ask-urgent">Urgent: my site or email is down</label>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? "Posting…" : "Post your question"}
        </button>
      </Form>
    </section>
  );
}
