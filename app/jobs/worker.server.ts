import { deleteExpiredSessions } from "~/auth/session.server";
import { sweepExpired } from "~/auth/rate-limit.server";
import { loggableMessage } from "~/lib/loggable-error.server";
import { creditedBillingClientId, currentBillingClientId } from "~/models/deliveries.server";
import { announceBreachedTargets } from "~/models/response-targets.server";
import { refreshSearchWordShares } from "~/models/search.server";
import { EMAIL_TOPIC, logUnsentEmail, redactedAfterSending, smtpTransportFromEnv } from "./email.server";
import { CLAIM_LEASE_SECONDS, claimDue, expireStale, markAttemptFailed, markDelivered, onEnqueue, takeUnannounced, type OutboxEvent } from "./outbox.server";
import { DEFAULT_DELIVERY_TIMEOUT_MS, provisioningSetupFromEnv } from "./provisioning/adapter.server";
import { PROVISIONING_TOPIC, type ProvisioningEvent } from "./provisioning/events";

/** Delivers one topic's events. May return a payload to keep in place of the delivered one. */
export interface TopicHandler {
  deliver(event: OutboxEvent): Promise<Record<string, unknown> | undefined | void>;
}

export interface WorkerOptions {
  /** Topics that can be delivered now. */
  handlers: Map<string, TopicHandler>;
  /** Topics with no transport configured: their events are announced once and stay pending. */
  held: Map<string, (event: OutboxEvent) => void>;
  pollMs: number;
  /** How long a claim lasts before another worker may take the event (see CLAIM_LEASE_SECONDS). */
  leaseSeconds: number;
  log: (line: string) => void;
}

/** A number from the environment, or the default when unset or not a positive number. */
function positiveNumber(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return value && Number.isFinite(number) && number > 0 ? number : fallback;
}

/**
 * A claim must outlast the slowest delivery with room to spare (a batch's deliveries run side by
 * side, then the results are written), or a slow delivery would be handed to a second worker.
 */
function leaseAbove(deliveryTimeoutMs: number, wantedSeconds: number, log: (line: string) => void): number {
  const minimum = Math.ceil((2 * deliveryTimeoutMs) / 1000) + 10;
  if (wantedSeconds >= minimum) return wantedSeconds;
  log(`[outbox] A claim lease of ${wantedSeconds} s (OUTBOX_LEASE_SECONDS) is too short for a ${deliveryTimeoutMs / 1000} s delivery time limit; using ${minimum} s.`);
  return minimum;
}

/** How the worker treats reward events: a handler when an adapter is configured, held otherwise. */
function provisioningFromEnv(env: Record<string, string | undefined>, deliveryTimeoutMs: number, log: (line: string) => void): { handler: TopicHandler } | { hold: (event: OutboxEvent) => void } {
  const setup = provisioningSetupFromEnv(env, { timeoutMs: deliveryTimeoutMs, currentBillingClientId, creditedBillingClientId });
  const { adapter } = setup;
  if (adapter) {
    if (setup.warning) log(`[provisioning] Warning: ${setup.warning}`);
    return {
      handler: {
        async deliver(event) {
          // The claim counted this attempt: 1 on the first try, more on a retry.
          const delivered = await adapter.deliver(event.payload as ProvisioningEvent, event.attempts);
          return delivered ? { ...delivered } : undefined;
        },
      },
    };
  }
  // Said once at start when a setting is wrong; then each waiting event is named once.
  if (env.PROVISIONING_WEBHOOK_URL || env.WHMCS_URL || env.PROVISIONING_ADAPTER) log(`[provisioning] ${setup.summary}`);
  return {
    hold(event) {
      const body = event.payload as ProvisioningEvent;
      log(`[provisioning] ${body.type} ${event.id} waits as pending. ${setup.summary}`);
    },
  };
}

