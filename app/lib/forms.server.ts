import { z } from "zod";
import { MAX_ID, NUL } from "./params";

export type FieldErrors = Record<string, string | undefined>;

export interface FormFailure {
  /** One message per field name; `form` holds a message about the form as a whole. */
  errors: FieldErrors;
  /** What the user typed, to put back into the form. Never contains a password. */
  values: Record<string, string>;
}

export type FormResult<T> = { ok: true; data: T } | ({ ok: false } & FormFailure);

/**
 * Field names whose values must never be sent back to the browser. They are hashed, never stored
 * as text, so they may hold any character.
 */
const SECRET_FIELD = /password|token/i;

/**
 * PostgreSQL refuses the NUL character (U+0000) in text. Nobody types one, but a pasted log or a
 * crafted request can carry it: it is refused here, for every form, rather than failing in the
 * database, and it is left out of the text put back into the form.
 */
export const NUL_IN_TEXT = "This text held a NUL character (\\0), which cannot be saved. It is taken out of the text here: check it and send it again.";

/** A row id in a form field (a post to accept, a member to suspend), as idParam reads one from the address. */
export const idSchema = (message: string) => z.coerce.number({ error: message }).int(message).positive(message).max(MAX_ID, message);

export function submittedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (typeof value === "string" && !SECRET_FIELD.test(name)) values[name] = value.replaceAll(NUL, "");
  }
  return values;
}

export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const raw: Record<string, FormDataEntryValue> = {};
  const errors: FieldErrors = {};
  for (const [name, value] of formData) {
    raw[name] = value;
    if (typeof value === "string" && value.includes(NUL) && !SECRET_FIELD.test(name)) errors[name] = NUL_IN_TEXT;
  }
  const result = schema.safeParse(raw);
  if (result.success && Object.keys(errors).length === 0) return { ok: true, data: result.data };
  for (const issue of result.error?.issues ?? []) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values: submittedValues(formData) };
}

export function formFailure(formData: FormData, errors: FieldErrors): FormFailure {
  return { errors, values: submittedValues(formData) };
}
