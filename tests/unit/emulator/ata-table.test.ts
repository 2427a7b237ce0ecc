/**
 * The emulated ATA drive's command table: keyed by the `sat` set's ATA
 * command names, with code, SMART FEATURES, direction and length taken from
 * the sub-catalog rows.
 */
import { describe, expect, it } from 'vitest';
import {
  ATA_COMMAND_NAMES,
  ataCommandNamed,
  ataResponseLayout,
} from '../../../shared/scsi/ata-commands';
import {
  ATA_BEHAVIOURS,
  ATA_COMMANDS,
  implementedCommand,
  type AtaBehaviour,
  type AtaBehaviourTable,
} from '../../../src-main/emulator/ata/device';
import type { AtaInputs } from '../../../src-main/emulator/ata/registers';
import { ataInputs } from './ata-inputs';

const inputs = ataInputs;

describe('the emulated drive’s ATA command table', () => {
  it('is keyed by the sub-catalog’s names, so a misspelt name does not compile', () => {
    // @ts-expect-error 'IDENTIFY DRIVE' is not an ATA command of the sat set.
    const misspelt: AtaBehaviour | undefined = ATA_BEHAVIOURS['IDENTIFY DRIVE'];
    expect(misspelt).toBeUndefined();
    const identify = ATA_BEHAVIOURS['IDENTIFY DEVICE'] ?? expect.fail('no IDENTIFY DEVICE');
    // @ts-expect-error a table entry must name an ATA command of the sat set.
    const table: AtaBehaviourTable = { 'SMART READ ATTRIBUTES': identify };
    expect(Object.keys(table)).toEqual(['SMART READ ATTRIBUTES']);
  });

  it('takes each command’s code, SMART FEATURES and direction from its sub-catalog row, in its order', () => {
    const implemented = ATA_COMMAND_NAMES.filter((n) => ATA_BEHAVIOURS[n] !== undefined);
    expect(ATA_COMMANDS.map((c) => c.name)).toEqual(implemented);
    for (const c of ATA_COMMANDS) {
      const row = ataCommandNamed(c.name);
      expect([c.code, c.feature], c.name).toEqual([row.code, row.features]);
      expect(c.transfer, c.name).toBe(row.protocol === 'non-data' ? 'none' : 'in');
    }
    expect(ATA_COMMANDS.find((c) => c.name === 'SMART READ DATA')).toMatchObject({
      code: 0xb0,
      feature: 0xd0,
    });
  });

  it('moves the row’s blocks × 512 bytes, COUNT × 512 for a log, sectors of the drive for a read', () => {
    const bytes = (name: string, i: AtaInputs, sectorSize = 4096): number =>
      (ATA_COMMANDS.find((c) => c.name === name) ?? expect.fail(name)).bytes(i, sectorSize);
    expect(bytes('IDENTIFY DEVICE', inputs())).toBe(512);
    expect(bytes('CHECK POWER MODE', inputs())).toBe(0);
    expect(bytes('READ LOG EXT', inputs({ count: 3 }))).toBe(1536);
    // A read's COUNT is in logical sectors, 0 meaning 256 (28-bit) or 65 536 (48-bit) (ACS-4).
    expect(bytes('READ SECTOR(S)', inputs({ count: 2 }))).toBe(8192);
    expect(bytes('READ SECTOR(S)', inputs({ count: 0 }), 512)).toBe(256 * 512);
    expect(bytes('READ DMA EXT', inputs({ count: 0, extend: true }), 512)).toBe(65536 * 512);
  });

  it('refuses to implement a data-out command (the drive has none)', () => {
    const run = (): never => expect.fail('not run');
    expect(() => implementedCommand('WRITE DMA', { run })).toThrow(
      /no data-out command \(WRITE DMA\)/,
    );
    expect(implementedCommand('SMART RETURN STATUS', { run }).transfer).toBe('none');
  });
});

describe('ataResponseLayout', () => {
  it("gives the set's layout for a command that answers with data, and refuses one without", () => {
    const keys = ataResponseLayout('IDENTIFY DEVICE').map((f) => f.key);
    expect(keys).toEqual(
      expect.arrayContaining(['serial', 'model', 'sectors48', 'integrityChecksum']),
    );
    expect(
      ataResponseLayout('SMART READ DATA').find((f) => f.key === 'offlineStatus')?.offset,
    ).toBe(362);
    expect(() => ataResponseLayout('CHECK POWER MODE')).toThrow(
      /declares no response layout for CHECK POWER MODE/,
    );
  });
});