export function workerOptionsFromEnv(env: Record<string, string | undefined> = process.env, log = (line: string) => console.log(line)): WorkerOptions {
  const handlers = new Map<string, TopicHandler>();
  const held = new Map<string, (event: OutboxEvent) => void>();
  const smtp = smtpTransportFromEnv(env);
  if (smtp) {
    handlers.set(EMAIL_TOPIC, {
      async deliver(event) {
        await smtp.send(event);
        return redactedAfterSending(event);
      },
    });
  } else {
    held.set(EMAIL_TOPIC, (event) => logUnsentEmail(event, log));
  }
  const deliveryTimeoutMs = positiveNumber(env.PROVISIONING_TIMEOUT_MS, DEFAULT_DELIVERY_TIMEOUT_MS);
  const provisioning = provisioningFromEnv(env, deliveryTimeoutMs, log);
  if ("handler" in provisioning) handlers.set(PROVISIONING_TOPIC, provisioning.handler);
  else held.set(PROVISIONING_TOPIC, provisioning.hold);
  return {
    handlers,
    held,
    pollMs: positiveNumber(env.OUTBOX_POLL_MS, 2000),
    leaseSeconds: leaseAbove(deliveryTimeoutMs, positiveNumber(env.OUTBOX_LEASE_SECONDS, CLAIM_LEASE_SECONDS), log),
    log,
  };
}

const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;
/** How often to look for threads that just passed their first-response target. */
const BREACH_CHECK_EVERY_MS = 60 * 1000;

export interface Worker {
  /**
   * One pass: expire, tell moderators of breached targets (at most once a minute), announce held
   * events, deliver what is due; and hourly, drop expired sessions and rate-limit counts and
   * refresh search's word shares. Returns how many events were delivered.
   */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function createWorker(options: WorkerOptions): Worker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let rerun = false;
  let stopped = true;
  let lastHousekeeping = 0;
  let lastBreachCheck = 0;

  // Said when this worker's claim lapsed before it could record the outcome: the worker that
  // claimed the event next records its own, and this one's is dropped.
  function claimLost(event: OutboxEvent, outcome: string): void {
    options.log(`[outbox] ${event.topic} ${event.id} attempt ${event.attempts} ${outcome}, but its claim had lapsed and the event was claimed again; that claim's outcome counts.`);
  }

  async function deliver(event: OutboxEvent): Promise<boolean> {
    const handler = options.handlers.get(event.topic);
    if (!handler) return false;
    let replacement: Record<string, unknown> | undefined | void;
    try {
      replacement = await handler.deliver(event);
    } catch (error) {
      // Never logged or stored with an address's password (fetch quotes them) or a query's values.
      const message = loggableMessage(error);
      options.log(`[outbox] ${event.topic} ${event.id} attempt ${event.attempts} failed: ${message}`);
      if (!(await markAttemptFailed(event, message))) claimLost(event, "failed");
      return false;
    }
    if (await markDelivered(event, replacement ?? undefined)) return true;
    claimLost(event, "was delivered");
    return false;
  }

  async function runOnce(): Promise<number> {
    await expireStale();
    // Before delivering, so the moderators' emails leave in this pass.
    if (Date.now() - lastBreachCheck > BREACH_CHECK_EVERY_MS) {
      lastBreachCheck = Date.now();
      while ((await announceBreachedTargets()) > 0);
    }
    for (const [topic, announce] of options.held) {
      for (const event of await takeUnannounced(topic)) announce(event);
    }
    const topics = [...options.handlers.keys()];
    let delivered = 0;
    for (;;) {
      // Each delivery is bounded by its own time limit, so one hanging receiver holds a pass
      // (and the other topics' events in its batch) for at most that long.
      const batch = await claimDue(topics, 10, options.leaseSeconds);
      if (batch.length === 0) break;
      const results = await Promise.all(batch.map(deliver));
      delivered += results.filter(Boolean).length;
    }
    if (Date.now() - lastHousekeeping > HOUSEKEEPING_EVERY_MS) {
      lastHousekeeping = Date.now();
      await Promise.all([deleteExpiredSessions(), sweepExpired(), refreshSearchWordShares()]);
    }
    return delivered;
  }

  // One pass at a time; a wake-up during a pass asks for another pass right after it.
  function kick(): void {
    if (stopped) return;
    if (running) {
      rerun = true;
      return;
    }
    clearTimeout(timer);
    running = runOnce()
      .catch((error: unknown) => options.log(`[outbox] worker pass failed: ${loggableMessage(error)}`))
      .finally(() => {
        running = undefined;
        if (stopped) return;
        if (rerun) {
          rerun = false;
          kick();
        } else {
          timer = setTimeout(kick, options.pollMs);
        }
      });
  }

  return {
    runOnce,
    start() {
      stopped = false;
      onEnqueue(kick);
      kick();
    },
    async stop() {
      stopped = true;
      onEnqueue(undefined);
      clearTimeout(timer);
      await running;
    },
  };
}
