/**
 * The renderer's store against the real IPC handlers in-process (the client
 * calls dispatch directly): the decisions the components only render.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../../shared/scsi/hex';
import { parseTrace } from '../../../shared/trace';
import { openDevice } from '../../../src-main/engine/device-string';
import { IpcError, type IpcClient } from '../../../src-renderer/ipc/client';
import { createStore } from '../../../src-renderer/store/store';
import { CHANGED_SINCE_ASKED } from '../../../src-renderer/store/results';
import { selectDiagnosis, selectLint } from '../../../src-renderer/store/selectors';
import { inProcessClient } from './in-process-client';
import { testTempDir } from '../../temp-dir';

describe('the renderer store', () => {
  it("flags the report's CDB, applies the fix, sends it and records it", async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadDevices();
    expect(store.getState().device).toBe('emu:flash-stick');
    store.getState().setHex('12 00 00 24 00 00');
    store.getState().setTransfer('in', 512);
    expect(selectLint(store.getState()).findings.map((f) => f.id)).toContain('layout-ambiguity');
    store.getState().applyCorrected();
    expect(store.getState().hexText).toBe('12 00 00 00 24 00');
    expect(store.getState().transferLength).toBe(36);
    await store.getState().send();
    expect(store.getState().outcome?.status).toBe(0);
    expect(store.getState().history).toHaveLength(1);
  });

  it('keeps fields and hex in step, and names a bad hex byte', () => {
    const store = createStore(inProcessClient());
    store.getState().chooseCommand('read10');
    expect(store.getState().hexText).toBe('28 00 00 00 00 00 00 00 01 00');
    expect(store.getState().setField('lba', 0x1234n)).toBeUndefined();
    expect(store.getState().hexText).toBe('28 00 00 00 12 34 00 00 01 00');
    expect(store.getState().setField('transferLength', 0x10000n)).toMatch(
      /TRANSFER LENGTH holds 0–65535/,
    );
    store.getState().setHex('28 0g');
    expect(store.getState().hexError).toMatch(/"0g" is not hexadecimal/);
    expect(formatHex(store.getState().cdb)).toBe('28 00 00 00 12 34 00 00 01 00');
  });

  it('exports the session as a trace that replay: plays back', async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadDevices();
    store.getState().chooseCommand('inquiry');
    await store.getState().send();
    store.getState().chooseCommand('readcap');
    await store.getState().send();
    const text = store.getState().exportTrace();
    expect(text).toBeDefined();
    const parsed = parseTrace(text ?? '');
    expect(parsed.ok && parsed.value.exchanges).toHaveLength(2);
    const file = join(testTempDir('trace'), 's.jsonl');
    writeFileSync(file, text ?? '');
    const replay = await openDevice(`replay:${file}`);
    if (!replay.ok) throw new Error(replay.error.message);
    const o = await replay.value.execute({
      cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
      lun: 0,
      direction: 'in',
      transferLength: 36,
      timeoutMs: 1000,
    });
    expect(formatHex(o.dataIn).startsWith('00 80 05')).toBe(true);
  });

  it('saves a preset and loads it back into the editor', async () => {
    const store = createStore(inProcessClient());
    store.getState().chooseCommand('tur');
    await store.getState().savePreset('ready?', 'basics', '');
    await store.getState().loadPresets();
    const p = store.getState().presets[0];
    expect(p).toMatchObject({ name: 'ready?', folder: 'basics', cdb: '00 00 00 00 00 00' });
    store.getState().chooseCommand('inquiry');
    if (p) store.getState().usePreset(p);
    expect(store.getState().hexText).toBe('00 00 00 00 00 00');
    expect(store.getState().packs[0]?.presets).toHaveLength(5);
  });

  it('knows Get Max LUN in lint and the doctor when a preset brings a LUN the device lacks', async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadDevices();
    store.getState().pickDevice('emu:card-reader');
    store.getState().setLun(1);
    store.getState().chooseCommand('tur');
    await store.getState().savePreset('slot 2', 'reader', '');
    await store.getState().loadPresets();
    store.getState().pickDevice('emu:flash-stick');
    const p = store.getState().presets.find((x) => x.name === 'slot 2');
    if (p) store.getState().usePreset(p);
    expect(store.getState().lun).toBe(1);
    const lint = selectLint(store.getState()).findings.find((f) => f.id === 'lun-range');
    expect(lint?.message).toBe(
      'LUN 1 is past the highest this device has, 0 (its answer to Get Max LUN).',
    );
    await store.getState().send();
    const first = selectDiagnosis(store.getState())?.diagnoses[0];
    expect(first?.id).toBe('transport:phase-error');
    expect(first?.fix.join(' ')).toMatch(/send the command to LUN 0, the only one it has/);
  });
});

/** A device.execute answer: GOOD, no data. */
const GOOD = {
  status: 0,
  transportError: null,
  dataIn: '',
  sense: null,
  residue: 0,
  cswStatus: 0,
  durationMs: 1,
};

