import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { submittedValues } from "~/lib/forms";
import { invalidForm, requireAdmin } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { getSetting, postingLimitsSchema, saveSetting } from "~/models/settings.server";

export const meta: MetaFunction = () => [{ title: "Settings · Admin · HostHelp" }];

const LEVELS = { new: "New members (younger than a day or fewer than 3 posts)", established: "Everyone else" } as const;
const FIELDS = {
  secondsBetweenPosts: "Seconds between posts",
  threadsPerDay: "New threads per day",
  repliesPerDay: "Replies per day",
  linksPerPost: "Links per post",
} as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  return { limits: await getSetting("posting_limits") };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const formData = await request.formData();
  const raw = Object.fromEntries(
    (Object.keys(LEVELS) as Array<keyof typeof LEVELS>).map((level) => [level, Object.fromEntries(Object.keys(FIELDS).map((field) => [field, formData.get(`${level}.${field}`)]))]),
  );
  const parsed = postingLimitsSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
    return invalidForm({ errors, values: submittedValues(formData) });
  }
  await saveSetting(admin, "posting_limits", parsed.data);
  throw redirect(withNotice("/admin/settings", "settings-saved"));
}

export default function AdminSettings() {
  const { limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <section className="narrow-wide">
      <h1>Settings</h1>
      <h2>Posting limits</h2>
      <p className="lead">Moderators and admins have no limits. Changes are written to the moderation log.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={Object.keys(errors).length ? "Some numbers need fixing; see below." : undefined} />
        {(Object.keys(LEVELS) as Array<keyof typeof LEVELS>).map((level) => (
          <fieldset key={level} className="field settings-group">
            <legend>{LEVELS[level]}</legend>
            {(Object.keys(FIELDS) as Array<keyof typeof FIELDS>).map((field) => {
              const name = `${level}.${field}`;
              return (
                <Field key={name} name={name} id={`setting-${level}-${field}`} label={FIELDS[field]} inputMode="numeric" defaultValue={result?.values[name] ?? String(limits[level][field])} error={errors[name]} />
              );
            })}
          </fieldset>
        ))}
        <button type="submit">Save settings</button>
      </Form>
    </section>
  );
}
