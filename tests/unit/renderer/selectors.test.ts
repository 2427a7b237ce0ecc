/**
 * The store's derived values against the real handlers in-process: block
 * size, lint, why Send refuses, staleness, the diagnosis of a transport
 * error and a residue the device misreported.
 */
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../../shared/scsi/hex';
import { createStore } from '../../../src-renderer/store/store';
import {
  derived,
  selectBlockSize,
  selectDataInCount,
  selectDiagnosis,
  selectLint,
  selectPointedByte,
  selectSendBlock,
  selectSpec,
  selectStale,
} from '../../../src-renderer/store/selectors';
import { phaseOf, startingCdb } from '../../../src-renderer/store/editor';
import { resolveByName } from '../../../shared/scsi/catalog/resolve';
import { inProcessClient } from './in-process-client';

async function storeOn(device: string) {
  const store = createStore(inProcessClient());
  await store.getState().loadDevices();
  store.getState().pickDevice(device);
  return store;
}

describe('derived', () => {
  it('returns the same object until an input changes', () => {
    let runs = 0;
    const pick = derived(
      (s: { a: number; b: number }) => [s.a] as const,
      (a) => {
        runs++;
        return { twice: a * 2 };
      },
    );
    const first = pick({ a: 1, b: 1 });
    expect(pick({ a: 1, b: 2 })).toBe(first);
    expect(pick({ a: 2, b: 2 })).toEqual({ twice: 4 });
    expect(runs).toBe(2);
  });
});

/** The block size a READ CAPACITY answer in history entry `entry` gives. */
const readCapacityEntry = (bytes: number, entry: number) => ({
  bytes,
  source: `READ CAPACITY, history #${entry}`,
  assumed: false,
});

describe('block size and the data phase of a picked command', () => {
  it("starts a block command at one block of the emulated drive's block size, then READ CAPACITY's", async () => {
    const store = await storeOn('emu:sata-bridge');
    // The SATA bridge's disk has 4 KiB sectors: its profile says so before any command.
    expect(selectBlockSize(store.getState())).toEqual({
      bytes: 4096,
      source: "the emulated drive's profile",
      assumed: false,
    });
    store.getState().chooseCommand('read10');
    expect(store.getState().hexText).toBe('28 00 00 00 00 00 00 00 01 00');
    expect([store.getState().direction, store.getState().transferLength]).toEqual(['in', 4096]);
    // READ CAPACITY(10) is what the device itself says: it wins from then on.
    store.getState().chooseCommand('readcap');
    await store.getState().send();
    expect(selectBlockSize(store.getState())).toEqual(readCapacityEntry(4096, 1));
    store.getState().chooseCommand('read10');
    await store.getState().send();
    expect(store.getState().outcome?.status).toBe(0);
    // Another device's READ CAPACITY does not count for this one.
    store.getState().pickDevice('emu:flash-stick');
    expect(selectBlockSize(store.getState())).toEqual({
      bytes: 512,
      source: "the emulated drive's profile",
      assumed: false,
    });
  });

  it('reads the block size from a READ CAPACITY(16) answer, not from another SERVICE ACTION IN(16)', async () => {
    const store = await storeOn('emu:sata-bridge');
    store.setState({ devices: [] });
    // GET LBA STATUS shares opcode 9Eh; its answer is no capacity, whatever its bytes 8–11 hold.
    store.getState().chooseCommand('get-lba-status');
    await store.getState().send();
    expect(store.getState().outcome?.status).toBe(0);
    expect(selectBlockSize(store.getState())).toMatchObject({ bytes: 512, assumed: true });
    store.getState().chooseCommand('readcap16');
    await store.getState().send();
    expect(selectBlockSize(store.getState())).toEqual(readCapacityEntry(4096, 2));
  });

  it('assumes 512 bytes, and says so, for a device the list gives no block size for', async () => {
    const store = await storeOn('emu:sata-bridge');
    // A real device's entry carries no block size: the picked one is not in the list here.
    store.setState({ devices: [] });
    store.getState().chooseCommand('read10');
    expect(selectBlockSize(store.getState())).toMatchObject({ bytes: 512, assumed: true });
    expect([store.getState().direction, store.getState().transferLength]).toEqual(['in', 512]);
  });

  it('takes the block size from a probe of the device', async () => {
    const store = await storeOn('emu:sata-bridge');
    await store.getState().runProbe();
    expect(selectBlockSize(store.getState())).toMatchObject({ bytes: 4096, assumed: false });
  });

  it('phaseOf and startingCdb: the catalog’s data phase, one block to start', () => {
    const spec = resolveByName('write10', [])?.spec;
    if (!spec) throw new Error('no WRITE(10)');
    const cdb = startingCdb(spec);
    expect(formatHex(cdb ?? new Uint8Array())).toBe('2a 00 00 00 00 00 00 00 01 00');
    expect(phaseOf(cdb ?? new Uint8Array(), [], 4096)).toEqual({ direction: 'out', length: 4096 });
    const inquiry = resolveByName('inquiry', [])?.spec;
    expect(inquiry && formatHex(startingCdb(inquiry) ?? new Uint8Array())).toBe(
      '12 00 00 00 24 00',
    );
    // READ(6)'s TRANSFER LENGTH 0 is 256 blocks, WRITE SAME's NUMBER OF LOGICAL BLOCKS 0 the whole
    // medium from the LBA (SBC-4): both start at one.
    const starting = (name: string): string => {
      const s = resolveByName(name, [])?.spec;
      return formatHex((s && startingCdb(s)) ?? new Uint8Array());
    };
    expect(starting('read6')).toBe('08 00 00 00 01 00');
    expect(starting('write-same10')).toBe('41 00 00 00 00 00 00 00 01 00');
    expect(starting('write-same16')).toBe('93 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00');
  });

  it('keeps the data phase in step when the length field is edited, not when it was out of step', async () => {
    const store = await storeOn('emu:flash-stick');
    store.getState().chooseCommand('read10');
    store.getState().setField('transferLength', 4n);
    expect(store.getState().transferLength).toBe(2048);
    store.getState().setTransfer('in', 100);
    store.getState().setField('transferLength', 2n);
    expect(store.getState().transferLength).toBe(100);
  });

  it('selectSpec names the editor’s command', async () => {
    const store = await storeOn('emu:flash-stick');
    store.getState().chooseCommand('readcap');
    expect(selectSpec(store.getState())?.name).toBe('READ CAPACITY(10)');
  });
});

