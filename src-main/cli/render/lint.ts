/** Text rendering of a lint report. */
import { formatHex } from '../../../shared/scsi/hex';
import type { LintReport } from '../../../shared/lint/lint';
import { WIDTH, wrap } from './wrap';

const MARK = { error: 'error  ', warning: 'warning', info: 'info   ' } as const;

function transferText(n: number | undefined): string {
  return n === undefined ? '' : n === 0 ? ' with no data phase' : ` with a transfer of ${n} bytes`;
}

export function renderLint(cdb: Uint8Array, title: string, report: LintReport): string {
  const out: string[] = [`${formatHex(cdb)}  ${title}`];
  if (report.findings.length === 0) out.push('  no problems found');
  for (const f of report.findings) {
    out.push(
      `  ${wrap(`${MARK[f.severity]} [${f.id}]${f.position ? ` ${f.position}:` : ''} ${f.message}`, WIDTH, 12)}`,
    );
    out.push(`            why: ${wrap(f.why, WIDTH, 17)}`);
    if (f.fix) out.push(`            fix: ${wrap(f.fix.description, WIDTH, 17)}`);
  }
  if (report.corrected) {
    out.push(
      `  corrected: ${formatHex(report.corrected.cdb)}${transferText(report.corrected.transferLength)}`,
    );
  }
  return out.join('\n');
}
