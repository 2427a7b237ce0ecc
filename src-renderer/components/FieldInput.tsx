/**
 * A numeric CDB field typed as text: decimal, "12h" or "0x12". What the person types stays in the
 * box, so a value that is incomplete on the way ("0x", "1F" before its "h") is not thrown away
 * keystroke by keystroke; each time the text reads as a number the CDB takes it, and when it does
 * not the editor says why. On blur, or when the CDB changes elsewhere, the box shows the CDB's
 * value again.
 */
import { useState, type AriaAttributes } from 'react';
import { parseFieldValue } from '../field-value';

export function FieldInput({
  name,
  value,
  marked,
  onValue,
}: {
  name: string;
  /** The field's value in the CDB; undefined when the CDB is too short to hold the field. */
  value: bigint | undefined;
  marked: AriaAttributes;
  /** Called with every complete value typed; undefined when the text is not a whole number. */
  onValue: (v: bigint | undefined) => void;
}) {
  const [draft, setDraft] = useState<string | undefined>();
  // The draft stands while it is on its way to a number or says the CDB's value; once the CDB
  // holds another (the hex row edited, a preset loaded) the box follows the CDB.
  const typed = draft === undefined ? undefined : parseFieldValue(draft);
  const shown = draft !== undefined && (typed === undefined || typed === value) ? draft : undefined;
  return (
    <input
      aria-label={name}
      data-field
      {...marked}
      placeholder={value === undefined ? 'missing' : undefined}
      value={shown ?? value?.toString() ?? ''}
      onChange={(e) => {
        setDraft(e.target.value);
        onValue(parseFieldValue(e.target.value));
      }}
      onBlur={() => setDraft(undefined)}
    />
  );
}
