/**
 * Golden vectors from a real client: smartctl (smartmontools) in a QEMU guest
 * reports every CDB it sends (`-r ioctl,1` prints each one's bytes), and the
 * CDB usbcdb builds for the same operation — from the catalog rows (SAT ATA
 * PASS-THROUGH), from a shipped vendor pack's command (by its alias, field
 * defaults plus the values the operation needs) or from the probe's plan —
 * must be the same bytes. A difference is reported byte by byte with the
 * usbcdb fields that cover the byte.
 *
 * One boot with the four emulated bridges. The older ATA families (JMicron
 * DFh, Prolific D8h, Sunplus F8h, Cypress 24h) are pointed at the SAT
 * bridge's disk: the bridge refuses their opcodes (05/20/00), but smartctl has
 * printed the CDB by then. Last, `smartctl --scan-open` and `smartctl -d test`
 * must identify each bridge the way they identify a real one of its family —
 * on Linux by its USB vendor and product ID, through smartctl's drive database.
 */
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/emulator/profile';
import { findProfile } from '../../src-main/emulator/profiles';
import { probePlan } from '../../shared/probe/plan';
import type { AtaCommandName } from '../../shared/scsi/ata-commands';
import { passThroughCdb, type PassThroughRow } from '../../shared/scsi/ata-pass-through-cdb';
import { fieldMaskAt } from '../../shared/scsi/catalog/fields';
import { resolveByName } from '../../shared/scsi/catalog/resolve';
import type { CommandSpec } from '../../shared/scsi/catalog/types';
import { buildCdb, type FieldValues } from '../../shared/scsi/cdb/build';
import { formatHex, hex2, hex4 } from '../../shared/scsi/hex';
import { BUILT_IN_SETS, findVendorSet } from '../../shared/vendor-sets/registry';
import { stepCdb } from '../../shared/vendor-sets/sequence';
import type { CommandResult } from './guest/guest';
import { waitForDisks } from './guest/devices';
import { bootForSuite } from './guest/drives';

function profile(name: string): Profile {
  const p = findProfile(name);
  if (!p) throw new Error(`no profile ${name}`);
  return p;
}

/** The emulated bridges, with the `-d` type smartctl's drive database gives a real one of each. */
const BRIDGES = [
  { profile: profile('sata-bridge'), type: 'sat', info: 'SAT', kind: 'ATA' },
  { profile: profile('asmedia-nvme'), type: 'sntasmedia', info: 'USB NVMe ASMedia', kind: 'NVMe' },
  { profile: profile('jmicron-nvme'), type: 'sntjmicron', info: 'USB NVMe JMicron', kind: 'NVMe' },
  { profile: profile('realtek-nvme'), type: 'sntrealtek', info: 'USB NVMe Realtek', kind: 'NVMe' },
] as const;
const vendorOf = (name: string): string => profile(name).inquiry.vendor;
const sg = (name: string): string => `$(usbdisk ${vendorOf(name)} sg)`;
const SAT = sg('sata-bridge');

const COMMANDS = {
  wait: waitForDisks(BRIDGES.map((b) => b.profile.inquiry.vendor)),
  nodes: BRIDGES.map(
    (b) => `echo ${b.profile.name} $(usbdisk ${b.profile.inquiry.vendor} sd)`,
  ).join('; '),
  sat16: `smartctl -r ioctl,1 -d sat -i -H -A ${SAT}`,
  sat12: `smartctl -r ioctl,1 -d sat,12 -i -H -A ${SAT}`,
  asmedia: `smartctl -r ioctl,1 -d sntasmedia -i -A ${sg('asmedia-nvme')}`,
  realtek: `smartctl -r ioctl,1 -d sntrealtek -i -A ${sg('realtek-nvme')}`,
  jmicronNvme: `smartctl -r ioctl,1 -d sntjmicron -i -A ${sg('jmicron-nvme')}`,
  // Without a port smartctl first reads the bridge register that says which port has a disk.
  jmicronPorts: `smartctl -r ioctl,1 -d usbjmicron -i ${SAT}`,
  jmicronAta: `smartctl -r ioctl,1 -d usbjmicron,0 -i ${SAT}`,
  prolific: `smartctl -r ioctl,1 -d usbprolific -i ${SAT}`,
  sunplus: `smartctl -r ioctl,1 -d usbsunplus -i ${SAT}`,
  cypress: `smartctl -r ioctl,1 -d usbcypress -i ${SAT}`,
  scan: 'smartctl --scan-open',
  test: BRIDGES.map((b) => `smartctl -d test $(usbdisk ${b.profile.inquiry.vendor} sd)`).join('; '),
};
type CommandKey = keyof typeof COMMANDS;

