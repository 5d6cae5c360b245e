import { cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react';

/** Element id of the error message of field `id`. */
export function errorId(id: string): string {
  return `${id}-error`;
}

interface FieldProps {
  id: string;
  label: string;
  error?: string;
  help?: ReactNode;
  /** The one input, select or textarea of the field; it gets the id, aria-invalid and aria-describedby. */
  children: ReactElement<Record<string, unknown>>;
}

/** A labelled form control with its help text and, when invalid, its error message. */
export function Field({ id, label, error, help, children }: FieldProps) {
  const describedBy =
    [help ? `${id}-help` : null, error ? errorId(id) : null].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children, {
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
      })
    : children;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control}
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      {error && (
        <p id={errorId(id)} className="error" data-field-error={id}>
          {error}
        </p>
      )}
    </div>
  );
}
