/** The window: device picker on the left, editor in the middle, results on the right. */
import { useEffect, useRef } from 'react';
import { isTypingElsewhere, SHORTCUTS, shortcutFor, stepFocus, type KeyAction } from '../keys';
import type { Use } from '../store/store';
import { selectSendBlock } from '../store/selectors';
import { Diagnose } from './Diagnose';
import { Editor } from './Editor';
import { ExportPanel } from './ExportPanel';
import { Exports } from './Exports';
import { History } from './History';
import { Presets } from './Presets';
import { Results } from './Results';
import { ThemePicker } from './ThemePicker';
import { VendorSets } from './VendorSets';
import { Probe } from './Probe';
import { DriveImage, TraceLoader } from './DeviceSources';

export function App({ use }: { use: Use }) {
  const devices = use((s) => s.devices);
  const device = use((s) => s.device);
  const devicesError = use((s) => s.devicesError);
  const loadDevices = use((s) => s.loadDevices);
  const pickDevice = use((s) => s.pickDevice);
  const lun = use((s) => s.lun);
  const setLun = use((s) => s.setLun);
  const send = use((s) => s.send);
  const running = use((s) => s.running);
  const blocked = use(selectSendBlock);
  const confirmation = use((s) => s.confirmation);
  const cancelConfirmation = use((s) => s.cancelConfirmation);
  const watchDevices = use((s) => s.watchDevices);
  const loadImages = use((s) => s.loadImages);
  useEffect(() => {
    void loadDevices();
    void loadImages();
    return watchDevices();
  }, [loadDevices, loadImages, watchDevices]);
  const current = devices.find((d) => d.id === device);
  const focusField = (step: 1 | -1): void => {
    const fields = [...document.querySelectorAll<HTMLElement>('[data-field]')];
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    stepFocus(fields, active, step)?.focus();
  };
  const ACTIONS: Readonly<Record<KeyAction, () => void>> = {
    send: () => void send(),
    nextField: () => focusField(1),
    previousField: () => focusField(-1),
    focusHex: () => document.querySelector<HTMLElement>('[data-hex-focus]')?.focus(),
  };
  // The window's shortcuts work wherever focus is — on the body after a clicked button goes away too.
  const actions = useRef(ACTIONS);
  actions.current = ACTIONS;
  useEffect(() => {
    const onKeyDown = (e: globalThis.KeyboardEvent): void => {
      const action = shortcutFor({
        code: e.code,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        typingElsewhere: isTypingElsewhere(
          document.activeElement,
          document.querySelector('section.editor'),
        ),
      });
      if (!action) return;
      e.preventDefault();
      actions.current[action]();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return (
    <div className="app">
      <header>
        <h1>usbcdb</h1>
        <span className="keys">
          {SHORTCUTS.map((k) => `${k.label} ${k.description}`).join(' · ')}
        </span>
        <ThemePicker />
      </header>
      <nav className="panel devices" aria-label="devices">
        <h2>Devices</h2>
        {devicesError && (
          <div className="error" role="alert">
            {devicesError}
          </div>
        )}
        <ul>
          {devices.map((d) => (
            <li key={d.id}>
              <label>
                <input
                  type="radio"
                  name="device"
                  checked={d.id === device}
                  onChange={() => pickDevice(d.id)}
                />{' '}
                <code>{d.id}</code> {d.label}
              </label>
              <div className="detail">
                {d.vidPid} — {d.detail}
              </div>
            </li>
          ))}
        </ul>
        {current && (current.maxLun > 0 || lun > current.maxLun) && (
          // A preset or history entry may bring a LUN past this device's Get Max LUN: it stays
          // visible (and lint says why it fails) rather than being sent unseen.
          <label>
            LUN{' '}
            <select aria-label="lun" value={lun} onChange={(e) => setLun(Number(e.target.value))}>
              {[
                ...Array.from({ length: current.maxLun + 1 }, (_, i) => i),
                ...(lun > current.maxLun ? [lun] : []),
              ].map((i) => (
                <option key={i} value={i}>
                  {i > current.maxLun ? `${i} (past Get Max LUN, ${current.maxLun})` : i}
                </option>
              ))}
            </select>
          </label>
        )}
        {current?.kind === 'emu' && <DriveImage use={use} />}
        <TraceLoader use={use} />
        <Exports use={use} />
      </nav>
      <main>
        <Editor use={use} />
        <div className="send-bar">
          <button
            type="button"
            className="send"
            disabled={blocked !== undefined}
            aria-describedby={blocked !== undefined ? 'send-blocked' : undefined}
            onClick={() => void send()}
          >
            Send
          </button>{' '}
          {blocked !== undefined && !running && (
            <span className="note" id="send-blocked" data-testid="send-blocked">
              Cannot send: {blocked}
            </span>
          )}
        </div>
        {confirmation && (
          <div className="confirm" role="alertdialog" aria-label="confirm destructive command">
            <p>{confirmation.reason}</p>
            <button type="button" onClick={() => void send(true)}>
              Send anyway
            </button>{' '}
            <button type="button" onClick={cancelConfirmation}>
              Cancel
            </button>
          </div>
        )}
        <ExportPanel use={use} />
        <Presets use={use} />
        <VendorSets use={use} />
        <Probe use={use} />
        <Diagnose use={use} />
      </main>
      <div className="right">
        <Results use={use} />
        <History use={use} />
      </div>
    </div>
  );
}
