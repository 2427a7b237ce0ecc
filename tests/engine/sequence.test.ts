import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import type { SequenceDef, VendorSet } from '../../shared/vendor-sets/model';
import { findVendorSet } from '../../shared/vendor-sets/registry';
import { runSequence } from '../../src-main/engine/sequence';
import type {
  CommandOutcome,
  CommandRequest,
  DeviceDescription,
  Transport,
} from '../../src-main/engine/transport';
import { runUsbcdb } from '../cli-run';

/**
 * A transport that expects exactly the scripted exchanges, in order
 * (docs/style.md lesson 13): a CDB other than the next scripted one fails the
 * test, and so does a script left unused.
 */
class ScriptedTransport implements Transport {
  private next = 0;
  constructor(
    private readonly script: readonly {
      cdb: string;
      direction: CommandRequest['direction'];
      transferLength: number;
      answer: Partial<CommandOutcome>;
    }[],
    private readonly kind: DeviceDescription['kind'] = 'emu',
  ) {}
  execute(request: CommandRequest): Promise<CommandOutcome> {
    const step = this.script[this.next++];
    if (!step) throw new Error(`unscripted command ${formatHex(request.cdb)}`);
    expect(formatHex(request.cdb)).toBe(step.cdb);
    expect(request.direction).toBe(step.direction);
    expect(request.transferLength).toBe(step.transferLength);
    return Promise.resolve({
      status: 0,
      dataIn: new Uint8Array(),
      residue: 0,
      durationMs: 1,
      ...step.answer,
    });
  }
  reset(): Promise<void> {
    return Promise.resolve();
  }
  describe(): DeviceDescription {
    return { id: 'scripted', kind: this.kind, vendor: 'test', product: 'script', maxLun: 0 };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  unused(): number {
    return this.script.length - this.next;
  }
}

const example = findVendorSet('example') as VendorSet;
const ledCheck = example.sequences[0] as SequenceDef;
const SET_LED_BLINK = 'c3 00 02 00 00 00 00 00 00 00';
const GET_LED = 'c2 00 00 00 00 00 00 00 01 00';

let transport: ScriptedTransport | undefined;
afterEach(() => {
  expect(transport?.unused() ?? 0, 'scripted exchanges left unused').toBe(0);
  transport = undefined;
});

describe('runSequence', () => {
  it('runs every step in order and decodes each answer', async () => {
    transport = new ScriptedTransport([
      { cdb: SET_LED_BLINK, direction: 'none', transferLength: 0, answer: {} },
      {
        cdb: GET_LED,
        direction: 'in',
        transferLength: 1,
        answer: { dataIn: Uint8Array.of(2) },
      },
    ]);
    const run = await runSequence(transport, example, ledCheck, 0, 1000);
    expect(run.completed).toBe(true);
    expect(run.problem).toBeUndefined();
    expect(run.steps.map((s) => s.command)).toEqual(['example.set-led', 'example.get-led']);
    expect(run.steps[1]?.rows.map((r) => [r.key, r.value])).toEqual([['state', 'blinking (2)']]);
  });

  it('stops at the first step that ends in CHECK CONDITION', async () => {
    transport = new ScriptedTransport([
      {
        cdb: SET_LED_BLINK,
        direction: 'none',
        transferLength: 0,
        answer: {
          status: 2,
          sense: Uint8Array.of(0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20, 0),
        },
      },
    ]);
    const run = await runSequence(transport, example, ledCheck, 0, 1000);
    expect(run.completed).toBe(false);
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0]?.rows).toEqual([]);
  });

  it('stops at a transport error', async () => {
    transport = new ScriptedTransport([
      {
        cdb: SET_LED_BLINK,
        direction: 'none',
        transferLength: 0,
        answer: { status: undefined, transportError: { kind: 'timeout', message: 'late' } },
      },
    ]);
    const run = await runSequence(transport, example, ledCheck, 0, 1000);
    expect([run.completed, run.steps.length]).toEqual([false, 1]);
  });

