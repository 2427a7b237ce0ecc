/**
 * The JMicron JMS581/583 NVMe pass-through (docs/bridges.md, "JMicron A1h, three
 * phases") through the whole Bulk-Only path of emu:jmicron-nvme: the command
 * block out, the data, the completion block in; its state per I_T nexus and
 * its field pointers at the jmicron-nvme set's declared fields. The answers are decoded
 * with the asmedia set's NVMe response layouts (the same NVMe structures)
 * and checked against the profile that defines the drive.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { putLe32 } from '../../shared/scsi/bytes';
import { decodeLayout } from '../../shared/vendor-sets/layout';
import type { Layout } from '../../shared/vendor-sets/model';
import { findVendorSet } from '../../shared/vendor-sets/registry';
import { DiskLu } from '../../src-main/emulator/disk';
import { fieldPointerOf } from '../../src-main/emulator/field-pointer';
import { HANG_MS } from '../../src-main/emulator/nvme/jmicron';
import { MemoryStore } from '../../src-main/emulator/store';
import type { CommandOutcome, Transport } from '../../src-main/engine/transport';
import { openReady, profile, senseCodes } from './helpers';
import { expectSmartHealth, raw } from './nvme-rows';

const p = profile('jmicron-nvme');
const nvme = p.nvme ?? { never: true };
if (!('model' in nvme)) throw new Error('jmicron-nvme has no nvme section');

/** A1h, byte 1 = 80h | PROTOCOL, bytes 3–5 the parameter length (big-endian), 12 bytes. */
function cdb(protocol: number, length: number): Uint8Array {
  const c = new Uint8Array(12);
  c[0] = 0xa1;
  c[1] = 0x80 | protocol;
  c[3] = (length >>> 16) & 0xff;
  c[4] = (length >>> 8) & 0xff;
  c[5] = length & 0xff;
  return c;
}

/** Phase 1's 512 bytes: dw0 "NVME" (454D564Eh), dw2 opcode, dw3 NSID, dw12–17 CDW10–15. */
function commandBlock(opcode: number, nsid: number, cdw10: number, signature = 0x454d564e) {
  const b = new Uint8Array(512);
  putLe32(b, 0, signature);
  putLe32(b, 8, opcode);
  putLe32(b, 12, nsid);
  putLe32(b, 48, cdw10);
  return b;
}

const IDENTIFY_CONTROLLER = commandBlock(0x06, 0, 0x01); // Identify, CNS 01h
const IDENTIFY_NAMESPACE = commandBlock(0x06, 1, 0x00); // Identify, CNS 00h, NSID 1
const SMART_LOG = commandBlock(0x02, 0xffffffff, (127 << 16) | 0x02); // Get Log Page 02h, NUMDL 127
const SELF_TEST_LOG = commandBlock(0x02, 0xffffffff, (255 << 16) | 0x06); // log 06h, 1024 bytes

function layoutOf(alias: string): Layout {
  const c = findVendorSet('asmedia')?.commands.find((x) => x.spec.aliases.includes(alias));
  if (!c?.response) throw new Error(`${alias} has no response layout`);
  return c.response;
}

const le32 = (b: Uint8Array, at: number): number =>
  new DataView(b.buffer, b.byteOffset).getUint32(at, true);

let t: Transport;
beforeEach(async () => {
  t = await openReady('jmicron-nvme');
});

const phase1 = (block: Uint8Array): Promise<CommandOutcome> =>
  t.execute({
    cdb: cdb(0, 512),
    lun: 0,
    direction: 'out',
    transferLength: 512,
    dataOut: block,
    timeoutMs: 5000,
  });
const phase2In = (length: number): Promise<CommandOutcome> =>
  t.execute({
    cdb: cdb(2, length),
    lun: 0,
    direction: 'in',
    transferLength: length,
    timeoutMs: 5000,
  });
const phase3 = (): Promise<CommandOutcome> =>
  t.execute({ cdb: cdb(0xf, 512), lun: 0, direction: 'in', transferLength: 512, timeoutMs: 5000 });

/** The three phases of one data-in admin command: its data and the completion block. */
async function adminIn(block: Uint8Array, length: number) {
  const one = await phase1(block);
  expect(one.status).toBe(0);
  expect(one.residue).toBe(0);
  const two = await phase2In(length);
  expect(two.status).toBe(0);
  const three = await phase3();
  expect(three.status).toBe(0);
  expect(three.dataIn).toHaveLength(512);
  return { data: two.dataIn, completion: three.dataIn };
}

