/**
 * Vendor commands on a standard opcode (docs/vendor-sets.md, "Standard opcodes a bridge reuses"):
 * a set's command wins over the catalog only when it declares why (`standardRangeOpcode`), has a
 * selector, the CDB holds the selector's value, and the caller passes the set; anything else is
 * the catalog's, and a file breaking the rule is refused naming the line and field.
 */
import { describe, expect, it } from 'vitest';
import { catalogProblems } from '../../../shared/scsi/catalog/problems';
import { resolveByName, resolveCommand, searchAll } from '../../../shared/scsi/catalog/resolve';
import { confirmationNeeded } from '../../../shared/scsi/confirm-policy';
import { parseHex } from '../../../shared/scsi/hex';
import { parseVendorSet } from '../../../shared/vendor-sets/format';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { findVendorSet, vendorSetText } from '../../../shared/vendor-sets/registry';
import { asOpcode } from '../../../shared/scsi/brand';

function pack(name: string): VendorSet {
  const set = findVendorSet(name);
  if (!set) throw new Error(`no built-in set ${name}`);
  return set;
}

function bytes(hex: string): Uint8Array {
  const b = parseHex(hex, 'test');
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
}

const jmicron = pack('jmicron-nvme');
const cypress = pack('cypress');

// JMicron phase 2, data-in of 4096 bytes: A1h, byte 1 = 80h | PROTOCOL 2, bytes 3–5 = 001000h.
const JMICRON_DATA_IN = bytes('a1 82 00 00 10 00 00 00 00 00 00 00');
// SAT ATA PASS-THROUGH(12) IDENTIFY DEVICE: PROTOCOL 4 (PIO in) in bits 4:1 of byte 1.
const SAT_IDENTIFY = bytes('a1 08 0e 00 01 00 00 00 00 00 ec 00');
// Cypress ATACB IDENTIFY DEVICE: 24h, byte 1 24h, byte 2 80h, mask BEh, COMMAND ECh in byte 12.
const CYPRESS_IDENTIFY = bytes('24 24 80 be 01 00 00 01 00 00 00 00 ec 00 00 00');

describe('resolveCommand on a standard opcode a bridge reuses', () => {
  it("gives the set's command when the caller passes the set and the CDB holds its selector", () => {
    const r = resolveCommand(JMICRON_DATA_IN, [jmicron]);
    expect(r?.source).toBe('vendor');
    expect(r?.spec.aliases).toEqual(['jmicron-nvme.run-data-in']);
    expect(resolveCommand(CYPRESS_IDENTIFY, [cypress])?.spec.aliases).toEqual(['cypress.identify']);
  });

  it("reads Cypress's register read-back as READ REGISTERS, not as the command it follows", () => {
    // smartmontools re-sends the command's CDB with ACTION SELECT = 01h and takes 8 bytes in; the
    // CDB still holds the selector of SMART RETURN STATUS (FEATURES DAh) or IDENTIFY (COMMAND ECh),
    // whose ACTION SELECT is declared 00h and 80h.
    for (const text of [
      '24 24 01 be 01 00 da 00 00 4f c2 00 b0 00 00 00',
      '24 24 01 be 01 00 00 01 00 00 00 00 ec 00 00 00',
    ])
      expect(resolveCommand(bytes(text), [cypress])?.spec.aliases, text).toEqual([
        'cypress.read-registers',
      ]);
    expect(resolveCommand(CYPRESS_IDENTIFY, [cypress])?.spec.aliases).toEqual(['cypress.identify']);
  });

  it('leaves the catalog answering when the caller does not pass the set', () => {
    expect(resolveCommand(JMICRON_DATA_IN)).toMatchObject({
      source: 'standard',
      spec: { name: 'ATA PASS-THROUGH(12)' },
    });
    expect(resolveCommand(JMICRON_DATA_IN, [cypress])?.source).toBe('standard');
  });

  it('leaves the catalog answering a CDB whose selector field holds no value of the set', () => {
    expect(resolveCommand(SAT_IDENTIFY, [jmicron])).toMatchObject({
      source: 'standard',
      spec: { name: 'ATA PASS-THROUGH(12)' },
    });
  });

  it('ignores a standard-opcode command built in code without a selector', () => {
    const runDataIn = jmicron.commands.find((c) =>
      c.spec.aliases.includes('jmicron-nvme.run-data-in'),
    );
    if (!runDataIn) throw new Error('no run-data-in');
    const { serviceAction: _sa, ...noSelector } = runDataIn.spec;
    void _sa;
    const rogue: VendorSet = { ...jmicron, commands: [{ spec: noSelector }] };
    expect(resolveCommand(JMICRON_DATA_IN, [rogue])?.source).toBe('standard');
  });

  it('finds such commands by alias and in a search, but opcode text stays the catalog’s', () => {
    expect(resolveByName('cypress.read-registers', [cypress])?.spec.serviceAction).toBe(1);
    expect(resolveByName('a1h', [jmicron])?.spec.name).toBe('ATA PASS-THROUGH(12)');
    expect(searchAll('cypress', [cypress]).map((r) => r.spec.aliases[0])).toEqual([
      'cypress.identify',
      'cypress.smart-read-data',
      'cypress.smart-status',
      'cypress.read-registers',
    ]);
  });
});

