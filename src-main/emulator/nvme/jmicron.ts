/**
 * The JMicron JMS581/583 USB–NVMe bridge's pass-through (`smartctl -d
 * sntjmicron`). It reuses A1h, the standard ATA PASS-THROUGH(12) opcode; its
 * CDBs are declared by the jmicron-nvme vendor set
 * (shared/vendor-sets/jmicron-nvme), which says why and selects each phase
 * by byte 1. A profile whose `nvme.bridge` is `jmicron` has its A1h routed
 * here (handlers/index.ts); the fields it reads and the sense field pointers
 * it returns are the set's declared ones.
 *
 * One NVMe admin command takes three CDBs, each 12 bytes, byte 1 = 80h |
 * PROTOCOL, bytes 3–5 the parameter length (big-endian):
 * 1. PROTOCOL 0, 512 bytes out: the command (little-endian dwords, dw0 "NVME").
 * 2. PROTOCOL 1 no data, 2 data-in, 3 data-out: the command runs.
 * 3. PROTOCOL Fh, 512 bytes in: its completion.
 * The bridge keeps the command and then the completion between CDBs, per
 * I_T nexus (each host connection has its own, so two hosts' phases do not
 * mix); a phase out of order is ILLEGAL REQUEST, INVALID FIELD IN CDB at the
 * PROTOCOL field.
 */
import { putLe32, readBounded } from '../../../shared/scsi/bytes';
import { fieldValue, type CommandSpec, type Direction } from '../../../shared/scsi/catalog';
import { err, ok, type Result } from '../../../shared/scsi/result';
import { findVendorSet } from '../../../shared/vendor-sets/registry';
import type { DiskLu } from '../disk';
import { invalidFieldOf } from '../field-pointer';
import type { Ctx } from '../handlers/context';
import { NexusKey } from '../nexus';
import { check, good, INVALID_OPCODE, type HandlerResult } from '../responses';
import { ADMIN_GET_LOG_PAGE, ADMIN_IDENTIFY, CNS_NAMESPACE, NvmeDevice } from './device';

/**
 * The jmicron-nvme set's phase 1 declaration. Every phase declares the same
 * `protocol` (byte 1) and `parameterLength` (bytes 3–5) fields, so this one
 * reads any phase's CDB. A built-in set missing it is a programmer error the
 * tests catch when this module loads.
 */
export const JMICRON_CDB: CommandSpec = (() => {
  const alias = 'jmicron-nvme.command-block';
  const c = findVendorSet('jmicron-nvme')?.commands.find((x) => x.spec.aliases.includes(alias));
  if (!c) throw new Error(`the built-in jmicron-nvme set has no ${alias}`);
  return c.spec;
})();

/** Byte 1 bit 7: the JMicron NVMe pass-through (SAT's MULTIPLE_COUNT bits in ATA PASS-THROUGH(12)). */
export const JMICRON_NVME = 0x80;
/** PROTOCOL (byte 1, bits 3:0) of each phase. */
export const PROTOCOL = {
  command: 0x0,
  noData: 0x1,
  dataIn: 0x2,
  dataOut: 0x3,
  completion: 0xf,
} as const;
/** "NVME" as a little-endian dword: the first dword of the command and of the completion block. */
export const SIGNATURE = 0x454d564e;
/** The command block (phase 1) and the completion block (phase 3). */
export const BLOCK_BYTES = 512;
/** Log id 06h, Device Self-test (NVMe 1.4, figure 191). */
export const LOG_SELF_TEST = 0x06;
/** The largest self-test log read the bridge survives: larger ones hang it (docs/bridges.md). */
export const SELF_TEST_LOG_LIMIT = 0x218;
/**
 * How long a hung bridge takes to answer: longer than any host waits (Linux
 * sd 30 s, sg and smartctl 60 s), so the host times out and resets first.
 * Finite, so the emulator and its exporters never keep a command forever.
 */
export const HANG_MS = 120_000;

/** NVMe generic command status codes (NVMe 1.4, figure 127), status field bits 7:0. */
const SC_SUCCESS = 0x00;
const SC_INVALID_OPCODE = 0x01;
const SC_INVALID_FIELD = 0x02;
const SC_INVALID_NAMESPACE = 0x0b;
/** Status field bit 14: Do Not Retry. */
const DNR = 0x4000;
const NSID_BROADCAST = 0xffffffff;

/** ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST: the command block's signature is wrong. */
const BAD_PARAMETER = check(0x05, 0x26, 0x00);
/** ABORTED COMMAND: what a hung bridge finally answers, long after the host gave up. */
const ABORTED = check(0x0b, 0x00, 0x00);

/** The admin command phase 1 delivers (the submission queue entry's dwords the bridge passes). */
interface JmicronCommand {
  readonly opcode: number;
  readonly nsid: number;
  /** CDW10–CDW15. */
  readonly cdw: readonly number[];
}

/** The bridge's state between CDBs: nothing, a command waiting to run, or the last completion. */
type BridgeState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'command'; readonly command: JmicronCommand }
  | { readonly kind: 'completed'; readonly dw0: number; readonly status: number };

/** The three-phase state, one per I_T nexus: each host connection's phases are its own. */
const PHASES = new NexusKey<{ state: BridgeState }>('jmicron-nvme phases', () => ({
  state: { kind: 'idle' },
}));

/** The SSD behind the bridge: one per drive, whichever nexus reaches it. */
const SSDS = new WeakMap<DiskLu, NvmeDevice | null>();
function ssdOf(lu: DiskLu): NvmeDevice | undefined {
  let ssd = SSDS.get(lu);
  if (ssd === undefined) {
    const p = lu.profile;
    ssd = p.nvme ? new NvmeDevice(p.nvme, { blocks: p.blocks, blockSize: p.blockSize }) : null;
    SSDS.set(lu, ssd);
  }
  return ssd ?? undefined;
}

/** Whether the drive's A1h is JMicron's (its profile says so). */
export function speaksJmicron(lu: Pick<DiskLu, 'profile'>): boolean {
  return lu.profile.nvme?.bridge === 'jmicron';
}

/** Byte 1 as the set declares it: 80h | PROTOCOL. */
const selectorOf = (cdb: Uint8Array): number => fieldValue(cdb, JMICRON_CDB, 'protocol') ?? 0;
const protocolOf = (cdb: Uint8Array): number => selectorOf(cdb) & 0x0f;
const lengthOf = (cdb: Uint8Array): number => fieldValue(cdb, JMICRON_CDB, 'parameterLength') ?? 0;

/**
 * The data phase a JMicron CDB asks for (BOT needs it before the data moves):
 * the parameter length in the direction its PROTOCOL names. Undefined for a
 * CDB that is not JMicron's (byte 1 bit 7 clear).
 */
export function jmicronDataPhase(
  cdb: Uint8Array,
): { readonly direction: Direction; readonly bytes: number } | undefined {
  if (cdb.length < JMICRON_CDB.cdbLength || (selectorOf(cdb) & JMICRON_NVME) === 0)
    return undefined;
  const bytes = lengthOf(cdb);
  const protocol = protocolOf(cdb);
  const direction: Direction =
    protocol === PROTOCOL.command || protocol === PROTOCOL.dataOut
      ? 'out'
      : protocol === PROTOCOL.dataIn || protocol === PROTOCOL.completion
        ? 'in'
        : 'none';
  return direction === 'none' || bytes === 0
    ? { direction: 'none', bytes: 0 }
    : { direction, bytes };
}

/** INVALID FIELD IN CDB at the set's `protocol` field (byte 1: 80h | PROTOCOL). */
const invalidProtocol = (): HandlerResult => invalidFieldOf(JMICRON_CDB, 'protocol');
/** INVALID FIELD IN CDB at the set's `parameterLength` field (bytes 3–5). */
const invalidLength = (): HandlerResult => invalidFieldOf(JMICRON_CDB, 'parameterLength');

