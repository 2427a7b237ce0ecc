/**
 * The probe runner against a scripted fake Transport: each test installs the
 * exchanges it expects, in order; a CDB the script does not expect, or an
 * exchange left unused, fails the test.
 */
import { describe, expect, it } from 'vitest';
import { probePlan } from '../../shared/probe/plan';
import { formatHex } from '../../shared/scsi/hex';
import type { DeviceDescription } from '../../src-main/engine/transport';
import { planFor, runProbe, usbVendorIdOf } from '../../src-main/engine/probe';
import { identifyVector } from '../unit/probe/identify-vector';
import { hex } from './helpers';
import { REFUSED, ScriptedTransport, type Exchange } from '../unit/probe/scripted-transport';

const EMU: DeviceDescription = {
  id: 'emu:test',
  kind: 'emu',
  vendor: 'T',
  product: 'T',
  maxLun: 0,
};
const JMICRON: DeviceDescription = {
  id: 'usb:152d:0578',
  kind: 'usb',
  vendor: 'JMicron',
  product: 'Bridge',
  maxLun: 0,
};

function inquiryData(): Uint8Array {
  const b = new Uint8Array(36);
  b[2] = 6; // VERSION SPC-4
  b[3] = 2;
  b[4] = 31;
  new TextEncoder().encodeInto('ACME    Bridge          1.00', b.subarray(8));
  return b;
}
const vpd = (page: number, body: number[]): Uint8Array =>
  Uint8Array.from([0, page, 0, body.length, ...body]);
const CAP16 = hex(
  '00 00 00 00 00 0f ff ff 00 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
);
/** CHECK CONDITION 01/00/1D with an ATA Status Return descriptor: LBA mid/high as given, STATUS 50h. */
const smartSense = (mid: number, high: number): Uint8Array =>
  Uint8Array.from([
    0x72,
    0x01,
    0x00,
    0x1d,
    0,
    0,
    0,
    0x0e,
    0x09,
    0x0c,
    0x00,
    0x00,
    0,
    0,
    0,
    0,
    0,
    mid,
    0,
    high,
    0x00,
    0x50,
  ]);

const plan = probePlan(undefined);
const cdbOf = (id: string, p = plan): string =>
  formatHex(p.steps.find((s) => s.id === id)?.cdb ?? new Uint8Array(0));
const standard = (p = plan): Exchange[] => [
  { cdb: cdbOf('inquiry', p), outcome: { dataIn: inquiryData() } },
  { cdb: cdbOf('vpd-00', p), outcome: { dataIn: vpd(0, [0x00, 0x80, 0x83]) } },
  {
    cdb: cdbOf('vpd-80', p),
    outcome: { dataIn: vpd(0x80, [...new TextEncoder().encode('BRIDGE42')]) },
  },
  { cdb: cdbOf('vpd-83', p), outcome: { dataIn: vpd(0x83, []) } },
  { cdb: cdbOf('readcap16', p), outcome: { dataIn: CAP16 } },
];

