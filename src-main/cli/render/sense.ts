/** Text rendering of decoded sense data. */
import type { SenseData, SenseExplanation } from '../../../shared/scsi/sense';
import { formatHex, t10Hex } from '../../../shared/scsi/hex';
import { WIDTH, wrap } from './wrap';

export function renderSense(bytes: Uint8Array, s: SenseData, e: SenseExplanation): string {
  const out = [
    `Sense ${formatHex(bytes)}`,
    // 7Fh is vendor-specific sense, neither current nor deferred (SPC-5).
    `  ${s.format} format, response code ${t10Hex(s.responseCode)}${s.format === 'vendor' ? '' : s.deferred ? ' (deferred error)' : ' (current error)'}`,
    `  ${e.headline}`,
  ];
  for (const d of e.details) out.push(`  ${wrap(d, WIDTH, 2)}`);
  for (const a of e.advice) out.push(`  → ${wrap(a, WIDTH, 4)}`);
  return out.join('\n');
}