describe('catalogProblems for standard opcodes in vendor declarations', () => {
  const spec = jmicron.commands[0]?.spec;
  if (!spec) throw new Error('no command');

  it('passes a declared command with a selector', () => {
    expect(catalogProblems([spec], { vendor: true })).toEqual([]);
  });

  it('refuses the standard opcode without the declaration', () => {
    const { standardRangeOpcode: _why, ...bare } = spec;
    void _why;
    expect(catalogProblems([bare], { vendor: true })).toEqual([
      {
        path: [0, 'opcode'],
        message: expect.stringMatching(
          /A1h is a standard opcode .* only C0h–FFh, unless .*"standardRangeOpcode"/,
        ),
      },
    ]);
  });

  it('refuses the declaration without a selector', () => {
    const { serviceAction: _sa, ...bare } = spec;
    void _sa;
    expect(catalogProblems([bare], { vendor: true })).toEqual([
      {
        path: [0, 'standardRangeOpcode'],
        message: expect.stringMatching(/reuses the standard opcode A1h .* without a selector/),
      },
    ]);
  });

  it('refuses the declaration on a vendor-specific opcode and on a catalog row', () => {
    expect(catalogProblems([{ ...spec, opcode: asOpcode(0xc1) }], { vendor: true })).toEqual([
      {
        path: [0, 'standardRangeOpcode'],
        message: expect.stringMatching(/only for opcodes 00h–BFh; C1h is vendor specific/),
      },
    ]);
    expect(catalogProblems([spec]).map((p) => p.path)).toContainEqual([0, 'standardRangeOpcode']);
  });
});

describe('a vendor-set file reusing a standard opcode', () => {
  type FileCommand = Record<string, unknown>;
  const file = (): { commands: FileCommand[] } =>
    JSON.parse(vendorSetText(cypress)) as { commands: FileCommand[] };
  const lineOf = (text: string, needle: string): number =>
    text.slice(0, text.indexOf(needle)).split('\n').length;

  it('is refused without the declaration, naming the opcode’s line and field', () => {
    const f = file();
    delete f.commands[0]?.standardRangeOpcode;
    const text = JSON.stringify(f, null, 2);
    const r = parseVendorSet(text, 'cypress.json');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toContain(
      `cypress.json line ${lineOf(text, '"opcode"')}: commands.0.opcode: CYPRESS ATACB IDENTIFY DEVICE: 24h is a standard opcode`,
    );
  });

  it('is refused without a selector, naming the declaration’s line and field', () => {
    const f = file();
    delete f.commands[0]?.serviceAction;
    const text = JSON.stringify(f, null, 2);
    const r = parseVendorSet(text, 'cypress.json');
    expect(!r.ok && r.error.message).toContain(
      `cypress.json line ${lineOf(text, '"standardRangeOpcode"')}: commands.0.standardRangeOpcode: CYPRESS ATACB IDENTIFY DEVICE: reuses the standard opcode 24h`,
    );
  });

  it('refuses an empty declaration (it must say why)', () => {
    const f = file();
    (f.commands[0] as FileCommand).standardRangeOpcode = '';
    const r = parseVendorSet(JSON.stringify(f, null, 2), 'cypress.json');
    expect(!r.ok && r.error.message).toMatch(/commands\.0\.standardRangeOpcode: must not be empty/);
  });
});

describe('the confirmation policy follows the declared effect of the reusing command', () => {
  const COMPLETION = bytes('a1 8f 00 00 02 00 00 00 00 00 00 00');
  const COMMAND_BLOCK = bytes('a1 80 00 00 02 00 00 00 00 00 00 00');

  it('lets the JMicron completion (reads) through where the catalog row would gate A1h', () => {
    expect(confirmationNeeded(COMPLETION, { dataOutLength: 0 }).needed).toBe(true);
    expect(confirmationNeeded(COMPLETION, { dataOutLength: 0, vendorSets: [jmicron] }).needed).toBe(
      false,
    );
  });

  it('gates the JMicron command block, naming the set (it may carry Format NVM)', () => {
    const c = confirmationNeeded(COMMAND_BLOCK, { dataOutLength: 512, vendorSets: [jmicron] });
    expect(c.needed && c.reason).toMatch(
      /JMICRON NVME COMMAND BLOCK .*opcode A1h, service action 80h of vendor set jmicron-nvme/,
    );
  });

  it('lets Cypress IDENTIFY DEVICE (reads) through', () => {
    expect(
      confirmationNeeded(CYPRESS_IDENTIFY, { dataOutLength: 0, vendorSets: [cypress] }).needed,
    ).toBe(false);
  });
});
