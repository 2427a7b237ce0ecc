/** `usbcdb raw CDB-HEX [--in N | --out FILE] [--timeout MS] [--lun N] [--device DEV]` */
import { readDataFile } from '../data-files';
import { parseHex } from '../../../shared/scsi/hex';
import { cdbLengthProblem } from '../../../shared/bot/cbw';
import { flag, option, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import {
  requestOptions,
  DEVICE_OPTION_SPEC,
  deviceUsage,
  exitCodeFor,
  refuseWithoutForce,
  renderOutcome,
  renderResponse,
  settle,
  withTransport,
} from '../device-session';
import { dataOutLengthOf } from '../../engine/confirmation';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { hexdump } from '../render/hexdump';
import { refusedDataInNote } from '../../../shared/exchange';
import { numericOptions } from './shared-options';

export const rawCommand: CliCommand = {
  name: 'raw',
  options: { ...DEVICE_OPTION_SPEC, in: 'value', out: 'value' },
  positionals: Infinity,
  summary:
    'Send any CDB to a device (default emu:) and show status, sense, data, and what went wrong',
  usage: `${deviceUsage('usbcdb raw CDB-HEX [--in N | --out FILE] [options]\n', {
    options: [
      ['CDB-HEX', '1–16 bytes, as much as a Bulk-Only CBW carries'],
      ['--in N', 'expect N bytes of data-in (the host buffer / dCBWDataTransferLength)'],
      ['--out FILE', 'send FILE as data-out (a file of at least one byte)'],
    ],
    vendorSets: "(a vendor set's declared effects decide --force; its responses are decoded)",
    json: [
      '--json',
      '{request:{cdb,lun,direction,transferLength}, outcome:{status,transportError,dataIn,sense,residue,cswStatus,durationMs}}',
    ],
  })}
Failures are explained by the doctor. Exit status: 0 GOOD, else the sg3_utils category of the failure.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const cdb = parseHex(args.positionals.join(' '), 'CDB');
    if (!cdb.ok || cdb.value.length === 0) {
      io.err(
        `raw: ${cdb.ok ? 'give the CDB as hex, e.g. usbcdb raw 12 00 00 00 24 00 --in 36' : cdb.error.message}`,
      );
      return EXIT.syntax;
    }
    // Every device usbcdb opens speaks Bulk-Only, whose CBW has room for 16 CDB bytes: a longer
    // CDB (a variable-length 7Fh one, say) cannot reach the device, so nothing is sent.
    const tooLong = cdbLengthProblem(cdb.value.length);
    if (tooLong) {
      io.err(`raw: ${tooLong.message}, so it cannot be sent`);
      return EXIT.syntax;
    }
    const nums = numericOptions(args, ['in']);
    const given = requestOptions(args);
    if (nums instanceof Error || given instanceof Error) {
      io.err(`raw: ${(nums instanceof Error ? nums : (given as Error)).message}`);
      return EXIT.syntax;
    }
    const outFile = option(args, 'out');
    if (outFile !== undefined && nums.in !== undefined) {
      io.err('raw: a Bulk-Only command moves data one way: give --in or --out, not both');
      return EXIT.contradict;
    }
    const dataOut = outFile !== undefined ? await readDataFile(outFile, io, 'raw') : undefined;
    if (outFile !== undefined && !dataOut) return EXIT.fileError;
    // An empty file would send the CDB with a data-out phase of 0 bytes: whatever the CDB asks
    // for, the device would get none of it. A command with no data is raw without --out.
    if (outFile !== undefined && dataOut?.length === 0) {
      io.err(
        `raw: ${outFile} is empty: there is no data to send (nothing was sent); leave out --out to send the CDB with no data`,
      );
      return EXIT.syntax;
    }
    const request = {
      cdb: cdb.value,
      direction: dataOut
        ? ('out' as const)
        : (nums.in ?? 0) > 0
          ? ('in' as const)
          : ('none' as const),
      transferLength: dataOut?.length ?? nums.in ?? 0,
      ...(dataOut ? { dataOut } : {}),
      ...given,
    };
    return withTransport(args, io, async (t, vendorSets) => {
      const refusal = refuseWithoutForce(t, args, cdb.value, dataOutLengthOf(request), vendorSets);
      if (refusal) {
        io.err(`raw: ${refusal}`);
        return EXIT.syntax;
      }
      const device = await settle(t, given);
      const outcome = await t.execute(request);
      if (flag(args, 'json')) io.out(toJson({ request, outcome }));
      else {
        io.out(renderOutcome(request, outcome, device, vendorSets));
        const padding = refusedDataInNote(outcome.status, outcome.sense, outcome.dataIn.length);
        if (outcome.dataIn.length > 0)
          io.out(`\ndata-in${padding ? ' (padding, not data)' : ''}:\n${hexdump(outcome.dataIn)}`);
        // Read as the catalog's parser or the vendor set's response layout reads it, when one does.
        const decoded =
          outcome.status === 0
            ? renderResponse(request.cdb, outcome.dataIn, vendorSets)
            : undefined;
        if (decoded !== undefined)
          io.out(`\ndecoded:\n${decoded instanceof Error ? decoded.message : decoded}`);
      }
      return exitCodeFor(outcome);
    });
  },
};
