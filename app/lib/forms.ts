import type { z } from "zod";

export type FieldErrors = Record<string, string | undefined>;

export interface FormFailure {
  /** One message per field name; `form` holds a message about the form as a whole. */
  errors: FieldErrors;
  /** What the user typed, to put back into the form. Never contains a password. */
  values: Record<string, string>;
}

export type FormResult<T> = { ok: true; data: T } | ({ ok: false } & FormFailure);

/** Field names whose values must never be sent back to the browser. */
const SECRET_FIELD = /password|token/i;

export function submittedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (typeof value === "string" && !SECRET_FIELD.test(name)) values[name] = value;
  }
  return values;
}

export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const raw: Record<string, FormDataEntryValue> = {};
  for (const [name, value] of formData) raw[name] = value;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values: submittedValues(formData) };
}

export function formFailure(formData: FormData, errors: FieldErrors): FormFailure {
  return { errors, values: submittedValues(formData) };
}
