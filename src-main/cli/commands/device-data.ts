/**
 * Device commands that move or describe more data: mode-sense, log-sense, opcodes,
 * read, write (which needs --force on real devices), reset and devices.
 */
import { standardCdb } from '../../../shared/scsi/cdb/build';
import { asOpcode, asServiceAction } from '../../../shared/scsi/brand';
import { dashForFile, readDataFile } from '../data-files';
import { MAX_CBW_TRANSFER } from '../../../shared/bot/cbw';
import { writeFileAtomic } from '../../files/atomic-write';
import { unwritableTarget } from '../../files/regular-file';
import type { CommandOutcome, CommandRequest } from '../../../shared/exchange';
import {
  describeSupportedOpcodes,
  parseLogSense,
  parseReadCapacity10,
  parseSupportedOpcodes,
} from '../../../shared/scsi/parsers';
import { findByOpcode } from '../../../shared/scsi/catalog';
import type { Transport } from '../../engine/transport';
import type { DeviceFacts } from '../../engine/settle';
import { listDevices } from '../../engine/device-list';
import { flag, option, parseBigNumber, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { optionRows, type OptionRow } from '../usage';
import {
  userCdb,
  exitCodeFor,
  renderOutcome,
  sendAndShow,
  settle,
  showOutcome,
  DEVICE_OPTION_SPEC,
  deviceUsage,
  dataOutShortfall,
  exchangeJson,
  requestOptions,
  withTransport,
} from '../device-session';
import { EXIT, type ExitCode } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { renderRows } from '../render/rows';
import { numericOptions } from './shared-options';

export const modeSenseCommand: CliCommand = {
  name: 'mode-sense',
  options: { ...DEVICE_OPTION_SPEC, page: 'value', pc: 'value', '6': 'flag' },
  summary:
    'Mode pages (caching, control, informational exceptions…): MODE SENSE(10), or (6) with --6',
  usage: deviceUsage('usbcdb mode-sense [--page P] [--pc 0-3] [--6] [options]', {
    options: [
      ['--page P', 'mode page (default 3Fh, all pages)'],
      ['--pc N', '0 current, 1 changeable, 2 default, 3 saved'],
      ['--6', 'MODE SENSE(6) instead of MODE SENSE(10), for devices that know only the 6-byte one'],
    ],
  }),
  run: (args: ParsedArgs, io: CliIo) => {
    const nums = numericOptions(args, ['page', 'pc']);
    if (nums instanceof Error) {
      io.err(`mode-sense: ${nums.message}`);
      return Promise.resolve(EXIT.syntax);
    }
    const six = flag(args, '6');
    const alloc = six ? 0xff : 0x400;
    // Without --page, the catalog's PAGE CODE default: all pages.
    const cdb = userCdb(six ? 'mode-sense6' : 'mode-sense10', {
      ...(nums.page !== undefined ? { pageCode: nums.page } : {}),
      pc: nums.pc ?? 0,
      allocationLength: alloc,
    });
    if (cdb instanceof Error) {
      io.err(`mode-sense: ${cdb.message}`);
      return Promise.resolve(EXIT.syntax);
    }
    return sendAndShow(args, io, { cdb, direction: 'in', transferLength: alloc });
  },
};

/** LOG SENSE's allocation length: the self-test results page (404 bytes) and most others whole. */
const LOG_ALLOCATION = 0x1000;

/** LOG SENSE of one page, PC 01b (cumulative values) unless told, as sg_logs and smartctl ask. */
function logRequest(
  page: number,
  subpage: number,
  pc: number,
): Omit<CommandRequest, 'lun' | 'timeoutMs'> | Error {
  const cdb = userCdb('log-sense', {
    pageCode: page,
    subpageCode: subpage,
    pc,
    allocationLength: LOG_ALLOCATION,
  });
  return cdb instanceof Error ? cdb : { cdb, direction: 'in', transferLength: LOG_ALLOCATION };
}

/**
 * Every page the device lists (sg_logs -a): the supported pages first, then each page in the
 * order listed, one exchange each; with --json one document holding every exchange. The exit
 * status is the first failure's, after every page was asked.
 */
async function allLogPages(
  args: ParsedArgs,
  io: CliIo,
  pc: number,
  given: Pick<CommandRequest, 'lun' | 'timeoutMs'>,
): Promise<number> {
  const json = flag(args, 'json');
  return withTransport(args, io, async (t, vendorSets) => {
    const device = await settle(t, given);
    const exchanges: { request: CommandRequest; outcome: CommandOutcome }[] = [];
    const ask = async (
      page: number,
    ): Promise<{ code: ExitCode; outcome: CommandOutcome | undefined }> => {
      const built = logRequest(page, 0, pc);
      if (built instanceof Error) {
        io.err(`log-sense: ${built.message}`);
        return { code: EXIT.syntax, outcome: undefined };
      }
      const request: CommandRequest = { ...built, ...given };
      const outcome = await t.execute(request);
      exchanges.push({ request, outcome });
      if (json) return { code: exitCodeFor(outcome), outcome };
      if (page !== 0) io.out('');
      return { code: showOutcome(t, request, outcome, { args, io, device, vendorSets }), outcome };
    };
    const list = await ask(0);
    const codes = [list.code];
    const parsed =
      list.code === EXIT.ok && list.outcome ? parseLogSense(list.outcome.dataIn) : undefined;
    // Each page once, whatever the list repeats: a device's list is at most 4 KiB of page codes.
    const listed = parsed?.ok ? (parsed.value.supported ?? []).map((s) => s.pageCode) : [];
    for (const page of new Set(listed)) if (page !== 0) codes.push((await ask(page)).code);
    if (json) io.out(toJson({ device: t.describe(), exchanges }));
    return codes.find((c) => c !== EXIT.ok) ?? EXIT.ok;
  });
}

export const logSenseCommand: CliCommand = {
  name: 'log-sense',
  options: { ...DEVICE_OPTION_SPEC, page: 'value', subpage: 'value', pc: 'value', all: 'flag' },
  summary:
    'Log pages (temperature, self-tests, error counters…): LOG SENSE, the supported pages by default',
  usage: deviceUsage('usbcdb log-sense [--page P [--subpage S] | --all] [--pc 0-3] [options]', {
    options: [
      ['--page P', 'log page (default 00h, the pages the device supports)'],
      ['--subpage S', 'subpage (FFh: the pages and subpages, or a page’s subpages)'],
      ['--all', 'every page the device lists, one LOG SENSE each (as sg_logs -a)'],
      ['--pc N', '0 current threshold, 1 current cumulative (default), 2/3 the defaults'],
    ],
    json: [
      '--json',
      '{device, request, outcome}; with --all {device, exchanges: [{request, outcome}]}',
    ],
  }),
  run: (args: ParsedArgs, io: CliIo) => {
    const nums = numericOptions(args, ['page', 'subpage', 'pc']);
    if (nums instanceof Error) {
      io.err(`log-sense: ${nums.message}`);
      return Promise.resolve(EXIT.syntax);
    }
    const all = flag(args, 'all');
    if (all && (nums.page !== undefined || nums.subpage !== undefined)) {
      io.err(
        'log-sense: --all asks for every page the device lists; it takes no --page or --subpage',
      );
      return Promise.resolve(EXIT.contradict);
    }
    const request = logRequest(nums.page ?? 0, nums.subpage ?? 0, nums.pc ?? 1);
    if (request instanceof Error) {
      io.err(`log-sense: ${request.message}`);
      return Promise.resolve(EXIT.syntax);
    }
    if (!all) return sendAndShow(args, io, request);
    const given = requestOptions(args);
    if (given instanceof Error) {
      io.err(`log-sense: ${given.message}`);
      return Promise.resolve(EXIT.syntax);
    }
    return allLogPages(args, io, nums.pc ?? 1, given);
  },
};

export const opcodesCommand: CliCommand = {
  name: 'opcodes',
  options: { ...DEVICE_OPTION_SPEC, op: 'value', sa: 'value' },
  summary:
    'What the device says it supports: REPORT SUPPORTED OPERATION CODES (all, or one with --op)',
  usage: deviceUsage('usbcdb opcodes [--op OPCODE [--sa SA]] [options]', {
    options: [
      ['--op OPCODE', 'ask about one opcode only (REPORTING OPTIONS 001b)'],
      ['--sa SA', 'with --op: one service action of that opcode (REPORTING OPTIONS 010b)'],
    ],
  }),
  run: (args: ParsedArgs, io: CliIo) => {
    const nums = numericOptions(args, ['op', 'sa']);
    if (nums instanceof Error) {
      io.err(`opcodes: ${nums.message}`);
      return Promise.resolve(EXIT.syntax);
    }
    // A service action belongs to an opcode (REQUESTED SERVICE ACTION is read only with REPORTING
    // OPTIONS 010b, SPC-5 6.35): without --op it would be dropped and every command listed.
    if (nums.sa !== undefined && nums.op === undefined) {
      io.err('opcodes: --sa names a service action of the opcode given with --op; give --op too');
      return Promise.resolve(EXIT.syntax);
    }
    const one = nums.op !== undefined;
    const alloc = one ? 64 : 0x2000;
    const cdb = userCdb('rsoc', {
      reportingOptions: one ? (nums.sa !== undefined ? 2 : 1) : 0,
      requestedOpcode: nums.op ?? 0,
      requestedServiceAction: nums.sa ?? 0,
      allocationLength: alloc,
    });
    if (cdb instanceof Error) {
      io.err(`opcodes: ${cdb.message}`);
      return Promise.resolve(EXIT.syntax);
    }
    return sendAndShow(args, io, { cdb, direction: 'in', transferLength: alloc }, (data) => {
      const r = parseSupportedOpcodes(data, one ? 'one' : 'all');
      if (!r.ok) return new Error(r.error.message);
      const rows = describeSupportedOpcodes(r.value).map((x) => {
        // Name each opcode from the catalog next to what the device reported.
        const m = /^([0-9A-F]{2})h(?:\/([0-9A-F]+)h)?$/.exec(x.label);
        const spec = m
          ? findByOpcode(
              asOpcode(parseInt(m[1] as string, 16)),
              m[2] ? asServiceAction(parseInt(m[2], 16)) : undefined,
            )
          : undefined;
        return spec ? { ...x, label: `${x.label} ${spec.name}` } : x;
      });
      return renderRows(rows);
    });
  },
};

/**
 * The block length READ CAPACITY(10) reports, asked with the user's --lun and --timeout (a device
 * slow enough to need a longer timeout is slow for this too); or, when the device does not say,
 * why not, after printing its answer (as --json asks). READ(16) and WRITE(16) count their transfer
 * in these blocks (SBC-4): a guessed size would ask for another number of bytes than the host
 * moves, so, as sg_dd stops when it cannot read the capacity, nothing is sent. Returns the exit
 * status then: the category of READ CAPACITY's failure, or 97 for an answer that does not read.
 */
async function blockSizeOf(
  t: Transport,
  given: { readonly lun: number; readonly timeoutMs: number },
  device: DeviceFacts,
  args: ParsedArgs,
  io: CliIo,
): Promise<{ readonly blockSize: number } | ExitCode> {
  const req = {
    cdb: standardCdb('readcap'),
    direction: 'in' as const,
    transferLength: 8,
    ...given,
  };
  const cap = await t.execute(req);
  const parsed = cap.status === 0 ? parseReadCapacity10(cap.dataIn) : undefined;
  if (parsed?.ok && parsed.value.blockLength > 0) return { blockSize: parsed.value.blockLength };
  const why =
    cap.status !== 0 || cap.transportError
      ? 'READ CAPACITY(10) failed'
      : parsed && !parsed.ok
        ? `its READ CAPACITY(10) answer does not read: ${parsed.error.message}`
        : 'its READ CAPACITY(10) answer gives a LOGICAL BLOCK LENGTH IN BYTES of 0';
  io.out(
    flag(args, 'json')
      ? toJson({ device: t.describe(), request: req, outcome: cap })
      : renderOutcome(req, cap, device),
  );
  io.err(
    `${args.command ?? 'usbcdb'}: the device did not give its block size (${why}), so no block was counted or sent`,
  );
  return cap.status === 0 && !cap.transportError ? EXIT.malformed : exitCodeFor(cap);
}

/** LBA and block count for read/write, checked against the fields READ(16)/WRITE(16) carry them in. */
function lbaRange(
  args: ParsedArgs,
  io: CliIo,
  what: 'read' | 'write',
): { lba: bigint; count: number } | undefined {
  const lbaText = option(args, 'lba') ?? '0';
  const lba = parseBigNumber(lbaText, '--lba');
  const nums = numericOptions(args, ['count']);
  if (lba instanceof Error || nums instanceof Error) {
    io.err(`${what}: ${(lba instanceof Error ? lba : (nums as Error)).message}`);
    return undefined;
  }
  const count = nums.count ?? 1;
  const fits = userCdb(`${what}16`, { lba, transferLength: count });
  if (fits instanceof Error) {
    io.err(`${what}: ${fits.message}`);
    return undefined;
  }
  return { lba, count };
}

/** The --json line of read and write: the exchange with its data phase as a length, and where the blocks went. */
const BLOCK_JSON: OptionRow = [
  '--json',
  '{device, request, outcome, lba, blocks, blockSize, file} (data as lengths: dataOutLength, dataInLength);',
  "when the device does not give its block size, READ CAPACITY(10)'s {device, request, outcome}",
];

export const readCommand: CliCommand = {
  name: 'read',
  options: {
    ...DEVICE_OPTION_SPEC,
    lba: 'value',
    count: 'value',
    file: 'value',
    o: { aliasOf: 'file' },
  },
  summary: 'Read blocks to a file: READ(16) from --lba, --count blocks',
  usage: deviceUsage('usbcdb read [--lba LBA] [--count N] --file FILE [options]', {
    options: [
      ['--lba LBA', 'the first block to read (default 0)'],
      ['--count N', 'how many blocks (default 1)'],
      ['--file FILE', '(or -o FILE) where the blocks go; written only when every block came'],
    ],
    json: BLOCK_JSON,
  }),
  run: async (args: ParsedArgs, io: CliIo) => {
    const range = lbaRange(args, io, 'read');
    const file = option(args, 'file');
    const given = requestOptions(args);
    if (given instanceof Error) io.err(`read: ${given.message}`);
    if (!range || given instanceof Error) return EXIT.syntax;
    if (file === undefined) {
      io.err('read: give --file FILE to write the blocks to');
      return EXIT.syntax;
    }
    // Asked before the device is: blocks read for a file that cannot take them are lost work.
    const target = dashForFile(file) ?? unwritableTarget(file);
    if (target) {
      io.err(`read: ${target.message}: name a file to write the blocks to; nothing was read`);
      return EXIT.fileError;
    }
    return withTransport(args, io, async (t) => {
      const device = await settle(t, given);
      const size = await blockSizeOf(t, given, device, args, io);
      if (typeof size === 'number') return size;
      const { blockSize } = size;
      // dCBWDataTransferLength is 32 bits (USB MSC BOT 5.1): one command moves at most 4 GiB − 1.
      if (range.count * blockSize > MAX_CBW_TRANSFER) {
        io.err(
          `read: ${range.count} blocks of ${blockSize} bytes is ${range.count * blockSize} bytes; one Bulk-Only command moves at most ${MAX_CBW_TRANSFER} (dCBWDataTransferLength is 32 bits): read in parts`,
        );
        return EXIT.syntax;
      }
      const req = {
        cdb: standardCdb('read16', { lba: range.lba, transferLength: range.count }),
        direction: 'in' as const,
        transferLength: range.count * blockSize,
        ...given,
      };
      const o = await t.execute(req);
      const json = (stored: boolean) =>
        toJson({
          device: t.describe(),
          ...exchangeJson(req, o),
          lba: range.lba,
          blocks: range.count,
          blockSize,
          file: stored ? file : null,
        });
      if (o.status !== 0) {
        io.out(flag(args, 'json') ? json(false) : renderOutcome(req, o, device));
        return exitCodeFor(o);
      }
      // Fewer blocks than asked for, with GOOD (a residue): nothing is written rather than a short file.
      if (o.dataIn.length !== req.transferLength) {
        if (flag(args, 'json')) io.out(json(false));
        io.err(
          `read: the device sent ${o.dataIn.length} of ${req.transferLength} bytes (residue ${o.residue}); ${file} was not written`,
        );
        return EXIT.other;
      }
      // Whole or not at all: a failed write leaves any earlier file as it was.
      const written = writeFileAtomic(file, o.dataIn, { mode: 0o644 });
      if (!written.ok) {
        io.err(`read: ${written.error.message}`);
        return EXIT.fileError;
      }
      io.out(
        flag(args, 'json')
          ? json(true)
          : `read ${range.count} block(s) of ${blockSize} bytes from LBA ${range.lba} into ${file}`,
      );
      return EXIT.ok;
    });
  },
};

export const writeCommand: CliCommand = {
  name: 'write',
  options: { ...DEVICE_OPTION_SPEC, lba: 'value', file: 'value', i: { aliasOf: 'file' } },
  summary: 'Write a file to blocks: WRITE(16) at --lba (destructive: --force)',
  usage: deviceUsage(
    'usbcdb write --lba LBA --file FILE --force [options]\n  Writing destroys what was there: --force is required.',
    {
      options: [
        ['--lba LBA', 'the first block to write (no default: LBA 0 holds the partition table)'],
        ['--file FILE', '(or -i FILE) the blocks to write: a whole number of blocks'],
      ],
      json: BLOCK_JSON,
    },
  ),
  run: async (args: ParsedArgs, io: CliIo) => {
    // Where to overwrite is never assumed: LBA 0 holds the partition table.
    if (option(args, 'lba') === undefined) {
      io.err('write: give --lba LBA, the first block to overwrite');
      return EXIT.syntax;
    }
    const range = lbaRange(args, io, 'write');
    const file = option(args, 'file');
    const given = requestOptions(args);
    if (given instanceof Error) io.err(`write: ${given.message}`);
    if (!range || given instanceof Error) return EXIT.syntax;
    if (file === undefined) {
      io.err('write: give --file FILE with the data to write');
      return EXIT.syntax;
    }
    // Stricter than the confirmation policy, which spares emulated drives: this
    // command exists to overwrite blocks, and an emu: image is the user's file.
    if (!flag(args, 'force')) {
      io.err(
        `write: writing to LBA ${range.lba} destroys the data there; add --force if you mean it`,
      );
      return EXIT.syntax;
    }
    const data = await readDataFile(file, io, 'write');
    if (!data) return EXIT.fileError;
    if (data.length === 0) {
      io.err(`write: ${file} is empty: there is no block to write (nothing was sent)`);
      return EXIT.syntax;
    }
    return withTransport(args, io, async (t) => {
      const device = await settle(t, given);
      const size = await blockSizeOf(t, given, device, args, io);
      if (typeof size === 'number') return size;
      const { blockSize } = size;
      if (data.length % blockSize !== 0) {
        io.err(
          `write: ${file} is ${data.length} bytes, not a whole number of ${blockSize}-byte blocks`,
        );
        return EXIT.syntax;
      }
      const blocks = data.length / blockSize;
      const req = {
        cdb: standardCdb('write16', { lba: range.lba, transferLength: blocks }),
        direction: 'out' as const,
        transferLength: data.length,
        dataOut: data,
        ...given,
      };
      const o = await t.execute(req);
      const json = (complete: boolean) =>
        toJson({
          device: t.describe(),
          ...exchangeJson(req, o),
          lba: range.lba,
          blocks: complete ? blocks : null,
          blockSize,
          file,
        });
      if (o.status !== 0) {
        io.out(flag(args, 'json') ? json(false) : renderOutcome(req, o, device));
        return exitCodeFor(o);
      }
      // A write is reported done only when the device accepted every byte.
      if (o.residue !== 0) {
        if (flag(args, 'json')) io.out(json(false));
        io.err(`write: ${dataOutShortfall(data.length, o.residue)}`);
        return EXIT.other;
      }
      io.out(
        flag(args, 'json')
          ? json(true)
          : `wrote ${blocks} block(s) of ${blockSize} bytes at LBA ${range.lba} from ${file}`,
      );
      return EXIT.ok;
    });
  },
};

export const resetCommand: CliCommand = {
  name: 'reset',
  options: DEVICE_OPTION_SPEC,
  summary: 'Bulk-Only reset recovery: mass storage reset, then clear HALT on both bulk endpoints',
  usage: deviceUsage('usbcdb reset [options]', { json: ['--json', '{device, reset: "done"}'] }),
  run: async (args: ParsedArgs, io: CliIo) => {
    // A reset addresses no LUN and has no timeout of its own, but the options are checked like every command's.
    const given = requestOptions(args);
    if (given instanceof Error) {
      io.err(`reset: ${given.message}`);
      return EXIT.syntax;
    }
    return withTransport(args, io, async (t) => {
      await t.reset();
      io.out(
        flag(args, 'json')
          ? toJson({ device: t.describe(), reset: 'done' })
          : `${t.describe().id}: reset recovery done`,
      );
      return EXIT.ok;
    });
  },
};

export const devicesCommand: CliCommand = {
  name: 'devices',
  options: { json: 'flag' },
  summary:
    'Devices usbcdb can talk to: the emulated drives and the USB mass-storage devices libusb sees',
  usage: `usbcdb devices [--json]
${optionRows([
  [
    '--json',
    '[{id, kind, label, vidPid, detail, maxLun, blockSize, serial, kernelDriverAttached}]',
    '(the last three where known)',
  ],
])}`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const list = await listDevices();
    if (flag(args, 'json')) io.out(toJson(list));
    else {
      for (const d of list) io.out(`${d.id.padEnd(20)} ${d.vidPid}  ${d.label}\n    ${d.detail}`);
      if (!list.some((d) => d.kind === 'usb'))
        io.out('(no real USB mass-storage device is attached, or libusb cannot see one)');
    }
    return EXIT.ok;
  },
};
