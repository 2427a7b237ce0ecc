/**
 * The emulated disk logical unit (SPC-5 / SBC-4 behaviour). Commands are
 * recognised through the shared catalog — its field layouts, length rules
 * and reserved masks — so the emulator reads a CDB exactly as lint and the
 * editor describe it. Each implemented command is one handler in HANDLERS,
 * keyed by its catalog name.
 */
import {
  dataPhaseOf,
  findCommand,
  layoutOf,
  reservedMask,
  COMMANDS,
  type CommandSpec,
  type Direction,
  type FieldSpec,
} from '../../shared/scsi/catalog';
import { readField } from '../../shared/scsi/catalog/fields';
import { putBe16, putBe32, putBe64 } from '../../shared/scsi/bytes';
import { encodeDescriptorSense, encodeFixedSense } from '../../shared/scsi/sense';
import { findVendorCommand } from '../../shared/vendor-sets/registry';
import type { VendorCommand, VendorDevice, VendorResult } from '../../shared/vendor-sets/types';
import { Microcode } from './microcode';
import type { Profile } from './profile';
import {
  DATA_BUFFER_SIZE,
  downloadResult,
  readBuffer,
  writeBuffer,
  type BufferDevice,
} from './write-buffer';
import {
  check,
  good,
  invalidField,
  INVALID_OPCODE,
  BECOMING_READY,
  LBA_OUT_OF_RANGE,
  MEDIUM_NOT_PRESENT,
  POWER_ON_RESET,
  type CheckResult,
  type HandlerResult,
} from './responses';
import type { BlockStore } from './store';

export interface ScsiResult {
  readonly status: 'good' | 'check-condition';
  readonly dataIn: Uint8Array;
}

interface Ctx {
  readonly cdb: Uint8Array;
  readonly spec: CommandSpec;
  readonly fields: readonly FieldSpec[];
  readonly dataOut: Uint8Array;
  /** A field's value by catalog key (0 when the layout has no such field). */
  readonly get: (key: string) => number;
  readonly getBig: (key: string) => bigint;
}

type Handler = (lu: DiskLu, ctx: Ctx) => Promise<HandlerResult>;

/** Commands a pending unit attention does not block (SPC-5, unit attention condition). */
const UA_EXEMPT = new Set(['INQUIRY', 'REQUEST SENSE', 'REPORT LUNS']);
/** Commands that need the medium. */
const MEDIUM_ACCESS = new Set([
  'READ(6)',
  'READ(10)',
  'READ(12)',
  'READ(16)',
  'WRITE(6)',
  'WRITE(10)',
  'WRITE(12)',
  'WRITE(16)',
  'VERIFY(10)',
  'VERIFY(16)',
  'READ CAPACITY(10)',
  'READ CAPACITY(16)',
  'SYNCHRONIZE CACHE(10)',
  'SYNCHRONIZE CACHE(16)',
  'TEST UNIT READY',
]);

const VPD_PAGES = [0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2] as const;

function withAllocation(data: Uint8Array, allocation: number): HandlerResult {
  return good(data.subarray(0, Math.min(data.length, allocation)));
}

