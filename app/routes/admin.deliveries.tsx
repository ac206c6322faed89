import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import { parseForm } from "~/lib/forms.server";
import { formErrors, invalidForm, requireAdmin } from "~/lib/http.server";
import { pageParam } from "~/lib/params";
import { deliveryActionSchema } from "~/models/reward-input.server";
import { DELIVERY_STATUSES, deliveryCounts, hookSetup, listDeliveries, retryDelivery, sendPing, type DeliveryStatus } from "~/models/deliveries.server";

export const meta: MetaFunction = () => [{ title: "Deliveries · Admin · HostHelp" }];

const STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: "Pending",
  delivering: "Delivering",
  delivered: "Delivered",
  failed: "Failed",
};
/**
 * The statuses in the filter, from the labels above: DELIVERY_STATUSES lives in a .server module,
 * which the browser bundle replaces with an empty one, so the component must not read it.
 */
const STATUS_OPTIONS = Object.keys(STATUS_LABELS) as DeliveryStatus[];

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const url = new URL(request.url);
  const statusParam = url.searchParams.get("status") || undefined;
  if (statusParam && !(DELIVERY_STATUSES as readonly string[]).includes(statusParam)) {
    throw data(`There is no delivery status "${statusParam.slice(0, 40)}"; choose pending, delivering, delivered or failed.`, { status: 400 });
  }
  const status = statusParam as DeliveryStatus | undefined;
  const page = pageParam(url);
  const [{ deliveries, hasMore }, counts] = await Promise.all([listDeliveries({ status, page }), deliveryCounts()]);
  return { deliveries, hasMore, page, status: status ?? "", counts, hook: hookSetup() };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const parsed = parseForm(deliveryActionSchema, await request.formData());
  if (!parsed.ok) return invalidForm(parsed);
  if (parsed.data.intent === "ping") {
    const result = await sendPing(admin);
    if (!result.ok) return formErrors(null, { form: result.message }, result.status);
    return { done: "pinged" as const, id: result.id };
  }
  const result = await retryDelivery(admin, parsed.data.id);
  if (!result.ok) return formErrors(null, { form: result.message }, result.status);
  return { done: "retried" as const, id: parsed.data.id };
}

function DeliveryEvent({ type, grantId, memberUsername }: { type: string; grantId: number | null; memberUsername: string | null }) {
  if (grantId === null) return <>{type}</>;
  return (
    <>
      {type}: grant #{grantId}
      {memberUsername ? ` to ${memberUsername}` : ""}
    </>
  );
}

export default function AdminDeliveries() {
  const { deliveries, hasMore, page, status, counts, hook } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const waiting = counts.pending + counts.delivering;
  return (
    <section>
      <h1>Deliveries</h1>
      <p className="lead">Reward grants and revocations go to the host's billing system through the provisioning hook. Each one is retried with growing pauses for three days, then marked failed.</p>

      <h2>Provisioning hook</h2>
      <p role="note">{hook.summary}</p>
      {hook.warning ? <p className="notice notice--warning">{hook.warning}</p> : null}
      {!hook.adapter && waiting > 0 ? (
        <p>
          {waiting} {waiting === 1 ? "delivery is" : "deliveries are"} held as pending and will go out once a hook is configured.
        </p>
      ) : null}
      {result && "done" in result ? (
        <p className="notice" role="status">
          {result.done === "pinged" ? "A ping is queued; it shows below as its delivery goes out." : "The delivery is queued to be tried again now."}
        </p>
      ) : null}
      <FormError message={result && "errors" in result ? result.errors.form ?? result.errors.id ?? result.errors.intent : undefined} />
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="ping" />
        <button type="submit">Send a ping</button> <span className="field__hint">A harmless test event: it shows whether the receiver answers and accepts the signature.</span>
      </Form>

      <h2>All deliveries</h2>
      <Form method="get" className="inline-search">
        <label htmlFor="delivery-status">Status</label>
        <select id="delivery-status" name="status" defaultValue={status}>
          <option value="">Any status</option>
          {STATUS_OPTIONS.map((option) => (
            <option key={option} value={option}>
              {STATUS_LABELS[option]} ({counts[option]})
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </Form>
      {deliveries.length === 0 ? (
        <p className="empty">No deliveries{status ? ` with status ${status}` : ""}.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Queued</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">Next try</th>
              <th scope="col">Delivered</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  <Time value={delivery.createdAt} withTime />
                </td>
                <td>
                  <DeliveryEvent {...delivery} />
                  <br />
                  <small>Delivery {delivery.id}</small>
                </td>
                <td>
                  {STATUS_LABELS[delivery.status]}
                  {delivery.waitsFor ? (
                    <>
                      <br />
                      <small>
                        Waiting for its grant's delivery {delivery.waitsFor.id} ({STATUS_LABELS[delivery.waitsFor.status].toLowerCase()}): a revocation goes out only after its grant.
                      </small>
                    </>
                  ) : null}
                </td>
                <td>{delivery.attempts}</td>
                <td>{delivery.lastError ?? "—"}</td>
                <td>{delivery.waitsFor ? "after the grant's delivery" : delivery.status === "pending" || delivery.status === "delivering" ? <Time value={delivery.nextAttemptAt} withTime /> : "—"}</td>
                <td>{delivery.deliveredAt ? <Time value={delivery.deliveredAt} withTime /> : "—"}</td>
                <td>
                  {!delivery.waitsFor && (delivery.status === "pending" || delivery.status === "failed") ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="retry" />
                      <input type="hidden" name="id" value={delivery.id} />
                      <button type="submit" className="button--small">
                        Retry now<span className="visually-hidden"> delivery {delivery.id}</span>
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </section>
  );
}
