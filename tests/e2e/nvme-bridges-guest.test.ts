/**
 * The NVMe bridges against a real client: smartctl (smartmontools) in a
 * QEMU guest reads the emulated NVMe SSDs through Linux's usb-storage and
 * sg drivers, exported over usbredir, with `-d sntasmedia` (ASMedia E6h)
 * `-d sntrealtek` (Realtek E4h) and `-d sntjmicron` (JMicron A1h, three
 * phases). smartctl picks the bridge by the CDBs
 * it sends, so what it reports — identity, capacity and health — is only
 * right when the emulated answers follow docs/bridges.md byte for byte; each is
 * checked against the profile that defines the drive.
 */
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/emulator/profile';
import { findProfile } from '../../src-main/emulator/profiles';
import type { CommandResult } from './guest/guest';
import { waitForDisks } from './guest/devices';
import { bootForSuite } from './guest/drives';

function profile(name: string): Profile & { nvme: NonNullable<Profile['nvme']> } {
  const p = findProfile(name);
  if (!p?.nvme) throw new Error(`no profile ${name} with an NVMe SSD`);
  return { ...p, nvme: p.nvme };
}

const BRIDGES = [
  { key: 'asmedia', type: 'sntasmedia', profile: profile('asmedia-nvme') },
  { key: 'realtek', type: 'sntrealtek', profile: profile('realtek-nvme') },
  { key: 'jmicron', type: 'sntjmicron', profile: profile('jmicron-nvme') },
] as const;
const disk = (p: Profile): string => `$(usbdisk ${p.inquiry.vendor} sg)`;
const COMMANDS: Record<string, string> = {
  wait: waitForDisks(BRIDGES.map((b) => b.profile.inquiry.vendor)),
  ...Object.fromEntries(
    BRIDGES.map((b) => [b.key, `smartctl -d ${b.type} -a ${disk(b.profile)}`] as const),
  ),
};
const suite = bootForSuite(
  BRIDGES.map((b) => b.profile),
  Object.values(COMMANDS),
);

const result = (key: string): CommandResult => suite.result(COMMANDS[key] ?? key);

/** smartctl's thousands separators (en-US grouping). */
const grouped = (n: number): string => n.toLocaleString('en-US');

describe('smartctl in a Linux guest against the emulated NVMe bridges', () => {
  it('the guest found every bridge and ran every command', () => {
    expect(suite.run().done, suite.run().console.slice(-4000)).toBe(true);
    expect(result('wait').output.trim().split('\n')).toHaveLength(BRIDGES.length);
  });

  for (const { key, type, profile: p } of BRIDGES) {
    const n = p.nvme;
    const s = n.smart;

    it(`smartctl -d ${type} -a: the profile’s model, serial, firmware and capacity, exit status 0`, () => {
      const r = result(key);
      expect(r.rc, r.output).toBe(0);
      expect(r.output).toMatch(new RegExp(`Model Number:\\s+${n.model}\\n`));
      expect(r.output).toMatch(new RegExp(`Serial Number:\\s+${n.serial}\\n`));
      expect(r.output).toMatch(new RegExp(`Firmware Version:\\s+${n.firmware}\\n`));
      const bytes = grouped(p.blocks * p.blockSize);
      expect(r.output).toMatch(new RegExp(`Total NVM Capacity:\\s+${bytes} \\[`));
      expect(r.output).toMatch(new RegExp(`Namespace 1 Size/Capacity:\\s+${bytes} \\[`));
      expect(r.output).toMatch(new RegExp(`Namespace 1 Formatted LBA Size:\\s+${p.blockSize}\\n`));
      expect(r.output).toMatch(/Number of Namespaces:\s+1\n/);
    });

    it(`smartctl -d ${type} -a: health PASSED and the SMART / Health log’s values`, () => {
      const out = result(key).output;
      expect(out).toMatch(/SMART overall-health self-assessment test result: PASSED/);
      expect(out).toMatch(/Critical Warning:\s+0x00\n/);
      expect(out).toMatch(new RegExp(`Temperature:\\s+${s.temperatureKelvin - 273} Celsius\\n`));
      expect(out).toMatch(new RegExp(`Available Spare:\\s+${s.availableSpare}%\\n`));
      expect(out).toMatch(
        new RegExp(`Available Spare Threshold:\\s+${s.availableSpareThreshold}%\\n`),
      );
      expect(out).toMatch(new RegExp(`Percentage Used:\\s+${s.percentageUsed}%\\n`));
      expect(out).toMatch(new RegExp(`Data Units Read:\\s+${grouped(s.dataUnitsRead)} \\[`));
      expect(out).toMatch(new RegExp(`Data Units Written:\\s+${grouped(s.dataUnitsWritten)} \\[`));
      expect(out).toMatch(new RegExp(`Host Read Commands:\\s+${grouped(s.hostReadCommands)}\\n`));
      expect(out).toMatch(new RegExp(`Power Cycles:\\s+${grouped(s.powerCycles)}\\n`));
      expect(out).toMatch(new RegExp(`Power On Hours:\\s+${grouped(s.powerOnHours)}\\n`));
      expect(out).toMatch(new RegExp(`Unsafe Shutdowns:\\s+${grouped(s.unsafeShutdowns)}\\n`));
      expect(out).toMatch(
        new RegExp(`Media and Data Integrity Errors:\\s+${grouped(s.mediaErrors)}\\n`),
      );
      expect(out).toMatch(
        new RegExp(`Error Information Log Entries:\\s+${grouped(s.errorLogEntries)}\\n`),
      );
    });
  }

  it('logged nothing alarming: no closed connection, no refused peer', () => {
    expect(suite.logs.filter((l) => /closing|refused/.test(l))).toEqual([]);
  });
});
