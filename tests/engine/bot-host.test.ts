/**
 * What the Bulk-Only host puts on the wire, seen at the pipes: each CBW it sends to an emulated
 * drive is recorded before the drive takes it.
 */
import { describe, expect, it } from 'vitest';
import { decodeCbw } from '../../shared/bot/cbw';
import { MemoryStore } from '../../src-main/emulator/store';
import { BotHost } from '../../src-main/engine/bot-host';
import type { BulkPipes } from '../../src-main/engine/pipes';
import type { CommandRequest } from '../../src-main/engine/transport';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { profile } from './helpers';

/** `pipes` with every 31-byte Bulk-Out transfer (a CBW) copied into `cbws`. */
function recording(pipes: BulkPipes, cbws: Uint8Array[]): BulkPipes {
  return {
    interfaceNumber: pipes.interfaceNumber,
    bulkOut: (data, timeoutMs) => {
      if (data.length === 31) cbws.push(data.slice());
      return pipes.bulkOut(data, timeoutMs);
    },
    bulkIn: (length, timeoutMs, into) => pipes.bulkIn(length, timeoutMs, into),
    control: (setup, dataOrLength, timeoutMs) => pipes.control(setup, dataOrLength, timeoutMs),
    clearHalt: (direction, timeoutMs) => pipes.clearHalt(direction, timeoutMs),
  };
}

const request = (cdb: number[], more: Partial<CommandRequest>): CommandRequest => ({
  cdb: Uint8Array.from(cdb),
  lun: 0,
  direction: 'none',
  transferLength: 0,
  timeoutMs: 5000,
  ...more,
});

describe('the CBWs the Bulk-Only host sends', () => {
  it('sets bmCBWFlags bit 7 only for data-in: 00h with no data, as Linux usb-storage does, 80h for data-in, 00h for data-out', async () => {
    const drive = new ExportedDrive(profile('flash-stick'), new MemoryStore(512, 64), []);
    const cbws: Uint8Array[] = [];
    const host = new BotHost(recording(drive.attach(), cbws));
    // TEST UNIT READY (SPC-5 6.47): no data; the power-on unit attention makes the host follow it
    // with REQUEST SENSE, a data-in command.
    await host.execute(request([0x00, 0, 0, 0, 0, 0], {}));
    // READ(10) of block 0 (SBC-4 5.16), then WRITE(10) of it (SBC-4 5.40).
    await host.execute(
      request([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0], { direction: 'in', transferLength: 512 }),
    );
    await host.execute(
      request([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0], {
        direction: 'out',
        dataOut: new Uint8Array(512),
      }),
    );
    drive.close();
    // BOT 1.0 §5.1: bmCBWFlags bit 7 is the direction, 0 = Data-Out, 1 = Data-In; the device
    // ignores it when dCBWDataTransferLength is 0, and hosts send 0 then.
    expect(cbws.map((c) => [c[15], c[12]])).toEqual([
      [0x00, 0x00],
      [0x03, 0x80],
      [0x28, 0x80],
      [0x2a, 0x00],
    ]);
    expect(cbws.every((c) => decodeCbw(c).ok)).toBe(true);
  });
});