describe('a CDB that moves data with direction none', () => {
  it('is a lint error whose fix sets the data phase, and the send then works', async () => {
    const store = await storeOn('emu:flash-stick');
    store.getState().setHex('28 00 00 00 00 00 00 00 01 00');
    store.getState().setTransfer('none', 0);
    const finding = selectLint(store.getState()).findings.find((f) => f.id === 'no-data-phase');
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toMatch(
      /READ\(10\) moves 512 bytes from the device.*direction is none/,
    );
    store.getState().applyCorrected();
    expect([store.getState().direction, store.getState().transferLength]).toEqual(['in', 512]);
    expect(selectLint(store.getState()).findings.map((f) => f.id)).not.toContain('no-data-phase');
  });

  it('sent anyway, the phase error comes with the doctor’s diagnosis', async () => {
    const store = await storeOn('emu:flash-stick');
    store.getState().setHex('28 00 00 00 00 00 00 00 01 00');
    store.getState().setTransfer('none', 0);
    await store.getState().send();
    const o = store.getState().outcome;
    expect(o?.transportError?.kind ?? `status ${o?.status}`).toMatch(/phase-error|timeout/);
    const report = selectDiagnosis(store.getState());
    expect(report?.diagnoses.length).toBeGreaterThan(0);
    expect(report?.diagnoses.map((d) => d.title).join(' ')).toMatch(/phase|data phase/i);
  });
});

