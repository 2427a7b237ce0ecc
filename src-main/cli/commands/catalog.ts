/** `usbcdb catalog [OPCODE|NAME]` */
import { asOpcode } from '../../../shared/scsi/brand';
import {
  commandsForOpcode,
  opcodeGroup,
  type CommandSpec,
  type Effect,
  type LengthRule,
  UNIT_TEXT,
  unitCount,
} from '../../../shared/scsi/catalog';
import { describePosition } from '../../../shared/scsi/catalog/fields';
import {
  resolveByName,
  searchAll,
  type ResolvedCommand,
} from '../../../shared/scsi/catalog/resolve';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import {
  READER_OPTION_SPEC,
  vendorSetRow,
  vendorSetsFromArgs,
  withSetOfName,
} from '../vendor-set-options';
import { optionRows } from '../usage';
import { notCatalogued } from '../not-catalogued';
import { effectNeedsConfirmation } from '../../../shared/scsi/confirm-policy';
import { valueRuns } from '../../../shared/lint/rules';
import { t10Hex } from '../../../shared/scsi/hex';
import { flag, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { WIDTH, wrap } from '../render/wrap';

export const catalogCommand: CliCommand = {
  name: 'catalog',
  options: READER_OPTION_SPEC,
  positionals: Infinity,
  summary:
    'The command catalog: every field with byte/bit, values, length rules, SPC-2 differences',
  usage: `usbcdb catalog                 list every command
usbcdb catalog OPCODE|NAME     one command in full (e.g. 12h, 0x9e/0x10, inquiry, "READ(10)"); an opcode
                               that is several commands (9Eh, 94h) lists them
${optionRows([
  vendorSetRow(
    '(listed after the catalog; OPCODE|NAME finds their commands too, e.g. C1h or acme.unlock)',
  ),
  ['--json', 'JSON output: the rows as declared in shared/scsi/catalog/types.ts (CommandSpec)'],
])}
Exit status: 0, or 1 for a name or opcode the catalog does not have.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const vendorSets = await vendorSetsFromArgs(args, io, 'catalog');
    return vendorSets ? runCatalog(args, io, vendorSets) : EXIT.fileError;
  },
};

/** A row's declared effect in words (shared/scsi/catalog/types.ts `Effect`). */
const EFFECT_TEXT: Readonly<Record<Effect, string>> = {
  reads: 'read-only',
  'changes-state': 'changes device state or settings, not user data',
  'changes-data': 'can overwrite or erase user data',
  firmware: "can replace the device's firmware",
};

function opcodeText(c: CommandSpec): string {
  return `${t10Hex(c.opcode)}${c.serviceAction !== undefined ? `/${t10Hex(c.serviceAction)}` : ''}`;
}

function directionText(rules: readonly LengthRule[]): string {
  const dirs = [...new Set(rules.map((r) => r.direction))];
  return dirs.length === 0 ? 'none' : dirs.join('/');
}

/** What a length rule's kind says the field is: a cap, an exact amount, or what is sent. */
const KIND_TEXT: Readonly<Record<LengthRule['kind'], string>> = {
  allocation: 'at most',
  transfer: 'exactly',
  parameterList: 'exactly',
};

/** One length rule in T10 names: "in, at most ALLOCATION LENGTH (bytes 3–4) bytes, when EVPD = 0". */
function ruleText(c: CommandSpec, r: LengthRule): string {
  const field = (key: string): string => {
    const f = c.fields.find((x) => x.key === key);
    return f ? `${f.name} (${describePosition(f)})` : key;
  };
  const name = (key: string): string => c.fields.find((x) => x.key === key)?.name ?? key;
  const when = r.when?.map((w) => `${name(w.field)} = ${w.equals}`).join(', ');
  const amount = r.field
    ? `${KIND_TEXT[r.kind]} ${r.times !== undefined ? `${r.times} × ` : ''}${r.highField ? `${field(r.highField)} and ` : ''}${field(r.field)} ${UNIT_TEXT[r.unit]}`
    : r.fixedUnits !== undefined
      ? `always ${unitCount(r.fixedUnits, r.unit)}`
      : 'a length no CDB field gives';
  return `${r.direction}, ${amount}${r.zeroMeans !== undefined ? ` (0 means ${r.zeroMeans})` : ''}${when ? `, when ${when}` : ''}${r.note ? ` — ${r.note}` : ''}`;
}

/** Where a command is declared: its standard, or its vendor set. */
function sourceText(r: ResolvedCommand): string {
  return r.source === 'vendor' ? `vendor set ${r.set.name} (${r.set.vendor})` : r.spec.standard;
}

function renderSpec(r: ResolvedCommand): string {
  const c = r.spec;
  const out = [
    `${c.name} — opcode ${opcodeText(c)}, ${c.cdbLength} bytes, ${sourceText(r)}${c.support ? `, ${c.support}` : ''}`,
    `  ${wrap(c.summary, WIDTH, 2)}`,
    c.length.length === 0
      ? '  data phase: none'
      : `  data phase${c.length.length > 1 ? ' (the first rule that holds)' : ''}:`,
  ];
  for (const r of c.length) out.push(`    ${wrap(ruleText(c, r), WIDTH, 4)}`);
  out.push(
    `  effect: ${EFFECT_TEXT[c.effect]}${effectNeedsConfirmation(c.effect) ? ' (confirmation needed on real devices)' : ''}`,
  );
  if (c.effectFrom === 'ata-command')
    out.push(
      `    ${wrap('without data-out and under a PROTOCOL that command runs with, the effect of the ATA command it carries when usbcdb knows it (IDENTIFY DEVICE and the SMART reads need no confirmation)', WIDTH, 4)}`,
    );
  out.push(`  aliases: ${c.aliases.join(', ')}`, '  fields:');
  const width = Math.max(...c.fields.map((f) => describePosition(f).length));
  for (const f of c.fields) {
    out.push(
      `    ${describePosition(f).padEnd(width)}  ${f.name} [${f.key}]${f.obsolete ? ' (obsolete)' : ''}${f.default !== undefined ? ` default ${f.default}` : ''}`,
    );
    out.push(`    ${' '.repeat(width)}  ${wrap(f.meaning, WIDTH, width + 6)}`);
    for (const v of valueRuns(f.values ?? []))
      out.push(`    ${' '.repeat(width)}    ${v.values} ${v.name}${v.note ? ` (${v.note})` : ''}`);
  }
  for (const l of c.legacy ?? []) {
    out.push(`  ${l.standard} layout: ${wrap(l.note, WIDTH, 4)}`);
    for (const f of l.fields) out.push(`    ${describePosition(f).padEnd(width)}  ${f.name}`);
  }
  return out.join('\n');
}

/** A command on one line of a list: opcode, name, length, data phase, whether it is asked about. */
function listLine(r: ResolvedCommand): string {
  const c = r.spec;
  return `${opcodeText(c).padEnd(8)} ${c.name.padEnd(34)} ${String(c.cdbLength).padStart(2)} bytes  data ${directionText(c.length).padEnd(6)} ${effectNeedsConfirmation(c.effect) ? 'DESTRUCTIVE' : ''}${r.source === 'vendor' ? ` (vendor set ${r.set.name})` : ''}`.trimEnd();
}

function runCatalog(args: ParsedArgs, io: CliIo, vendorSets: readonly VendorSet[]): number {
  const json = flag(args, 'json');
  const name = args.positionals.join(' ');
  if (name === '') {
    const all = searchAll('', vendorSets);
    if (json) io.out(toJson(all.map((r) => r.spec)));
    else {
      for (const r of all) io.out(listLine(r));
      io.out(
        `C0h–FFh  vendor specific (${opcodeGroup(asOpcode(0xc0)).description}; ${opcodeGroup(asOpcode(0xe0)).description})`,
      );
    }
    return EXIT.ok;
  }
  // An opcode alone, where service actions tell several commands apart (9Eh, 94h): all of them,
  // one line each, rather than whichever comes first.
  const bare = /^(?:0x)?([0-9a-f]{1,2})h?$/i.exec(name.trim())?.[1];
  const rows = bare === undefined ? [] : commandsForOpcode(asOpcode(parseInt(bare, 16)));
  if (rows.length > 1) {
    if (json) io.out(toJson(rows));
    else {
      const op = t10Hex(rows[0]?.opcode ?? 0);
      io.out(`${op} is ${rows.length} commands, told apart by their SERVICE ACTION:`);
      for (const c of rows) io.out(`  ${listLine({ source: 'standard', spec: c })}`);
      io.out(
        `usbcdb catalog ${op}/SA (e.g. ${opcodeText(rows[0] as CommandSpec)}) or a name shows one in full.`,
      );
    }
    return EXIT.ok;
  }
  const sets = withSetOfName(name, vendorSets);
  const found = resolveByName(name, sets);
  if (!found) {
    io.err(notCatalogued('catalog', name, sets));
    return EXIT.syntax;
  }
  io.out(json ? toJson(found.spec) : renderSpec(found));
  return EXIT.ok;
}
