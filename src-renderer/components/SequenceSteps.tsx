/**
 * The steps of a sequence as they ran: each step's command and CDB, what the
 * device answered (status, sense in words read for the step's CDB and the sets
 * in use, as the results panel reads it), and its response decoded field by
 * field beside the bytes (hovering a field lights its bytes; clicking a byte
 * marks its field).
 */
import { useState } from 'react';
import type { ResponseOf } from '../../shared/ipc/contract';
import type { ByteRange } from '../../shared/hexview';
import { explainSenseFor } from '../../shared/scsi/sense/for-command';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { formatHex } from '../../shared/scsi/hex';
import { rowAt } from '../decoded-rows';
import { statusWord } from '../outcome-words';
import { wireBytes } from '../wire-bytes';
import { DecodedTree } from './DecodedTree';
import { HexView } from './HexView';
import { SenseText } from './SenseText';

type Step = ResponseOf<'sequence.run'>['steps'][number];

function StepResult({
  step,
  index,
  vendorSets,
}: {
  step: Step;
  index: number;
  vendorSets: readonly VendorSet[];
}) {
  const [hover, setHover] = useState<ByteRange | undefined>();
  const [picked, setPicked] = useState<string | undefined>();
  const o = step.outcome;
  const data = wireBytes(o.dataIn);
  const cdb = wireBytes(step.cdb);
  const sense = o.sense ? explainSenseFor(wireBytes(o.sense), { cdb, vendorSets }) : undefined;
  return (
    <li className="sequence-step" data-testid={`sequence-step-${index}`}>
      <div>
        <code>{step.command}</code> <code>{formatHex(cdb)}</code> —{' '}
        <span className="step-status">{statusWord(o)}</span>
        {o.transportError ? ` (${o.transportError.message})` : ''}
      </div>
      {sense?.ok && <SenseText explanation={sense.value.explanation} />}
      {step.rows.length > 0 && (
        <DecodedTree
          rows={step.rows}
          title={`${step.command}: ${data.length} bytes`}
          picked={picked}
          onHover={setHover}
          testId={`sequence-decoded-${index}`}
        />
      )}
      {data.length > 0 && (
        <HexView
          bytes={data}
          highlight={hover}
          label={`step-${index + 1}`}
          onPick={(offset) => setPicked(rowAt(step.rows, offset)?.key)}
        />
      )}
    </li>
  );
}

/** @param vendorSets the sets in use, so a vendor CDB's field pointer names its field */
export function StepResults({
  steps,
  vendorSets,
}: {
  steps: readonly Step[];
  vendorSets: readonly VendorSet[];
}) {
  return (
    <ol className="sequence-steps">
      {steps.map((s, i) => (
        <StepResult key={i} step={s} index={i} vendorSets={vendorSets} />
      ))}
    </ol>
  );
}