describe('confirmation of destructive commands', () => {
  it('holds a destructive command for a real device until the user confirms it', async () => {
    const sent: boolean[] = [];
    const client: IpcClient = {
      invoke(channel, request) {
        if (channel === 'devices.list')
          return Promise.resolve([
            {
              id: 'usb:0781:5581',
              kind: 'usb',
              label: 'USB 0781:5581',
              vidPid: '0781:5581',
              detail: '',
              maxLun: 0,
            },
          ] as never);
        const r = request as { confirmed?: boolean };
        sent.push(r.confirmed === true);
        if (!r.confirmed)
          return Promise.reject(
            new IpcError(
              'needs-confirmation',
              'WRITE(10) can overwrite or destroy data on the device. Confirm to send it.',
            ),
          );
        return Promise.resolve(GOOD as never);
      },
    };
    const store = createStore(client);
    await store.getState().loadDevices();
    store.getState().chooseCommand('write10');
    await store.getState().send();
    expect(store.getState().confirmation?.reason).toMatch(/WRITE\(10\) can overwrite/);
    expect(store.getState().outcome).toBeUndefined();
    await store.getState().send(true);
    expect(store.getState().confirmation).toBeUndefined();
    expect(store.getState().outcome?.status).toBe(0);
    expect(sent).toEqual([false, true]);
  });
});

