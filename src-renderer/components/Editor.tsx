/** The CDB editor: a command from the catalog, the hex row, every field as a control, and lint inline. */
import { useId, useState } from 'react';
import { DataOut } from './DataOut';
import { layoutOf, opcodeGroup, opcodeOf } from '../../shared/scsi/catalog';
import { searchAll } from '../../shared/scsi/catalog/resolve';
import { describePosition, fieldSpan, readField } from '../../shared/scsi/catalog/fields';
import { formatHex, t10Hex } from '../../shared/scsi/hex';
import type { Direction, FieldSpec } from '../../shared/scsi/catalog';
import type { Use } from '../store/store';
import { selectLint, selectPointedByte, selectSpec } from '../store/selectors';
import { fieldValueText, parseFieldValue } from '../field-value';
import { FieldInput } from './FieldInput';
import { invalidBy } from '../invalid-by';
import type { Finding, LintId } from '../../shared/lint/types';

/** Findings about the data phase: they mark the direction and transfer length, not a CDB byte. */
const DATA_PHASE_FINDINGS: ReadonlySet<LintId> = new Set([
  'length-vs-buffer',
  'direction-mismatch',
  'no-data-phase',
]);

/** A field's value as the table shows it, or which byte the CDB lacks to hold it. */
function shownValue(value: bigint | undefined, lastByte: number): string {
  return value === undefined
    ? `missing: the CDB ends before byte ${lastByte}`
    : fieldValueText(value);
}

