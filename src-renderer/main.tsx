/** The renderer's entry: the IPC client (Electron or web mode), the store, the window. */
import { createRoot } from 'react-dom/client';
import { defaultClient } from './ipc/client';
import { createStore } from './store/store';
import { App } from './components/App';

const useStore = createStore(defaultClient());
const root = document.getElementById('root');
if (root) createRoot(root).render(<App use={useStore} />);
