import { describe, expect, it } from 'vitest';
import { formatHex } from '../../../shared/scsi/hex';
import { decodeLayout } from '../../../shared/vendor-sets/layout';
import type { SequenceDef, VendorSet } from '../../../shared/vendor-sets/model';
import { stepCdb, type StepResult } from '../../../shared/vendor-sets/sequence';
import { findVendorSet } from '../../../shared/vendor-sets/registry';
import { parseVendorSet } from '../../../shared/vendor-sets/format';

const example = findVendorSet('example') as VendorSet;
const ledCheck = example.sequences[0] as SequenceDef;

/** A set whose second command takes the first one's answer: a value, and the data itself. */
const chain = ((): VendorSet => {
  const r = parseVendorSet(
    JSON.stringify({
      usbcdbVendorSet: 1,
      name: 'chain',
      vendor: 'test',
      description: 'Reads a slot number, then writes back to it.',
      commands: [
        {
          opcode: 'D0h',
          name: 'GET SLOT',
          aliases: ['chain.get'],
          cdbLength: 6,
          summary: 'Returns a slot number and a flag.',
          effect: 'reads',
          fields: [
            {
              key: 'allocationLength',
              name: 'ALLOCATION LENGTH',
              byte: 4,
              bit: 0,
              width: 8,
              meaning: 'Room.',
              role: 'allocationLength',
              default: 4,
            },
          ],
          length: [
            { field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' },
          ],
          response: [
            { key: 'slot', name: 'SLOT', type: 'uint', size: 2, offset: 0 },
            { key: 'busy', name: 'BUSY', type: 'flag', offset: 2, bit: 0 },
            { key: 'delta', name: 'DELTA', type: 'int', size: 1, offset: 3 },
          ],
        },
        {
          opcode: 'D1h',
          name: 'PUT SLOT',
          aliases: ['chain.put'],
          cdbLength: 6,
          summary: 'Writes data to a slot.',
          effect: 'changes-data',
          fields: [
            { key: 'slot', name: 'SLOT', byte: 1, bit: 0, width: 16, meaning: 'Slot.' },
            { key: 'force', name: 'FORCE', byte: 3, bit: 0, width: 1, meaning: 'Force.' },
            {
              key: 'parameterListLength',
              name: 'PARAMETER LIST LENGTH',
              byte: 4,
              bit: 0,
              width: 8,
              meaning: 'Bytes out.',
              role: 'parameterListLength',
            },
          ],
          length: [
            {
              field: 'parameterListLength',
              kind: 'parameterList',
              unit: 'bytes',
              direction: 'out',
            },
          ],
        },
      ],
      sequences: [
        {
          alias: 'chain.copy',
          name: 'Copy',
          summary: 'Reads the slot, writes its answer back to it.',
          steps: [
            { command: 'chain.get' },
            {
              command: 'chain.put',
              fields: { slot: { step: 0, field: 'slot' }, force: { step: 0, field: 'busy' } },
              dataOut: { step: 0 },
            },
          ],
        },
        {
          alias: 'chain.negative',
          name: 'Negative',
          summary: 'Takes a signed value into a CDB field.',
          steps: [
            { command: 'chain.get' },
            {
              command: 'chain.put',
              fields: { slot: { step: 0, field: 'delta' } },
              dataOut: { hex: '00' },
            },
          ],
        },
      ],
    }),
    'chain.json',
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
})();

const answer = (set: VendorSet, alias: string, bytes: number[]): StepResult => {
  const c = set.commands.find((x) => x.spec.aliases.includes(alias));
  const dataIn = Uint8Array.from(bytes);
  return { dataIn, decoded: decodeLayout(c?.response ?? [], dataIn) };
};

describe('stepCdb', () => {
  it('builds a step from its field values, with the data phase its CDB asks for', () => {
    const first = stepCdb(example, ledCheck, 0, []);
    expect(first.ok && formatHex(first.value.cdb)).toBe('c3 00 02 00 00 00 00 00 00 00');
    expect(first.ok && first.value.direction).toBe('none');
    const second = stepCdb(example, ledCheck, 1, [{ dataIn: new Uint8Array(), decoded: [] }]);
    expect(second.ok && formatHex(second.value.cdb)).toBe('c2 00 00 00 00 00 00 00 01 00');
    expect(second.ok && [second.value.direction, second.value.transferLength]).toEqual(['in', 1]);
  });

  it('takes field values and data-out from earlier steps, and sets the data-out length', () => {
    const copy = chain.sequences[0] as SequenceDef;
    const r = stepCdb(chain, copy, 1, [answer(chain, 'chain.get', [0x01, 0x02, 0x01, 0x00])]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // SLOT = 0102h (bytes 1–2), FORCE = BUSY = 1, PARAMETER LIST LENGTH = 4 bytes of data-out.
    expect(formatHex(r.value.cdb)).toBe('d1 01 02 01 04 00');
    expect(r.value.direction).toBe('out');
    expect(formatHex(r.value.dataOut ?? new Uint8Array())).toBe('01 02 01 00');
  });

  it('names the step and field when an earlier answer ended before the field it needs', () => {
    const copy = chain.sequences[0] as SequenceDef;
    const r = stepCdb(chain, copy, 1, [answer(chain, 'chain.get', [0x01])]);
    expect(!r.ok && r.error.message).toBe(
      'chain.copy step 1 (chain.put): field slot takes slot from step 0, but that answer (1 bytes) ended before it',
    );
  });

  it('refuses a negative value from an earlier step', () => {
    const neg = chain.sequences[1] as SequenceDef;
    const r = stepCdb(chain, neg, 1, [answer(chain, 'chain.get', [0, 0, 0, 0xff])]);
    expect(!r.ok && r.error.message).toMatch(
      /field slot takes delta from step 0, which is negative \(-1\)/,
    );
  });

  it('refuses a reference to a step that has not run', () => {
    const copy = chain.sequences[0] as SequenceDef;
    const r = stepCdb(chain, copy, 1, []);
    expect(!r.ok && r.error.code).toBe('sequence-reference');
  });

  it('plans ahead of the run with values from earlier answers at their defaults', () => {
    const copy = chain.sequences[0] as SequenceDef;
    const r = stepCdb(chain, copy, 1, [], { ahead: true });
    // SLOT and FORCE default to 0; the data-out still to come leaves PARAMETER LIST LENGTH 0.
    expect(r.ok && [formatHex(r.value.cdb), r.value.direction]).toEqual([
      'd1 00 00 00 00 00',
      'none',
    ]);
    const neg = chain.sequences[1] as SequenceDef;
    const given = stepCdb(chain, neg, 1, [], { ahead: true });
    expect(given.ok && [formatHex(given.value.cdb), given.value.transferLength]).toEqual([
      'd1 00 00 00 01 00',
      1,
    ]);
  });
});