  it('asks about every step before sending any: a refused step stops the run unsent', async () => {
    transport = new ScriptedTransport([]);
    const run = await runSequence(transport, example, ledCheck, 0, 1000, {
      refuse: (req) => (req.cdb[0] === 0xc2 ? 'not this one' : undefined),
    });
    expect(run.completed).toBe(false);
    expect(run.steps).toEqual([]);
    expect(run.problem).toEqual({
      code: 'needs-confirmation',
      message: 'example.set-led-and-check step 1: not this one',
    });
  });

  it('asks again as each step is built, and sends nothing for a step refused then', async () => {
    transport = new ScriptedTransport([
      { cdb: SET_LED_BLINK, direction: 'none', transferLength: 0, answer: {} },
    ]);
    // GET LED passes when asked ahead of the run (first ask) and is refused as built (second).
    let asked = 0;
    const run = await runSequence(transport, example, ledCheck, 0, 1000, {
      refuse: (req) => (req.cdb[0] === 0xc2 && ++asked === 2 ? 'not this one' : undefined),
    });
    expect(run.completed).toBe(false);
    expect(run.steps).toHaveLength(1);
    expect(run.problem).toEqual({
      code: 'needs-confirmation',
      message: 'example.set-led-and-check step 1: not this one',
    });
  });
});

describe('usbcdb sequence', () => {
  it('lists the sequences of the built-in sets', async () => {
    const r = await runUsbcdb(['sequence']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^example\.set-led-and-check\s+Set the LED, then read it back/);
  });

  it('runs a sequence on the emulated drive that speaks the example set', async () => {
    const r = await runUsbcdb([
      'sequence',
      'example.set-led-and-check',
      '--device',
      'emu:fw-updatable',
    ]);
    expect(r.err).toBe('');
    expect(r.out).toContain(`step 0 example.set-led: ${SET_LED_BLINK}: GOOD`);
    expect(r.out).toContain(`step 1 example.get-led: ${GET_LED}: GOOD, 1 byte in`);
    expect(r.out).toContain('LED STATE (state): blinking (2)');
    expect(r.code).toBe(0);
  });

  it('takes --vendor-set as the other commands do: a shipped set by name, files repeated', async () => {
    const shipped = await runUsbcdb(['sequence', '--vendor-set', 'cypress']);
    expect(shipped.err).toBe('');
    expect(shipped.code).toBe(0);
    expect(shipped.out).toMatch(/^cypress\.smart-return-status\s/m);
    const dir = mkdtempSync(join(tmpdir(), 'usbcdb-sequence-'));
    try {
      const acme = join(process.cwd(), 'docs', 'examples', 'acme-vendor-set.json');
      const acmf = join(dir, 'acmf.json');
      writeFileSync(acmf, readFileSync(acme, 'utf8').replaceAll('acme', 'acmf'));
      const both = await runUsbcdb(['sequence', '--vendor-set', acme, '--vendor-set', acmf]);
      expect(both.err).toBe('');
      expect(both.out).toMatch(/^acme\.acknowledge-first-event\s/m);
      expect(both.out).toMatch(/^acmf\.acknowledge-first-event\s/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('diagnoses a failed step as a command of the set being run', async () => {
    // The default emulated drive has no Cypress bridge: it refuses 24h, which SPC reads as a
    // 10-byte group-1 opcode; the step is Cypress's 16-byte ATACB, not a CDB to cut to 10 bytes.
    const r = await runUsbcdb(['sequence', 'cypress.smart-return-status']);
    expect(r.out).toContain('CYPRESS ATACB SMART RETURN STATUS failed');
    expect(r.out).toContain('most likely refused CYPRESS ATACB SMART RETURN STATUS');
    expect(r.out).not.toContain('10-byte CDB');
    expect(r.code).not.toBe(0);
  });

  it('refuses an unknown sequence as a syntax error', async () => {
    const r = await runUsbcdb(['sequence', 'example.nope']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no sequence "example.nope"');
  });
});
