/**
 * Web mode's connection to the bridge, in one line: connecting, connected,
 * or lost and reconnecting (with why, and when the next attempt is). Electron
 * has no connection to lose: nothing is shown there.
 */
import { useEffect, useState } from 'react';
import type { ConnectionState, IpcClient } from '../ipc/client';

function connectionWords(s: ConnectionState): string {
  switch (s.kind) {
    case 'connecting':
      return 'Connecting to the usbcdb bridge…';
    case 'connected':
      return 'Connected to the usbcdb bridge.';
    case 'reconnecting':
      return `${s.why[0]?.toUpperCase() ?? ''}${s.why.slice(1)}. Reconnecting (attempt ${s.attempt}, in ${(s.inMs / 1000).toFixed(s.inMs < 1000 ? 2 : 0)} s)…`;
  }
}

export function ConnectionStatus({ client }: { client: IpcClient }) {
  const [state, setState] = useState<ConnectionState | undefined>();
  useEffect(() => client.onConnection?.(setState), [client]);
  if (!state) return null;
  return (
    <div
      className={`connection connection-${state.kind}`}
      role="status"
      data-testid="connection"
      data-state={state.kind}
    >
      {connectionWords(state)}
    </div>
  );
}
