/**
 * A labelled region that scrolls on its own (both ways: long tables, narrow screens), focusable so
 * keyboard users can scroll it with the arrow keys.
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className={`table-scroll ${className ?? ''}`} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
