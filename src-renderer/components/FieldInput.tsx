/**
 * A numeric CDB field typed as text: decimal, "12h" or "0x12". As in a hex editor's field
 * inspector, the value is committed when it is complete, on Enter or when focus leaves the box,
 * and Escape drops the typing: the keystrokes on the way ("3" and "30" on the way to "300", "0x"
 * before "0x10") never reach the CDB, so a refused value cannot leave its prefix there, and a
 * field that says which command the CDB is (a vendor row's selector) does not turn it into
 * another command mid-word. A value the CDB refuses stays in the box, beside the error.
 */
import { useState, type AriaAttributes } from 'react';

export function FieldInput({
  name,
  value,
  refused,
  marked,
  onCommit,
  onRevert,
}: {
  name: string;
  /** The field's value in the CDB; undefined when the CDB is too short to hold the field. */
  value: bigint | undefined;
  /** The text last committed to this field that the CDB refused, shown until the CDB changes. */
  refused: string | undefined;
  marked: AriaAttributes;
  /** Called with the text typed, once it is complete (Enter, or focus leaving the box). */
  onCommit: (text: string) => void;
  /** Escape: the box shows the CDB's value again. */
  onRevert: () => void;
}) {
  const [draft, setDraft] = useState<string | undefined>();
  const commit = (): void => {
    if (draft === undefined) return;
    setDraft(undefined);
    onCommit(draft);
  };
  return (
    <input
      aria-label={name}
      data-field
      {...marked}
      placeholder={value === undefined ? 'missing' : undefined}
      value={draft ?? refused ?? value?.toString() ?? ''}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        // Ctrl+Enter too: the value is in the CDB before the window's handler sends it.
        if (e.key === 'Enter') commit();
        else if (e.key === 'Escape') {
          setDraft(undefined);
          onRevert();
        }
      }}
      onBlur={commit}
    />
  );
}
