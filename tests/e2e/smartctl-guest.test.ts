/**
 * The SAT bridge against real ATA clients: smartctl (smartmontools) and
 * hdparm in a QEMU guest talk ATA PASS-THROUGH to the emulated sata-bridge
 * through Linux's usb-storage and sg drivers, exported over usbredir. What
 * they report — identity, capacity, SMART attributes and health — is checked
 * against the profile that defines the drive, and a second, failing drive
 * (the same profile with one pre-failure attribute at its threshold) must
 * make smartctl say so.
 */
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/emulator/profile';
import { findProfile } from '../../src-main/emulator/profiles';
import type { CommandResult } from './guest/guest';
import { waitForDisks } from './guest/devices';
import { bootForSuite } from './guest/drives';

function profile(name: string): Profile {
  const p = findProfile(name);
  if (!p?.ata) throw new Error(`no profile ${name} with an ATA device`);
  return p;
}

const sat = profile('sata-bridge');
const ata =
  sat.ata ??
  (() => {
    throw new Error('sata-bridge has no ata section');
  })();
/** The same bridge with a worn-out SSD: SSD life left (E7h) down to its threshold. */
const worn: Profile = {
  ...sat,
  usb: { ...sat.usb, serial: '5A7A00000002' },
  inquiry: { ...sat.inquiry, vendor: 'WORNBRG' },
  ata: {
    ...ata,
    serial: 'SSD5A7A0002',
    attributes: ata.attributes.map((a) => (a.id === 0xe7 ? { ...a, current: a.threshold } : a)),
  },
};

const DISK = '$(usbdisk SATABRG sg)';
const WORN = '$(usbdisk WORNBRG sg)';
const COMMANDS = {
  wait: waitForDisks(['SATABRG', 'WORNBRG']),
  all: `smartctl -d sat -a ${DISK}`,
  health: `smartctl -d sat -H ${DISK}`,
  sat12: `smartctl -d sat,12 -i ${DISK}`,
  power: `smartctl -d sat -n standby -i ${DISK} | grep -i 'power mode'`,
  hdparm: `hdparm -I ${DISK}`,
  failing: `smartctl -d sat -H ${WORN}`,
  directory: `smartctl -d sat -l directory ${DISK}`,
};
const suite = bootForSuite([sat, worn], Object.values(COMMANDS));

const result = (key: keyof typeof COMMANDS): CommandResult => suite.result(COMMANDS[key]);

describe('smartctl and hdparm in a Linux guest against the emulated SAT bridge', () => {
  it('the guest found both bridges and ran every command', () => {
    expect(suite.run().done, suite.run().console.slice(-4000)).toBe(true);
    expect(result('wait').output.trim().split('\n')).toHaveLength(2);
  });

  it('smartctl -a reads the identity the profile defines, with exit status 0', () => {
    const r = result('all');
    expect(r.rc, r.output).toBe(0);
    expect(r.output).toMatch(new RegExp(`Device Model:\\s+${ata.model}\\n`));
    expect(r.output).toMatch(new RegExp(`Serial Number:\\s+${ata.serial}\\s*\\n`));
    expect(r.output).toMatch(new RegExp(`Firmware Version:\\s+${ata.firmware}\\n`));
    const bytes = (sat.blocks * sat.blockSize).toLocaleString('en-US');
    expect(r.output).toMatch(new RegExp(`User Capacity:\\s+${bytes} bytes`));
    expect(r.output).toMatch(/Sector Size:\s+4096 bytes logical/);
    expect(r.output).toMatch(/Rotation Rate:\s+Solid State Device/);
    expect(r.output).toMatch(/ATA Version is:\s+ACS-4/);
    expect(r.output).toMatch(/SMART support is:\s+Enabled/);
    expect(r.output).toMatch(/SMART overall-health self-assessment test result: PASSED/);
  });

  it('smartctl -a lists every SMART attribute with the profile’s values and thresholds', () => {
    const out = result('all').output;
    for (const a of ata.attributes) {
      // ID# NAME FLAG VALUE WORST THRESH TYPE UPDATED WHEN_FAILED RAW_VALUE
      const row = new RegExp(
        `^\\s*${a.id} \\S+\\s+0x${a.flags.toString(16).padStart(4, '0')}\\s+0*${a.current}\\s+0*${a.worst}\\s+0*${a.threshold}\\s+(Pre-fail|Old_age)\\s+\\S+\\s+-\\s+${a.raw}\\b`,
        'm',
      );
      expect(out).toMatch(row);
    }
  });

  it('smartctl -H: PASSED, exit status 0; the worn drive: FAILED!, exit status with bit 3 set', () => {
    const h = result('health');
    expect(h.rc, h.output).toBe(0);
    expect(h.output).toMatch(/test result: PASSED/);
    const f = result('failing');
    expect(f.output).toMatch(/test result: FAILED!/);
    // smartctl's exit status bit 3: "SMART status check returned DISK FAILING".
    expect(f.rc & 0x08).toBe(0x08);
  });

  it('ATA PASS-THROUGH(12) works too (smartctl -d sat,12)', () => {
    const r = result('sat12');
    expect(r.rc, r.output).toBe(0);
    expect(r.output).toMatch(new RegExp(`Serial Number:\\s+${ata.serial}\\s*\\n`));
  });

  it('CHECK POWER MODE: the drive is active or idle', () => {
    expect(result('power').output).toMatch(/Power mode is:\s+ACTIVE or IDLE/);
  });

  it('the log directory (log 00h) reads through both SMART READ LOG and READ LOG EXT', () => {
    const r = result('directory');
    expect(r.rc, r.output).toBe(0);
    expect(r.output).toMatch(/General Purpose Log Directory Version 1/);
    expect(r.output).toMatch(/SMART\s+Log Directory Version 1/);
    expect(r.output).toMatch(/0x00\s+GPL,SL\s+R\/O\s+1\s+Log Directory/);
  });

  it('hdparm -I decodes the same IDENTIFY DEVICE data', () => {
    const r = result('hdparm');
    expect(r.rc, r.output).toBe(0);
    expect(r.output).toMatch(new RegExp(`Model Number:\\s+${ata.model}\\s*\\n`));
    expect(r.output).toMatch(new RegExp(`Serial Number:\\s+${ata.serial}\\s*\\n`));
    expect(r.output).toMatch(new RegExp(`Firmware Revision:\\s+${ata.firmware}\\s*\\n`));
    expect(r.output).toMatch(new RegExp(`LBA48\\s+user addressable sectors:\\s+${sat.blocks}\\n`));
    expect(r.output).toMatch(new RegExp(`LBA\\s+user addressable sectors:\\s+${sat.blocks}\\n`));
    expect(r.output).toMatch(/Logical\s+Sector size:\s+4096 bytes/);
    // Major version word 80: ACS-4 is bit 11.
    expect(r.output).toMatch(/Likely used: 11\n/);
    expect(r.output).toMatch(/Nominal Media Rotation Rate: Solid State Device/);
    expect(r.output).toMatch(/\*\s+SMART feature set/);
    expect(r.output).toMatch(/Data Set Management TRIM supported/);
    expect(r.output).toMatch(/Checksum: correct/);
  });

  it('logged nothing alarming: no closed connection, no refused peer', () => {
    expect(suite.logs.filter((l) => /closing|refused/.test(l))).toEqual([]);
  });
});