describe('runProbe', () => {
  it('on a SAT bridge finds the ATA disk, its model, serial, firmware and SMART health', async () => {
    const t = new ScriptedTransport(
      [
        ...standard(),
        {
          cdb: cdbOf('sat-identify'),
          outcome: { dataIn: identifyVector('ACME SSD 1TB', 'SN000123', 'FW1.0') },
        },
        { cdb: cdbOf('sat-smart-status'), outcome: { status: 2, sense: smartSense(0x4f, 0xc2) } },
      ],
      EMU,
    );
    const run = await runProbe(t, plan);
    expect(t.unused()).toBe(0);
    expect(run.steps.map((s) => `${s.step.id}:${s.result}`)).toEqual([
      'inquiry:answered',
      'vpd-00:answered',
      'vpd-80:answered',
      'vpd-83:answered',
      'readcap16:answered',
      'readcap10:skipped',
      'sat-identify:answered',
      'sat-smart-status:answered',
    ]);
    expect(run.facts).toMatchObject({
      sat: 'yes',
      diskInterface: 'ata',
      model: 'ACME SSD 1TB',
      serial: 'SN000123',
      firmware: 'FW1.0',
      smartHealth: 'good',
      unitSerial: 'BRIDGE42',
      capacity: { blocks: 0x100000n, blockLength: 512 },
    });
    expect(run.facts.ata?.checksum).toBe('valid');
  });

  it('reads F4h/2Ch in the returned registers as a failing drive', async () => {
    const t = new ScriptedTransport(
      [
        ...standard(),
        { cdb: cdbOf('sat-identify'), outcome: { dataIn: identifyVector('X', 'Y', 'Z') } },
        { cdb: cdbOf('sat-smart-status'), outcome: { status: 2, sense: smartSense(0xf4, 0x2c) } },
      ],
      EMU,
    );
    expect((await runProbe(t, plan)).facts.smartHealth).toBe('threshold-exceeded');
  });

  it('stops the SAT family at its first refusal (05/20/00) and says not SAT', async () => {
    const t = new ScriptedTransport(
      [...standard(), { cdb: cdbOf('sat-identify'), outcome: REFUSED }],
      EMU,
    );
    const run = await runProbe(t, plan);
    expect(t.unused()).toBe(0);
    expect(t.sent).not.toContain(cdbOf('sat-smart-status'));
    expect(run.steps.find((s) => s.step.id === 'sat-smart-status')?.result).toBe('skipped');
    expect(run.facts.sat).toBe('no');
    expect(run.facts.diskInterface).toBeUndefined();
  });

  it('sends READ CAPACITY(10) only when (16) is refused', async () => {
    const [inq, v0, v80, v83] = standard();
    const t = new ScriptedTransport(
      [
        inq as Exchange,
        v0 as Exchange,
        v80 as Exchange,
        v83 as Exchange,
        { cdb: cdbOf('readcap16'), outcome: REFUSED },
        { cdb: cdbOf('readcap10'), outcome: { dataIn: hex('00 00 ff ff 00 00 02 00') } },
        { cdb: cdbOf('sat-identify'), outcome: REFUSED },
      ],
      EMU,
    );
    const run = await runProbe(t, plan);
    expect(t.unused()).toBe(0);
    expect(run.facts.capacity?.blocks).toBe(0x10000n);
  });

  describe('a JMicron bridge (USB vendor ID 152d)', () => {
    const jplan = planFor(JMICRON);
    const script = (): Exchange[] => [
      ...standard(jplan),
      { cdb: cdbOf('sat-identify', jplan), outcome: REFUSED },
    ];

    it('reads the vendor ID from the usb: id and plans the JMicron family', () => {
      expect(usbVendorIdOf(JMICRON)).toBe(0x152d);
      expect(jplan.steps.at(-1)?.id).toBe('jmicron-ata');
    });

    it('sends the vendor opcode only after a yes, and reads IDENTIFY DEVICE through it', async () => {
      const t = new ScriptedTransport(
        [
          ...script(),
          {
            cdb: 'df 10 00 02 00 00 01 00 00 00 a0 ec',
            outcome: { dataIn: identifyVector('OLD HDD', 'J123', '1.0') },
          },
        ],
        JMICRON,
      );
      const asked: string[] = [];
      const run = await runProbe(t, jplan, {
        confirm: (s) => {
          asked.push(s.id);
          return Promise.resolve(true);
        },
      });
      expect(t.unused()).toBe(0);
      expect(asked).toEqual(['jmicron-ata']);
      expect(run.facts).toMatchObject({
        sat: 'no',
        family: 'jmicron-ata',
        diskInterface: 'ata',
        model: 'OLD HDD',
      });
    });

    it('without a yes declines the vendor opcode and sends nothing for it', async () => {
      const t = new ScriptedTransport(script(), JMICRON);
      const run = await runProbe(t, jplan);
      expect(t.unused()).toBe(0);
      expect(t.sent.some((c) => c.startsWith('df'))).toBe(false);
      expect(run.steps.at(-1)?.result).toBe('declined');
    });
  });
});