describe('a yes answers only the question it was asked about', () => {
  /** Two real devices; every command, probe and sequence asks for a yes until it is given. */
  function askingClient(calls: string[]): IpcClient {
    const usb = (pid: string) => ({
      id: `usb:0781:${pid}`,
      kind: 'usb',
      label: `USB 0781:${pid}`,
      vidPid: `0781:${pid}`,
      detail: '',
      maxLun: 1,
    });
    const ask = (): Promise<never> =>
      Promise.reject(
        new IpcError('needs-confirmation', 'It can overwrite data. Confirm to send it.'),
      );
    return {
      invoke(channel, request) {
        if (channel === 'devices.list') return Promise.resolve([usb('5581'), usb('5582')] as never);
        if (channel === 'vendorSets.list') return Promise.resolve([] as never);
        const r = request as {
          device: string;
          cdb?: Uint8Array;
          lun?: number;
          confirmed?: boolean;
        };
        calls.push(
          `${channel} ${r.device}${r.cdb ? ` ${formatHex(r.cdb)}` : ''} lun ${r.lun ?? '-'} ${r.confirmed === true ? 'confirmed' : 'asked'}`,
        );
        if (!r.confirmed) {
          if (channel === 'device.probe')
            return Promise.resolve({ confirmation: 'Probe it?', plan: [], steps: [] } as never);
          return ask();
        }
        if (channel === 'device.execute') return Promise.resolve(GOOD as never);
        return Promise.resolve({ steps: [] } as never);
      },
    };
  }

  /** A WRITE(10) to the first device, sent and asked about. */
  async function askedAboutWrite() {
    const calls: string[] = [];
    const store = createStore(askingClient(calls));
    await store.getState().loadDevices();
    store.getState().pickDevice('usb:0781:5581');
    store.getState().chooseCommand('write10');
    await store.getState().send();
    return { calls, store };
  }

  it('sends nothing when the CDB or the device changed while the question was open', async () => {
    const { calls, store } = await askedAboutWrite();
    expect(store.getState().confirmation?.reason).toMatch(/overwrite/);
    // FORMAT UNIT to the other device, the question about a WRITE(10) to the first still open.
    store.getState().setHex('04 00 00 00 00 00');
    store.getState().setTransfer('none', 0);
    store.getState().pickDevice('usb:0781:5582');
    expect(store.getState().confirmation).toBeUndefined();
    await store.getState().send(true);
    expect(store.getState().sendError).toBe(CHANGED_SINCE_ASKED);
    expect(calls).toEqual([
      'device.execute usb:0781:5581 2a 00 00 00 00 00 00 00 01 00 lun 0 asked',
    ]);
  });

  it('refuses a yes for a question about another command even when it is still pending', async () => {
    const { calls, store } = await askedAboutWrite();
    const asked = store.getState().confirmation;
    if (!asked) throw new Error('no question');
    store.setState({ confirmation: { ...asked, command: { ...asked.command, lun: 1 } } });
    await store.getState().send(true);
    expect(store.getState().sendError).toBe(CHANGED_SINCE_ASKED);
    expect(calls).toHaveLength(1);
    // Asked again and answered with the same command, it goes, confirmed.
    await store.getState().send();
    await store.getState().send(true);
    expect(calls.at(-1)).toBe(
      'device.execute usb:0781:5581 2a 00 00 00 00 00 00 00 01 00 lun 0 confirmed',
    );
    expect(store.getState().outcome?.status).toBe(0);
  });

  it('probes and runs sequences only on the device and LUN the question named', async () => {
    const calls: string[] = [];
    const store = createStore(askingClient(calls));
    await store.getState().loadDevices();
    store.getState().pickDevice('usb:0781:5581');
    await store.getState().runProbe();
    expect(store.getState().probe.result?.confirmation).toBe('Probe it?');
    store.getState().pickDevice('usb:0781:5582');
    expect(store.getState().probe.result).toBeUndefined();
    await store.getState().runProbe(true);
    expect(store.getState().probe.error).toMatch(
      /changed after you were asked, so nothing was sent/,
    );

    await store.getState().runSequence('example', 'read-log');
    expect(store.getState().sequenceRun?.confirmation).toMatch(/overwrite/);
    store.getState().setLun(1);
    expect(store.getState().sequenceRun?.confirmation).toBeUndefined();
    await store.getState().runSequence('example', 'read-log', true);
    expect(store.getState().sequenceRun?.error).toMatch(
      /changed after you were asked, so nothing was sent/,
    );
    expect(calls.filter((c) => c.endsWith('confirmed'))).toEqual([]);
  });

  it('keeps each question through changes it does not depend on', async () => {
    const calls: string[] = [];
    const store = createStore(askingClient(calls));
    await store.getState().loadDevices();
    store.getState().pickDevice('usb:0781:5581');
    // The probe takes no CDB and no LUN; a sequence takes no CDB.
    await store.getState().runProbe();
    await store.getState().runSequence('example', 'read-log');
    store.getState().chooseCommand('write10');
    store.getState().setHex('12 00 00 00 24 00');
    expect(store.getState().sequenceRun?.confirmation).toMatch(/overwrite/);
    store.getState().setLun(1);
    expect(store.getState().probe.result?.confirmation).toBe('Probe it?');
    expect(store.getState().sequenceRun?.confirmation).toBeUndefined();
    // A command's question stands through a reload of the vendor sets.
    store.getState().chooseCommand('write10');
    await store.getState().send();
    await store.getState().loadVendorSets();
    expect(store.getState().confirmation?.reason).toMatch(/overwrite/);
    await store.getState().send(true);
    expect(calls.at(-1)).toMatch(/^device\.execute usb:0781:5581 2a .* confirmed$/);
  });

  /**
   * The asking client with its first device.execute held until `answer()`; a WRITE(10) to the
   * first device sent through it, still on its way.
   */
  async function writeOnItsWay() {
    const calls: string[] = [];
    const asking = askingClient(calls);
    let answer: () => void = () => undefined;
    const slow: IpcClient = {
      invoke: (channel, request) =>
        channel === 'device.execute' && calls.length === 0
          ? new Promise((resolve, reject) => {
              answer = () => void asking.invoke(channel, request).then(resolve, reject);
            })
          : asking.invoke(channel, request),
    };
    const store = createStore(slow);
    await store.getState().loadDevices();
    store.getState().pickDevice('usb:0781:5581');
    store.getState().chooseCommand('write10');
    const sending = store.getState().send();
    return { store, sending, answer: () => answer() };
  }

  it('shows no probe or sequence question about a device no longer picked', async () => {
    const calls: string[] = [];
    const asking = askingClient(calls);
    const held: (() => void)[] = [];
    const slow: IpcClient = {
      invoke: (channel, request) =>
        channel === 'device.probe' || channel === 'sequence.run'
          ? new Promise((resolve, reject) => {
              held.push(() => void asking.invoke(channel, request).then(resolve, reject));
            })
          : asking.invoke(channel, request),
    };
    const store = createStore(slow);
    await store.getState().loadDevices();
    store.getState().pickDevice('usb:0781:5581');
    const probing = store.getState().runProbe();
    const running = store.getState().runSequence('example', 'read-log');
    store.getState().pickDevice('usb:0781:5582');
    for (const go of held) go();
    await Promise.all([probing, running]);
    expect(store.getState().probe.result).toBeUndefined();
    expect(store.getState().probe.error).toMatch(/changed after you were asked/);
    expect(store.getState().sequenceRun?.confirmation).toBeUndefined();
    expect(store.getState().sequenceRun?.error).toMatch(/changed after you were asked/);
  });

  it('shows no question when the editor moved on while the command was on its way', async () => {
    const { store, sending, answer } = await writeOnItsWay();
    store.getState().setHex('04 00 00 00 00 00');
    store.getState().setTransfer('none', 0);
    answer();
    await sending;
    expect(store.getState().confirmation).toBeUndefined();
    expect(store.getState().sendError).toBe(CHANGED_SINCE_ASKED);
  });

  it('answers a send whose transfer length grew past 64 MiB meanwhile without allocating it, and sends again', async () => {
    const { store, sending, answer } = await writeOnItsWay();
    store.getState().setTransfer('out', 2 ** 33);
    answer();
    await sending;
    expect([store.getState().running, store.getState().sendError]).toEqual([
      false,
      CHANGED_SINCE_ASKED,
    ]);
    store.getState().setTransfer('out', 512);
    await store.getState().send();
    expect(store.getState().confirmation?.reason).toMatch(/overwrite/);
  });
});

