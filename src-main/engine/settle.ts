/**
 * Getting a device ready to be talked to, as the Linux kernel's scan does
 * before anyone sees the disk: TEST UNIT READY until it stops reporting
 * UNIT ATTENTION (at most three tries), then a standard INQUIRY for its SPC
 * level, which tells lint and the doctor how the device reads CDBs; with the
 * highest LUN it reported (Get Max LUN), what they know of the device. A LUN
 * past that highest one is sent nothing.
 */
import { standardCdb } from '../../shared/scsi/cdb/build';
import { parseInquiry } from '../../shared/scsi/parsers';
import { decodeSense } from '../../shared/scsi/sense';
import type { Transport } from './transport';

const TUR = standardCdb('test-unit-ready');
/** The 36 bytes every device returns (SPC-5: standard INQUIRY data is at least 36 bytes). */
const INQUIRY_36 = standardCdb('inquiry', { allocationLength: 36 });

/** What lint and the doctor are told of a device: how it reads CDBs, which LUNs it has. */
export interface DeviceFacts {
  readonly spcLevel?: number | undefined;
  readonly maxLun?: number;
}

/** The LUN to settle and how long each command may take (the user's --timeout). */
export interface SettleOptions {
  readonly lun: number;
  readonly timeoutMs: number;
}

export async function settle(
  t: Transport,
  { lun, timeoutMs }: SettleOptions,
): Promise<DeviceFacts> {
  const maxLun = t.describe().maxLun;
  // A CBW for a LUN past Get Max LUN is not meaningful (BOT 1.0 §6.2.2): the device may stall
  // or report a phase error, so settle sends it nothing and leaves that to the command asked for.
  if (maxLun !== undefined && lun > maxLun) return { spcLevel: undefined, maxLun };
  for (let i = 0; i < 3; i++) {
    const o = await t.execute({
      cdb: TUR,
      lun,
      direction: 'none',
      transferLength: 0,
      timeoutMs,
    });
    const s = o.sense ? decodeSense(o.sense) : undefined;
    if (!(s?.ok && s.value.senseKey === 0x06)) break;
  }
  const inq = await t.execute({
    cdb: INQUIRY_36,
    lun,
    direction: 'in',
    transferLength: 36,
    timeoutMs,
  });
  const parsed = inq.status === 0 ? parseInquiry(inq.dataIn) : undefined;
  return { spcLevel: parsed?.ok ? parsed.value.spcLevel : undefined, maxLun };
}
