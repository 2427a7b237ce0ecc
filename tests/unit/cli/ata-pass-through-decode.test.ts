/**
 * `usbcdb raw` and `usbcdb parse --cdb` read an ATA PASS-THROUGH answer by
 * the carried ATA command's layout (the sat set): IDENTIFY DEVICE from the
 * emulated sata-bridge drive, field by field.
 */
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../../shared/scsi/hex';
import { identifyDevice } from '../../../src-main/emulator/ata/identify';
import { findProfile } from '../../../src-main/emulator/profiles';
import { runUsbcdb as run } from '../../cli-run';

/** ATA PASS-THROUGH(16): PIO data-in, one 512-byte block, IDENTIFY DEVICE (ECh). */
const IDENTIFY = '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00';
const profile = findProfile('sata-bridge') ?? expect.fail('no sata-bridge profile');
const ata = profile.ata ?? expect.fail('no ata section');

describe('usbcdb on an ATA PASS-THROUGH answer', () => {
  it('raw decodes the emulated drive’s IDENTIFY DEVICE field by field', async () => {
    const r = await run(['raw', IDENTIFY, '--in', '512', '--device', 'emu:sata-bridge']);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/decoded:/);
    expect(r.out).toMatch(new RegExp(`MODEL NUMBER +${ata.model}`));
    expect(r.out).toMatch(new RegExp(`SERIAL NUMBER +${ata.serial}`));
    expect(r.out).toMatch(new RegExp(`TOTAL ADDRESSABLE SECTORS \\(48-BIT\\) +${profile.blocks} `));
    // Words 117–118 count 16-bit words and word 106 bits 3:0 a power of two (ACS-4): named as sizes.
    expect(r.out).toMatch(
      new RegExp(
        `LOGICAL SECTOR SIZE IN WORDS +${profile.blockSize} bytes \\(${profile.blockSize / 2}\\)`,
      ),
    );
    expect(r.out).toMatch(/LOGICAL SECTORS PER PHYSICAL SECTOR +1 per physical sector \(0\)/);
  });

  it('raw reads an ATA error from fixed-format sense as the drive’s registers, not a failing LBA', async () => {
    // Non-data, ATA command 99h, which the emulated drive does not know: it aborts it (ERR, ABRT).
    const r = await run([
      'raw',
      '85 06 00 00 00 00 00 00 00 00 00 00 00 00 99 00',
      '--device',
      'emu:sata-bridge',
    ]);
    expect(r.out).toMatch(/sense f0 00 0b 04 51 /);
    expect(r.out).toMatch(
      /The drive rejected ATA command 99h: STATUS has ERR set, ERROR is 04h \(ABRT\)/,
    );
    expect(r.out).not.toMatch(/failing LBA|Retry the command/);
    expect(r.out).toMatch(
      /The CDB carries ATA command 99h, a command usbcdb’s ATA table does not describe/,
    );
  });

  it('parse --cdb reads the same bytes given as hex', async () => {
    const bytes = identifyDevice(ata, { sectors: profile.blocks, sectorSize: profile.blockSize });
    const r = await run(['parse', '--cdb', IDENTIFY, formatHex(bytes)]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`FIRMWARE REVISION +${ata.firmware}`));
    expect(r.out).toMatch(/NOMINAL MEDIA ROTATION RATE +non-rotating medium \(1\)/);
    expect(r.out).toMatch(/SMART FEATURE SET SUPPORTED +yes/);
  });
});
