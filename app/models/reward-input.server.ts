/**
 * The shapes of the reward program's input (packages, grants, revocations, billing ids, hook
 * deliveries), shared by the admin pages' actions and the model. No I/O here. A server module, as
 * forum-input.server.ts says why.
 */
import { z } from "zod";
import { idSchema } from "~/lib/forms.server";
import { REWARD_TEXT_MAX } from "./reward-rules";

const trimmed = (max: number, empty: string, tooLong: string) => z.string({ error: empty }).trim().min(1, empty).max(max, tooLong);

/** Credits are decimal money with at most two places: "25", "25.5", "25.50". Never a float. */
export const creditAmount = z
  .string({ error: "Enter the credit amount." })
  .trim()
  .min(1, "Enter the credit amount.")
  .refine((value) => !value.startsWith("-"), "The credit amount must be more than zero.")
  .refine((value) => /^\d{1,10}(\.\d{1,2})?$/.test(value), "Enter an amount like 25 or 12.50 (at most two decimal places).")
  .refine((value) => Number(value) > 0, "The credit amount must be more than zero.");

export const packageSchema = z.object({
  name: trimmed(80, "Give the package a name.", "Use at most 80 characters for the name."),
  creditAmount,
  currency: z
    .string({ error: "Enter a currency code." })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as USD or EUR."),
  productCode: trimmed(100, "Enter the billing system's product or plan code.", "Use at most 100 characters for the code.").regex(
    /^[\w.:/-]+$/,
    "Use letters, digits and . _ - : / only in the code.",
  ),
});
export type PackageInput = z.infer<typeof packageSchema>;

export const grantSchema = z.object({
  idempotencyKey: z.uuid({ error: "This form is out of date. Reload the page and try again." }),
  packageId: idSchema("Choose a package."),
  memberId: idSchema("Choose a moderator."),
  reason: trimmed(REWARD_TEXT_MAX, "Say why this grant is made.", `Use at most ${REWARD_TEXT_MAX} characters.`),
  overrideReason: z
    .string()
    .trim()
    .max(REWARD_TEXT_MAX, `Use at most ${REWARD_TEXT_MAX} characters.`)
    .optional()
    .transform((value) => value || undefined),
});
export interface GrantInput {
  /** One per grant form, so that submitting it twice makes one grant. */
  idempotencyKey: string;
  packageId: number;
  memberId: number;
  reason: string;
  /** Needed when the grant goes against the program's rules. */
  overrideReason?: string;
}

export const revokeSchema = z.object({
  grantId: idSchema("Choose a grant."),
  reason: trimmed(REWARD_TEXT_MAX, "Say why the grant is revoked.", `Use at most ${REWARD_TEXT_MAX} characters.`),
});

export const billingClientIdSchema = z.object({
  billingClientId: z
    .string()
    .trim()
    .max(64, "Use at most 64 characters.")
    .regex(/^[\w.-]*$/, "Use letters, digits, dots, dashes and underscores only.")
    .transform((value) => value || null),
});

/** The provisioning hook's delivery log: retry a failed delivery, or send the receiver a ping. */
export const deliveryActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("retry"), id: z.uuid({ error: "Choose a delivery to retry." }) }),
    z.object({ intent: z.literal("ping") }),
  ],
  { error: "Choose “Retry now” or “Send a ping”." },
);
