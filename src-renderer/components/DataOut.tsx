/**
 * What a data-out command sends: typed as hex or loaded from a file, shown in the hex viewer.
 * Typed hex is taken, as a field's value is (FieldInput), on Enter — Ctrl+Enter too, before the
 * window's handler sends — or when focus leaves the box; Escape drops the typing.
 */
import { useId, useRef, useState } from 'react';
import type { Use } from '../store/store';
import { takePickedFile } from '../picked-file';
import { HexView } from './HexView';
import { invalidBy } from '../invalid-by';

export function DataOut({ use }: { use: Use }) {
  const dataOut = use((s) => s.dataOut);
  const source = use((s) => s.dataOutSource);
  const transferLength = use((s) => s.transferLength);
  const setDataOutHex = use((s) => s.setDataOutHex);
  const loadDataOut = use((s) => s.loadDataOut);
  const clearDataOut = use((s) => s.clearDataOut);
  const lost = use((s) => s.dataOutLost);
  const committed = use((s) => s.dataOutText);
  const hexError = use((s) => s.dataOutError);
  /** Typed since the last commit; undefined when the box shows what was committed. */
  const [draft, setDraft] = useState<string | undefined>();
  const [fileError, setFileError] = useState<string | undefined>();
  const errorId = `${useId()}-data-out-error`;
  const commit = (): void => {
    if (draft === undefined) return;
    setDraft(undefined);
    setFileError(undefined);
    if (draft !== committed) setDataOutHex(draft);
  };
  const error = hexError ?? fileError;
  const box = useRef<HTMLInputElement>(null);
  /** Clear goes with what it clears: focus moves to the box, where data-out is typed next. */
  const clear = (): void => {
    clearDataOut();
    box.current?.focus();
  };
  return (
    <div className="data-out" role="group" aria-label="data-out">
      <div>
        Data-out:{' '}
        {dataOut ? (
          <span data-testid="data-out-summary">
            {dataOut.length} byte{dataOut.length === 1 ? '' : 's'} from {source}
            {dataOut.length !== transferLength ? (
              <strong className="error">
                {' '}
                — the transfer length is {transferLength}; make them match before sending
              </strong>
            ) : null}{' '}
            <button type="button" onClick={clear}>
              Clear
            </button>
          </span>
        ) : lost ? (
          <span data-testid="data-out-summary">
            <strong className="error">
              {lost} was not kept across the reload: load it again, or clear to send zeros
            </strong>{' '}
            <button type="button" onClick={clear}>
              Clear
            </button>
          </span>
        ) : (
          <span data-testid="data-out-summary">
            nothing loaded: {transferLength} zero bytes will be sent
          </span>
        )}
      </div>
      <div>
        <input
          ref={box}
          aria-label="data-out hex"
          data-field
          {...invalidBy(hexError ? [errorId] : [])}
          placeholder="hex bytes, e.g. de ad be ef, taken on Enter"
          spellCheck={false}
          value={draft ?? committed}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            else if (e.key === 'Escape') setDraft(undefined);
          }}
          onBlur={commit}
        />{' '}
        <label>
          or a file{' '}
          <input
            type="file"
            aria-label="data-out file"
            onChange={(e) => {
              const file = takePickedFile(e.target);
              if (!file) return;
              file.arrayBuffer().then(
                (b) => {
                  setFileError(undefined);
                  loadDataOut(new Uint8Array(b), file.name);
                },
                (err: unknown) => setFileError(`Could not read ${file.name}: ${String(err)}`),
              );
            }}
          />
        </label>
      </div>
      {error && (
        <div className="error" role="alert" id={errorId}>
          {error}
        </div>
      )}
      {dataOut && dataOut.length > 0 && <HexView bytes={dataOut} label="data-out" />}
    </div>
  );
}
