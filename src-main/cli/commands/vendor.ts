/**
 * `usbcdb vendor [NAME] [--FIELD v…]` sends a command of a vendor set;
 * `usbcdb write-buffer --file FW --mode M [--chunk N]` downloads firmware
 * with WRITE BUFFER, chunk by chunk, with a progress bar.
 */
import { standardCdb } from '../../../shared/scsi/cdb/build';
import { readDataFile } from '../data-files';
import { dataTransferOf } from '../../../shared/scsi/catalog';
import { resolveByName, searchAll } from '../../../shared/scsi/catalog/resolve';
import { buildCdb } from '../../../shared/scsi/cdb/build';
import { t10Hex } from '../../../shared/scsi/hex';
import { parseInquiry } from '../../../shared/scsi/parsers';
import { BUILT_IN_SETS } from '../../../shared/vendor-sets/registry';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { flag, option, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import {
  userCdb,
  DEFAULT_TIMEOUT_MS,
  deviceUsage,
  DEVICE_OPTION_SPEC,
  dataOutShortfall,
  exchangeJson,
  exitCodeFor,
  requestOptions,
  renderOutcome,
  renderResponse,
  sendAndShow,
  refuseWithoutForce,
  settle,
  withTransport,
} from '../device-session';
import { EXIT, exitCodeForArgs } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { hexdump } from '../render/hexdump';
import { fieldValuesFromOptions, kebab } from './field-options';
import { numericOptions } from './shared-options';
import { vendorSetsFromArgs } from '../vendor-set-options';

/**
 * Shows data-in as text when it is printable; otherwise as the command's
 * response layout reads it, or as a hex dump when its set declares none.
 */
function showData(cdb: Uint8Array, data: Uint8Array, sets: readonly VendorSet[]): string | Error {
  const printable = data.every((b) => b === 0x0a || (b >= 0x20 && b < 0x7f));
  if (printable) return new TextDecoder().decode(data).trimEnd();
  return renderResponse(cdb, data, sets) ?? hexdump(data);
}

export const vendorCommand: CliCommand = {
  name: 'vendor',
  options: { ...DEVICE_OPTION_SPEC, file: 'value' },
  positionals: 1,
  fieldOptions: true,
  summary:
    'Vendor commands of the built-in vendor sets and --vendor-set files (usbcdb vendor lists them)',
  usage: `${deviceUsage(
    `usbcdb vendor [--vendor-set FILE…]     list the vendor commands
usbcdb vendor NAME [--FIELD VALUE…] [--file DATA] [options]

Fields are given as in usbcdb build (their keys, kebab-case, or --alloc/--param-len).`,
    {
      options: [
        [
          '--file DATA',
          'data-out for commands that send data (its length sets PARAMETER LIST LENGTH if not given);',
          'refused for a command that sends none',
        ],
      ],
      json: [
        '--json',
        '{device, request, outcome}; the list (no NAME): [{set, spec}], spec a command as',
        'usbcdb catalog --json gives it',
      ],
    },
  )}
A --vendor-set file's commands come before the built-in sets' for the same opcode, and an emulated
drive speaks them too; emu:fw-updatable implements the example set.
Exit status: 0 GOOD, else the sg3_utils category of the failure; 1 on bad input; 31 for --file
with a command that sends no data-out.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const files = await vendorSetsFromArgs(args, io, 'vendor');
    if (!files) return EXIT.fileError;
    const sets = [...files, ...BUILT_IN_SETS];
    const name = args.positionals[0];
    if (name === undefined) {
      const list = searchAll('', sets).flatMap((r) =>
        r.source === 'vendor' ? [{ set: r.set.name, spec: r.spec }] : [],
      );
      if (flag(args, 'json')) io.out(toJson(list));
      else
        for (const { set, spec } of list)
          io.out(
            `${t10Hex(spec.opcode)}  ${(spec.aliases[0] ?? '').padEnd(28)} ${spec.name} (${set}): ${spec.summary}`,
          );
      return EXIT.ok;
    }
    const found = resolveByName(name, sets);
    if (found?.source !== 'vendor') {
      io.err(`vendor: no vendor command "${name}"; usbcdb vendor lists them`);
      return EXIT.syntax;
    }
    const spec = found.spec;
    const file = option(args, 'file');
    const dataOut = file !== undefined ? await readDataFile(file, io, 'vendor') : undefined;
    if (file !== undefined && !dataOut) return EXIT.fileError;
    const values = fieldValuesFromOptions(args, spec.name, spec.fields, vendorCommand.options);
    if (values instanceof Error) {
      io.err(`vendor: ${values.message}`);
      return exitCodeForArgs(values);
    }
    if (
      dataOut &&
      values.parameterListLength === undefined &&
      spec.fields.some((f) => f.key === 'parameterListLength')
    )
      values.parameterListLength = BigInt(dataOut.length);
    const built = buildCdb(spec, values);
    if (!built.ok) {
      io.err(`vendor: ${built.error.message}`);
      return EXIT.syntax;
    }
    const phase = dataTransferOf(built.value, spec);
    // Data for a command that sends none would be dropped unseen: refuse it, as raw refuses
    // --out beside --in (the two exclude each other).
    if (dataOut && phase.direction !== 'out') {
      io.err(
        `vendor: ${spec.name} sends no data-out (its data phase is ${phase.direction}); leave out --file`,
      );
      return EXIT.contradict;
    }
    const length = phase.bytes ?? 0;
    if (phase.direction === 'out' && (dataOut?.length ?? 0) !== length) {
      io.err(
        `vendor: ${spec.name} sends ${length} bytes of data-out; give --file with exactly that many (or --${kebab('parameterListLength')})`,
      );
      return EXIT.syntax;
    }
    const request =
      phase.direction === 'out' && dataOut
        ? { cdb: built.value, direction: 'out' as const, transferLength: length, dataOut }
        : {
            cdb: built.value,
            direction: phase.direction,
            transferLength: phase.direction === 'in' ? length : 0,
          };
    return sendAndShow(args, io, request, (data, known) => showData(built.value, data, known), {
      files,
      extra: files.includes(found.set) ? [] : [found.set],
    });
  },
};

/** WRITE BUFFER modes that take offsets and so can be sent in chunks (SPC-5). */
const OFFSET_MODES = new Set([0x02, 0x06, 0x07, 0x0d, 0x0e]);

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round((done / total) * 100)}% ${done}/${total} bytes`;
}

export const writeBufferCommand: CliCommand = {
  name: 'write-buffer',
  options: {
    ...DEVICE_OPTION_SPEC,
    file: 'value',
    mode: 'value',
    chunk: 'value',
    'buffer-id': 'value',
  },
  summary: 'Download firmware (or buffer data) with WRITE BUFFER, in chunks, with a progress bar',
  usage: `${deviceUsage(
    'usbcdb write-buffer --file FW --mode M [--chunk N] [--buffer-id ID] [--force] [options]\n',
    {
      options: [
        [
          '--mode M',
          '02h data, 05h download+save+activate (one command), 07h with offsets+save+activate,',
          '0Eh with offsets+save+defer (then send mode 0Fh), 0Fh activate deferred (no file)',
        ],
        [
          '--chunk N',
          'bytes per command for offset modes 02h, 06h, 07h, 0Dh, 0Eh (default 4096; a multiple of',
          "the device's offset boundary); refused with any other mode, which sends the image whole",
        ],
        ['--buffer-id ID', 'the BUFFER ID field (default 0)'],
        ['--file FW', 'the image (not needed for mode 0Fh)'],
      ],
      json: [
        '--json',
        '{device, mode, bytes, commands, revision}; when one fails {device, mode, offset,',
        'request, outcome} (data as lengths: dataOutLength, dataInLength)',
      ],
    },
  )}
A real device needs --force: new firmware can brick a device. --timeout is per command, and
here it defaults to ${DEFAULT_TIMEOUT_MS * 3} ms, not ${DEFAULT_TIMEOUT_MS}: a download can be slow.
Progress goes to standard error. Exit status: 0 when every command succeeded and the device
took every byte; 31 for --file with mode 0Fh or --chunk with a mode without offsets.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const nums = numericOptions(args, ['mode', 'chunk', 'buffer-id']);
    if (nums instanceof Error || nums.mode === undefined) {
      io.err(`write-buffer: ${nums instanceof Error ? nums.message : 'give --mode (e.g. 0x07)'}`);
      return EXIT.syntax;
    }
    const given = requestOptions(args);
    if (given instanceof Error) {
      io.err(`write-buffer: ${given.message}`);
      return EXIT.syntax;
    }
    const lun = given.lun;
    const timeoutMs =
      option(args, 'timeout') !== undefined ? given.timeoutMs : DEFAULT_TIMEOUT_MS * 3;
    const mode = nums.mode;
    const file = option(args, 'file');
    const image =
      file !== undefined ? await readDataFile(file, io, 'write-buffer') : new Uint8Array();
    if (!image) return EXIT.fileError;
    // Mode 0Fh activates deferred microcode and moves no data: its PARAMETER LIST LENGTH is
    // reserved (SPC-5, WRITE BUFFER, activate deferred microcode mode), so an image given with it
    // would go out as data no device expects.
    // Options the mode excludes exit as sg_write_buffer's mode/file mismatch does (SG_LIB_CONTRADICT).
    if (mode === 0x0f && file !== undefined) {
      io.err(
        'write-buffer: --mode 0Fh activates the deferred microcode and sends no data; leave out --file',
      );
      return EXIT.contradict;
    }
    // Only a mode with a BUFFER OFFSET can take the image in parts (SPC-5, WRITE BUFFER): any
    // other sends it whole, so a --chunk given with one would be silently dropped.
    if (nums.chunk !== undefined && !OFFSET_MODES.has(mode)) {
      io.err(
        `write-buffer: --mode ${t10Hex(mode)} sends the image in one command, without offsets; leave out --chunk (it is for modes ${[...OFFSET_MODES].map((m) => t10Hex(m)).join(', ')})`,
      );
      return EXIT.contradict;
    }
    if (mode !== 0x0f && image.length === 0) {
      io.err(
        `write-buffer: ${file === undefined ? 'give --file with the data or firmware image' : `${file} is empty: there is nothing to download`}`,
      );
      return EXIT.syntax;
    }
    if (nums.chunk === 0) {
      io.err('write-buffer: --chunk must be at least 1 byte');
      return EXIT.syntax;
    }
    const chunk = OFFSET_MODES.has(mode) ? (nums.chunk ?? 4096) : Math.max(1, image.length);
    const fields = (offset: number, length: number) => ({
      mode,
      bufferId: nums['buffer-id'] ?? 0,
      bufferOffset: offset,
      parameterListLength: length,
    });
    // Every value checked before the first command leaves: the last chunk has the largest
    // offset, the first the largest length.
    const lastOffset = image.length > 0 ? Math.floor((image.length - 1) / chunk) * chunk : 0;
    for (const check of [fields(0, Math.min(chunk, image.length)), fields(lastOffset, 0)]) {
      const cdb = userCdb('write-buffer', check);
      if (cdb instanceof Error) {
        io.err(`write-buffer: ${cdb.message}`);
        return EXIT.syntax;
      }
    }
    const cdbAt = (offset: number, length: number): Uint8Array =>
      standardCdb('write-buffer', fields(offset, length));
    return withTransport(args, io, async (t) => {
      const first = Math.min(chunk, image.length);
      const refusal = refuseWithoutForce(t, args, cdbAt(0, first), first);
      if (refusal) {
        io.err(`write-buffer: ${refusal}`);
        return EXIT.syntax;
      }
      const device = await settle(t, given);
      const json = flag(args, 'json');
      let sent = 0;
      let commands = 0;
      do {
        const part = image.subarray(sent, sent + chunk);
        const req = {
          cdb: cdbAt(sent, part.length),
          lun,
          direction: part.length > 0 ? ('out' as const) : ('none' as const),
          transferLength: part.length,
          ...(part.length > 0 ? { dataOut: part } : {}),
          timeoutMs,
        };
        const o = await t.execute(req);
        commands++;
        const failed = (text: string, code: number): number => {
          if (image.length > 0) io.err('');
          io.out(
            json
              ? toJson({ device: t.describe(), mode, offset: sent, ...exchangeJson(req, o) })
              : text,
          );
          return code;
        };
        if (o.status !== 0)
          return failed(
            `WRITE BUFFER at offset ${sent} failed:\n${renderOutcome(req, o, device)}`,
            exitCodeFor(o),
          );
        // A chunk the device took only part of is not a download: stop rather than go on past a hole.
        if (o.residue !== 0)
          return failed(
            `WRITE BUFFER at offset ${sent}: ${dataOutShortfall(part.length, o.residue)}; stopped with ${sent + part.length - o.residue} of ${image.length} bytes sent`,
            EXIT.other,
          );
        sent += part.length;
        if (image.length > 0) io.err(`\r${progressBar(sent, image.length)}`);
      } while (sent < image.length);
      const inq = await t.execute({
        cdb: standardCdb('inquiry'),
        lun,
        direction: 'in',
        transferLength: 36,
        // A device activating what it was sent may take as long to answer as a chunk did.
        timeoutMs,
      });
      // Read as every INQUIRY is (its PRODUCT REVISION LEVEL is ASCII, SPC-5): the bytes are the
      // device's, and an ESC among them must not reach the terminal as an escape sequence.
      const parsed = inq.status === 0 ? parseInquiry(inq.dataIn) : undefined;
      const revision = parsed?.ok ? parsed.value.revision : undefined;
      io.out(
        json
          ? toJson({
              device: t.describe(),
              mode,
              bytes: image.length,
              commands,
              revision: revision ?? null,
            })
          : `WRITE BUFFER mode ${t10Hex(mode)}: ${image.length} bytes sent${revision ? `; the device now reports revision ${revision}` : ''}`,
      );
      return EXIT.ok;
    });
  },
};
