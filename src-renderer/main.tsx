/** The renderer's entry: the IPC client (Electron or web mode), the store, the window. */
// First, before any module parses a schema.
import './zod-jitless';
import { createRoot } from 'react-dom/client';
import { defaultClient } from './ipc/client';
import { createStore } from './store/store';
import { App } from './components/App';
import { ConnectionStatus } from './components/ConnectionStatus';

const client = defaultClient();
// The draft and history survive a reload of this window (store/session.ts says what is kept).
const useStore = createStore(client, { session: window.sessionStorage });
// Back after a lost connection: the device list is read afresh, and the plug
// watch (which stops when the connection goes) starts again.
let wasLost = false;
let stopWatch: (() => void) | undefined;
client.onConnection?.((s) => {
  if (s.kind === 'reconnecting') wasLost = true;
  if (s.kind !== 'connected' || !wasLost) return;
  wasLost = false;
  stopWatch?.();
  void useStore.getState().loadDevices();
  stopWatch = useStore.getState().watchDevices();
});
const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <>
      <ConnectionStatus client={client} />
      <App use={useStore} />
    </>,
  );
