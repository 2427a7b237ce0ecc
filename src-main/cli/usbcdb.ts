/**
 * The `usbcdb` command line: parse, call shared/, print. Every command is
 * listed here, explicitly (docs/style.md lesson 9: registration is a plain list).
 */
import { extraArgument, parseArgs } from './args';
import type { CliCommand } from './command';
import { buildCommand } from './commands/build';
import { catalogCommand } from './commands/catalog';
import { decodeSenseCommand } from './commands/decode-sense';
import { doctorCommand } from './commands/doctor';
import { lintCommand } from './commands/lint';
import { parseCommand } from './commands/parse';
import { rawCommand } from './commands/raw';
import { serveCommand } from './commands/serve';
import { emulateCommand } from './commands/emulate';
import { probeCommand } from './commands/probe';
import { vendorCommand, writeBufferCommand } from './commands/vendor';
import { sequenceCommand } from './commands/sequence';
import {
  devicesCommand,
  logSenseCommand,
  modeSenseCommand,
  opcodesCommand,
  readCommand,
  resetCommand,
  writeCommand,
} from './commands/device-data';
import {
  inquiryCommand,
  profilesCommand,
  readcapCommand,
  requestSenseCommand,
  turCommand,
} from './commands/device-commands';
import { EXIT, exitCodeForArgs } from './exit-codes';
import { processIo, type CliIo } from './io';

export const COMMANDS: readonly CliCommand[] = [
  doctorCommand,
  lintCommand,
  decodeSenseCommand,
  parseCommand,
  buildCommand,
  catalogCommand,
  devicesCommand,
  profilesCommand,
  rawCommand,
  inquiryCommand,
  turCommand,
  readcapCommand,
  requestSenseCommand,
  modeSenseCommand,
  logSenseCommand,
  opcodesCommand,
  readCommand,
  writeCommand,
  vendorCommand,
  sequenceCommand,
  writeBufferCommand,
  resetCommand,
  serveCommand,
  emulateCommand,
  probeCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usbcdb — craft, check and explain SCSI commands for USB storage devices',
    '',
    'usage: usbcdb COMMAND [arguments] [--json]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "usbcdb help COMMAND (or usbcdb COMMAND --help) shows a command's options.",
    'Hex is accepted as "12 00 00", "120000" or "0x12,0x00". Exit status follows sg3_utils (see README).',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  // No command is a command line left incomplete (a script's unset variable), not a request for
  // help: the usage goes to stderr and the status is sg3_utils' SG_LIB_SYNTAX_ERROR, as sg_inq
  // run without a device gives; `usbcdb help` asks for it and exits 0.
  if (name === undefined) {
    io.err(`usbcdb: give a command\n\n${help()}`);
    return EXIT.syntax;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const target = COMMANDS.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && !target) {
      io.err(`usbcdb help: unknown command "${rest[0]}"\n\n${help()}`);
      return EXIT.syntax;
    }
    // Help is for one command: a word after it is refused, as every command refuses one.
    const extra = extraArgument(rest, 1);
    if (extra) {
      io.err(`usbcdb help: ${extra.message}`);
      return EXIT.syntax;
    }
    io.out(target ? target.usage : help());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`usbcdb: unknown command "${name}"\n\n${help()}`);
    return EXIT.syntax;
  }
  const args = parseArgs(rest, command);
  if (args instanceof Error) {
    io.err(`${name}: ${args.message} (usbcdb help ${name} lists its options)`);
    return exitCodeForArgs(args);
  }
  if (args.options.has('help')) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run({ ...args, command: name }, io);
  } catch (e) {
    // A bug, not bad input: say so plainly rather than dumping a stack on the user.
    io.err(
      `usbcdb ${name}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\nPlease report this with the command line you ran.`,
    );
    return EXIT.other;
  }
}
