/**
 * The steps of a sequence as they ran: each step's command and CDB, what the
 * device answered (status, sense in words), and its response decoded field
 * by field beside the bytes (hovering a field lights its bytes; clicking a
 * byte marks its field).
 */
import { useState } from 'react';
import type { ResponseOf } from '../../shared/ipc/contract';
import type { ByteRange } from '../../shared/hexview';
import { decodeSense, explainSense } from '../../shared/scsi/sense';
import { formatHex } from '../../shared/scsi/hex';
import { rowAt } from '../decoded-rows';
import { statusWord } from '../outcome-words';
import { wireBytes } from '../wire-bytes';
import { DecodedTree } from './DecodedTree';
import { HexView } from './HexView';

type Step = ResponseOf<'sequence.run'>['steps'][number];

function StepResult({ step, index }: { step: Step; index: number }) {
  const [hover, setHover] = useState<ByteRange | undefined>();
  const [picked, setPicked] = useState<string | undefined>();
  const o = step.outcome;
  const data = wireBytes(o.dataIn);
  const sense = o.sense ? decodeSense(wireBytes(o.sense)) : undefined;
  const cdb = wireBytes(step.cdb);
  return (
    <li className="sequence-step" data-testid={`sequence-step-${index}`}>
      <div>
        <code>{step.command}</code> <code>{formatHex(cdb)}</code> —{' '}
        <span className="step-status">{statusWord(o)}</span>
        {o.transportError ? ` (${o.transportError.message})` : ''}
      </div>
      {sense?.ok && <div className="sense">{explainSense(sense.value, { cdb }).headline}</div>}
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

export function StepResults({ steps }: { steps: readonly Step[] }) {
  return (
    <ol className="sequence-steps">
      {steps.map((s, i) => (
        <StepResult key={i} step={s} index={i} />
      ))}
    </ol>
  );
}