const suite = bootForSuite(
  BRIDGES.map((b) => b.profile),
  Object.values(COMMANDS),
);

const result = (key: CommandKey): CommandResult => suite.result(COMMANDS[key]);

// ---------------------------------------------------------------------------
// What smartctl sent.

/** One CDB in smartctl's `-r ioctl` report, with the operation it was sent for. */
interface SentCdb {
  /**
   * The ATA command smartctl's report names (`IDENTIFY DEVICE`, `SMART READ ATTRIBUTE VALUES`),
   * or an NVMe call as `nvme opcode=0x06 nsid=0x00000000 cdw10=0x00000001`; '' before either.
   */
  readonly operation: string;
  readonly cdb: Uint8Array;
}

/**
 * The CDBs in smartctl's report, in the order sent. smartctl 7.3 on Linux
 * prints each as ` [NAME: 85 08 0e … ]` before sending it; an ATA command is
 * announced by `REPORT-IOCTL: Device=… Command=NAME`, an NVMe call by
 * ` [NVMe call: opcode=…, size=…, nsid=…, cdw10=…]`.
 */
function sentCdbs(output: string): SentCdb[] {
  const sent: SentCdb[] = [];
  let operation = '';
  for (const line of output.split('\n')) {
    const ata = /^REPORT-IOCTL: Device=\S+ Command=(.+?)$/.exec(line);
    if (ata?.[1] && !/ returned /.test(line)) operation = ata[1];
    const nvme = /^ \[NVMe call: opcode=(0x\w+), size=0x\w+, nsid=(0x\w+), cdw10=(0x\w+)\]$/.exec(
      line,
    );
    if (nvme) operation = `nvme opcode=${nvme[1]} nsid=${nvme[2]} cdw10=${nvme[3]}`;
    const cdb = /^ \[[^\]:]+: ((?:[0-9a-f]{2} )+)\]$/.exec(line);
    if (cdb?.[1])
      sent.push({
        operation,
        cdb: Uint8Array.from(cdb[1].trim().split(' '), (b) => parseInt(b, 16)),
      });
  }
  return sent;
}

/** The `occurrence`-th CDB `key`'s smartctl run sent for `operation`; fails naming what it did send. */
function smartctlCdb(key: CommandKey, operation: string, occurrence = 0): Uint8Array {
  const sent = sentCdbs(result(key).output);
  const found = sent.filter((s) => s.operation === operation)[occurrence];
  if (!found)
    throw new Error(
      `smartctl (${COMMANDS[key]}) sent no CDB for ${operation}; it sent:\n${sent.map((s) => `${s.operation}: ${formatHex(s.cdb)}`).join('\n')}`,
    );
  return found.cdb;
}

// ---------------------------------------------------------------------------
// What usbcdb builds.

interface Built {
  /** The row the CDB is built from, to name the fields a difference falls in (none: written out by hand). */
  readonly spec?: CommandSpec;
  readonly cdb: Uint8Array;
}

/** `name` (a catalog alias or a shipped pack's command alias) built from `values` over its defaults. */
function usbcdbCdb(name: string, values: FieldValues = {}): Built {
  const resolved = resolveByName(name, BUILT_IN_SETS);
  if (!resolved) throw new Error(`usbcdb knows no command ${name}`);
  const built = buildCdb(resolved.spec, values);
  if (!built.ok) throw new Error(`${name}: ${built.error.message}`);
  return { spec: resolved.spec, cdb: built.value };
}

