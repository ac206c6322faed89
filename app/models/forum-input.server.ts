/**
 * The shapes of forum input (questions, answers, edits, flags, moderation), checked by the routes'
 * actions. They live in a server module because a zod schema built at a module's top level keeps
 * all of zod (450 KB) in the browser bundle of every page importing that module; the numbers they
 * use are in forum-rules.ts, which pages import for their fields' limits.
 */
import { z } from "zod";
import { FLAG_REASONS } from "~db/schema/flags";
import { idSchema } from "~/lib/forms.server";
import { BODY_MAX, BODY_MIN, EDIT_REASON_MAX, REASON_MAX, REPLY_MIN, SUSPENSION_LENGTHS, TITLE_MAX, TITLE_MIN } from "./forum-rules";

export const titleSchema = z
  .string({ error: "Enter a title." })
  .trim()
  .min(1, "Enter a title.")
  .min(TITLE_MIN, `Make the title at least ${TITLE_MIN} characters: say what is wrong, like "Emails to Gmail bounce since Monday".`)
  .max(TITLE_MAX, `Keep the title under ${TITLE_MAX + 1} characters; put details in the question.`);

export const bodySchema = (min: number, empty: string) =>
  z
    .string({ error: empty })
    .trim()
    .min(1, empty)
    .min(min, `Write at least ${min} characters.`)
    .max(BODY_MAX, `Posts are limited to ${BODY_MAX.toLocaleString("en")} characters; yours has more.`);

/** A category, by its slug, chosen from a list: every way of getting it wrong reads the same. */
const categorySchema = z.string({ error: "Choose a category." }).trim().min(1, "Choose a category.").max(100, "Choose a category.");

export const askSchema = z.object({
  title: titleSchema,
  body: bodySchema(BODY_MIN, "Describe your question."),
  category: categorySchema,
  urgent: z.literal("on").optional(),
});

export const replySchema = z.object({
  body: bodySchema(REPLY_MIN, "Write your answer."),
});

export const editSchema = z.object({
  title: titleSchema.optional(),
  body: bodySchema(REPLY_MIN, "The post cannot be empty."),
  reason: z.string().trim().max(EDIT_REASON_MAX, `Keep the reason under ${EDIT_REASON_MAX + 1} characters.`).optional(),
  hideEarlierText: z.literal("on").optional(),
});

export const acceptSchema = z.object({ postId: idSchema("Choose an answer.") });

export const flagSchema = z
  .object({
    reason: z.enum(FLAG_REASONS, { error: "Choose why you are flagging the post." }),
    note: z.string().trim().max(REASON_MAX, `Keep the explanation under ${REASON_MAX + 1} characters.`).optional(),
  })
  .refine((flag) => flag.reason !== "other" || Boolean(flag.note), { message: "Say what is wrong with the post.", path: ["note"] });

/** A moderator's reason for an action, written to the moderation log; optional. */
export const moderationReasonSchema = z.string().trim().max(REASON_MAX, `Keep the reason under ${REASON_MAX + 1} characters.`).optional();

/** Post moderation: hide or restore from the thread page, resolve flags from the review queue. */
export const postModerationSchema = z.object({
  intent: z.enum(["hide", "restore", "agree", "disagree", "ignore"], { error: "Choose one of the moderation actions." }),
  reason: moderationReasonSchema,
});

/** Thread moderation from the thread page: pin, lock, hide, move, merge. */
export const threadModerationSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.enum(["pin", "unpin", "lock", "unlock", "hide", "restore"]), reason: moderationReasonSchema }),
    z.object({ intent: z.literal("move"), category: categorySchema, reason: moderationReasonSchema }),
    z.object({ intent: z.literal("merge"), target: idSchema("Enter the number of the thread to merge into."), reason: moderationReasonSchema }),
  ],
  { error: "Choose one of the moderation actions." },
);

const memberIdSchema = idSchema("This form names no member: reload the page and try again.");

/** Suspending a member (the reason is shown to them) or lifting a suspension, from their profile. */
export const suspensionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("suspend"),
    memberId: memberIdSchema,
    length: z.enum(Object.keys(SUSPENSION_LENGTHS) as [keyof typeof SUSPENSION_LENGTHS], { error: "Choose how long." }),
    reason: z.string({ error: "Give a reason: the member sees it." }).trim().min(1, "Give a reason: the member sees it.").max(REASON_MAX, `Keep the reason under ${REASON_MAX + 1} characters.`),
  }),
  z.object({ intent: z.literal("unsuspend"), memberId: memberIdSchema, reason: moderationReasonSchema }),
]);
