/**
 * Sense data in words: the headline, then each detail (the field a pointer names, the ATA
 * registers, the INFORMATION field…), as `explainSenseFor` reads it for the command it answers.
 */
import type { SenseExplanation } from '../../shared/scsi/sense';

export function SenseText({
  explanation,
  testId,
}: {
  explanation: SenseExplanation;
  testId?: string;
}) {
  return (
    <div className="sense" data-testid={testId}>
      <strong>{explanation.headline}</strong>
      {explanation.details.map((d, i) => (
        <div key={i}>{d}</div>
      ))}
    </div>
  );
}
