import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { submittedValues } from "~/lib/forms.server";
import { invalidForm, requireAdmin } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import type { z } from "zod";
import { getSetting, postingLimitsSchema, rewardProgramSchema, saveSetting } from "~/models/settings.server";

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
  const [limits, program] = await Promise.all([getSetting("posting_limits"), getSetting("reward_program")]);
  return { limits, program };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const formData = await request.formData();
  if (formData.get("intent") === "reward-program") {
    const parsed = rewardProgramSchema.safeParse({ periodDays: formData.get("periodDays"), minAccepted: formData.get("minAccepted") });
    if (!parsed.success) return invalidForm(fieldIssues(parsed.error, formData));
    await saveSetting(admin, "reward_program", parsed.data);
    throw redirect(withNotice("/admin/settings", "settings-saved"));
  }
  const raw = Object.fromEntries(
    (Object.keys(LEVELS) as Array<keyof typeof LEVELS>).map((level) => [level, Object.fromEntries(Object.keys(FIELDS).map((field) => [field, formData.get(`${level}.${field}`)]))]),
  );
  const parsed = postingLimitsSchema.safeParse(raw);
  if (!parsed.success) return invalidForm(fieldIssues(parsed.error, formData));
  await saveSetting(admin, "posting_limits", parsed.data);
  throw redirect(withNotice("/admin/settings", "settings-saved"));
}

/** Messages by dotted field name ("new.threadsPerDay"), as the inputs are named. */
function fieldIssues(error: z.ZodError, formData: FormData) {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.join(".")] ??= issue.message;
  return { errors, values: submittedValues(formData) };
}

export default function AdminSettings() {
  const { limits, program } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const rewardForm = result?.values.intent === "reward-program";
  return (
    <section className="narrow-wide">
      <h1>Settings</h1>
      <h2>Posting limits</h2>
      <p className="lead">Moderators and admins have no limits. Changes are written to the moderation log.</p>
      <Form method="post" className="stack" noValidate>
        <FormError message={Object.keys(errors).length && !rewardForm ? "Some numbers need fixing; see below." : undefined} />
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

      <h2>Reward program</h2>
      <p className="lead">A trusted moderator, who qualifies for rewards, has at least this many accepted answers (self-accepts excluded) in the period, and is not suspended.</p>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="reward-program" />
        <Field name="periodDays" id="setting-period-days" label="Reward period, in days" inputMode="numeric" defaultValue={(rewardForm ? result?.values.periodDays : undefined) ?? String(program.periodDays)} error={rewardForm ? errors.periodDays : undefined} />
        <Field name="minAccepted" id="setting-min-accepted" label="Accepted answers needed in the period" inputMode="numeric" defaultValue={(rewardForm ? result?.values.minAccepted : undefined) ?? String(program.minAccepted)} error={rewardForm ? errors.minAccepted : undefined} />
        <button type="submit">Save reward program</button>
      </Form>
    </section>
  );
}
