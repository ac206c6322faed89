import nodemailer, { type Transporter } from "nodemailer";
import type { Executor } from "~db/client";
import { enqueue, type OutboxEvent } from "./outbox.server";

export const EMAIL_TOPIC = "email";

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** The text carries a secret (a one-time link): it is removed from the outbox once sent. */
  sensitive?: boolean;
}

export function enqueueEmail(tx: Executor, message: EmailMessage, options: { expiresAt?: Date } = {}): Promise<string> {
  return enqueue(tx, { topic: EMAIL_TOPIC, payload: { ...message }, expiresAt: options.expiresAt });
}

export interface EmailTransport {
  send(event: OutboxEvent): Promise<void>;
}

export function mailFrom(): string {
  return process.env.MAIL_FROM || "HostHelp <no-reply@localhost>";
}

/** A stuck mail server must not hold an outbox lease forever: each send is bounded. */
const SMTP_TIMEOUTS_MS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 20_000 };

/** The SMTP transport for `SMTP_URL`, or null when mail is not configured. */
export function smtpTransportFromEnv(env: Record<string, string | undefined> = process.env): EmailTransport | null {
  if (!env.SMTP_URL) return null;
  const transporter: Transporter = nodemailer.createTransport(
    { url: env.SMTP_URL, ...SMTP_TIMEOUTS_MS },
    { from: mailFrom() },
  );
  return {
    async send(event) {
      const message = event.payload as EmailMessage;
      await transporter.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { "X-HostHelp-Message-Id": event.id },
      });
    },
  };
}

/** What remains of a sent message in the outbox. */
export function redactedAfterSending(event: OutboxEvent): Record<string, unknown> | undefined {
  const message = event.payload as EmailMessage;
  if (!message.sensitive) return undefined;
  return { ...message, text: "[removed after sending: it contained a one-time link]" };
}

/** Without SMTP_URL, the message goes to the server log so that a local install still works. */
export function logUnsentEmail(event: OutboxEvent, log: (line: string) => void): void {
  const message = event.payload as EmailMessage;
  log(
    [
      `[email] SMTP_URL is not set, so this message was not sent; it stays in the outbox as ${event.id}.`,
      `  To: ${message.to}`,
      `  Subject: ${message.subject}`,
      ...message.text.split("\n").map((line) => `  | ${line}`),
    ].join("\n"),
  );
}