describe('why Send refuses', () => {
  it('names malformed hex, a CDB longer than a CBW carries, and a missing device; nothing is sent', async () => {
    const store = createStore(inProcessClient());
    expect(selectSendBlock(store.getState())).toBe('Pick a device first.');
    await store.getState().loadDevices();
    expect(selectSendBlock(store.getState())).toBeUndefined();
    store.getState().setHex('12 00 0g');
    expect(selectSendBlock(store.getState())).toMatch(/The CDB hex is malformed: .*"0g"/);
    store.getState().setHex(Array.from({ length: 20 }, () => '00').join(' '));
    expect(selectSendBlock(store.getState())).toMatch(
      /the CDB is 20 bytes; a Bulk-Only CBW carries 1–16 \(bCBWCBLength/,
    );
    await store.getState().send();
    expect(store.getState().sendError).toMatch(/carries 1–16.*Nothing was sent\./);
    expect(store.getState().history).toHaveLength(0);
  });

  it('refuses a pasted buffer past the longest CDB at once, keeping the last CDB that fit', async () => {
    const store = createStore(inProcessClient());
    store.getState().setHex('00 00 00 00 00 00');
    const kept = store.getState().cdb;
    store.getState().setHex(Array.from({ length: 100_000 }, () => 'ff').join(' '));
    expect(store.getState().hexError).toBe(
      'the CDB box holds 100000 bytes, more than the 260 of the longest CDB (SPC-5, variable-length CDB)',
    );
    expect(store.getState().cdb).toBe(kept);
    store.getState().setHex(Array.from({ length: 260 }, () => '7f').join(' '));
    expect(store.getState().hexError).toBeUndefined();
    expect(store.getState().cdb).toHaveLength(260);
  });

  it('refuses a transfer over the 64 MiB one command may move before anything is allocated or sent', async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadDevices();
    store.getState().chooseCommand('write10');
    store.getState().setTransfer('out', 100_000_000);
    expect(selectSendBlock(store.getState())).toBe(
      'The transfer length is 100000000 bytes; the app moves at most 67108864 (64 MiB) in one command: split it, or use usbcdb read or write on the command line.',
    );
    store.getState().setTransfer('in', 2 ** 32);
    expect(selectSendBlock(store.getState())).toMatch(/^The transfer length is 4294967296 bytes/);
    store.getState().setTransfer('none', 2 ** 32);
    expect(selectSendBlock(store.getState())).toBeUndefined();
    store.getState().setTransfer('in', 64 * 1024 * 1024);
    expect(selectSendBlock(store.getState())).toBeUndefined();
  });
});

describe('a result that no longer matches', () => {
  it('is stale as soon as the CDB, data phase, LUN or device changes, and the sense pointer goes', async () => {
    const store = await storeOn('emu:spc2-bridge');
    store.getState().setHex('12 00 00 24 00 00');
    await store.getState().send();
    expect(selectStale(store.getState())).toBeUndefined();
    expect(selectPointedByte(store.getState())).toBe(3);
    store.getState().setTransfer('in', 40);
    expect(selectStale(store.getState())).toMatch(/the data phase changed/);
    store.getState().setTransfer('in', 36);
    store.getState().setHex('12 00 00 00 24 00');
    expect(selectStale(store.getState())).toMatch(
      /^Stale: this answers 12 00 00 24 00 00 as sent before; the CDB is now 12 00 00 00 24 00\.$/,
    );
    expect(selectPointedByte(store.getState())).toBeUndefined();
    store.getState().setHex('12 00 00 24 00 00');
    // Data-out typed in the editor that does not parse is no longer what was sent either.
    store.getState().setDataOutHex('de ad 0g');
    expect(selectStale(store.getState())).toMatch(
      /^Stale: this answers 12 00 00 24 00 00 as sent before; the editor's data-out hex does not parse\.$/,
    );
    store.getState().setDataOutHex('');
    store.getState().pickDevice('emu:flash-stick');
    expect(selectStale(store.getState())).toMatch(/another device is picked/);
  });
});

describe('a residue the device misreports', () => {
  it('flags the SATA bridge’s residue 0 on a short INQUIRY and counts what arrived', async () => {
    const store = await storeOn('emu:sata-bridge');
    store.getState().setHex('12 00 00 00 ff 00');
    store.getState().setTransfer('in', 255);
    await store.getState().send();
    const count = selectDataInCount(store.getState());
    // The bridge pads to 255 and reports residue 0; INQUIRY's ADDITIONAL LENGTH says 96.
    expect(count).toMatchObject({ asked: 255, received: 255, arrived: 96 });
    expect(count?.shown.length).toBe(255);
    expect(count?.residueProblem).toMatch(
      /residue 0 — all 255 bytes sent — but its answer is 96 bytes by its INQUIRY ADDITIONAL LENGTH \(byte 4\): bytes 96–254 are padding/,
    );
  });

  it('does not flag a device whose residue matches what it sent', async () => {
    const store = await storeOn('emu:spc2-bridge');
    store.getState().setHex('12 00 00 00 ff 00');
    store.getState().setTransfer('in', 255);
    await store.getState().send();
    const count = selectDataInCount(store.getState());
    expect(count?.received).toBeLessThan(255);
    expect(count?.residueProblem).toBeUndefined();
  });
});
