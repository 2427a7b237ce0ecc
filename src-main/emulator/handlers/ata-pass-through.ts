/**
 * ATA PASS-THROUGH (12) and (16) (SAT-4, ATA PASS-THROUGH commands): the
 * SAT bridge's translation from the CDB to the ATA device behind it and
 * back. The CDB's protocol, direction and transfer length are checked
 * against the ATA command before it runs; the ATA outputs come back in the
 * sense data when CK_COND asks for them or the command fails.
 */
import { dataTransferOf } from '../../../shared/scsi/catalog';
import { AtaDevice } from '../ata/device';
import type { AtaInputs } from '../ata/registers';
import type { DiskLu } from '../disk';
import { check, good, INVALID_OPCODE } from '../responses';
import type { Handler } from './context';

type PassThrough = 'ATA PASS-THROUGH(16)' | 'ATA PASS-THROUGH(12)';

/** PROTOCOL values (SAT-4, PROTOCOL field). */
const NON_DATA = 3;
const DATA_IN_PROTOCOLS: ReadonlySet<number> = new Set([4, 6, 10]); // PIO data-in, DMA, UDMA data-in
/** PIO data-out and UDMA data-out: the drive implements no such command, so they reach ATA and abort. */
const DATA_OUT_PROTOCOLS: ReadonlySet<number> = new Set([5, 11]);
/** T_LENGTH 11b: the length is in the transport's TPSIU (SAT-4), which Bulk-Only has none of (docs/bridges.md). */
const T_LENGTH_TRANSPORT = 3;

/** RECOVERED ERROR, ATA PASS THROUGH INFORMATION AVAILABLE: it worked, the registers are attached. */
const ATA_INFORMATION = { key: 0x01, asc: 0x00, ascq: 0x1d } as const;
/** ABORTED COMMAND, no additional sense: the ATA command ended with ERR (SAT-4, ATA error translation). */
const ATA_ERROR = { key: 0x0b, asc: 0x00, ascq: 0x00 } as const;

/** One ATA device per logical unit, over the unit's block store. */
const DEVICES = new WeakMap<DiskLu, AtaDevice>();
function ataDeviceOf(lu: DiskLu): AtaDevice | undefined {
  const ata = lu.profile.ata;
  if (!ata) return undefined;
  let d = DEVICES.get(lu);
  if (!d) {
    d = new AtaDevice(ata, lu.store);
    DEVICES.set(lu, d);
  }
  return d;
}

export const ataPassThrough: Handler<PassThrough> = async (lu, ctx) => {
  const device = ataDeviceOf(lu);
  // No ATA device behind this bridge (a flash stick): the opcode is not supported.
  if (!device) return INVALID_OPCODE;
  // EXTEND only exists in the 16-byte CDB; the "previous" (15:8) bytes count only with it.
  const extend = ctx.optional('extend') === 1;
  const high = (key: 'featuresHigh' | 'countHigh' | 'lba3' | 'lba4' | 'lba5'): number =>
    extend ? (ctx.optional(key) ?? 0) : 0;
  const inputs: AtaInputs = {
    command: ctx.get('command'),
    features: (high('featuresHigh') << 8) | ctx.get('features'),
    count: (high('countHigh') << 8) | ctx.get('count'),
    lba:
      (BigInt(high('lba5')) << 40n) |
      (BigInt(high('lba4')) << 32n) |
      (BigInt(high('lba3')) << 24n) |
      (BigInt(ctx.get('lba2')) << 16n) |
      (BigInt(ctx.get('lba1')) << 8n) |
      BigInt(ctx.get('lba0')),
    device: ctx.get('device'),
    extend,
  };
  const protocol = ctx.get('protocol');
  // Resets, EXECUTE DEVICE DIAGNOSTIC, NCQ and "return response information" are not translated.
  if (
    protocol !== NON_DATA &&
    !DATA_IN_PROTOCOLS.has(protocol) &&
    !DATA_OUT_PROTOCOLS.has(protocol)
  )
    return ctx.invalid('protocol');
  const spec = device.find(inputs);
  if (spec) {
    const dataIn = spec.transfer === 'in';
    if (dataIn !== DATA_IN_PROTOCOLS.has(protocol)) return ctx.invalid('protocol');
    const tLength = ctx.get('tLength');
    if (!dataIn && tLength !== 0) return ctx.invalid('tLength');
    if (dataIn) {
      if (ctx.get('tDir') !== 1) return ctx.invalid('tDir');
      if (tLength === 0 || tLength === T_LENGTH_TRANSPORT) return ctx.invalid('tLength');
      if (satTransferBytes(lu, ctx) !== spec.bytes(inputs, device.geometry.sectorSize))
        return ctx.invalid('tLength');
    }
  }
  const r = await device.execute(inputs);
  if (!r.ok) return check(ATA_ERROR.key, ATA_ERROR.asc, ATA_ERROR.ascq, { ata: r.outputs });
  if (ctx.get('ckCond') === 1)
    return check(ATA_INFORMATION.key, ATA_INFORMATION.asc, ATA_INFORMATION.ascq, {
      ata: r.outputs,
      ...(r.data.length > 0 ? { data: r.data } : {}),
    });
  return good(r.data);
};

/**
 * The transfer length the CDB announces, in bytes: the catalog's length rule
 * (T_LENGTH picks FEATURES or COUNT, with their 15:8 byte when EXTEND=1;
 * BYT_BLOK and T_TYPE the unit, SAT-4), the same the Bulk-Only device sizes
 * a data-out phase by.
 */
function satTransferBytes(lu: DiskLu, ctx: Parameters<Handler<PassThrough>>[1]): number {
  return (
    dataTransferOf(ctx.cdb, { fields: ctx.fields, length: ctx.spec.length }, lu.profile.blockSize)
      .bytes ?? 0
  );
}
