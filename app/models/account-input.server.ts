/**
 * The shapes of account input (sign-up, sign-in, password reset, roles), checked on the server;
 * the numbers are in account-rules.ts. A server module, as forum-input.server.ts says why.
 */
import { z } from "zod";
import { idSchema } from "~/lib/forms.server";
import { EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from "./account-rules";
import { ASSIGNABLE_ROLES } from "./permissions";

// Letters, digits, "_", "." and "-", starting and ending with a letter, digit or "_". They
// appear in URLs (/u/<username>), so they stay ASCII and unambiguous.
const USERNAME_PATTERN = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

// Names that would read as official or collide with system pages.
const RESERVED_USERNAMES = new Set(["admin", "administrator", "moderator", "mod", "staff", "support", "system", "hosthelp", "root", "null", "undefined"]);

export const usernameSchema = z
  .string({ error: "Enter a username." })
  .trim()
  .min(1, "Enter a username.")
  .min(USERNAME_MIN, `Use at least ${USERNAME_MIN} characters.`)
  .max(USERNAME_MAX, `Use at most ${USERNAME_MAX} characters.`)
  .regex(USERNAME_PATTERN, 'Use letters, digits, "_", "." and "-" only, starting and ending with a letter or digit.')
  .refine((name) => !RESERVED_USERNAMES.has(name.toLowerCase()), "That username is reserved. Choose another.");

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(EMAIL_MAX, `Use at most ${EMAIL_MAX} characters.`)
  .pipe(z.email("Enter an email address like name@example.com."));

/** Length only: the server also refuses common passwords (see app/auth/password-policy.server.ts). */
export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(1, "Enter a password.")
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

/** What is typed into a sign-in form: checked loosely, so that typos get "wrong password", not hints. */
export const signInSchema = z.object({
  login: z.string({ error: "Enter your username or email." }).trim().min(1, "Enter your username or email.").max(EMAIL_MAX, "That is longer than any username or email here."),
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`),
});

export const passwordResetRequestSchema = z.object({ email: emailSchema });

/** An admin makes a member a moderator, or a moderator a member again. */
export const roleChangeSchema = z.object({
  memberId: idSchema("Choose a member."),
  role: z.enum(ASSIGNABLE_ROLES, { error: "Choose member or moderator." }),
});
