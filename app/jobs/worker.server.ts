import { deleteExpiredSessions } from "~/auth/session.server";
import { sweepExpired } from "~/auth/rate-limit.server";
import { EMAIL_TOPIC, logUnsentEmail, redactedAfterSending, smtpTransportFromEnv } from "./email.server";
import { claimDue, expireStale, markAttemptFailed, markDelivered, onEnqueue, takeUnannounced, type OutboxEvent } from "./outbox.server";

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
  log: (line: string) => void;
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
  return { handlers, held, pollMs: Number(env.OUTBOX_POLL_MS ?? 2000), log };
}

const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;

export interface Worker {
  /** One pass: expire, announce, deliver what is due. Returns how many events were delivered. */
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

  async function deliver(event: OutboxEvent): Promise<boolean> {
    const handler = options.handlers.get(event.topic);
    if (!handler) return false;
    try {
      const replacement = await handler.deliver(event);
      await markDelivered(event, replacement ?? undefined);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.log(`[outbox] ${event.topic} ${event.id} attempt ${event.attempts} failed: ${message}`);
      await markAttemptFailed(event, message);
      return false;
    }
  }

  async function runOnce(): Promise<number> {
    await expireStale();
    for (const [topic, announce] of options.held) {
      for (const event of await takeUnannounced(topic)) announce(event);
    }
    const topics = [...options.handlers.keys()];
    let delivered = 0;
    for (;;) {
      const batch = await claimDue(topics);
      if (batch.length === 0) break;
      const results = await Promise.all(batch.map(deliver));
      delivered += results.filter(Boolean).length;
    }
    if (Date.now() - lastHousekeeping > HOUSEKEEPING_EVERY_MS) {
      lastHousekeeping = Date.now();
      await Promise.all([deleteExpiredSessions(), sweepExpired()]);
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
      .catch((error: unknown) => options.log(`[outbox] worker pass failed: ${error instanceof Error ? error.message : String(error)}`))
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