function ascii(text: string, length: number): Uint8Array {
  const out = new Uint8Array(length).fill(0x20);
  for (let i = 0; i < Math.min(length, text.length); i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

/** Range check shared by every read, write and verify (SBC-4: LBA + count past the end → 21h/00h). */
function checkRange(lu: DiskLu, lba: bigint, count: number): HandlerResult | undefined {
  return lba + BigInt(count) > BigInt(lu.profile.blocks) ? LBA_OUT_OF_RANGE : undefined;
}

function blocksOf(ctx: Ctx): number {
  const phase = dataPhaseOf(ctx.cdb, ctx.fields, ctx.spec.length);
  if (phase.units !== undefined && phase.rule?.unit === 'blocks') return phase.units;
  // VERIFY with BYTCHK=0 has no data phase; its VERIFICATION LENGTH still names the blocks.
  const f = ctx.fields.find((x) => x.role === 'transferLength');
  return f ? Number(readField(ctx.cdb, f)) : 0;
}

/**
 * The drive is formatted without protection information (INQUIRY PROTECT=0),
 * so a nonzero RDPROTECT/WRPROTECT/VRPROTECT is refused with 05/24/00 pointing
 * at byte 1 bit 7 (SBC-4, READ(10) and the other commands with the field).
 */
function protectionRefused(ctx: Ctx): HandlerResult | undefined {
  const f = ctx.fields.find((x) => x.key.endsWith('protect') && x.byte === 1);
  return f && readField(ctx.cdb, f) !== 0n ? invalidField(1, 7) : undefined;
}

const read: Handler = async (lu, ctx) => {
  const refused = protectionRefused(ctx);
  if (refused) return refused;
  const lba = ctx.getBig('lba');
  const count = blocksOf(ctx);
  const bad = checkRange(lu, lba, count);
  if (bad) return bad;
  return good(await lu.store.read(Number(lba), count));
};

const write: Handler = async (lu, ctx) => {
  const refused = protectionRefused(ctx);
  if (refused) return refused;
  const lba = ctx.getBig('lba');
  const count = blocksOf(ctx);
  const bad = checkRange(lu, lba, count);
  if (bad) return bad;
  await lu.store.write(Number(lba), ctx.dataOut.subarray(0, count * lu.profile.blockSize));
  if (ctx.get('fua') === 1) await lu.store.flush();
  return good();
};

const verify: Handler = async (lu, ctx) => {
  const refused = protectionRefused(ctx);
  if (refused) return refused;
  const lba = ctx.getBig('lba');
  const count = blocksOf(ctx);
  const bad = checkRange(lu, lba, count);
  if (bad) return bad;
  if (ctx.get('bytChk') === 0) return good();
  const stored = await lu.store.read(Number(lba), count);
  const expected = ctx.get('bytChk') === 3 ? null : ctx.dataOut;
  for (let i = 0; i < stored.length; i++) {
    const want = expected ? expected[i] : ctx.dataOut[i % lu.profile.blockSize];
    // MISCOMPARE DURING VERIFY OPERATION, INFORMATION = offset of the first differing byte (SBC-4 VERIFY).
    if (stored[i] !== want) return check(0x0e, 0x1d, 0x00, { information: BigInt(i) });
  }
  return good();
};

/**
 * Version descriptors a drive claims in standard INQUIRY bytes 58–73, by its
 * INQUIRY VERSION (SPC-5 version descriptor values; names as sg_inq -d prints
 * them). SPC-3 and later drives carry the SBC-3 Block Limits page (60 bytes),
 * so they claim SBC-3; all are reached through USB Bulk-Only Transport 1.0.
 * SPC-2-era drives answer the classic 36 bytes.
 */
const VERSION_DESCRIPTORS: Readonly<Record<number, readonly number[]>> = {
  5: [0x0300 /* SPC-3 */, 0x04c0 /* SBC-3 */, 0x1730 /* USB BOT 1.0 */],
  6: [0x00a0 /* SAM-5 */, 0x0460 /* SPC-4 */, 0x04c0 /* SBC-3 */, 0x1730 /* USB BOT 1.0 */],
  7: [0x05c0 /* SPC-5 */, 0x0600 /* SBC-4 */, 0x1730 /* USB BOT 1.0 */],
};

function standardInquiry(lu: DiskLu): Uint8Array {
  const p = lu.profile.inquiry;
  const descriptors = VERSION_DESCRIPTORS[p.version] ?? [];
  const d = new Uint8Array(descriptors.length > 0 ? 96 : 36);
  d[0] = 0x00; // peripheral qualifier 0, direct access block device
  d[1] = p.removable ? 0x80 : 0x00;
  d[2] = p.version;
  d[3] = 0x02 | (p.version >= 0x05 ? 0x10 : 0); // response data format 2; HISUP from SPC-3 on
  d[4] = d.length - 5;
  d.set(ascii(p.vendor, 8), 8);
  d.set(ascii(p.product, 16), 16);
  d.set(ascii(lu.microcode.revision, 4), 32);
  descriptors.forEach((v, i) => putBe16(d, 58 + 2 * i, v));
  return d;
}

function vpdPage(lu: DiskLu, page: number): Uint8Array | undefined {
  const body = ((): Uint8Array | undefined => {
    switch (page) {
      case 0x00:
        return Uint8Array.from(VPD_PAGES);
      case 0x80:
        return ascii(lu.profile.usb.serial, lu.profile.usb.serial.length);
      case 0x83: {
        // One T10 vendor ID based designator (type 1, ASCII, logical unit): vendor + serial.
        const id = ascii(
          `${lu.profile.inquiry.vendor.padEnd(8)}${lu.profile.usb.serial}`,
          8 + lu.profile.usb.serial.length,
        );
        return Uint8Array.from([0x02, 0x01, 0x00, id.length, ...id]);
      }
      case 0xb0: {
        const b = new Uint8Array(0x3c);
        putBe32(b, 4, Math.floor((1024 * 1024) / lu.profile.blockSize)); // MAXIMUM TRANSFER LENGTH: 1 MiB
        putBe32(b, 8, Math.floor((64 * 1024) / lu.profile.blockSize)); // OPTIMAL TRANSFER LENGTH: 64 KiB
        // UNMAP is supported: MAXIMUM UNMAP LBA COUNT and MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (SBC-4 Block Limits).
        putBe32(b, 16, 0xffffffff);
        putBe32(b, 20, 64);
        return b;
      }
      case 0x86: {
        // Extended INQUIRY Data: HEADSUP/ORDSUP/SIMPSUP (task attributes), V_SUP (a volatile cache);
        // ACTIVATE_MICROCODE 01b: microcode is activated before WRITE BUFFER completes.
        const b = new Uint8Array(0x3c);
        b[0] = 0x40;
        b[1] = 0x07;
        b[2] = 0x01;
        return b;
      }
      case 0xb1: {
        const b = new Uint8Array(0x3c);
        putBe16(b, 0, 1); // non-rotating medium
        return b;
      }
      case 0xb2:
        // Logical Block Provisioning (SBC-4): LBPU (UNMAP works), LBPRZ 001b (unmapped blocks read
        // as zeros), provisioning type 010b (thin): what the UNMAP handler does.
        return Uint8Array.from([0, 0x80 | (0x01 << 2), 0x02, 0]);
      default:
        return undefined;
    }
  })();
  if (!body) return undefined;
  const out = new Uint8Array(4 + body.length);
  out[1] = page;
  putBe16(out, 2, body.length);
  out.set(body, 4);
  return out;
}

const inquiry: Handler = (lu, ctx) => {
  const evpd = ctx.get('evpd');
  const page = ctx.get('pageCode');
  const alloc = ctx.get('allocationLength');
  if (evpd === 0)
    return Promise.resolve(
      page !== 0 ? invalidField(2) : withAllocation(standardInquiry(lu), alloc),
    );
  const data = vpdPage(lu, page);
  return Promise.resolve(data ? withAllocation(data, alloc) : invalidField(2));
};

const requestSense: Handler = (lu, ctx) => {
  const pending = lu.takeSense() ?? lu.takeUnitAttention();
  const fields = pending ?? { key: 0, asc: 0, ascq: 0 };
  const bytes = ctx.get('desc') === 1 ? encodeDescriptorSense(fields) : encodeFixedSense(fields);
  return Promise.resolve(withAllocation(bytes, ctx.get('allocationLength')));
};

const readCapacity10: Handler = (lu) => {
  const d = new Uint8Array(8);
  putBe32(d, 0, Math.min(lu.profile.blocks - 1, 0xffffffff));
  putBe32(d, 4, lu.profile.blockSize);
  return Promise.resolve(good(d));
};

const readCapacity16: Handler = (lu, ctx) => {
  const d = new Uint8Array(32);
  putBe64(d, 0, BigInt(lu.profile.blocks - 1));
  putBe32(d, 8, lu.profile.blockSize);
  // LBPME: logical block provisioning (UNMAP) is enabled; LBPRZ: unmapped blocks read as zeros.
  d[14] = 0x80 | 0x40;
  return Promise.resolve(withAllocation(d, ctx.get('allocationLength')));
};

/** Mode pages: current values, with which bits MODE SELECT may change (PC=01b). */
function modePage(lu: DiskLu, code: number, changeable: boolean): Uint8Array | undefined {
  switch (code) {
    case 0x08: {
      const p = new Uint8Array(0x14);
      p[0] = 0x08;
      p[1] = 0x12;
      p[2] = changeable ? 0x04 : lu.writeCacheEnabled ? 0x04 : 0x00; // WCE
      return p;
    }
    case 0x0a: {
      const p = new Uint8Array(0x0c);
      p[0] = 0x0a;
      p[1] = 0x0a;
      p[2] = changeable ? 0x04 : lu.descriptorSense ? 0x04 : 0x00; // D_SENSE
      return p;
    }
    case 0x1c: {
      const p = new Uint8Array(0x0c);
      p[0] = 0x1c;
      p[1] = 0x0a;
      p[2] = changeable ? 0 : 0x08; // DEXCPT: informational exceptions disabled
      return p;
    }
    default:
      return undefined;
  }
}

const MODE_PAGES = [0x08, 0x0a, 0x1c] as const;

function modeSense(ten: boolean): Handler {
  return (lu, ctx) => {
    const pc = ctx.get('pc');
    const code = ctx.get('pageCode');
    if (pc === 3) return Promise.resolve(check(0x05, 0x39, 0x00)); // SAVING PARAMETERS NOT SUPPORTED
    if (ctx.get('subpageCode') !== 0 && ctx.get('subpageCode') !== 0xff)
      return Promise.resolve(invalidField(3));
    const codes = code === 0x3f ? [...MODE_PAGES] : [code];
    const pages = codes.map((c) => modePage(lu, c, pc === 1));
    if (pages.some((p) => p === undefined)) return Promise.resolve(invalidField(2, 5));
    const descriptor = new Uint8Array(ctx.get('dbd') === 1 ? 0 : 8);
    if (descriptor.length > 0) {
      putBe32(descriptor, 0, Math.min(lu.profile.blocks, 0xffffffff));
      descriptor[5] = (lu.profile.blockSize >> 16) & 0xff;
      putBe16(descriptor, 6, lu.profile.blockSize & 0xffff);
    }
    const body = [...descriptor, ...pages.flatMap((p) => Array.from(p ?? []))];
    const headerLength = ten ? 8 : 4;
    const out = new Uint8Array(headerLength + body.length);
    // Header: MODE DATA LENGTH (excludes itself), MEDIUM TYPE 0, DEVICE-SPECIFIC (DPOFUA), BLOCK DESCRIPTOR LENGTH.
    if (ten) {
      putBe16(out, 0, out.length - 2);
      out[3] = 0x10;
      putBe16(out, 6, descriptor.length);
    } else {
      out[0] = out.length - 1;
      out[2] = 0x10;
      out[3] = descriptor.length;
    }
    out.set(body, headerLength);
    return Promise.resolve(withAllocation(out, ctx.get('allocationLength')));
  };
}

const startStop: Handler = (lu, ctx) => {
  if (ctx.get('loej') === 1 && lu.profile.inquiry.removable) {
    if (ctx.get('start') === 0) {
      if (lu.preventRemoval) return Promise.resolve(check(0x05, 0x53, 0x02)); // MEDIUM REMOVAL PREVENTED
      lu.mediumPresent = false;
    } else lu.mediumPresent = true;
  }
  return Promise.resolve(good());
};

const preventAllow: Handler = (lu, ctx) => {
  lu.preventRemoval = ctx.get('prevent') === 1;
  return Promise.resolve(good());
};

const synchronizeCache: Handler = async (lu) => {
  await lu.store.flush();
  return good();
};

/** REPORT LUNS (SPC-5): every LUN of the target, single-level peripheral addressing. */
const reportLuns: Handler = (lu, ctx) => {
  const alloc = ctx.get('allocationLength');
  if (alloc < 16) return Promise.resolve(invalidField(6));
  const d = new Uint8Array(8 + 8 * lu.lunCount);
  putBe32(d, 0, 8 * lu.lunCount);
  for (let i = 0; i < lu.lunCount; i++) d[8 + 8 * i + 1] = i;
  return Promise.resolve(withAllocation(d, alloc));
};

const readFormatCapacities: Handler = (lu, ctx) => {
  const d = new Uint8Array(12);
  d[3] = 8; // capacity list length: one descriptor
  putBe32(d, 4, Math.min(lu.profile.blocks, 0xffffffff));
  d[8] = lu.mediumPresent ? 0x02 : 0x03; // 10b formatted media, 11b no media present
  d[9] = (lu.profile.blockSize >> 16) & 0xff;
  putBe16(d, 10, lu.profile.blockSize & 0xffff);
  return Promise.resolve(withAllocation(d, ctx.get('allocationLength')));
};

/**
 * A command timeouts descriptor (SPC-5): length 0Ah, then the nominal and
 * recommended timeouts in seconds; 0 says "not specified", which is the truth
 * for a drive that answers at once.
 */
const TIMEOUTS_DESCRIPTOR = [0x00, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

const supportedOperationCodes: Handler = (_lu, ctx) => {
  const options = ctx.get('reportingOptions');
  const rctd = ctx.get('rctd') === 1;
  const implemented = COMMANDS.filter((c) => HANDLERS[c.name] !== undefined);
  if (options === 0) {
    const body = implemented.flatMap((c) => {
      const d = new Uint8Array(8);
      d[0] = c.opcode;
      if (c.serviceAction !== undefined) {
        putBe16(d, 2, c.serviceAction);
        d[5] = 0x01; // SERVACTV
      }
      if (rctd) d[5] = (d[5] ?? 0) | 0x02; // CTDP: a timeouts descriptor follows
      putBe16(d, 6, c.cdbLength);
      return [...d, ...(rctd ? TIMEOUTS_DESCRIPTOR : [])];
    });
    const out = new Uint8Array(4 + body.length);
    putBe32(out, 0, body.length);
    out.set(body, 4);
    return Promise.resolve(withAllocation(out, ctx.get('allocationLength')));
  }
  if (options > 3) return Promise.resolve(invalidField(2, 2));
  const op = ctx.get('requestedOpcode');
  const sa = ctx.get('requestedServiceAction');
  // SPC-5: option 001b names an opcode without service actions, 010b one with them;
  // the other kind is an invalid field.
  const hasServiceActions = implemented.some(
    (c) => c.opcode === op && c.serviceAction !== undefined,
  );
  if ((options === 1 && hasServiceActions) || (options === 2 && !hasServiceActions))
    return Promise.resolve(invalidField(2, 2));
  const spec = implemented.find(
    (c) => c.opcode === op && (options === 1 || c.serviceAction === sa),
  );
  if (!spec)
    return Promise.resolve(
      withAllocation(Uint8Array.from([0, 0x01, 0, 0]), ctx.get('allocationLength')),
    );
  // CDB USAGE DATA: a 1 for every bit the device examines — everything but reserved bits (catalog masks).
  const usage = Array.from({ length: spec.cdbLength }, (_, i) =>
    i === 0 ? spec.opcode : ~reservedMask(spec.fields, i) & 0xff,
  );
  const out = Uint8Array.from([
    0,
    (rctd ? 0x80 : 0) | 0x03, // CTDP, SUPPORT 011b: supported as the standard says
    0,
    spec.cdbLength,
    ...usage,
    ...(rctd ? TIMEOUTS_DESCRIPTOR : []),
  ]);
  return Promise.resolve(withAllocation(out, ctx.get('allocationLength')));
};

const writeBufferHandler: Handler = (lu, ctx) =>
  Promise.resolve(
    writeBuffer(lu, ctx.get('mode'), ctx.get('bufferId'), ctx.get('bufferOffset'), ctx.dataOut),
  );

const readBufferHandler: Handler = (lu, ctx) =>
  Promise.resolve(
    readBuffer(
      lu,
      ctx.get('mode'),
      ctx.get('bufferId'),
      ctx.get('bufferOffset'),
      ctx.get('allocationLength'),
    ),
  );

/** UNMAP (SBC-4): an 8-byte header, then 16-byte descriptors (LBA, block count); unmapped blocks read as zeros. */
const unmap: Handler = async (lu, ctx) => {
  const d = ctx.dataOut;
  if (d.length === 0) return good();
  if (d.length < 8) return check(0x05, 0x1a, 0x00); // PARAMETER LIST LENGTH ERROR
  const descLength = ((d[2] ?? 0) << 8) | (d[3] ?? 0);
  for (let off = 8; off + 16 <= Math.min(d.length, 8 + descLength); off += 16) {
    const r = new DataView(d.buffer, d.byteOffset + off, 16);
    const lba = r.getBigUint64(0);
    const count = r.getUint32(8);
    const bad = checkRange(lu, lba, count);
    if (bad) return bad;
    for (let i = 0; i < count; i += 256) {
      const n = Math.min(256, count - i);
      await lu.store.write(Number(lba) + i, new Uint8Array(n * lu.profile.blockSize));
    }
  }
  return good();
};

/** SEND DIAGNOSTIC: the default self-test (SELFTEST=1) and the short/extended self-test codes pass. */
const sendDiagnostic: Handler = (lu, ctx) => {
  const code = ctx.get('selfTestCode');
  if (ctx.get('selfTest') === 1 && code !== 0) return Promise.resolve(invalidField(1, 7));
  if (ctx.get('selfTest') === 0 && ctx.get('parameterListLength') === 0 && code === 0)
    return Promise.resolve(good());
  if ([3, 7].includes(code)) return Promise.resolve(invalidField(1, 7));
  lu.note(`self-test ${ctx.get('selfTest') === 1 ? 'default' : `code ${code}`} passed`);
  return Promise.resolve(good());
};

/**
 * MODE SELECT(6)/(10) (SPC-5): a header, optional block descriptors, then
 * pages. The caching page's WCE and the control page's D_SENSE can change;
 * any other change is refused with INVALID FIELD IN PARAMETER LIST naming the byte.
 */
function modeSelect(ten: boolean): Handler {
  return (lu, ctx) => {
    const d = ctx.dataOut;
    const header = ten ? 8 : 4;
    if (d.length < header)
      return Promise.resolve(d.length === 0 ? good() : check(0x05, 0x1a, 0x00));
    if (ctx.get('pf') !== 1) return Promise.resolve(invalidField(1, 4));
    if (ctx.get('sp') === 1) return Promise.resolve(invalidField(1, 0)); // saving pages is not supported
    const bdl = ten ? ((d[6] ?? 0) << 8) | (d[7] ?? 0) : (d[3] ?? 0);
    let off = header + bdl;
    while (off + 2 <= d.length) {
      const code = (d[off] ?? 0) & 0x3f;
      const len = d[off + 1] ?? 0;
      const current = modePage(lu, code, false);
      const changeable = modePage(lu, code, true);
      const pointer = (byte: number): HandlerResult =>
        check(0x05, 0x26, 0x00, {
          senseKeySpecific: {
            kind: 'field-pointer',
            inCdb: false,
            bitPointerValid: false,
            bitPointer: 0,
            fieldPointer: byte,
          },
        });
      if (!current || !changeable || len !== (current[1] ?? 0))
        return Promise.resolve(pointer(off));
      for (let i = 2; i < len + 2; i++) {
        const changed = ((d[off + i] ?? 0) ^ (current[i] ?? 0)) & ~(changeable[i] ?? 0);
        if (changed) return Promise.resolve(pointer(off + i));
      }
      if (code === 0x08) lu.writeCacheEnabled = ((d[off + 2] ?? 0) & 0x04) !== 0;
      if (code === 0x0a) lu.descriptorSense = ((d[off + 2] ?? 0) & 0x04) !== 0;
      off += 2 + len;
    }
    lu.modeParametersChanged();
    return Promise.resolve(good());
  };
}

/** The implemented commands, by catalog name. */
const HANDLERS: Readonly<Record<string, Handler>> = {
  'TEST UNIT READY': () => Promise.resolve(good()),
  'REQUEST SENSE': requestSense,
  INQUIRY: inquiry,
  'READ(6)': read,
  'READ(10)': read,
  'READ(12)': read,
  'READ(16)': read,
  'WRITE(6)': write,
  'WRITE(10)': write,
  'WRITE(12)': write,
  'WRITE(16)': write,
  'VERIFY(10)': verify,
  'VERIFY(16)': verify,
  'READ CAPACITY(10)': readCapacity10,
  'READ CAPACITY(16)': readCapacity16,
  'MODE SENSE(6)': modeSense(false),
  'MODE SENSE(10)': modeSense(true),
  'START STOP UNIT': startStop,
  'PREVENT ALLOW MEDIUM REMOVAL': preventAllow,
  'SYNCHRONIZE CACHE(10)': synchronizeCache,
  'SYNCHRONIZE CACHE(16)': synchronizeCache,
  'REPORT LUNS': reportLuns,
  'READ FORMAT CAPACITIES': readFormatCapacities,
  'REPORT SUPPORTED OPERATION CODES': supportedOperationCodes,
  'WRITE BUFFER': writeBufferHandler,
  UNMAP: unmap,
  'SEND DIAGNOSTIC': sendDiagnostic,
  'MODE SELECT(6)': modeSelect(false),
  'MODE SELECT(10)': modeSelect(true),
  'READ BUFFER(10)': readBufferHandler,
};

export class DiskLu implements BufferDevice, VendorDevice {
  readonly microcode: Microcode;
  readonly dataBuffer = new Uint8Array(DATA_BUFFER_SIZE);
  readonly log: string[] = ['power on'];
  led = 0;
  /**
   * Sense and unit attentions are kept per I_T nexus (SPC-5): each host
   * connection — a BOT device instance — is an initiator. A nexus seen for
   * the first time starts with the power-on unit attention.
   */
  private readonly nexus = new Map<
    string,
    { sense: CheckResult | undefined; attentions: CheckResult[] }
  >();
  private current = this.nexusOf('host');
  mediumPresent: boolean;
  /** needsTestUnitReady quirk: medium access waits for a TEST UNIT READY after power-on. */
  private awaitingTur: boolean;
  preventRemoval = false;
  writeCacheEnabled = true;
  descriptorSense = false;

  /** @param lunCount how many logical units the target has (REPORT LUNS lists them) */
  constructor(
    readonly profile: Profile,
    readonly store: BlockStore,
    readonly lunCount = 1,
  ) {
    this.microcode = new Microcode(profile.inquiry.revision);
    this.mediumPresent = profile.mediumPresent || !profile.inquiry.removable;
    this.awaitingTur = profile.quirks.needsTestUnitReady;
  }

  /** The layout this device reads CDBs with: SPC-2 layouts on an SPC-2 device. */
  private layout(spec: CommandSpec): ReturnType<typeof layoutOf> {
    return this.profile.inquiry.version <= 0x04 ? layoutOf(spec, 'SPC-2') : layoutOf(spec);
  }

  /** What the device wants to move for this CDB — BOT needs it before the data phase. */
  plan(cdb: Uint8Array): { readonly direction: Direction; readonly bytes: number } {
    const vendor = this.vendorCommand(cdb);
    const spec = vendor?.spec ?? findCommand(cdb);
    if (!spec || (!vendor && !HANDLERS[spec.name]) || cdb.length < spec.cdbLength)
      return { direction: 'none', bytes: 0 };
    const layout = vendor ? layoutOf(spec) : this.layout(spec);
    const phase = dataPhaseOf(cdb, layout.fields, layout.length);
    if (phase.direction === 'none' || phase.units === undefined)
      return { direction: 'none', bytes: 0 };
    const unit =
      phase.rule?.unit === 'bytes'
        ? 1
        : phase.rule?.unit === 'blocks512'
          ? 512
          : this.profile.blockSize;
    return { direction: phase.direction, bytes: phase.units * unit };
  }

  private nexusOf(initiator: string): {
    sense: CheckResult | undefined;
    attentions: CheckResult[];
  } {
    let n = this.nexus.get(initiator);
    if (!n) {
      n = { sense: undefined, attentions: [POWER_ON_RESET] };
      this.nexus.set(initiator, n);
    }
    return n;
  }

  /** Queues a unit attention for every nexus, or every nexus but the one that caused it. */
  private attention(ua: CheckResult, exceptCurrent: boolean): void {
    for (const n of this.nexus.values())
      if (!(exceptCurrent && n === this.current)) n.attentions.push(ua);
  }

  takeSense(): SenseFieldsOf | undefined {
    const s = this.current.sense;
    this.current.sense = undefined;
    return s && senseFields(s);
  }

  takeUnitAttention(): SenseFieldsOf | undefined {
    const s = this.current.attentions.shift();
    return s && senseFields(s);
  }

  /** MODE SELECT changed parameters: the other nexuses get UNIT ATTENTION 06/2A/01 MODE PARAMETERS CHANGED (SPC-5). */
  modeParametersChanged(): void {
    this.note('mode parameters changed');
    this.attention(check(0x06, 0x2a, 0x01), true);
  }

  get firmwareRevision(): string {
    return this.microcode.revision;
  }

  note(line: string): void {
    this.log.push(line);
  }

  /** New microcode is running: the next command gets UNIT ATTENTION 3Fh/01h MICROCODE HAS BEEN CHANGED. */
  microcodeChanged(revision: string): void {
    this.note(`microcode ${revision} activated`);
    this.attention(check(0x06, 0x3f, 0x01), false);
  }

  /** The example vendor set's download: the same machinery as WRITE BUFFER mode 07h. */
  downloadMicrocode(offset: number, data: Uint8Array, activate: boolean): VendorResult {
    const stored = this.microcode.store(offset, data);
    const r =
      stored.kind !== 'stored' || !activate
        ? downloadResult(this, stored, 3, 6)
        : downloadResult(this, this.microcode.finish('activate'), 3, 6);
    if (r.kind === 'good') return r;
    const sks = r.senseKeySpecific;
    return {
      kind: 'check',
      key: r.key,
      asc: r.asc,
      ascq: r.ascq,
      ...(sks?.kind === 'field-pointer'
        ? { fieldPointer: { byte: sks.fieldPointer, inCdb: sks.inCdb } }
        : {}),
    };
  }

  /** A power-on or bus reset: the next command gets UNIT ATTENTION 06/29/00. */
  powerOnReset(): void {
    for (const n of this.nexus.values()) {
      n.attentions = [POWER_ON_RESET];
      n.sense = undefined;
    }
    this.awaitingTur = this.profile.quirks.needsTestUnitReady;
  }

  /** The vendor command this CDB selects, if the device implements its set and nothing filters it. */
  private vendorCommand(cdb: Uint8Array): VendorCommand | undefined {
    return this.profile.quirks.rejectVendorOpcodes
      ? undefined
      : findVendorCommand(this.profile.vendorSets, cdb);
  }

  /** Runs one command for `initiator` (one per host connection). */
  async execute(
    cdb: Uint8Array,
    dataOut: Uint8Array = new Uint8Array(),
    initiator = 'host',
  ): Promise<ScsiResult> {
    this.current = this.nexusOf(initiator);
    const result = await this.dispatch(cdb, dataOut);
    if (result.kind === 'good') {
      return { status: 'good', dataIn: result.data };
    }
    this.current.sense = result;
    return { status: 'check-condition', dataIn: new Uint8Array() };
  }

  private async dispatch(cdb: Uint8Array, dataOut: Uint8Array): Promise<HandlerResult> {
    const spec = cdb.length > 0 ? findCommand(cdb) : undefined;
    const handler = spec ? HANDLERS[spec.name] : undefined;
    // A pending unit attention ends any command but the three SPC-5 exempts, implemented or not.
    const ua = this.current.attentions[0];
    if (ua && !UA_EXEMPT.has(spec?.name ?? '')) {
      this.current.attentions.shift();
      return ua;
    }
    const vendor = this.vendorCommand(cdb);
    if (vendor)
      return cdb.length < vendor.spec.cdbLength
        ? INVALID_OPCODE
        : runVendor(this, vendor, cdb, dataOut);
    if (!spec || !handler || cdb.length < spec.cdbLength) return INVALID_OPCODE;
    const layout = this.layout(spec);
    if (this.profile.quirks.spc2Strict) {
      for (let i = 1; i < spec.cdbLength; i++) {
        const bad = reservedMask(layout.fields, i) & (cdb[i] as number);
        if (bad) return invalidField(i, 31 - Math.clz32(bad));
      }
    }
    if (spec.name === 'TEST UNIT READY') this.awaitingTur = false;
    else if (this.awaitingTur && MEDIUM_ACCESS.has(spec.name)) return BECOMING_READY;
    if (MEDIUM_ACCESS.has(spec.name) && !this.mediumPresent) return MEDIUM_NOT_PRESENT;
    const byKey = fieldsByKey(layout.fields);
    const getBig = (key: string): bigint => {
      const f = byKey.get(key);
      return f ? readField(cdb, f) : 0n;
    };
    return handler(this, {
      cdb,
      spec,
      fields: layout.fields,
      dataOut,
      get: (k) => Number(getBig(k)),
      getBig,
    });
  }
}

type SenseFieldsOf = Parameters<typeof encodeFixedSense>[0];

/** Field look-up by key, built once per layout (the catalog is frozen, so layouts never change). */
const FIELD_MAPS = new WeakMap<readonly FieldSpec[], ReadonlyMap<string, FieldSpec>>();
function fieldsByKey(fields: readonly FieldSpec[]): ReadonlyMap<string, FieldSpec> {
  let m = FIELD_MAPS.get(fields);
  if (!m) {
    m = new Map(fields.map((f) => [f.key, f]));
    FIELD_MAPS.set(fields, m);
  }
  return m;
}

function runVendor(
  lu: DiskLu,
  command: VendorCommand,
  cdb: Uint8Array,
  dataOut: Uint8Array,
): Promise<HandlerResult> {
  const byKey = fieldsByKey(command.spec.fields);
  const field = (key: string): number => {
    const f = byKey.get(key);
    return f ? Number(readField(cdb, f)) : 0;
  };
  const r = command.handle(lu, field, dataOut);
  if (r.kind === 'good') return Promise.resolve(good(r.data));
  const p = r.fieldPointer;
  return Promise.resolve(
    check(
      r.key,
      r.asc,
      r.ascq,
      p
        ? {
            senseKeySpecific: {
              kind: 'field-pointer',
              inCdb: p.inCdb,
              bitPointerValid: false,
              bitPointer: 0,
              fieldPointer: p.byte,
            },
          }
        : {},
    ),
  );
}

function senseFields(s: CheckResult): SenseFieldsOf {
  return {
    key: s.key,
    asc: s.asc,
    ascq: s.ascq,
    ...(s.senseKeySpecific ? { senseKeySpecific: s.senseKeySpecific } : {}),
    ...(s.information !== undefined ? { information: s.information } : {}),
  };
}

export { HANDLERS };