export function Editor({ use }: { use: Use }) {
  const cdb = use((s) => s.cdb);
  const hexText = use((s) => s.hexText);
  const hexError = use((s) => s.hexError);
  const direction = use((s) => s.direction);
  const transferLength = use((s) => s.transferLength);
  const setHex = use((s) => s.setHex);
  const chooseCommand = use((s) => s.chooseCommand);
  const setField = use((s) => s.setField);
  const setTransfer = use((s) => s.setTransfer);
  const applyCorrected = use((s) => s.applyCorrected);
  const spec = use(selectSpec);
  const pointed = use(selectPointedByte);
  const report = use(selectLint);
  const refusal = use((s) => s.fieldRefusal);
  const refuseField = use((s) => s.refuseField);
  /** Writes a value typed or chosen into field `f`; a value the CDB cannot take is kept as refused. */
  const commitField = (f: FieldSpec, text: string, standard: string): void => {
    const v = parseFieldValue(text);
    const message =
      v === undefined
        ? `${f.name} takes a whole number: decimal, or hex as 12h or 0x12`
        : setField(f.key, v, standard);
    if (message !== undefined) refuseField({ key: f.key, name: f.name, text, message });
  };
  const [query, setQuery] = useState('');
  /** Which standard's layout the field table shows, where the catalog declares more than one. */
  const [standard, setStandard] = useState<string | undefined>();
  const vendorSets = use((s) => s.vendorSets);
  const found = searchAll(query, vendorSets);
  const matches = found.map((r) => r.spec);
  /** "(set example)" after a vendor command's name, so the list says where it comes from. */
  const origin = new Map(
    found.flatMap((r) => (r.source === 'vendor' ? [[r.spec, ` (set ${r.set.name})`]] : [])),
  );
  const layout = spec ? layoutOf(spec, standard) : undefined;
  const legacyNote = spec?.legacy?.find((l) => l.standard === layout?.standard)?.note;
  const flagged = new Set(
    report.findings.filter((f) => f.byte !== undefined && f.severity !== 'info').map((f) => f.byte),
  );
  const uid = useId();
  const findingId = (i: number): string => `${uid}-lint-${i}`;
  const hexErrorId = `${uid}-hex-error`;
  const refusalId = `${uid}-field-error`;
  /** Ids of the warnings and errors `concerns` picks: the controls they mark invalid point at them. */
  const findingIds = (concerns: (f: Finding) => boolean): string[] =>
    report.findings.flatMap((f, i) => (f.severity !== 'info' && concerns(f) ? [findingId(i)] : []));
  const hexFindings = [
    ...(hexError ? [hexErrorId] : []),
    ...findingIds((f) => f.byte !== undefined),
  ];
  const transferFindings = findingIds((f) => DATA_PHASE_FINDINGS.has(f.id));
  return (
    <section className="panel editor" aria-label="CDB editor">
      <h2>Command</h2>
      <label>
        Find{' '}
        <input
          aria-label="find command"
          placeholder="name, opcode or vendor, e.g. readcap or 9e"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            const only = matches.length === 1 ? matches[0] : undefined;
            // Ctrl+Enter is Send, of the command the editor holds: it must not pick another first.
            if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && only) {
              chooseCommand(only.aliases[0] ?? only.name);
              setQuery(''); // picked: the full list is back for the next choice
            }
          }}
        />{' '}
        <span className="note">{matches.length} found</span>
      </label>{' '}
      <label>
        Catalog{' '}
        <select
          aria-label="command"
          value={spec?.aliases[0] ?? ''}
          onChange={(e) => chooseCommand(e.target.value)}
        >
          <option value="">
            {cdb.length > 0 && !spec
              ? `opcode ${t10Hex(cdb[0] ?? 0)} (${opcodeGroup(opcodeOf(cdb)).vendorSpecific ? 'vendor specific' : 'not catalogued'})`
              : '—'}
          </option>
          {/* The command in the editor stays listed whatever the search, so the select shows it. */}
          {[...matches, ...(spec && !matches.includes(spec) ? [spec] : [])].map((c) => (
            <option key={c.aliases[0] ?? c.name} value={c.aliases[0]}>
              {t10Hex(c.opcode)} {c.name}
              {origin.get(c) ?? ''}
            </option>
          ))}
        </select>
      </label>
      <label className="hex-input">
        CDB{' '}
        <input
          aria-label="cdb hex"
          data-field
          {...invalidBy(hexFindings)}
          value={hexText}
          spellCheck={false}
          onChange={(e) => setHex(e.target.value)}
        />
      </label>
      {hexError && (
        <div className="error" role="alert" id={hexErrorId}>
          {hexError}
        </div>
      )}
      <div className="bytes" role="group" aria-label="cdb bytes">
        {Array.from(cdb, (b, i) => (
          <span
            key={i}
            className={['byte', flagged.has(i) ? 'flagged' : '', pointed === i ? 'pointed' : '']
              .filter(Boolean)
              .join(' ')}
            title={pointed === i ? `byte ${i}: the device's sense points here` : `byte ${i}`}
            data-testid={`cdb-byte-${i}`}
          >
            <small>{i}</small>
            {b.toString(16).padStart(2, '0')}
          </span>
        ))}
      </div>
      <div className="transfer">
        Data{' '}
        <select
          aria-label="direction"
          data-field
          {...invalidBy(transferFindings)}
          value={direction}
          onChange={(e) => setTransfer(e.target.value as Direction, transferLength)}
        >
          <option value="none">none</option>
          <option value="in">in</option>
          <option value="out">out</option>
        </select>{' '}
        <input
          aria-label="transfer length"
          data-field
          {...invalidBy(transferFindings)}
          type="number"
          min={0}
          value={transferLength}
          onChange={(e) => setTransfer(direction, Number(e.target.value))}
        />{' '}
        bytes
      </div>
      {(direction === 'out' || layout?.length.some((r) => r.direction === 'out')) && (
        <DataOut use={use} />
      )}
      {spec?.legacy && spec.legacy.length > 0 && (
        <div className="layout">
          <label>
            Layout{' '}
            <select
              aria-label="layout"
              value={layout?.standard ?? spec.standard}
              onChange={(e) =>
                setStandard(e.target.value === spec.standard ? undefined : e.target.value)
              }
            >
              {[spec.standard, ...spec.legacy.map((l) => l.standard)].map((st) => (
                <option key={st} value={st}>
                  {st}
                </option>
              ))}
            </select>
          </label>
          {legacyNote && (
            <div className="note" data-testid="layout-note">
              {legacyNote}
            </div>
          )}
        </div>
      )}
      {spec && layout && (
        <table className="fields" aria-label="fields">
          <tbody>
            {layout.fields.map((f) => {
              const span = fieldSpan(f);
              // A CDB shorter than its command: the fields it holds read as typed, the rest are missing.
              const value = span.last < cdb.length ? readField(cdb, f) : undefined;
              const marked = invalidBy([
                ...(refusal?.key === f.key ? [refusalId] : []),
                ...findingIds(
                  (x) =>
                    x.field === f.name ||
                    (x.byte !== undefined && x.byte >= span.first && x.byte <= span.last),
                ),
              ]);
              return (
                <tr key={f.key} title={f.meaning}>
                  <td className="pos">{describePosition(f)}</td>
                  <td>{f.name}</td>
                  <td>
                    {f.values && f.width <= 8 ? (
                      <select
                        aria-label={f.name}
                        data-field
                        {...marked}
                        value={value === undefined ? '' : Number(value)}
                        disabled={f.role === 'opcode'}
                        onChange={(e) => commitField(f, e.target.value, layout.standard)}
                      >
                        {value === undefined && (
                          <option value="" disabled>
                            missing
                          </option>
                        )}
                        {[
                          ...new Set([
                            ...f.values.map((v) => v.value),
                            ...(value === undefined ? [] : [Number(value)]),
                          ]),
                        ].map((v) => (
                          <option key={v} value={v}>
                            {t10Hex(v)} {f.values?.find((x) => x.value === v)?.name ?? ''}
                          </option>
                        ))}
                      </select>
                    ) : f.role === 'opcode' ? (
                      <output aria-label={f.name}>{shownValue(value, span.last)}</output>
                    ) : (
                      <FieldInput
                        name={f.name}
                        value={value}
                        refused={refusal?.key === f.key ? refusal.text : undefined}
                        marked={marked}
                        onCommit={(text) => commitField(f, text, layout.standard)}
                        onRevert={() => refuseField(undefined)}
                      />
                    )}
                  </td>
                  <td className="value" data-testid={`field-value-${f.key}`}>
                    {shownValue(value, span.last)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {refusal && (
        <div className="error" role="alert" id={refusalId}>
          {refusal.message}
        </div>
      )}
      <div className="lint" role="group" aria-label="lint findings">
        {report.findings.map((f, i) => (
          <div
            key={i}
            id={findingId(i)}
            className={`finding ${f.severity}`}
            data-testid={`lint-${f.id}`}
          >
            <strong>{f.severity}</strong> {f.position ? <code>{f.position}</code> : null}{' '}
            {f.message}
            <div className="why">{f.why}</div>
          </div>
        ))}
        {report.corrected && (
          <button type="button" onClick={applyCorrected} data-testid="apply-fix">
            Fix: use {formatHex(report.corrected.cdb)}
            {report.corrected.transferLength !== undefined
              ? ` with ${report.corrected.transferLength} bytes`
              : ''}
          </button>
        )}
      </div>
    </section>
  );
}
