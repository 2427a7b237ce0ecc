/**
 * The table a decoded answer is shown in, and its rows: hovering a row
 * reports its bytes (the hex view lights them); the picked row — the one a
 * click in the hex view landed on — is marked and scrolled into view.
 * FieldTable (standard parsers) and DecodedTree (vendor layouts) fill it.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { ByteRange } from '../../shared/hexview';

export function DecodedTable({
  title,
  testId,
  picked,
  children,
}: {
  title: string;
  testId: string;
  /** Which row is picked, in the caller's own terms: a change scrolls the picked row into view. */
  picked: unknown;
  children: ReactNode;
}) {
  const body = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    body.current?.querySelector('tr.picked')?.scrollIntoView({ block: 'nearest' });
  }, [picked]);
  return (
    <table className="decoded" aria-label="decoded" data-testid={testId}>
      <caption>{title}</caption>
      <tbody ref={body}>{children}</tbody>
    </table>
  );
}

export function DecodedRow({
  bytes,
  picked,
  onHover,
  className,
  dataKey,
  children,
}: {
  /** The row's bytes in the answer; undefined when it has none (nothing to light). */
  bytes: ByteRange | undefined;
  picked: boolean;
  onHover: (range: ByteRange | undefined) => void;
  /** Classes besides `picked`. */
  className?: string | undefined;
  dataKey?: string | undefined;
  children: ReactNode;
}) {
  return (
    <tr
      data-key={dataKey}
      className={[picked ? 'picked' : '', className ?? ''].filter(Boolean).join(' ') || undefined}
      aria-current={picked ? 'true' : undefined}
      title={bytes ? `bytes ${bytes[0]}–${bytes[1]}` : undefined}
      onMouseEnter={() => onHover(bytes)}
      onMouseLeave={() => onHover(undefined)}
    >
      {children}
    </tr>
  );
}