/** NVMe status field of the completion block: dw5 >> 17. */
const statusOf = (completion: Uint8Array): number => le32(completion, 20) >>> 17;

describe('JMicron A1h through Bulk-Only (emu:jmicron-nvme)', () => {
  it('Identify Controller: the profile’s serial, model, firmware; completion "NVME", status 0', async () => {
    const { data, completion } = await adminIn(IDENTIFY_CONTROLLER, 4096);
    expect(data).toHaveLength(4096);
    const rows = decodeLayout(layoutOf('asmedia.identify-controller'), data);
    expect(raw(rows, 'pciVendorId')).toBe(nvme.pciVendorId);
    expect(raw(rows, 'serial')).toBe(nvme.serial);
    expect(raw(rows, 'model')).toBe(nvme.model);
    expect(raw(rows, 'firmware')).toBe(nvme.firmware);
    expect(raw(rows, 'namespaces')).toBe(1);
    expect(raw(rows, 'tnvmcap')).toBe(p.blocks * p.blockSize);
    expect(le32(completion, 0)).toBe(0x454d564e);
    expect(statusOf(completion)).toBe(0);
  });

  it('Identify Namespace: size and LBADS are the drive’s', async () => {
    const { data } = await adminIn(IDENTIFY_NAMESPACE, 4096);
    const rows = decodeLayout(layoutOf('asmedia.identify-namespace'), data);
    expect(raw(rows, 'nsze')).toBe(p.blocks);
    expect(2 ** Number(raw(rows, 'lbaFormats.0.lbads'))).toBe(p.blockSize);
  });

  it('SMART / Health log: every value of the profile', async () => {
    const { data, completion } = await adminIn(SMART_LOG, 512);
    expect(data).toHaveLength(512);
    const rows = decodeLayout(layoutOf('asmedia.smart-log'), data);
    const s = nvme.smart;
    expectSmartHealth(rows, s);
    expect(statusOf(completion)).toBe(0);
  });

  it('phase 3 repeats the last completion', async () => {
    const { completion } = await adminIn(SMART_LOG, 512);
    const again = await phase3();
    expect(Array.from(again.dataIn)).toEqual(Array.from(completion));
  });

  it('an admin opcode the SSD lacks completes with Invalid Command Opcode, DNR', async () => {
    const { completion } = await adminIn(commandBlock(0x0a, 0, 0), 512); // Get Features
    expect(statusOf(completion)).toBe(0x4001);
  });
});

describe('JMicron phases out of order are refused (05/24/00)', () => {
  it('phase 3 before any command', async () => {
    const o = await phase3();
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('5/24/00');
  });

  it('phase 2 without a phase 1', async () => {
    const o = await phase2In(512);
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('5/24/00');
  });

  it('phase 2 twice for one phase 1', async () => {
    await phase1(SMART_LOG);
    expect((await phase2In(512)).status).toBe(0);
    const o = await phase2In(512);
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('5/24/00');
  });

  it('phase 3 between phase 1 and phase 2', async () => {
    await phase1(SMART_LOG);
    const o = await phase3();
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('5/24/00');
  });
});

describe('JMicron A1h: what else it refuses', () => {
  it('a command block without the "NVME" signature: INVALID FIELD IN PARAMETER LIST', async () => {
    const o = await phase1(commandBlock(0x06, 0, 0x01, 0x12345678));
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('5/26/00');
  });

  it('SAT ATA PASS-THROUGH(12) (byte 1 bit 7 clear): INVALID FIELD IN CDB', async () => {
    // IDENTIFY DEVICE, PIO data-in, T_DIR, BYT_BLOK, T_LENGTH in COUNT.
    const sat = Uint8Array.from([0xa1, 0x08, 0x0e, 0, 1, 0, 0, 0, 0, 0xec, 0, 0]);
    const o = await t.execute({
      cdb: sat,
      lun: 0,
      direction: 'in',
      transferLength: 512,
      timeoutMs: 5000,
    });
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('5/24/00');
  });
});

