import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { Credit } from "~/components/rewards";
import { formFailure, parseForm } from "~/lib/forms.server";
import { invalidForm, refusal, requireAdmin } from "~/lib/http.server";
import { withNotice } from "~/lib/notices";
import { idParam } from "~/lib/params";
import { passThroughHeaders } from "~/lib/route-headers";
import { packageSchema } from "~/models/reward-input.server";
import { listPackages, reinstatePackage, retireOrDeletePackage, savePackage } from "~/models/rewards.server";

export const meta: MetaFunction = () => [{ title: "Reward packages · Admin · HostHelp" }];
export const headers = passThroughHeaders;

const HERE = "/admin/rewards/packages";

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const packages = await listPackages();
  // `?edit=<id>` puts that package into the form; without JavaScript this is how editing starts.
  const editing = packages.find((pkg) => pkg.id === idParam(new URL(request.url).searchParams.get("edit") ?? undefined)) ?? null;
  return { packages, editing };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const id = idParam(String(formData.get("id") ?? ""));

  if (intent === "retire" || intent === "reinstate") {
    if (!id) return invalidForm(formFailure(formData, { form: "Choose a package." }));
    const result = intent === "retire" ? await retireOrDeletePackage(admin, id) : await reinstatePackage(admin, id);
    if (!result.ok) return refusal(formData, result);
    throw redirect(withNotice(HERE, intent === "reinstate" ? "package-reinstated" : "deleted" in result && result.deleted ? "package-deleted" : "package-retired"));
  }

  const parsed = parseForm(packageSchema, formData);
  if (!parsed.ok) return invalidForm(parsed);
  const result = await savePackage(admin, parsed.data, id ?? undefined);
  if (!result.ok) return refusal(formData, result);
  throw redirect(withNotice(HERE, "package-saved"));
}

export default function RewardPackages() {
  const { packages, editing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const editId = values.id ?? (editing ? String(editing.id) : "");
  const value = (field: "name" | "creditAmount" | "currency" | "productCode") => values[field] ?? (editing ? String(editing[field]) : "");

  return (
    <section>
      <p>
        <Link to="/admin/rewards">← Rewards</Link>
      </p>
      <h1>Reward packages</h1>
      <p>What admins can grant: a credit in the billing system. A package that was granted is retired instead of deleted, so its grants keep pointing at it.</p>
      <FormError message={values.intent ? errors.form : undefined} />
      {packages.length === 0 ? (
        <p className="empty">No packages yet. Create the first one below.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col">Credit</th>
              <th scope="col">Billing code</th>
              <th scope="col">Grants</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {packages.map((pkg) => (
              <tr key={pkg.id}>
                <td>
                  {pkg.name} {pkg.retiredAt ? <span className="badge">Retired</span> : null}
                </td>
                <td>
                  <Credit amount={pkg.creditAmount} currency={pkg.currency} />
                </td>
                <td>
                  <code>{pkg.productCode}</code>
                </td>
                <td>{pkg.grants}</td>
                <td className="actions">
                  <Link to={`${HERE}?edit=${pkg.id}#package-form`} className="button button--small button--secondary">
                    Edit<span className="visually-hidden"> {pkg.name}</span>
                  </Link>{" "}
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="id" value={pkg.id} />
                    <button type="submit" name="intent" value={pkg.retiredAt ? "reinstate" : "retire"} className="button--small button--secondary">
                      {pkg.retiredAt ? "Reinstate" : pkg.grants > 0 ? "Retire" : "Delete"}
                      <span className="visually-hidden"> {pkg.name}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="package-form">{editId ? "Edit package" : "New package"}</h2>
      {editId ? <p>Grants already made keep the amount they were made with.</p> : null}
      <Form method="post" className="stack narrow" noValidate key={editId || "new"}>
        <FormError message={values.intent ? undefined : errors.form} />
        {editId ? <input type="hidden" name="id" value={editId} /> : null}
        <Field name="name" label="Name" defaultValue={value("name")} error={errors.name} maxLength={80} required />
        <Field name="creditAmount" label="Credit amount" hint="For example 25 or 12.50." inputMode="decimal" defaultValue={value("creditAmount")} error={errors.creditAmount} required />
        <Field name="currency" label="Currency" hint="Three letters, such as USD or EUR." defaultValue={value("currency") || "USD"} error={errors.currency} maxLength={3} required />
        <Field name="productCode" label="Billing product or plan code" hint="As the billing system knows it." defaultValue={value("productCode")} error={errors.productCode} maxLength={100} required />
        <div>
          <button type="submit">{editId ? "Save package" : "Create package"}</button> {editId ? <Link to={HERE}>Cancel</Link> : null}
        </div>
      </Form>
    </section>
  );
}
