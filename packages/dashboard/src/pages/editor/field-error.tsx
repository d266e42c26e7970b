import { createContext, useContext } from 'react';

/** The messages to show, by the id of the control they belong to (field-paths.ts builds the ids). */
export const ErrorsContext = createContext<ReadonlyMap<string, string[]>>(new Map());

const errorId = (id: string) => `${id}-error`;

/** Props that tie a control to its messages, for screen readers as well as the eye. */
export function useErrorProps(id: string): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  const messages = useContext(ErrorsContext).get(id);
  return messages ? { 'aria-invalid': true, 'aria-describedby': errorId(id) } : {};
}

/** The messages of the control `id`, shown next to it; nothing when it has none. */
export function FieldError({ id }: { id: string }) {
  const messages = useContext(ErrorsContext).get(id);
  if (!messages) return null;
  return (
    <p id={errorId(id)} className="field-error">
      {messages.join(' ')}
    </p>
  );
}

/** A label whose visible text is short, with the context screen readers need to tell it apart. */
export function Label({
  htmlFor,
  context,
  children,
}: {
  htmlFor: string;
  context?: string;
  children: string;
}) {
  return (
    <label htmlFor={htmlFor}>
      {context && <span className="visually-hidden">{context} </span>}
      {children}
    </label>
  );
}
