import type { ReactNode } from 'react';

/**
 * A table wider than the screen (a report on a phone) scrolls sideways in its own box rather than
 * being cut off at the edge; the box takes focus so the keyboard can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
