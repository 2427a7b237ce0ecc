/**
 * The confirmation policy over every operation code. The expectations are
 * written here from the standards (SPC-5 and SBC-4 command lists, SAT-4 for
 * ATA PASS-THROUGH), not read from the catalog, so a row declared with the
 * wrong effect — or a command missing from the catalog — fails this table.
 */
import { describe, expect, it } from 'vitest';
import { confirmationNeeded } from '../../../shared/scsi/confirm-policy';
import type { CommandSpec } from '../../../shared/scsi/catalog';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { findVendorSet } from '../../../shared/vendor-sets/registry';
import { asOpcode } from '../../../shared/scsi/brand';

/** Commands that write, erase or replace: confirmation whatever the data phase. */
const ALWAYS_CONFIRM: readonly (readonly [number, string])[] = [
  [0x04, 'FORMAT UNIT'], // SBC-4: rewrites every block
  [0x0a, 'WRITE(6)'],
  [0x2a, 'WRITE(10)'],
  [0x2e, 'WRITE AND VERIFY(10)'],
  [0x38, 'FORMAT WITH PRESET'], // SBC-4: formats from the CDB alone, no data-out
  [0x3b, 'WRITE BUFFER'], // SPC-5: download microcode modes
  [0x3f, 'WRITE LONG(10)'], // SBC-4: WR_UNCOR marks a block unreadable with no data-out
  [0x41, 'WRITE SAME(10)'],
  [0x42, 'UNMAP'],
  [0x48, 'SANITIZE'],
  [0x85, 'ATA PASS-THROUGH(16)'], // SAT-4: any ATA command, writes and erases included
  [0x89, 'COMPARE AND WRITE'],
  [0x8a, 'WRITE(16)'],
  [0x8e, 'WRITE AND VERIFY(16)'],
  [0x93, 'WRITE SAME(16)'], // NDOB=1 writes zeros with no data-out
  [0xa1, 'ATA PASS-THROUGH(12)'],
  [0xaa, 'WRITE(12)'],
  [0xae, 'WRITE AND VERIFY(12)'],
  [0xb5, 'SECURITY PROTOCOL OUT'], // TCG Revert, ATA SECURITY ERASE UNIT
];

/** Commands that read, or change only state and settings: never confirmation, even with data-out. */
const NEVER_CONFIRM: readonly number[] = [
  0x00, // TEST UNIT READY
  0x03, // REQUEST SENSE
  0x08, // READ(6)
  0x12, // INQUIRY
  0x15, // MODE SELECT(6): settings, undone by another MODE SELECT
  0x1a, // MODE SENSE(6)
  0x1b, // START STOP UNIT
  0x1c, // RECEIVE DIAGNOSTIC RESULTS
  0x1d, // SEND DIAGNOSTIC: self-tests do not alter user data (SPC-5)
  0x1e, // PREVENT ALLOW MEDIUM REMOVAL
  0x23, // READ FORMAT CAPACITIES
  0x25, // READ CAPACITY(10)
  0x28, // READ(10)
  0x2f, // VERIFY(10)
  0x35, // SYNCHRONIZE CACHE(10)
  0x3c, // READ BUFFER(10)
  0x4c, // LOG SELECT
  0x4d, // LOG SENSE
  0x55, // MODE SELECT(10)
  0x5a, // MODE SENSE(10)
  0x88, // READ(16)
  0x8f, // VERIFY(16)
  0x91, // SYNCHRONIZE CACHE(16)
  0xa0, // REPORT LUNS
  0xa2, // SECURITY PROTOCOL IN
  0xa8, // READ(12)
  0xaf, // VERIFY(12)
];

/** Everything else (reserved, vendor specific, uncatalogued, or a service-action opcode with SA 00h): confirmation only with data-out. */
function expected(opcode: number, dataOut: number): boolean {
  if (ALWAYS_CONFIRM.some(([op]) => op === opcode)) return true;
  if (NEVER_CONFIRM.includes(opcode)) return false;
  return dataOut > 0;
}

