/** INQUIRY (SPC-5): standard data and the VPD pages the drive supports. */
import {
  MAX_UNMAP_DESCRIPTORS,
  MAX_UNMAP_LBA_COUNT,
  maxTransferBlocks,
  maxWriteSameBlocks,
} from '../limits';
import { putBe16, putBe32, putBe64 } from '../../../shared/scsi/bytes';
import type { DiskLu } from '../disk';
import { fieldOf } from '../field-pointer';
import { ascii, withAllocation, type Handler } from './context';

const VPD_PAGES = [0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2] as const;

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

function vpdBody(lu: DiskLu, page: number): Uint8Array | undefined {
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
      putBe32(b, 4, maxTransferBlocks(lu)); // MAXIMUM TRANSFER LENGTH
      putBe32(b, 8, Math.floor((64 * 1024) / lu.profile.blockSize)); // OPTIMAL TRANSFER LENGTH: 64 KiB
      // UNMAP is supported: MAXIMUM UNMAP LBA COUNT and MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (SBC-4 Block Limits).
      putBe32(b, 16, MAX_UNMAP_LBA_COUNT);
      putBe32(b, 20, MAX_UNMAP_DESCRIPTORS);
      putBe64(b, 32, BigInt(maxWriteSameBlocks(lu.profile))); // MAXIMUM WRITE SAME LENGTH
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
      // Logical Block Provisioning (SBC-4): LBPU (UNMAP works), LBPWS and LBPWS10 (WRITE SAME(16)
      // and (10) with UNMAP deallocate), LBPRZ 001b (unmapped blocks read as zeros), provisioning
      // type 010b (thin): what the UNMAP and WRITE SAME handlers do.
      return Uint8Array.from([0, 0x80 | 0x40 | 0x20 | (0x01 << 2), 0x02, 0]);
    default:
      return undefined;
  }
}

/** A VPD page with its 4-byte header (SPC-5, vital product data parameters). */
function vpdPage(lu: DiskLu, page: number): Uint8Array | undefined {
  const body = vpdBody(lu, page);
  if (!body) return undefined;
  const out = new Uint8Array(4 + body.length);
  out[1] = page;
  putBe16(out, 2, body.length);
  out.set(body, 4);
  return out;
}

/**
 * Standard data without EVPD (a PAGE CODE there is refused before any handler runs, from the
 * catalog's zeroUnless: disk.ts), and a supported VPD page with it (SPC-5, INQUIRY). CMDDT asks
 * an SPC-2 drive for command support data, which this one does not keep: INVALID FIELD IN CDB,
 * with EVPD or without (SPC-2, INQUIRY). From SPC-3 on the bit is obsolete and, as QEMU's disk
 * does, ignored.
 */
export const inquiry: Handler<'INQUIRY'> = (lu, ctx) => {
  const cmdDt = fieldOf(ctx, 'cmdDt');
  if (!cmdDt.obsolete && ctx.get('cmdDt') === 1) return Promise.resolve(ctx.invalid('cmdDt'));
  const page = ctx.get('pageCode');
  const alloc = ctx.get('allocationLength');
  if (ctx.get('evpd') === 0) return Promise.resolve(withAllocation(standardInquiry(lu), alloc));
  const data = vpdPage(lu, page);
  return Promise.resolve(data ? withAllocation(data, alloc) : ctx.invalid('pageCode'));
};