describe('live device list', () => {
  it('reloads on plug and unplug, and says so when the picked device went away', async () => {
    const usb = {
      id: 'usb:0781:5581',
      kind: 'usb',
      label: 'SanDisk Cruzer',
      vidPid: '0781:5581',
      detail: '',
      maxLun: 0,
    };
    const emu = { ...usb, id: 'emu:flash-stick', kind: 'emu', label: 'flash stick' };
    let attached = [emu, usb];
    let generation = 0;
    const wake: (() => void)[] = [];
    const client: IpcClient = {
      invoke(channel, request) {
        if (channel === 'devices.list') return Promise.resolve(attached as never);
        if (channel === 'devices.watch') {
          const seen = (request as { generation: number }).generation;
          if (seen !== generation) return Promise.resolve({ generation } as never);
          return new Promise((resolve) => wake.push(() => resolve({ generation } as never)));
        }
        return Promise.reject(new IpcError('unexpected', channel));
      },
    };
    const store = createStore(client);
    await store.getState().loadDevices();
    store.getState().pickDevice('usb:0781:5581');
    const stop = store.getState().watchDevices();
    const plug = async (now: typeof attached): Promise<void> => {
      attached = now;
      generation++;
      wake.splice(0).forEach((w) => w());
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
    };
    await plug([emu]);
    expect(store.getState().devices.map((d) => d.id)).toEqual(['emu:flash-stick']);
    expect(store.getState().device).toBe('emu:flash-stick');
    expect(store.getState().devicesError).toMatch(/usb:0781:5581 is no longer attached/);
    await plug([emu, usb]);
    expect(store.getState().devices).toHaveLength(2);
    expect(store.getState().devicesError).toBeUndefined();
    stop();
    await plug([emu]);
    // Stopped: the list no longer follows.
    expect(store.getState().devices).toHaveLength(2);
  });
});

describe('exports and captures from the app', () => {
  it('starts a USB/IP export a host can list, and stops it', async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadDevices();
    await store.getState().startExport('card-reader', 'usbip');
    const x = store.getState().exports[0];
    expect(x).toMatchObject({ profile: 'card-reader', transport: 'usbip', host: '127.0.0.1' });
    expect(x?.attach).toMatch(new RegExp(`usbip --tcp-port ${x?.port} attach -r 127.0.0.1 -b 1-1`));
    // A USB/IP client on loopback gets the device list: one device, 08/06/50.
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const s = connect(x?.port ?? 0, '127.0.0.1', () =>
        s.write(Buffer.from([0x01, 0x11, 0x80, 0x05, 0, 0, 0, 0])),
      );
      let got = Buffer.alloc(0);
      s.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
      s.on('end', () => resolve(got));
      s.on('error', reject);
    });
    expect(reply.readUInt32BE(8)).toBe(1);
    expect(Array.from(reply.subarray(12 + 312, 12 + 315))).toEqual([8, 6, 0x50]);
    await store.getState().stopExport(x?.id ?? '');
    expect(store.getState().exports).toEqual([]);
    const refused = await new Promise<string>((resolve) => {
      const s = connect(x?.port ?? 0, '127.0.0.1');
      s.on('connect', () => resolve('connected'));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    await store.getState().startExport('no-such-profile', 'usbredir');
    expect(store.getState().exportsError).toMatch(/no profile "no-such-profile"/);
  });

  it('saves the session’s USB traffic as a pcap', async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadDevices();
    // Opening the drive already talked to it (enumeration, the power-on unit attention).
    const before = await store.getState().captureBytes();
    expect(formatHex((before ?? new Uint8Array()).subarray(0, 4))).toBe('d4 c3 b2 a1');
    await store.getState().send();
    const after = await store.getState().captureBytes();
    // The INQUIRY added its CBW, data and CSW: three submissions and three completions.
    expect((after?.length ?? 0) - (before?.length ?? 0)).toBeGreaterThanOrEqual(6 * (16 + 64));
    store.getState().pickDevice('emu:no-such-profile');
    expect(await store.getState().captureBytes()).toBeUndefined();
    expect(store.getState().historyError).toMatch(/no emulated profile "no-such-profile"/);
  });
});