function cdb(...bytes: number[]): Uint8Array {
  const c = new Uint8Array(16);
  c.set(bytes);
  return c;
}

describe('confirmationNeeded over every opcode 00h–FFh', () => {
  for (const dataOut of [0, 512]) {
    it(`decides each of the 256 opcodes as the standards say, with ${dataOut} bytes of data-out`, () => {
      const wrong: string[] = [];
      for (let op = 0; op <= 0xff; op++) {
        const got = confirmationNeeded(cdb(op), { dataOutLength: dataOut }).needed;
        if (got !== expected(op, dataOut))
          wrong.push(`${op.toString(16).padStart(2, '0')}h: ${got ? 'gated' : 'not gated'}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('names the command and its opcode in the reason', () => {
    for (const [op, name] of ALWAYS_CONFIRM) {
      const c = confirmationNeeded(cdb(op), { dataOutLength: 0 });
      // A pass-through's reason names the ATA command it carries between the two.
      expect(c.needed && /^(.+?)( carrying .+)? can /.exec(c.reason)?.[1], name).toBe(name);
      expect(c.needed && c.reason, name).toContain(
        `opcode ${op.toString(16).toUpperCase().padStart(2, '0')}h`,
      );
    }
  });

  it('explains a WRITE AND VERIFY(10) and a WRITE BUFFER in words', () => {
    expect(confirmationNeeded(cdb(0x2e, 0, 0, 0, 0, 0, 0, 0, 1), { dataOutLength: 512 })).toEqual({
      needed: true,
      reason: 'WRITE AND VERIFY(10) can overwrite or erase user data on the medium (opcode 2Eh).',
    });
    expect(confirmationNeeded(cdb(0x3b, 0x05), { dataOutLength: 4096 })).toMatchObject({
      reason: expect.stringMatching(/^WRITE BUFFER can replace or activate the device's firmware/),
    });
  });
});

describe('ATA PASS-THROUGH and the ATA command it carries (SAT-4; ACS-4 command effects)', () => {
  // T_DIR=1, BYT_BLOK=1, T_LENGTH=2 (COUNT), COUNT 1; PROTOCOL 4 (PIO data-in) unless given.
  const pt16 = (command: number, features = 0, protocol = 4): Uint8Array =>
    cdb(0x85, protocol << 1, 0x0e, 0, features, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, command);

  it('sends IDENTIFY DEVICE and the SMART reads through 85h without confirmation', () => {
    for (const [command, features, protocol] of [
      [0xec, 0, 4], // IDENTIFY DEVICE, PIO data-in
      [0xb0, 0xd0, 4], // SMART READ DATA
      [0xb0, 0xda, 3], // SMART RETURN STATUS, non-data
      [0x2f, 0, 4], // READ LOG EXT
      [0x25, 0, 6], // READ DMA EXT, DMA
      [0x25, 0, 10], // READ DMA EXT, UDMA data-in
    ] as const)
      expect(confirmationNeeded(pt16(command, features, protocol), { dataOutLength: 0 })).toEqual({
        needed: false,
      });
  });

  it('gates a known command under a PROTOCOL it does not run with: resets, diagnostics, return response (SAT-4)', () => {
    expect(confirmationNeeded(pt16(0xec, 0, 0), { dataOutLength: 0 })).toEqual({
      needed: true,
      reason:
        'ATA PASS-THROUGH(16) with PROTOCOL 0 (ATA hardware reset) does not run the IDENTIFY DEVICE (ECh) it carries the way that command runs (PROTOCOL 4 (PIO data-in)), so usbcdb cannot say what it does to the drive (opcode 85h).',
    });
    for (const protocol of [1, 8, 9, 12, 15])
      expect(
        confirmationNeeded(pt16(0xec, 0, protocol), { dataOutLength: 0 }).needed,
        `PROTOCOL ${protocol}`,
      ).toBe(true);
    // SMART RETURN STATUS is non-data: under PIO data-in the bridge is asked for a transfer it does not run.
    expect(confirmationNeeded(pt16(0xb0, 0xda, 4), { dataOutLength: 0 })).toMatchObject({
      needed: true,
      reason: expect.stringContaining(
        'does not run the SMART RETURN STATUS (B0h/DAh) it carries the way that command runs (PROTOCOL 3 (non-data))',
      ),
    });
    expect(confirmationNeeded(pt16(0x25, 0, 4), { dataOutLength: 0 })).toMatchObject({
      reason: expect.stringContaining('(PROTOCOL 6 (DMA) or PROTOCOL 10 (UDMA data-in))'),
    });
  });

  it('gates a write, an erase, a SMART sub-command it does not know and any ATA command it does not know', () => {
    expect(confirmationNeeded(pt16(0x35, 0, 6), { dataOutLength: 0 })).toEqual({
      needed: true,
      reason:
        'ATA PASS-THROUGH(16) carrying WRITE DMA EXT (35h) can overwrite or erase user data on the medium (opcode 85h).',
    });
    expect(confirmationNeeded(pt16(0xf4), { dataOutLength: 0 }).needed).toBe(true);
    // B0h/D6h is SMART WRITE LOG: not in the table, so judged by the row's worst case.
    expect(confirmationNeeded(pt16(0xb0, 0xd6), { dataOutLength: 0 })).toMatchObject({
      needed: true,
      reason: expect.stringMatching(/^ATA PASS-THROUGH\(16\) carrying ATA command B0h can /),
    });
    expect(confirmationNeeded(pt16(0x92), { dataOutLength: 0 }).needed).toBe(true); // DOWNLOAD MICROCODE
  });

  it('blames a write sent with data-out on the write, whatever its PROTOCOL', () => {
    expect(confirmationNeeded(pt16(0x35, 0, 4), { dataOutLength: 512 })).toEqual({
      needed: true,
      reason:
        'ATA PASS-THROUGH(16) carrying WRITE DMA EXT (35h) can overwrite or erase user data on the medium (opcode 85h).',
    });
  });

  it('blames data-out on the reading command that does not take it', () => {
    expect(confirmationNeeded(pt16(0xec), { dataOutLength: 512 })).toEqual({
      needed: true,
      reason:
        'ATA PASS-THROUGH(16) carrying IDENTIFY DEVICE (ECh) is sent with 512 bytes of data-out, which IDENTIFY DEVICE (ECh) does not take, so usbcdb cannot say what the bridge does with them (opcode 85h).',
    });
  });

  it('gates a reading ATA command sent with data-out, and a CDB too short to say what it carries', () => {
    expect(confirmationNeeded(pt16(0xec), { dataOutLength: 512 }).needed).toBe(true);
    expect(confirmationNeeded(pt16(0xec).subarray(0, 12), { dataOutLength: 0 }).needed).toBe(true);
  });

  it('gates ATA PASS-THROUGH(12) whatever it carries: A1h is BLANK to an optical drive (MMC-6)', () => {
    const identify12 = cdb(0xa1, 0x08, 0x0e, 0, 1, 0, 0, 0, 0x40, 0xec, 0, 0);
    expect(confirmationNeeded(identify12.subarray(0, 12), { dataOutLength: 0 })).toMatchObject({
      needed: true,
      reason:
        'ATA PASS-THROUGH(12) can overwrite or erase user data on the medium (opcode A1h). Whatever ATA command it carries, it is asked about: an optical drive reads A1h as BLANK (MMC-6), which erases a rewritable disc; ATA PASS-THROUGH(16) is judged by the ATA command.',
    });
  });
});

describe('service actions', () => {
  it('WRITE LONG(16) (9Fh/11h) needs confirmation, with data-out or with WR_UNCOR and none', () => {
    expect(confirmationNeeded(cdb(0x9f, 0x11), { dataOutLength: 520 })).toMatchObject({
      needed: true,
      reason: expect.stringMatching(/^WRITE LONG\(16\) .*opcode 9Fh, service action 11h/),
    });
    expect(confirmationNeeded(cdb(0x9f, 0x40 | 0x11), { dataOutLength: 0 }).needed).toBe(true);
  });

  it('WRITE LONG(10) with WR_UNCOR and no data-out still needs confirmation', () => {
    expect(confirmationNeeded(cdb(0x3f, 0x40), { dataOutLength: 0 }).needed).toBe(true);
  });

  it('READ CAPACITY(16) (9Eh/10h) and REPORT SUPPORTED OPERATION CODES (A3h/0Ch) need none', () => {
    expect(confirmationNeeded(cdb(0x9e, 0x10), { dataOutLength: 0 })).toEqual({ needed: false });
    expect(confirmationNeeded(cdb(0x9e, 0x10), { dataOutLength: 32 })).toEqual({ needed: false });
    expect(confirmationNeeded(cdb(0xa3, 0x0c), { dataOutLength: 0 })).toEqual({ needed: false });
  });

  it('gates the service actions that destroy data from the CDB alone: zones emptied, elements removed or restored (SBC-4, ZBC-2)', () => {
    const destroying: readonly (readonly [number, number, string])[] = [
      [0x94, 0x04, 'RESET WRITE POINTER'],
      [0x9e, 0x18, 'REMOVE ELEMENT AND TRUNCATE'],
      [0x9e, 0x19, 'RESTORE ELEMENTS AND REBUILD'],
      [0x9e, 0x1a, 'REMOVE ELEMENT AND MODIFY ZONES'],
    ];
    for (const [op, sa, name] of destroying) {
      const c = confirmationNeeded(cdb(op, sa), { dataOutLength: 0 });
      expect(
        c.needed && c.reason.startsWith(`${name} can overwrite or erase user data`),
        name,
      ).toBe(true);
    }
    // RESET WRITE POINTER with ALL (byte 14 bit 0) empties every zone: the sg_reset_wp --all CDB.
    expect(
      confirmationNeeded(cdb(0x94, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01), {
        dataOutLength: 0,
      }).needed,
    ).toBe(true);
  });

  it('lets the zone actions that keep what was written through: CLOSE, FINISH, OPEN and SEQUENTIALIZE ZONE (ZBC-2)', () => {
    for (const sa of [0x01, 0x02, 0x03, 0x10])
      expect(confirmationNeeded(cdb(0x94, sa), { dataOutLength: 0 }), `94h/${sa}`).toEqual({
        needed: false,
      });
  });

  it('an uncatalogued service action is judged by its data-out, and named', () => {
    // 9Eh/11h is READ LONG(16), which usbcdb does not catalogue.
    expect(confirmationNeeded(cdb(0x9e, 0x11), { dataOutLength: 0 })).toEqual({ needed: false });
    expect(confirmationNeeded(cdb(0x9f, 0x12), { dataOutLength: 64 })).toMatchObject({
      needed: true,
      reason: expect.stringMatching(
        /^Opcode 9Fh with service action 12h is not in usbcdb's catalog/,
      ),
    });
  });
});

describe('unknown and vendor opcodes', () => {
  it('gates an unknown opcode with data-out and says why; lets it through without', () => {
    expect(confirmationNeeded(cdb(0x60), { dataOutLength: 0 })).toEqual({ needed: false });
    expect(confirmationNeeded(cdb(0x60), { dataOutLength: 8 })).toEqual({
      needed: true,
      reason:
        "Opcode 60h is not in usbcdb's catalog (group 3 (60h–7Fh): reserved; 7Fh is the variable-length CDB); with 8 bytes of data-out it may change or overwrite data or firmware on the device.",
    });
    expect(confirmationNeeded(cdb(0xc7), { dataOutLength: 16 })).toMatchObject({
      reason: expect.stringMatching(
        /^Vendor opcode C7h is not declared by any vendor set in use; with 16 bytes/,
      ),
    });
    expect(confirmationNeeded(new Uint8Array(), { dataOutLength: 0 })).toEqual({ needed: false });
  });

  const eraseSpec: CommandSpec = {
    opcode: asOpcode(0xd0),
    name: 'ACME QUICK ERASE',
    aliases: ['acme.quick-erase'],
    cdbLength: 10,
    standard: 'test vendor set',
    summary: 'Erases the medium in one command, with no data phase.',
    fields: [],
    length: [],
    effect: 'changes-data',
  };
  const readSpec: CommandSpec = {
    ...eraseSpec,
    opcode: asOpcode(0xd1),
    name: 'ACME READ STATUS',
    aliases: ['acme.status'],
    effect: 'reads',
  };
  const configSpec: CommandSpec = {
    ...eraseSpec,
    opcode: asOpcode(0xd2),
    name: 'ACME SET CONFIG',
    aliases: ['acme.config'],
    fields: [
      {
        key: 'parameterListLength',
        name: 'PARAMETER LIST LENGTH',
        byte: 8,
        bit: 0,
        width: 8,
        meaning: 'Bytes of configuration.',
        role: 'parameterListLength',
      },
    ],
    length: [
      { field: 'parameterListLength', kind: 'parameterList', unit: 'bytes', direction: 'out' },
    ],
    effect: 'changes-state',
  };
  const ACME: VendorSet = {
    name: 'acme',
    vendor: 'Acme',
    description: 'a test set',
    commands: [{ spec: eraseSpec }, { spec: readSpec }, { spec: configSpec }],
    sequences: [],
  };
  const EXAMPLE_SET = findVendorSet('example') as VendorSet;

  it("follows a vendor command's declared effect with the data phase it declares", () => {
    expect(confirmationNeeded(cdb(0xd0), { dataOutLength: 0, vendorSets: [ACME] })).toEqual({
      needed: true,
      reason:
        'ACME QUICK ERASE can overwrite or erase user data on the medium (opcode D0h of vendor set acme).',
    });
    expect(confirmationNeeded(cdb(0xd1), { dataOutLength: 0, vendorSets: [ACME] })).toEqual({
      needed: false,
    });
    expect(confirmationNeeded(cdb(0xd2), { dataOutLength: 64, vendorSets: [ACME] })).toEqual({
      needed: false,
    });
    // A rule that applies only for some field values: MODE 1 takes data-out, MODE 0 none.
    const modal: VendorSet = {
      ...ACME,
      commands: [
        {
          spec: {
            ...configSpec,
            opcode: asOpcode(0xd3),
            name: 'ACME MODAL',
            aliases: ['acme.modal'],
            fields: [
              ...configSpec.fields,
              { key: 'mode', name: 'MODE', byte: 1, bit: 0, width: 1, meaning: 'With data.' },
            ],
            length: [
              {
                field: 'parameterListLength',
                kind: 'parameterList',
                unit: 'bytes',
                direction: 'out',
                when: [{ field: 'mode', equals: 1 }],
              },
            ],
          },
        },
      ],
    };
    const d3 = (mode: number) => Uint8Array.of(0xd3, mode, 0, 0, 0, 0, 0, 0, 8, 0);
    expect(confirmationNeeded(d3(1), { dataOutLength: 8, vendorSets: [modal] }).needed).toBe(false);
    expect(confirmationNeeded(d3(0), { dataOutLength: 8, vendorSets: [modal] })).toMatchObject({
      needed: true,
      reason: expect.stringMatching(/^ACME MODAL declares no data-out/),
    });
    // Data-out the command does not declare: not the command the set describes.
    expect(confirmationNeeded(cdb(0xd1), { dataOutLength: 64, vendorSets: [ACME] })).toEqual({
      needed: true,
      reason:
        'ACME READ STATUS declares no data-out (opcode D1h of vendor set acme); sent with 64 bytes of data-out, usbcdb cannot say what it does, and it may change or overwrite data or firmware on the device.',
    });
    // Without the set the same opcode is unknown: judged by its data-out alone.
    expect(confirmationNeeded(cdb(0xd0), { dataOutLength: 0 }).needed).toBe(false);
  });

  it("gates the example set's firmware download as firmware, not its log read", () => {
    expect(
      confirmationNeeded(cdb(0xc5), { dataOutLength: 0, vendorSets: [EXAMPLE_SET] }),
    ).toMatchObject({
      needed: true,
      reason: expect.stringMatching(
        /^EXAMPLE FIRMWARE DOWNLOAD can replace or activate the device's firmware/,
      ),
    });
    expect(
      confirmationNeeded(cdb(0xc1), { dataOutLength: 0, vendorSets: [EXAMPLE_SET] }).needed,
    ).toBe(false);
  });

  /** Bytes from hex text, as a person types a CDB. */
  const hex = (text: string): Uint8Array =>
    Uint8Array.from(text.split(' ').map((b) => parseInt(b, 16)));

  it("asks about a CDB on a bridge's pass-through opcode that none of its set's commands describes", () => {
    // ACS-4 commands with no data phase that lose data, carried as smartctl's bridges carry any
    // command (the COMMAND register is passed on): WRITE UNCORRECTABLE EXT (45h) through
    // JMicron DFh, SET MAX ADDRESS (F9h), SANITIZE CRYPTO SCRAMBLE EXT (B4h/11h) through
    // Sunplus 22h, and ASMedia's E6h carrying an NVMe opcode its set does not declare.
    const cases: [string, string][] = [
      ['jmicron-ata', 'df 10 00 00 00 55 01 00 00 00 e0 45'],
      ['jmicron-ata', 'df 10 00 00 00 00 00 00 10 00 e0 f9'],
      ['sunplus', 'f8 00 22 00 00 11 00 70 79 72 e0 b4'],
      ['prolific', 'd8 15 00 55 06 7b 00 00 00 00 01 00 00 00 e0 45'],
      ['cypress', '24 24 00 be 01 00 55 01 00 00 00 e0 45 00 00 00'],
      ['asmedia', 'e6 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00'],
    ];
    for (const [name, text] of cases) {
      const set = findVendorSet(name) as VendorSet;
      const op = text.slice(0, 2).toUpperCase();
      for (const dataOutLength of [0, 512])
        expect(confirmationNeeded(hex(text), { dataOutLength, vendorSets: [set] }), text).toEqual({
          needed: true,
          reason: `Opcode ${op}h is vendor set ${name}'s, but this CDB is none of the commands declared for it${dataOutLength > 0 ? ', and it comes with 512 bytes of data-out' : ''}: usbcdb cannot say what it does, and it may change or overwrite data or firmware on the device.`,
        });
    }
  });

  it("asks about a CDB its set's command selects but whose bounded field is outside what it declares", () => {
    const jmicron = findVendorSet('jmicron-ata') as VendorSet;
    // SMART RETURN STATUS's selector (FEATURES DAh), with COMMAND 45h where the set declares B0h.
    expect(
      confirmationNeeded(hex('df 10 00 00 01 da 01 00 00 00 e0 45'), {
        dataOutLength: 0,
        vendorSets: [jmicron],
      }),
    ).toEqual({
      needed: true,
      reason:
        'COMMAND (byte 11) is 45h, where JMICRON ATA SMART RETURN STATUS declares B0h (opcode DFh, service action DAh of vendor set jmicron-ata), so the CDB is a command the set does not describe: usbcdb cannot say what it does, and it may change or overwrite data or firmware on the device.',
    });
    // The command as declared is a read, and sent as such.
    expect(
      confirmationNeeded(hex('df 10 00 00 01 da 01 00 00 00 e0 b0'), {
        dataOutLength: 0,
        vendorSets: [jmicron],
      }).needed,
    ).toBe(false);
  });
});
