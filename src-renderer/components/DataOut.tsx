/** What a data-out command sends: typed as hex or loaded from a file, shown in the hex viewer. */
import { useState } from 'react';
import type { Use } from '../store/store';
import { takePickedFile } from '../picked-file';
import { HexView } from './HexView';

export function DataOut({ use }: { use: Use }) {
  const dataOut = use((s) => s.dataOut);
  const source = use((s) => s.dataOutSource);
  const transferLength = use((s) => s.transferLength);
  const setDataOutHex = use((s) => s.setDataOutHex);
  const loadDataOut = use((s) => s.loadDataOut);
  const clearDataOut = use((s) => s.clearDataOut);
  const lost = use((s) => s.dataOutLost);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <div className="data-out" role="group" aria-label="data-out">
      <div>
        Data-out:{' '}
        {dataOut ? (
          <span data-testid="data-out-summary">
            {dataOut.length} bytes from {source}
            {dataOut.length !== transferLength ? (
              <strong className="error">
                {' '}
                — the transfer length is {transferLength}; make them match before sending
              </strong>
            ) : null}{' '}
            <button type="button" onClick={clearDataOut}>
              Clear
            </button>
          </span>
        ) : lost ? (
          <span data-testid="data-out-summary">
            <strong className="error">
              {lost} was not kept across the reload: load it again, or clear to send zeros
            </strong>{' '}
            <button type="button" onClick={clearDataOut}>
              Clear
            </button>
          </span>
        ) : (
          <span data-testid="data-out-summary">
            nothing loaded: {transferLength} zero bytes will be sent
          </span>
        )}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(setDataOutHex(text));
        }}
      >
        <input
          aria-label="data-out hex"
          data-field
          placeholder="hex bytes, e.g. de ad be ef"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />{' '}
        <button type="submit">Use hex</button>{' '}
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
                  setError(undefined);
                  loadDataOut(new Uint8Array(b), file.name);
                },
                (err: unknown) => setError(`Could not read ${file.name}: ${String(err)}`),
              );
            }}
          />
        </label>
      </form>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {dataOut && dataOut.length > 0 && <HexView bytes={dataOut} label="data-out" />}
    </div>
  );
}
