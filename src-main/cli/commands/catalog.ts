/** `usbcdb catalog [OPCODE|NAME]` */
import {
  COMMANDS,
  findByName,
  opcodeGroup,
  type CommandSpec,
  type Effect,
  type LengthRule,
} from '../../../shared/scsi/catalog';
import { describePosition } from '../../../shared/scsi/catalog/fields';
import { effectNeedsConfirmation } from '../../../shared/scsi/confirm-policy';
import { t10Hex } from '../../../shared/scsi/hex';
import { flag, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { WIDTH, wrap } from '../render/wrap';

export const catalogCommand: CliCommand = {
  name: 'catalog',
  summary:
    'The command catalog: every field with byte/bit, values, length rules, SPC-2 differences',
  usage: `usbcdb catalog                 list every command
usbcdb catalog OPCODE|NAME     one command in full (e.g. 12h, 0x9e/0x10, inquiry, "READ(10)")
  --json   JSON output: the catalog rows as declared in shared/scsi/catalog/types.ts (CommandSpec)
Exit status: 0, or 1 for a name or opcode the catalog does not have.`,
  run: (args: ParsedArgs, io: CliIo) => Promise.resolve(runCatalog(args, io)),
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

function ruleText(r: LengthRule): string {
  const when = r.when?.map((c) => `${c.field}=${c.equals}`).join(', ');
  const where = r.field
    ? `${r.field}`
    : r.fixedUnits !== undefined
      ? `always ${r.fixedUnits}`
      : 'not given by a CDB field';
  return `${r.kind} length, ${r.direction}, ${where} in ${r.unit}${r.zeroMeans !== undefined ? ` (0 means ${r.zeroMeans})` : ''}${when ? ` when ${when}` : ''}${r.note ? ` — ${r.note}` : ''}`;
}

function renderSpec(c: CommandSpec): string {
  const out = [
    `${c.name} — opcode ${opcodeText(c)}, ${c.cdbLength} bytes, ${c.standard}${c.support ? `, ${c.support}` : ''}`,
    `  ${wrap(c.summary, WIDTH, 2)}`,
    `  data: ${c.length.length === 0 ? 'none' : ''}`,
  ];
  for (const r of c.length) out.push(`    ${wrap(ruleText(r), WIDTH, 4)}`);
  out.push(
    `  effect: ${EFFECT_TEXT[c.effect]}${effectNeedsConfirmation(c.effect) ? ' (confirmation needed on real devices)' : ''}`,
  );
  out.push(`  aliases: ${c.aliases.join(', ')}`, '  fields:');
  const width = Math.max(...c.fields.map((f) => describePosition(f).length));
  for (const f of c.fields) {
    out.push(
      `    ${describePosition(f).padEnd(width)}  ${f.name} [${f.key}]${f.obsolete ? ' (obsolete)' : ''}${f.default !== undefined ? ` default ${f.default}` : ''}`,
    );
    out.push(`    ${' '.repeat(width)}  ${wrap(f.meaning, WIDTH, width + 6)}`);
    for (const v of f.values ?? [])
      out.push(
        `    ${' '.repeat(width)}    ${t10Hex(v.value)} ${v.name}${v.note ? ` (${v.note})` : ''}`,
      );
  }
  for (const l of c.legacy ?? []) {
    out.push(`  ${l.standard} layout: ${wrap(l.note, WIDTH, 4)}`);
    for (const f of l.fields) out.push(`    ${describePosition(f).padEnd(width)}  ${f.name}`);
  }
  return out.join('\n');
}

function runCatalog(args: ParsedArgs, io: CliIo): number {
  const json = flag(args, 'json');
  const name = args.positionals.join(' ');
  if (name === '') {
    if (json) io.out(toJson(COMMANDS));
    else {
      for (const c of COMMANDS) {
        io.out(
          `${opcodeText(c).padEnd(8)} ${c.name.padEnd(34)} ${String(c.cdbLength).padStart(2)} bytes  data ${directionText(c.length).padEnd(6)} ${effectNeedsConfirmation(c.effect) ? 'DESTRUCTIVE' : ''}`,
        );
      }
      io.out(
        `C0h–FFh  vendor specific (${opcodeGroup(0xc0).description}; ${opcodeGroup(0xe0).description})`,
      );
    }
    return EXIT.ok;
  }
  const spec = findByName(name);
  if (!spec) {
    io.err(
      `catalog: "${name}" is not in the catalog${/^(0x)?[c-f][0-9a-f]h?$/i.test(name) ? ' — C0h–FFh are vendor specific: only the vendor documents them' : ''}`,
    );
    return EXIT.syntax;
  }
  io.out(json ? toJson(spec) : renderSpec(spec));
  return EXIT.ok;
}
