/**
 * LOG SENSE parameter data (SPC-5, log page structure and log parameters):
 * a 4-byte page header, then either log parameters (a 4-byte parameter
 * header each: PARAMETER CODE, control byte, PARAMETER LENGTH) or, for the
 * supported pages list (page 00h) and a page's supported subpages (subpage
 * FFh), one byte or one page/subpage pair per entry. A PAGE LENGTH larger
 * than the buffer is reported as truncation; a parameter cut short is kept
 * with the bytes present.
 */
import { readBounded, type ByteReader } from '../bytes';
import { ok, type Result } from '../result';
import { truncation, type Truncation } from './common';

export interface LogParameter {
  /** Offset of the parameter header in the data. */
  readonly offset: number;
  /** PARAMETER CODE. */
  readonly code: number;
  /** DU: disable update (byte 2 bit 7). */
  readonly du: boolean;
  /** TSD: target save disable (bit 5). */
  readonly tsd: boolean;
  /** ETC: enable threshold comparison (bit 4). */
  readonly etc: boolean;
  /** TMC: threshold met criteria (bits 3:2). */
  readonly tmc: number;
  /** FORMAT AND LINKING (bits 1:0): 00b bounded counter, 01b ASCII list, 10b counter, 11b binary list. */
  readonly formatAndLinking: number;
  /** PARAMETER LENGTH: bytes after the parameter header. */
  readonly length: number;
  /** The parameter's value, as far as the data goes. */
  readonly value: Uint8Array;
  /** The value ends past the data (or past the page). */
  readonly truncated: boolean;
}

/** One entry of a supported pages (or supported subpages) list. */
export interface SupportedLogPage {
  readonly offset: number;
  readonly pageCode: number;
  /** SUBPAGE CODE; 0 in the supported pages list without subpages (00h/00h). */
  readonly subpageCode: number;
}

export interface LogPage extends Truncation {
  /** DS: disable save (byte 0 bit 7). */
  readonly ds: boolean;
  /** SPF: the SUBPAGE CODE is meaningful (byte 0 bit 6). */
  readonly spf: boolean;
  readonly pageCode: number;
  readonly subpageCode: number;
  /** PAGE LENGTH: bytes after the 4-byte header. */
  readonly pageLength: number;
  /** Set for page 00h and for subpage FFh of any page: the pages or subpages the device has. */
  readonly supported?: readonly SupportedLogPage[];
  /** Set for every other page. */
  readonly parameters?: readonly LogParameter[];
}

/**
 * Whether a page lists pages rather than holding parameters: 00h/00h lists page codes,
 * 00h/FFh and any page's FFh list page/subpage pairs (SPC-5, supported log pages and
 * supported subpages log pages).
 */
function listKind(pageCode: number, subpageCode: number): 'pages' | 'pairs' | undefined {
  if (subpageCode === 0xff) return 'pairs';
  return pageCode === 0 && subpageCode === 0 ? 'pages' : undefined;
}

function supportedList(r: ByteReader, stop: number, kind: 'pages' | 'pairs'): SupportedLogPage[] {
  const step = kind === 'pages' ? 1 : 2;
  const out: SupportedLogPage[] = [];
  for (let at = 4; at + step <= stop; at += step)
    out.push({
      offset: at,
      pageCode: r.bits(at, 0, 6, 'PAGE CODE'),
      subpageCode: kind === 'pages' ? 0 : r.u8(at + 1, 'SUBPAGE CODE'),
    });
  return out;
}

function parameters(r: ByteReader, stop: number): LogParameter[] {
  const out: LogParameter[] = [];
  for (let at = 4; at + 4 <= stop;) {
    const length = r.u8(at + 3, 'PARAMETER LENGTH');
    const end = at + 4 + length;
    out.push({
      offset: at,
      code: r.be16(at, 'PARAMETER CODE'),
      du: r.flag(at + 2, 7, 'DU'),
      tsd: r.flag(at + 2, 5, 'TSD'),
      etc: r.flag(at + 2, 4, 'ETC'),
      tmc: r.bits(at + 2, 2, 2, 'TMC'),
      formatAndLinking: r.bits(at + 2, 0, 2, 'FORMAT AND LINKING'),
      length,
      value: r.slice(at + 4, Math.min(end, stop) - (at + 4), 'a parameter value'),
      truncated: end > stop,
    });
    at = end;
  }
  return out;
}

export function parseLogSense(bytes: Uint8Array): Result<LogPage> {
  return readBounded(bytes, 'LOG SENSE data', (r) => {
    const pageCode = r.bits(0, 0, 6, 'PAGE CODE');
    const spf = r.flag(0, 6, 'SPF');
    const subpageCode = r.u8(1, 'SUBPAGE CODE');
    const pageLength = r.be16(2, 'PAGE LENGTH');
    const stop = Math.min(r.length, 4 + pageLength);
    const kind = listKind(pageCode, subpageCode);
    return ok({
      ds: r.flag(0, 7, 'DS'),
      spf,
      pageCode,
      subpageCode,
      pageLength,
      ...(kind ? { supported: supportedList(r, stop, kind) } : { parameters: parameters(r, stop) }),
      ...truncation(4 + pageLength, r.length),
    });
  });
}
