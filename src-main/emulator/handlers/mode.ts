/**
 * Mode parameters (SPC-5, SBC-4): the caching, control and informational
 * exceptions pages, MODE SENSE(6)/(10) and MODE SELECT(6)/(10).
 */
import { ByteReader, putBe16, putBe32 } from '../../../shared/scsi/bytes';
import { MODE_DEFAULTS, type DiskLu, type ModeSettings } from '../disk';
import {
  check,
  good,
  invalidParameter,
  PARAMETER_LIST_LENGTH_ERROR,
  type CheckResult,
} from '../responses';
import type { Profile } from '../profile';
import { withAllocation, type Handler } from './context';

/** The mode page bytes from byte 2 on that may differ from zero, given the settings and the profile. */
type PageBytes = (settings: ModeSettings, changeable: boolean, profile: Profile) => number[];

/**
 * The mode pages the drive has, by page code: the page's length, and its bytes from byte 2 on
 * that are not zero, from the settings given (current or default) or, for PC=01b, as the mask of
 * bits MODE SELECT may change.
 */
const MODE_PAGES: Readonly<Record<number, { readonly length: number; readonly bytes: PageBytes }>> =
  {
    // Caching (SBC-4): WCE.
    0x08: {
      length: 0x14,
      bytes: (s, changeable) => [changeable || s.writeCacheEnabled ? 0x04 : 0],
    },
    // Control (SPC-5): D_SENSE.
    0x0a: {
      length: 0x0c,
      bytes: (s, changeable) => [changeable || s.descriptorSense ? 0x04 : 0],
    },
    // Informational Exceptions Control (SPC-5), not changeable. A drive with log pages reports
    // informational exceptions, only when asked (DEXCPT 0, MRIE 6h: its Informational Exceptions
    // log page); any other has them disabled (DEXCPT 1).
    0x1c: {
      length: 0x0c,
      bytes: (_s, changeable, profile) =>
        changeable ? [0, 0] : profile.logPages !== undefined ? [0x00, 0x06] : [0x08, 0x00],
    },
  };

/** Page codes in the order MODE SENSE of all pages (3Fh) returns them. */
const PAGE_CODES = Object.keys(MODE_PAGES).map(Number);

/** A mode page: the given settings' values, or which bits MODE SELECT may change (PC=01b). */
function modePage(
  lu: DiskLu,
  settings: ModeSettings,
  code: number,
  changeable: boolean,
): Uint8Array | undefined {
  const page = MODE_PAGES[code];
  if (!page) return undefined;
  const p = new Uint8Array(page.length);
  p.set([code, page.length - 2, ...page.bytes(settings, changeable, lu.profile)]);
  return p;
}

export function modeSense(ten: boolean): Handler<'MODE SENSE(6)' | 'MODE SENSE(10)'> {
  return (lu, ctx) => {
    const pc = ctx.get('pc');
    const code = ctx.get('pageCode');
    if (pc === 3) return Promise.resolve(check(0x05, 0x39, 0x00)); // SAVING PARAMETERS NOT SUPPORTED
    if (ctx.get('subpageCode') !== 0 && ctx.get('subpageCode') !== 0xff)
      return Promise.resolve(ctx.invalid('subpageCode'));
    const codes = code === 0x3f ? PAGE_CODES : [code];
    // PC=00b current, 01b changeable, 10b default values: those at power-on (SPC-5, MODE SENSE).
    const pages = codes.map((c) => modePage(lu, pc === 2 ? MODE_DEFAULTS : lu, c, pc === 1));
    if (pages.some((p) => p === undefined)) return Promise.resolve(ctx.invalid('pageCode'));
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

/** A page a MODE SELECT parameter list sends: its code and byte 2, the byte that may change. */
interface PageSent {
  readonly code: number;
  readonly byte2: number;
}

/**
 * The pages of a MODE SELECT parameter list from byte `off` on, each checked
 * against the page the drive has and the bits it may change, before any is
 * applied: on an error "no parameters" change (SPC-5, MODE SELECT). A block
 * descriptor or page the list ends inside is PARAMETER LIST LENGTH ERROR.
 */
function pagesSent(lu: DiskLu, d: Uint8Array, off: number): readonly PageSent[] | CheckResult {
  const pages: PageSent[] = [];
  while (off < d.length) {
    if (off + 2 > d.length) return PARAMETER_LIST_LENGTH_ERROR;
    const code = (d[off] ?? 0) & 0x3f;
    const len = d[off + 1] ?? 0;
    const current = modePage(lu, lu, code, false);
    const changeable = modePage(lu, lu, code, true);
    if (!current || !changeable || len !== (current[1] ?? 0)) return invalidParameter(off);
    if (off + 2 + len > d.length) return PARAMETER_LIST_LENGTH_ERROR;
    for (let i = 2; i < len + 2; i++) {
      const changed = ((d[off + i] ?? 0) ^ (current[i] ?? 0)) & ~(changeable[i] ?? 0);
      if (changed) return invalidParameter(off + i);
    }
    pages.push({ code, byte2: d[off + 2] ?? 0 });
    off += 2 + len;
  }
  // Block descriptors past the end of the list leave `off` beyond it.
  return off > d.length ? PARAMETER_LIST_LENGTH_ERROR : pages;
}

/**
 * MODE SELECT(6)/(10) (SPC-5): a header, optional block descriptors, then
 * pages. The caching page's WCE and the control page's D_SENSE can change;
 * any other change is refused with INVALID FIELD IN PARAMETER LIST naming the byte.
 */
export function modeSelect(ten: boolean): Handler<'MODE SELECT(6)' | 'MODE SELECT(10)'> {
  return (lu, ctx) => {
    const d = ctx.dataOut;
    const header = ten ? 8 : 4;
    if (d.length < header)
      return Promise.resolve(d.length === 0 ? good() : PARAMETER_LIST_LENGTH_ERROR);
    if (ctx.get('pf') !== 1) return Promise.resolve(ctx.invalid('pf'));
    if (ctx.get('sp') === 1) return Promise.resolve(ctx.invalid('sp')); // saving pages is not supported
    // The header is there (checked above): MODE SELECT(10)'s BLOCK DESCRIPTOR LENGTH is bytes
    // 6–7, MODE SELECT(6)'s byte 3 (SPC-5, mode parameter headers).
    const list = new ByteReader(d, 'mode parameter list');
    const bdl = ten ? list.be16(6) : list.u8(3);
    const pages = pagesSent(lu, d, header + bdl);
    if ('kind' in pages) return Promise.resolve(pages);
    for (const { code, byte2 } of pages) {
      if (code === 0x08) lu.writeCacheEnabled = (byte2 & 0x04) !== 0;
      if (code === 0x0a) lu.descriptorSense = (byte2 & 0x04) !== 0;
    }
    lu.modeParametersChanged();
    return Promise.resolve(good());
  };
}