/** A1h on a JMicron bridge. */
export async function jmicronPassThrough(
  lu: DiskLu,
  ctx: Pick<Ctx, 'cdb' | 'dataOut'>,
): Promise<HandlerResult> {
  const cdb = ctx.cdb;
  // Not the NVMe pass-through: SAT ATA PASS-THROUGH(12), which this bridge (no ATA device) lacks.
  if ((selectorOf(cdb) & JMICRON_NVME) === 0) return invalidProtocol();
  const ssd = ssdOf(lu);
  if (!ssd) return INVALID_OPCODE;
  const bridge = lu.nexusLocal(PHASES);
  const protocol = protocolOf(cdb);
  const length = lengthOf(cdb);
  switch (protocol) {
    case PROTOCOL.command: {
      if (length !== BLOCK_BYTES) return invalidLength();
      const command = decodeCommand(ctx.dataOut);
      if (!command.ok) return BAD_PARAMETER;
      bridge.state = { kind: 'command', command: command.value };
      return good();
    }
    case PROTOCOL.noData:
    case PROTOCOL.dataIn:
    case PROTOCOL.dataOut: {
      const s = bridge.state;
      if (s.kind !== 'command') return invalidProtocol();
      const c = s.command;
      if (isSelfTestLog(c) && protocol === PROTOCOL.dataIn && length > SELF_TEST_LOG_LIMIT) {
        // The real bridge never answers (docs/bridges.md); this one answers after every host gave up.
        bridge.state = { kind: 'idle' };
        await new Promise((resolve) => setTimeout(resolve, HANG_MS).unref());
        return ABORTED;
      }
      const { data, status } = run(ssd, c);
      bridge.state = { kind: 'completed', dw0: 0, status };
      if (protocol !== PROTOCOL.dataIn) return good();
      // The bridge moves what the CDB asks; a command that returns nothing moves zeros.
      const out = new Uint8Array(length);
      if (data) out.set(data.subarray(0, length));
      return good(out);
    }
    case PROTOCOL.completion: {
      const s = bridge.state;
      if (s.kind !== 'completed') return invalidProtocol();
      if (length !== BLOCK_BYTES) return invalidLength();
      return good(completionBlock(s.dw0, s.status));
    }
    default:
      return invalidProtocol();
  }
}

/** Phase 1's block: dw0 "NVME", dw2 opcode, dw3 NSID, dw12–17 CDW10–15. */
function decodeCommand(block: Uint8Array): Result<JmicronCommand> {
  return readBounded(block, 'JMicron NVMe command block', (r) => {
    if (r.length !== BLOCK_BYTES || r.le32(0) !== SIGNATURE)
      return err({ code: 'signature', message: 'dw0 is not the "NVME" signature' });
    return ok({
      opcode: r.le32(8) & 0xff,
      nsid: r.le32(12),
      cdw: [12, 13, 14, 15, 16, 17].map((dw) => r.le32(dw * 4)),
    });
  });
}

function isSelfTestLog(c: JmicronCommand): boolean {
  return c.opcode === ADMIN_GET_LOG_PAGE && ((c.cdw[0] ?? 0) & 0xff) === LOG_SELF_TEST;
}

/** Runs the command on the SSD: its data and the completion's status field. */
function run(
  ssd: NvmeDevice,
  c: JmicronCommand,
): { readonly data: Uint8Array | undefined; readonly status: number } {
  const cdw10 = c.cdw[0] ?? 0;
  if (c.opcode !== ADMIN_IDENTIFY && c.opcode !== ADMIN_GET_LOG_PAGE)
    return { data: undefined, status: DNR | SC_INVALID_OPCODE };
  // One namespace (NN = 1); the broadcast NSID reads the same one.
  if (
    c.opcode === ADMIN_IDENTIFY &&
    (cdw10 & 0xff) === CNS_NAMESPACE &&
    c.nsid !== 1 &&
    c.nsid !== NSID_BROADCAST
  )
    return { data: undefined, status: DNR | SC_INVALID_NAMESPACE };
  const data = ssd.answer({
    opcode: c.opcode,
    cdw10,
    logOffset: (c.cdw[3] ?? 0) * 2 ** 32 + (c.cdw[2] ?? 0),
  });
  return data ? { data, status: SC_SUCCESS } : { data: undefined, status: DNR | SC_INVALID_FIELD };
}

/**
 * Phase 3's block: dw0 "NVME", dw2 the completion's DW0, dw5 the
 * completion's DW3 — status field in bits 31:17, phase tag in bit 16.
 */
function completionBlock(dw0: number, status: number): Uint8Array {
  const b = new Uint8Array(BLOCK_BYTES);
  putLe32(b, 0, SIGNATURE);
  putLe32(b, 8, dw0);
  putLe32(b, 20, ((status << 17) | 0x10000) >>> 0);
  return b;
}
