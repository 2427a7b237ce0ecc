/**
 * Device commands built on one catalog command each: inquiry, tur, readcap,
 * request-sense; and profiles, which lists the emulated drives.
 */
import { standardCdb } from '../../../shared/scsi/cdb/build';
import { decodeSense, explainSense } from '../../../shared/scsi/sense';
import { BUILT_IN_PROFILES } from '../../emulator/profiles';
import { flag, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import {
  userCdb,
  requestOptions,
  exitCodeFor,
  renderOutcome,
  sendAndShow,
  settle,
  DEVICE_OPTION_SPEC,
  deviceUsage,
  withTransport,
} from '../device-session';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { renderSense } from '../render/sense';
import { numericOptions } from './shared-options';
import { optionRows } from '../usage';

export const inquiryCommand: CliCommand = {
  name: 'inquiry',
  options: { ...DEVICE_OPTION_SPEC, vpd: 'value', alloc: 'value' },
  summary: 'Identify a device: standard INQUIRY, or a VPD page with --vpd',
  usage: deviceUsage('usbcdb inquiry [--vpd PAGE] [--alloc N] [options]', {
    options: [
      [
        '--vpd PAGE',
        'a VPD page (EVPD=1; 00h lists those the device has, 80h serial, 83h identifiers)',
      ],
      ['--alloc N', 'ALLOCATION LENGTH and the host buffer (default 36, or 252 with --vpd)'],
    ],
  }),
  run: async (args: ParsedArgs, io: CliIo) => {
    const nums = numericOptions(args, ['vpd', 'alloc']);
    if (nums instanceof Error) {
      io.err(`inquiry: ${nums.message}`);
      return EXIT.syntax;
    }
    const { vpd: page, alloc } = nums;
    const length = alloc ?? (page === undefined ? 36 : 252);
    const cdb = userCdb('inquiry', {
      evpd: page === undefined ? 0 : 1,
      pageCode: page ?? 0,
      allocationLength: length,
    });
    if (cdb instanceof Error) {
      io.err(`inquiry: ${cdb.message}`);
      return EXIT.syntax;
    }
    // The response reads as for-command.ts picks: standard INQUIRY data, or the VPD page (EVPD=1).
    return sendAndShow(args, io, { cdb, direction: 'in', transferLength: length });
  },
};

export const readcapCommand: CliCommand = {
  name: 'readcap',
  options: { ...DEVICE_OPTION_SPEC, '16': 'flag' },
  summary: 'Capacity and block size: READ CAPACITY(10), or (16) with --16',
  usage: deviceUsage('usbcdb readcap [--16] [options]', {
    options: [
      [
        '--16',
        'READ CAPACITY(16) (capacity past 2 TiB, protection, logical blocks per physical block)',
      ],
    ],
  }),
  run: (args: ParsedArgs, io: CliIo) => {
    const sixteen = flag(args, '16');
    const cdb = sixteen
      ? standardCdb('readcap16', { allocationLength: 32 })
      : standardCdb('readcap');
    return sendAndShow(args, io, { cdb, direction: 'in', transferLength: sixteen ? 32 : 8 });
  },
};

export const requestSenseCommand: CliCommand = {
  name: 'request-sense',
  options: { ...DEVICE_OPTION_SPEC, desc: 'flag' },
  summary:
    'REQUEST SENSE: what the device says about the last failure (--desc for descriptor format)',
  usage: deviceUsage('usbcdb request-sense [--desc] [options]', {
    options: [['--desc', 'ask for descriptor-format sense (DESC=1) instead of fixed format']],
  }),
  run: (args: ParsedArgs, io: CliIo) => {
    const cdb = standardCdb('request-sense', {
      desc: flag(args, 'desc') ? 1 : 0,
      allocationLength: 252,
    });
    return sendAndShow(args, io, { cdb, direction: 'in', transferLength: 252 }, (data) => {
      const s = decodeSense(data);
      return s.ok ? renderSense(data, s.value, explainSense(s.value)) : new Error(s.error.message);
    });
  },
};

export const turCommand: CliCommand = {
  name: 'tur',
  options: { ...DEVICE_OPTION_SPEC, count: 'value' },
  summary: 'TEST UNIT READY, once or --count N times (reports the rate)',
  usage: deviceUsage('usbcdb tur [--count N] [options]', {
    options: [
      ['--count N', 'send it N times (default 1) and report the rate; stops at the first failure'],
    ],
    json: [
      '--json',
      '{device, request, completed, seconds}; when one fails {device, request, completed, outcome}',
    ],
  }),
  run: async (args: ParsedArgs, io: CliIo) => {
    const nums = numericOptions(args, ['count']);
    const given = requestOptions(args);
    if (nums instanceof Error || given instanceof Error) {
      io.err(`tur: ${(nums instanceof Error ? nums : (given as Error)).message}`);
      return EXIT.syntax;
    }
    const { count } = nums;
    if (count === 0) {
      io.err('tur: --count must be at least 1');
      return EXIT.syntax;
    }
    return withTransport(args, io, async (t, vendorSets) => {
      const device = await settle(t, given);
      const req = {
        cdb: standardCdb('tur'),
        direction: 'none' as const,
        transferLength: 0,
        ...given,
      };
      const n = count ?? 1;
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        const o = await t.execute(req);
        if (o.status !== 0) {
          io.out(
            flag(args, 'json')
              ? toJson({ device: t.describe(), request: req, completed: i, outcome: o })
              : `TEST UNIT READY ${i + 1} of ${n} failed:\n${renderOutcome(req, o, device, vendorSets)}`,
          );
          return exitCodeFor(o);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      io.out(
        flag(args, 'json')
          ? toJson({ device: t.describe(), request: req, completed: n, seconds })
          : `${n} × TEST UNIT READY: GOOD (${seconds.toFixed(3)} s, ${Math.round(n / seconds)} per second)`,
      );
      return EXIT.ok;
    });
  },
};

export const profilesCommand: CliCommand = {
  name: 'profiles',
  options: { json: 'flag' },
  summary: 'The built-in emulated drives (emu:NAME)',
  usage: `usbcdb profiles [--json]
${optionRows([
  [
    '--json',
    '[{name, description, usb, inquiry, blockSize, blocks, luns, mediumPresent, vendorSets,',
    'quirks}], each drive as its profile file has it, with ata, nvme or logPages where it has them',
  ],
])}`,
  run: (args: ParsedArgs, io: CliIo) => {
    if (flag(args, 'json')) io.out(toJson(BUILT_IN_PROFILES));
    else {
      for (const [i, p] of BUILT_IN_PROFILES.entries()) {
        const { latency, ...flags } = p.quirks;
        const q = Object.entries(flags)
          .filter(([, v]) => v)
          .map(([k]) => k);
        if (latency.perCommandMs > 0 || latency.perMiBMs > 0)
          q.push(`latency ${latency.perCommandMs} ms + ${latency.perMiBMs} ms/MiB`);
        io.out(
          `emu:${p.name}${i === 0 ? ' (default, emu:)' : ''}\n  ${p.description}\n  ${p.inquiry.vendor} ${p.inquiry.product} ${p.inquiry.revision}, ${p.blocks} × ${p.blockSize}-byte blocks; quirks: ${q.join(', ') || 'none'}`,
        );
      }
    }
    return Promise.resolve(EXIT.ok);
  },
};