/** The CDB of a probe step (shared/probe/plan.ts), with the catalog row it is built from. */
function probeStepCdb(id: string, catalogName: string): Built {
  const step = probePlan(undefined).steps.find((s) => s.id === id);
  if (!step) throw new Error(`the probe plan has no step ${id}`);
  const spec = resolveByName(catalogName)?.spec;
  if (!spec) throw new Error(`the catalog has no ${catalogName}`);
  return { spec, cdb: Uint8Array.from(step.cdb) };
}

/**
 * The bytes where the two CDBs differ, each with the usbcdb fields covering
 * the differing bits: `byte 2 (T_DIR, BYT_BLOK): smartctl 2ch, usbcdb 20h`.
 * Empty when they are equal.
 */
function differences(smartctl: Uint8Array, usbcdb: Built): string[] {
  const out: string[] = [];
  if (smartctl.length !== usbcdb.cdb.length)
    out.push(`length: smartctl ${smartctl.length} bytes, usbcdb ${usbcdb.cdb.length}`);
  for (let i = 0; i < Math.max(smartctl.length, usbcdb.cdb.length); i++) {
    const a = smartctl[i];
    const b = usbcdb.cdb[i];
    if (a === b) continue;
    const bits = (a ?? 0) ^ (b ?? 0);
    const fields = (usbcdb.spec?.fields ?? [])
      .filter((f) => (fieldMaskAt(f, i) & bits) !== 0)
      .map((f) => f.name);
    const show = (v: number | undefined): string => (v === undefined ? 'none' : `${hex2(v)}h`);
    out.push(
      `byte ${i} (${fields.length > 0 ? fields.join(', ') : 'no field'}): smartctl ${show(a)}, usbcdb ${show(b)}`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------
// The golden vectors: one row per operation and family.

/** ATA PASS-THROUGH (`row`) carrying the `sat` set's ATA command `name`, as usbcdb builds it. */
function satCdb(row: PassThroughRow, name: AtaCommandName, registers: FieldValues = {}): Built {
  const built = passThroughCdb(row, name, registers);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

/** The SMART signature in LBA mid/high (ACS-4, SMART feature set). */
const SMART_SIGNATURE = { lba1: 0x4f, lba2: 0xc2 };

interface Golden {
  readonly family: string;
  readonly operation: string;
  readonly run: CommandKey;
  /** smartctl's name of the operation in its report (`SentCdb.operation`); '' for its first CDB. */
  readonly reported: string;
  /** Which of the CDBs smartctl sent for the operation (0: the first). */
  readonly occurrence?: number;
  readonly usbcdb: () => Built;
}

function satRows(run: 'sat16' | 'sat12', row: 'ata16' | 'ata12'): Golden[] {
  const family =
    run === 'sat16' ? 'SAT ATA PASS-THROUGH(16) (-d sat)' : 'SAT ATA PASS-THROUGH(12) (-d sat,12)';
  return [
    {
      family,
      operation: 'IDENTIFY DEVICE',
      run,
      reported: 'IDENTIFY DEVICE',
      usbcdb: () => satCdb(row, 'IDENTIFY DEVICE'),
    },
    {
      family,
      operation: 'SMART READ DATA',
      run,
      reported: 'SMART READ ATTRIBUTE VALUES',
      usbcdb: () => satCdb(row, 'SMART READ DATA', SMART_SIGNATURE),
    },
    {
      family,
      operation: 'SMART READ THRESHOLDS',
      run,
      reported: 'SMART READ ATTRIBUTE THRESHOLDS',
      // smartctl puts 01h in LBA low, as ATA-3 asked (the register is reserved since).
      usbcdb: () => satCdb(row, 'SMART READ THRESHOLDS', { ...SMART_SIGNATURE, lba0: 0x01 }),
    },
    {
      family,
      operation: 'SMART RETURN STATUS',
      run,
      reported: 'SMART STATUS CHECK',
      usbcdb: () => satCdb(row, 'SMART RETURN STATUS', SMART_SIGNATURE),
    },
  ];
}

const nvme = (opcode: number, nsid: number, cdw10: number): string =>
  `nvme opcode=0x${hex2(opcode)} nsid=0x${nsid.toString(16).padStart(8, '0')} cdw10=0x${cdw10.toString(16).padStart(8, '0')}`;
const IDENTIFY_CONTROLLER = nvme(0x06, 0, 0x01);
const IDENTIFY_NAMESPACE = nvme(0x06, 1, 0x00);
/** Get Log Page 02h, 512 bytes: NUMDL 127 (dwords − 1) in CDW10 31:16. */
const SMART_LOG = nvme(0x02, 0xffffffff, 0x007f0002);

/** Step `step` of the jmicron-nvme set's sequence `alias`, planned as the sequence runner plans it. */
function jmicronStep(alias: string, step: number): Built {
  const set = findVendorSet('jmicron-nvme');
  const sequence = set?.sequences.find((q) => q.alias === alias);
  if (!set || !sequence) throw new Error(`no built-in sequence ${alias}`);
  // Steps that take nothing from earlier ones plan without their results.
  const planned = stepCdb(set, sequence, step, []);
  if (!planned.ok) throw new Error(planned.error.message);
  return { spec: planned.value.spec, cdb: planned.value.cdb };
}

const GOLDEN: readonly Golden[] = [
  ...satRows('sat16', 'ata16'),
  ...satRows('sat12', 'ata12'),
  {
    family: 'SAT, usbcdb probe (-d sat)',
    operation: 'IDENTIFY DEVICE (probe step sat-identify)',
    run: 'sat16',
    reported: 'IDENTIFY DEVICE',
    usbcdb: () => probeStepCdb('sat-identify', 'ata16'),
  },
  {
    family: 'SAT, usbcdb probe (-d sat)',
    operation: 'SMART RETURN STATUS (probe step sat-smart-status)',
    run: 'sat16',
    reported: 'SMART STATUS CHECK',
    usbcdb: () => probeStepCdb('sat-smart-status', 'ata16'),
  },
  ...(
    [
      ['identify-controller', 'Identify Controller', IDENTIFY_CONTROLLER],
      ['identify-namespace', 'Identify Namespace 1', IDENTIFY_NAMESPACE],
      ['smart-log', 'Get Log Page 02h (SMART / Health)', SMART_LOG],
    ] as const
  ).flatMap(([alias, operation, reported]): Golden[] => [
    {
      family: 'ASMedia NVMe E6h (-d sntasmedia)',
      operation,
      run: 'asmedia',
      reported,
      usbcdb: () => usbcdbCdb(`asmedia.${alias}`),
    },
    {
      family: 'Realtek NVMe E4h (-d sntrealtek)',
      operation,
      run: 'realtek',
      reported,
      usbcdb: () => usbcdbCdb(`realtek.${alias}`),
    },
  ]),
  {
    family: 'JMicron ATA DFh (-d usbjmicron)',
    operation: 'bridge register read 720Fh (which port has a disk)',
    run: 'jmicronPorts',
    reported: '',
    usbcdb: () => usbcdbCdb('jmicron-ata.read-register', { address: 0x720f, transferLength: 1 }),
  },
  {
    family: 'JMicron ATA DFh (-d usbjmicron,0)',
    operation: 'IDENTIFY DEVICE',
    run: 'jmicronAta',
    reported: 'IDENTIFY DEVICE',
    usbcdb: () => usbcdbCdb('jmicron-ata.identify'),
  },
  {
    family: 'Prolific ATA D8h (-d usbprolific)',
    operation: 'IDENTIFY DEVICE',
    run: 'prolific',
    reported: 'IDENTIFY DEVICE',
    usbcdb: () => usbcdbCdb('prolific.identify'),
  },
  {
    family: 'Sunplus ATA F8h (-d usbsunplus)',
    operation: 'IDENTIFY DEVICE',
    run: 'sunplus',
    reported: 'IDENTIFY DEVICE',
    usbcdb: () => usbcdbCdb('sunplus.identify'),
  },
  {
    family: 'Cypress ATACB 24h (-d usbcypress)',
    operation: 'IDENTIFY DEVICE',
    run: 'cypress',
    reported: 'IDENTIFY DEVICE',
    usbcdb: () => usbcdbCdb('cypress.identify'),
  },
  ...(
    [
      ['identify-controller', 'Identify Controller', IDENTIFY_CONTROLLER],
      ['identify-namespace', 'Identify Namespace 1', IDENTIFY_NAMESPACE],
      ['smart-log', 'Get Log Page 02h (SMART / Health)', SMART_LOG],
    ] as const
  ).flatMap(([alias, operation, reported]) =>
    ['command block out', 'data in', 'completion in'].map((phase, step): Golden => ({
      family: 'JMicron NVMe A1h (-d sntjmicron)',
      operation: `${operation}, phase ${step + 1} (${phase})`,
      run: 'jmicronNvme',
      reported,
      occurrence: step,
      usbcdb: () => jmicronStep(`jmicron-nvme.${alias}`, step),
    })),
  ),
];

describe('smartctl in a Linux guest: the CDBs it sends are the ones usbcdb builds', () => {
  it('the guest found all four bridges and ran every command', () => {
    expect(suite.run().done, suite.run().console.slice(-4000)).toBe(true);
    expect(result('wait').output.trim().split('\n')).toHaveLength(BRIDGES.length);
  });

  it('smartctl read the SAT and NVMe bridges without an error (exit status 0)', () => {
    for (const key of ['sat16', 'sat12', 'asmedia', 'realtek', 'jmicronNvme'] as const) {
      const r = result(key);
      expect(r.rc, `${r.command}\n${r.output}`).toBe(0);
    }
    expect(result('sat16').output).toMatch(
      /SMART overall-health self-assessment test result: PASSED/,
    );
    expect(result('sat12').output).toMatch(
      /SMART overall-health self-assessment test result: PASSED/,
    );
  });

  for (const g of GOLDEN)
    it(`${g.family}, ${g.operation}: the same bytes`, () => {
      const smartctl = smartctlCdb(g.run, g.reported, g.occurrence);
      const usbcdb = g.usbcdb();
      expect(
        differences(smartctl, usbcdb),
        `smartctl ${formatHex(smartctl)}\nusbcdb   ${formatHex(usbcdb.cdb)}`,
      ).toEqual([]);
    });
});

describe('the older ATA bridge families against a bridge that is not one of theirs', () => {
  for (const key of ['jmicronPorts', 'jmicronAta', 'prolific', 'sunplus', 'cypress'] as const)
    it(`${COMMANDS[key].split(' ').slice(3, 5).join(' ')}: the SAT bridge refuses the opcode (05/20/00) and smartctl gives up`, () => {
      const r = result(key);
      expect(sentCdbs(r.output).length, r.output).toBeGreaterThan(0);
      expect(r.output).toMatch(/status=2: sense_key=5 asc=20 ascq=0/);
      expect(r.rc, r.output).not.toBe(0);
    });
});

describe('smartctl --scan-open and -d test identify each bridge as a real one of its family', () => {
  /** Each bridge's block node in the guest, by profile name. */
  const nodes = (): Map<string, string> =>
    new Map(
      result('nodes')
        .output.trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    );

  for (const b of BRIDGES) {
    it(`${b.profile.name} (USB ${hex4(b.profile.usb.vendorId)}:${hex4(b.profile.usb.productId)}) is -d ${b.type}`, () => {
      const sd = nodes().get(b.profile.name);
      expect(sd, result('nodes').output).toMatch(/^\/dev\/sd[a-z]$/);
      expect(result('scan').output).toContain(
        `${sd} -d ${b.type} # ${sd} [${b.info}], ${b.kind} device\n`,
      );
      expect(result('test').output).toContain(
        `${sd} [${b.info}]: Device of type '${b.type}' [${b.kind}] detected\n`,
      );
      expect(result('test').output).toContain(
        `${sd} [${b.info}]: Device of type '${b.type}' [${b.kind}] opened\n`,
      );
    });
  }

  it('smartctl names no unknown USB bridge', () => {
    expect(result('test').output).not.toMatch(/Unknown USB bridge/);
  });
});

describe('the exporter', () => {
  it('logged nothing alarming: no closed connection, no refused peer', () => {
    expect(suite.logs.filter((l) => /closing|refused/.test(l))).toEqual([]);
  });
});
