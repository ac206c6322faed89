import { z } from "zod";
import { emailSchema, passwordSchema, usernameSchema } from "~/models/account-input.server";
import { isCommonPassword } from "./common-passwords.server";

/** A password someone is choosing: the length rule plus the common-password list (NIST 800-63B). */
export const newPasswordSchema = passwordSchema.refine(
  (password) => !isCommonPassword(password),
  "This password is among the most common ones and easy to guess. Choose another.",
);

export const signUpSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: newPasswordSchema,
});

export const resetPasswordSchema = z.object({
  password: newPasswordSchema,
});

export const changePasswordSchema = z.object({
  currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(256, "Passwords are at most 256 characters."),
  newPassword: newPasswordSchema,
});
