/** A probe's plan and findings in words, for the CLI and the app alike. */
import { formatHex } from '../scsi/hex';
import { BRIDGE_FAMILIES, familiesFor, vidText } from './families';
import { familyName, type ProbeFacts, type StepRun } from './interpret';
import type { ProbePlan } from './plan';

/** One line per step: number, CDB, transfer, purpose, and whether it is a vendor opcode. */
export function describePlan(plan: ProbePlan): string[] {
  return plan.steps.map(
    (s, i) =>
      `${String(i + 1).padStart(2)}. ${formatHex(s.cdb)}  ${s.direction === 'in' ? `${s.transferLength} bytes in` : 'no data'}${s.nonStandard ? '  [vendor-specific opcode]' : ''}\n    ${s.purpose}${s.onlyIfNotAnswered ? ` (only if ${s.onlyIfNotAnswered} does not answer)` : ''}`,
  );
}

function sizeText(bytes: bigint): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = Number(bytes);
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v.toFixed(1)} ${units[u] ?? ''}`;
}

/** The findings, most telling first. */
export function describeFindings(
  facts: ProbeFacts,
  runs: readonly StepRun[],
  vendorId: number | undefined,
): string[] {
  const out: string[] = [];
  const vid = vendorId === undefined ? undefined : vidText(vendorId);
  if (facts.sat === 'yes')
    out.push(
      'The bridge speaks SAT: ATA PASS-THROUGH(16) reached an ATA disk (IDENTIFY DEVICE answered).',
    );
  else if (facts.sat === 'no') {
    const families = familiesFor(vendorId, BRIDGE_FAMILIES).map(
      (f) => `${f.name} (smartctl -d ${f.smartctl})`,
    );
    out.push(
      `Not SAT: the bridge refused ATA PASS-THROUGH(16) with ILLEGAL REQUEST, so ATA commands cannot be tunnelled the standard way.${
        families.length > 0
          ? ` For USB vendor ID ${vid ?? '?'} the family to try is ${families.join(' or ')}.`
          : vid !== undefined
            ? ` No vendor pass-through family is known for USB vendor ID ${vid}; a flash drive or card reader has no ATA disk behind it.`
            : ''
      }`,
    );
  } else {
    const sat = runs.find((r) => r.step.id === 'sat-identify');
    out.push(
      `Whether the bridge speaks SAT is unknown: ${sat ? sat.note : 'ATA PASS-THROUGH was not sent'}.`,
    );
  }
  if (facts.family !== undefined)
    out.push(
      `The ${familyName(facts.family)} pass-through answered: the disk behind it speaks ${facts.diskInterface === 'nvme' ? 'NVMe' : 'ATA'}.`,
    );
  if (facts.inquiry)
    out.push(
      `INQUIRY: vendor "${facts.inquiry.vendor}", product "${facts.inquiry.product}", revision "${facts.inquiry.revision}".`,
    );
  if (facts.unitSerial) out.push(`Unit serial number (VPD 80h): ${facts.unitSerial}.`);
  if (facts.capacity)
    out.push(
      `Capacity: ${facts.capacity.blocks} blocks of ${facts.capacity.blockLength} bytes = ${sizeText(facts.capacity.bytes)}.`,
    );
  if (facts.diskInterface)
    out.push(
      `Disk: ${facts.diskInterface === 'ata' ? 'ATA' : 'NVMe'}, model "${facts.model ?? ''}", serial "${facts.serial ?? ''}", firmware "${facts.firmware ?? ''}".`,
    );
  if (facts.ata) {
    const a = facts.ata;
    out.push(
      `IDENTIFY: ${a.sectors} logical sectors of ${a.logicalSectorBytes} bytes (${sizeText(a.sectors * BigInt(a.logicalSectorBytes))}); SMART ${a.smartSupported ? (a.smartEnabled ? 'supported and enabled' : 'supported, disabled') : 'not supported'}; integrity word ${a.checksum === 'valid' ? 'valid' : a.checksum === 'invalid' ? 'INVALID (the data may be corrupt)' : 'not filled in'}.`,
    );
  }
  if (facts.smartHealth === 'good') out.push('SMART health: good (LBA mid/high 4Fh/C2h).');
  else if (facts.smartHealth === 'threshold-exceeded')
    out.push(
      'SMART health: THRESHOLD EXCEEDED (LBA mid/high F4h/2Ch): the drive predicts its own failure; back up its data.',
    );
  else if (facts.smartHealth === 'unknown')
    out.push(
      'SMART health: unknown (the bridge did not return the ATA registers in the sense data).',
    );
  const declined = runs.filter((r) => r.result === 'declined');
  if (declined.length > 0)
    out.push(
      `Not sent without your yes: ${declined.map((r) => r.step.id).join(', ')} (vendor-specific opcodes).`,
    );
  for (const p of facts.problems) out.push(`Could not read an answer: ${p}.`);
  return out;
}