describe('JMicron self-test log quirk', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a self-test log read above 218h bytes answers only after HANG_MS, longer than hosts wait', async () => {
    vi.useFakeTimers();
    const lu = new DiskLu(p, new MemoryStore(p.blockSize, 16));
    lu.takeUnitAttention();
    expect((await lu.execute(cdb(0, 512), SELF_TEST_LOG)).status).toBe('good');
    let settled = false;
    const pending = lu.execute(cdb(2, 1024)).then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(HANG_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const r = await pending;
    expect(r.status).toBe('check-condition');
    expect(lu.takeSense()).toMatchObject({ key: 0x0b, asc: 0, ascq: 0 });
    expect(HANG_MS).toBeGreaterThan(60_000);
  });

  it('a self-test log read of 218h bytes does not hang (the SSD has no self-test: Invalid Field)', async () => {
    const { completion } = await adminIn(commandBlock(0x02, 0xffffffff, (133 << 16) | 0x06), 0x218);
    expect(statusOf(completion)).toBe(0x4002);
  });
});

describe('JMicron phases per I_T nexus', () => {
  it('keeps each host connection’s phases apart when two interleave', async () => {
    const lu = new DiskLu(p, new MemoryStore(p.blockSize, 16));
    // Each new nexus first meets the power-on unit attention.
    for (const host of ['a', 'b']) await lu.execute(new Uint8Array(6), undefined, host);
    expect((await lu.execute(cdb(0, 512), IDENTIFY_CONTROLLER, 'a')).status).toBe('good');
    expect((await lu.execute(cdb(0, 512), SMART_LOG, 'b')).status).toBe('good');
    const a = await lu.execute(cdb(2, 4096), undefined, 'a');
    const b = await lu.execute(cdb(2, 512), undefined, 'b');
    expect(raw(decodeLayout(layoutOf('asmedia.identify-controller'), a.dataIn), 'model')).toBe(
      nvme.model,
    );
    expect(raw(decodeLayout(layoutOf('asmedia.smart-log'), b.dataIn), 'compositeTemperature')).toBe(
      nvme.smart.temperatureKelvin,
    );
    // Host b has run its command; host a's completion is its own.
    expect((await lu.execute(cdb(0xf, 512), undefined, 'a')).status).toBe('good');
    expect((await lu.execute(cdb(0xf, 512), undefined, 'b')).status).toBe('good');
    // A third host has no command of its own, whatever the others did.
    await lu.execute(new Uint8Array(6), undefined, 'c');
    expect((await lu.execute(cdb(0xf, 512), undefined, 'c')).status).toBe('check-condition');
  });

  it('forgets every nexus’s phases on a power-on reset', async () => {
    const lu = new DiskLu(p, new MemoryStore(p.blockSize, 16));
    lu.takeUnitAttention();
    await lu.execute(cdb(0, 512), SMART_LOG);
    lu.powerOnReset();
    lu.takeUnitAttention();
    expect((await lu.execute(cdb(2, 512))).status).toBe('check-condition');
  });
});

describe('JMicron sense field pointers are the jmicron-nvme set’s declared fields', () => {
  const spec = findVendorSet('jmicron-nvme')?.commands[0]?.spec;
  const declared = (key: string) => {
    const f = spec?.fields.find((x) => x.key === key);
    if (!f) throw new Error(`jmicron-nvme declares no ${key}`);
    return f;
  };

  async function senseOf(c: Uint8Array, dataOut?: Uint8Array) {
    const lu = new DiskLu(p, new MemoryStore(p.blockSize, 16));
    lu.takeUnitAttention();
    expect((await lu.execute(c, dataOut)).status).toBe('check-condition');
    return lu.takeSense();
  }

  it('a phase out of order points at the PROTOCOL field (byte 1)', async () => {
    const s = await senseOf(cdb(0xf, 512));
    expect(s).toMatchObject({ key: 5, asc: 0x24, ascq: 0 });
    expect(s?.senseKeySpecific).toEqual(fieldPointerOf(declared('protocol')));
    expect(s?.senseKeySpecific).toMatchObject({ fieldPointer: 1 });
  });

  it('a command block of the wrong length points at PARAMETER LENGTH (bytes 3–5)', async () => {
    const s = await senseOf(cdb(0, 256), IDENTIFY_CONTROLLER.subarray(0, 256));
    expect(s?.senseKeySpecific).toEqual(fieldPointerOf(declared('parameterLength')));
    expect(s?.senseKeySpecific).toMatchObject({ fieldPointer: 3 });
  });
});
