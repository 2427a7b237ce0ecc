/** Text rendering of a doctor report. */
import type { DoctorReport } from '../../../shared/doctor/types';
import { WIDTH, wrap } from './wrap';

export function renderDoctor(report: DoctorReport): string {
  const out: string[] = ['What happened'];
  for (const l of report.outcome) out.push(`  ${wrap(l, WIDTH, 2)}`);
  out.push('', 'Diagnosis, most important first');
  if (report.diagnoses.length === 0) out.push('  nothing looks wrong');
  report.diagnoses.forEach((d, i) => {
    const n = `${i + 1}.`.padEnd(4);
    out.push(`  ${n}[${d.severity}] ${wrap(d.title, WIDTH, 6)}`);
    for (const l of d.detail) out.push(`      ${wrap(l, WIDTH, 6)}`);
    for (const f of d.fix) out.push(`      → ${wrap(f, WIDTH, 8)}`);
  });
  return out.join('\n');
}
