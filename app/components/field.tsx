import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useEffect, useRef } from "react";

interface FrameProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  /** The control, given the attributes that tie it to its hint and error. */
  children: (aria: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}

/** A label, hint and error around one control, tied to it for screen readers. */
function FieldFrame({ id, label, error, hint, children }: FrameProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface LabelledProps {
  name: string;
  label: string;
  error?: string;
  hint?: string;
}

/** A labelled input with its hint and error. */
export function Field({ name, label, error, hint, id = `field-${name}`, ...input }: LabelledProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      {(aria) => <input name={name} {...aria} {...input} />}
    </FieldFrame>
  );
}

/** A labelled select with its hint and error; the options are its children. */
export function SelectField({ name, label, error, hint, id = `field-${name}`, ...select }: LabelledProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      {(aria) => <select name={name} {...aria} {...select} />}
    </FieldFrame>
  );
}

/** A labelled multi-line text box with its hint and error. */
export function TextAreaField({ name, label, error, hint, id = `field-${name}`, ...textarea }: LabelledProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      {(aria) => <textarea name={name} {...aria} {...textarea} />}
    </FieldFrame>
  );
}

/** A message about the form as a whole, announced when it appears. */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

/**
 * A password never comes back from the server; with JavaScript on, the browser would otherwise
 * keep it in the field after a failed submission. Returns a ref for the form.
 */
export function useClearPasswordsAfter(result: unknown) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!result) return;
    formRef.current?.querySelectorAll<HTMLInputElement>('input[type="password"]').forEach((input) => {
      input.value = "";
    });
  }, [result]);
  return formRef;
}
