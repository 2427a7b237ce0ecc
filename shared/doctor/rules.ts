/**
 * The doctor's rules, one table. Each rule looks at what the user saw and
 * returns diagnoses with a rank; the report sorts by rank. Rules are written
 * generally — by status, sense, catalog row and lint finding — never for one
 * particular input.
 */
import { opcodeGroup, opcodeOf, type CommandSpec, type Direction } from '../scsi/catalog';
import type { ResolvedCommand } from '../scsi/catalog/resolve';
import { formatHex, t10Hex } from '../scsi/hex';
import type { LintReport } from '../lint/lint';
import {
  CHECK_CONDITION,
  statusHasSense,
  DATA_TRANSFER_DIRECTIONS,
  SERVICE_DELIVERY_FAILURE,
  TASK_COMPLETE,
  MEMORY_DIRECTIONS,
  SCSI_STATUSES,
  SERVICE_RESPONSES,
  TRANSPORT_STATUSES,
  nameOf,
} from './driverkit';
import { ioReturnInfo } from './io-return';
import { MACOS_VENDOR_OPCODE_REMEDY, MACOS_VENDOR_OPCODE_RULE } from '../macos-vendor-opcodes';
import { mandatoryOpcodeFact } from '../scsi/sense/advice';
import { carriesAtaRegisters, PASS_THROUGH_RULES } from './pass-through';
import { VENDOR_REFUSAL_RULES } from './vendor-refusal';
import type { SenseFacts } from './sense-facts';
import type { Diagnosis, DoctorInput, TransportResult } from './types';

/** Everything rules read, computed once. */
export interface DoctorContext {
  readonly input: DoctorInput;
  /** The command the CDB carries: a catalog row or a vendor set's command (catalog/resolve.ts). */
  readonly resolved: ResolvedCommand | undefined;
  readonly spec: CommandSpec | undefined;
  readonly lint: LintReport;
  readonly sense: SenseFacts | undefined;
  /** The sense bytes could not be decoded: why, as a clause (no closing period). */
  readonly senseError: string | undefined;
  /** The caller used Apple's SCSI APIs (a service response or DriverKit parameters were given). */
  readonly appleApi: boolean;
  /** Data-in length the host asked for, from --data-in or fRequestedByteCountOfTransfer. */
  readonly hostIn: number | undefined;
  /** Data-out length the host sent, from --data-out or fRequestedByteCountOfTransfer. */
  readonly hostOut: number | undefined;
  /** True when the device completed the command (status known and service response, if given, TASK_COMPLETE). */
  readonly completed: boolean;
  /** The data phase the CDB itself asks for (catalog length rules). */
  readonly cdbDirection: Direction;
}

export interface DoctorRule {
  readonly id: string;
  readonly summary: string;
  readonly check: (ctx: DoctorContext) => readonly Diagnosis[];
}

function commandName(ctx: DoctorContext): string {
  return ctx.spec?.name ?? `opcode ${t10Hex(ctx.input.cdb[0] ?? 0)}`;
}

function statusText(status: number): string {
  const s = nameOf(SCSI_STATUSES, status);
  return s ? `${s.name} (${t10Hex(status)})` : `${t10Hex(status)} (not a SAM status)`;
}

/** Lint severities map onto ranks below the "what happened" rules. */
const LINT_RANK = { error: 80, warning: 60, info: 10 } as const;

const staleSense: DoctorRule = {
  id: 'sense-without-check-condition',
  summary: 'Sense bytes were read for a command that did not end in CHECK CONDITION.',
  check: (ctx) => {
    const { status } = ctx.input;
    const s = ctx.sense;
    if (status === undefined || statusHasSense(status) || !ctx.completed || !s?.nonzero) return [];
    const detail = [
      `Sense data describes a command only when it ends in CHECK CONDITION (SAM-5 status codes; SPC-5 sense data). This one ended ${statusText(status)}${ctx.input.serviceResponse === TASK_COMPLETE ? ' with service response TASK_COMPLETE' : ''}.`,
      `The bytes say ${s.headline}.`,
    ];
    const mandatory = s.asc === 0x20 && s.ascq === 0x00 ? mandatoryOpcodeFact(ctx.spec) : undefined;
    if (mandatory) {
      // Which commands macOS's own SCSI driver sends a disk is not public (docs/driverkit.md):
      // through Apple's APIs the doctor names no particular probe.
      detail.push(
        ctx.appleApi
          ? `${mandatory}: the bytes are stale (left in an un-zeroed buffer) or belong to another command — an earlier vendor opcode of yours, or a command another client of the disk sent (which commands macOS's own driver sends is not public).`
          : `${mandatory}: the bytes are stale (left in an un-zeroed buffer) or belong to another command — an earlier vendor opcode, or a probe the OS sent, such as ATA PASS-THROUGH, which many USB bridges reject with 05/20/00.`,
      );
    } else {
      detail.push('They are stale (left in an un-zeroed buffer) or belong to another command.');
    }
    if (ctx.input.senseValid === true) {
      detail.push('The OS flagged the sense as valid anyway; trust the status, not that flag.');
    }
    // A sense length the person gave is set already: advise it only when it is unknown.
    const senseLength = ctx.input.driverKit?.fSenseLengthRequested;
    const fix = ctx.appleApi
      ? [
          'Zero the sense buffer before every UserSendCDB call.',
          ...(senseLength === undefined
            ? [
                'Set fSenseLengthRequested to the buffer size (18–252 bytes) and pass its address in fSenseBufferAddr.',
              ]
            : []),
          'Read the sense only when fServiceResponse is TASK_COMPLETE and fCompletionStatus is CHECK CONDITION (02h); otherwise look at fRealizedByteCountOfTransfer and the data buffer.',
        ]
      : [
          'Zero the sense buffer before every command.',
          'Read sense only when the status is CHECK CONDITION (02h).',
        ];
    return [
      {
        id: 'sense-without-check-condition',
        severity: 'error',
        rank: 100,
        title: `The command completed ${statusText(status)}, so those sense bytes do not describe it.`,
        detail,
        fix,
      },
    ];
  },
};

/**
 * Sense keys of a command that completed all the same (SPC-5, sense key descriptions): NO SENSE
 * (a flag such as ILI to report), RECOVERED ERROR and COMPLETED.
 */
const COMPLETED_KEYS: readonly number[] = [0x0, 0x1, 0xf];

const checkCondition: DoctorRule = {
  id: 'check-condition',
  summary: 'The command failed with CHECK CONDITION: what the sense says and what to do.',
  check: (ctx) => {
    const { status } = ctx.input;
    if (status === undefined || !statusHasSense(status) || !ctx.completed) return [];
    const s = ctx.sense;
    if (!s) {
      return [
        {
          id: 'check-condition-no-sense',
          severity: 'error',
          rank: 90,
          title: `${commandName(ctx)} failed with ${statusText(status)}, but no sense data was given${ctx.senseError ? ` (${ctx.senseError})` : ''}.`,
          detail: [
            'The reason is in the sense data. USB mass storage returns it only on REQUEST SENSE, which most operating systems send automatically after a failed command (autosense).',
          ],
          fix: ctx.appleApi
            ? ['Pass a zeroed sense buffer with fSenseLengthRequested set, then read it.']
            : [
                'Read the autosense data, or send REQUEST SENSE (03 00 00 00 12 00, 18 bytes in) right after the failure.',
              ],
        },
      ];
    }
    // The ATA registers rule reads these registers as the answer; the sense key says nothing more.
    if (carriesAtaRegisters(ctx)) return [];
    const completed = COMPLETED_KEYS.includes(s.key);
    return [
      {
        id: 'check-condition',
        severity: completed ? 'info' : 'error',
        rank: 90,
        title: completed
          ? `${commandName(ctx)} completed; the device reports ${s.headline}.`
          : `${commandName(ctx)} failed: ${s.headline}.`,
        detail: s.details,
        fix: s.advice,
        ...(s.pointer?.inCdb ? { byte: s.pointer.byte } : {}),
      },
    ];
  },
};

/** The transport failure the input reports: its own kind, or a phase error read from bCSWStatus 02h. */
function transportFailure(ctx: DoctorContext): Exclude<TransportResult, 'ok'> | undefined {
  const t = ctx.input.transport;
  return t && t !== 'ok' ? t : ctx.input.cswStatus === 2 ? 'phase-error' : undefined;
}

/**
 * A stall or phase error for a CBW to a LUN past Get Max LUN: BOT 1.0 §6.2.2 leaves the
 * answer to the device and those are the usual ones whatever the data phase, so the LUN,
 * not direction or length, is what to change.
 */
function failedPastMaxLun(ctx: DoctorContext): boolean {
  const key = transportFailure(ctx);
  const { lun, maxLun } = ctx.input;
  return (
    (key === 'phase-error' || key === 'stall') &&
    lun !== undefined &&
    maxLun !== undefined &&
    lun > maxLun
  );
}

const lintFindings: DoctorRule = {
  id: 'lint',
  summary: 'Every lint finding about the CDB, the transfer length and the direction.',
  check: (ctx) => {
    const corrected = ctx.lint.corrected;
    // The transport diagnosis already names the LUN as the cause (and the fix); lint's
    // lun-range finding would say it a second time.
    const lunExplained = failedPastMaxLun(ctx);
    return ctx.lint.findings.flatMap((f, i) => {
      if (lunExplained && f.id === 'lun-range') return [];
      const fix = f.fix ? [`Fix: ${f.fix.description}.`] : [];
      // The first fixable error carries the overall corrected command.
      if (corrected && i === ctx.lint.findings.findIndex((x) => x.fix && x.severity !== 'info')) {
        const tl = corrected.transferLength;
        const transfer =
          tl === undefined
            ? ''
            : `, sent with a transfer of ${tl} bytes${ctx.appleApi ? ` (fRequestedByteCountOfTransfer = ${tl})` : ''}`;
        fix.push(`The intended CDB is ${formatHex(corrected.cdb)}${transfer}.`);
      }
      return [
        {
          id: `lint:${f.id}`,
          severity: f.severity,
          rank: LINT_RANK[f.severity],
          title: f.message,
          detail: [f.why],
          fix,
          ...(f.byte !== undefined ? { byte: f.byte } : {}),
        },
      ];
    });
  },
};

const serviceDeliveryFailure: DoctorRule = {
  id: 'service-delivery-failure',
  summary: 'The transport failed before a SCSI status came back.',
  check: (ctx) => {
    const { serviceResponse, status } = ctx.input;
    if (serviceResponse !== SERVICE_DELIVERY_FAILURE) return [];
    const t = status !== undefined ? nameOf(TRANSPORT_STATUSES, status) : undefined;
    return [
      {
        id: 'service-delivery-failure',
        severity: 'error',
        rank: 95,
        title: `The command was not completed by the device: ${t ? `${t.name} — ${t.meaning}` : 'SERVICE_DELIVERY_OR_TARGET_FAILURE'}.`,
        detail: [
          'With SERVICE_DELIVERY_OR_TARGET_FAILURE, fCompletionStatus is a transport code, not a SCSI status, and there is no sense data for the command.',
        ],
        fix: [
          'Check the cable and power, give the command a longer timeout, and retry; a device that keeps failing here may need a reset.',
        ],
      },
    ];
  },
};

const serviceResponseOther: DoctorRule = {
  id: 'service-response',
  summary: 'A service response other than TASK_COMPLETE or delivery failure.',
  check: (ctx) => {
    const r = ctx.input.serviceResponse;
    if (r === undefined || r === TASK_COMPLETE || r === SERVICE_DELIVERY_FAILURE) return [];
    const named = nameOf(SERVICE_RESPONSES, r);
    return [
      {
        id: 'service-response',
        severity: 'warning',
        rank: 85,
        title: `Service response ${r} is ${named ? `${named.name}: ${named.meaning}` : 'not a defined SCSIServiceResponse'}.`,
        detail: [
          'Only TASK_COMPLETE (2) means the device finished the command and the status is a SCSI status.',
        ],
        fix: [],
      },
    ];
  },
};

const retryableStatus: DoctorRule = {
  id: 'status',
  summary: 'Statuses other than GOOD and CHECK CONDITION.',
  check: (ctx) => {
    const { status } = ctx.input;
    if (status === undefined || status === 0 || status === CHECK_CONDITION || !ctx.completed)
      return [];
    const named = nameOf(SCSI_STATUSES, status);
    return [
      {
        id: 'status',
        severity: 'warning',
        rank: 88,
        title: `${commandName(ctx)} ended with status ${statusText(status)}${named ? `: ${named.meaning}` : ''}.`,
        detail: named
          ? []
          : [
              'Status codes are defined by SAM-5; this value is not one of them, so the transport or driver may have reported something else.',
            ],
        fix: status === 0x08 || status === 0x28 ? ['Retry after a short delay.'] : [],
      },
    ];
  },
};

const transport: DoctorRule = {
  id: 'transport',
  summary: 'Transport-level failures: timeouts, stalls, phase errors, bad CSWs.',
  check: (ctx) => {
    const out: Diagnosis[] = [];
    // Every failure a TransportResult names has its row: the type keeps the table in step.
    const TABLE: Record<
      Exclude<TransportResult, 'ok'>,
      { title: string; detail: string; fix: string }
    > = {
      timeout: {
        title: 'The command timed out.',
        detail:
          'No CSW arrived in time. Devices that do not expect a data phase the host set up, or that want to send more than the host reads, can hang until reset (QEMU usb-storage does so for INQUIRY with a zero-length transfer).',
        fix: 'Make the transfer length match the CDB, raise the timeout for slow commands, then do BOT reset recovery (Bulk-Only Mass Storage Reset, then clear HALT on both bulk endpoints).',
      },
      stall: {
        title: 'The device stalled a bulk endpoint.',
        detail:
          'A STALL in the data phase means the device sent or accepted less than the host asked for (BOT 1.0 §6.7 cases 4, 5, 9, 11) or refused the data phase; the CSW still follows.',
        fix: 'Clear HALT on the endpoint and read the CSW; compare the residue with what you expected.',
      },
      'phase-error': {
        title: 'The device reported a phase error (bCSWStatus 02h).',
        detail:
          'The host and the device disagreed about the data phase: direction or length (BOT 1.0 §6.7 cases 2, 3, 7, 8, 10, 13). The residue is meaningless.',
        fix: 'Do BOT reset recovery, then send the command with a transfer length and direction that match the CDB.',
      },
      'bad-csw': {
        title: 'The CSW was not valid (length, signature or tag).',
        detail:
          'BOT 1.0 §6.3 requires 13 bytes, signature 53425355h and the CBW tag; an invalid CSW means host and device lost step.',
        fix: 'Do BOT reset recovery before the next command.',
      },
      disconnected: {
        title: 'The device went away during the command.',
        detail: 'It was unplugged, reset itself, or the OS reclaimed it.',
        fix: 'Reconnect and re-open the device.',
      },
      'io-error': {
        title: 'The USB transfer failed.',
        detail: 'The host controller or OS reported an error other than a stall or timeout.',
        fix: 'Retry once; if it persists, reset the device.',
      },
      'not-sent': {
        title: 'Nothing was sent: the command does not fit a Bulk-Only CBW.',
        detail:
          'A CBW carries a CDB of 1–16 bytes (bCBWCBLength), a LUN of 0–15 (bCBWLUN) and a 32-bit transfer length (BOT 1.0 §5.1). A request outside those cannot reach a USB mass-storage device, however often it is sent; the device saw nothing.',
        fix: 'Send a CDB of at most 16 bytes (a 16-byte form of the command where the standard has one; variable-length 7Fh CDBs cannot go over USB mass storage), a LUN the device has, a length that fits 32 bits.',
      },
      'replay-mismatch': {
        title: 'The trace being replayed does not have this command next.',
        detail:
          'A replay: device sends nothing: it answers only the exchanges the trace recorded, one after another in the recorded order, and this command (or its LUN, data phase or data-out) is not the next one, or the trace has ended. Sending it again gets the same answer.',
        fix: 'Send the command the message names, as the trace recorded it. A trace plays from its first exchange each time it is opened: in the app, load it again with Open trace… to start over.',
      },
      'not-privileged': {
        title: 'The OS refused to send the command.',
        detail: `On macOS: ${MACOS_VENDOR_OPCODE_RULE} On Linux, writing through sg needs write permission on the device node.`,
        fix: `On macOS: ${MACOS_VENDOR_OPCODE_REMEDY} On Linux: run with access to the device node.`,
      },
    };
    const key = transportFailure(ctx);
    const row = key ? TABLE[key] : undefined;
    const lun = ctx.input.lun;
    const pastMaxLun = failedPastMaxLun(ctx);
    if (row)
      out.push({
        id: `transport:${key}`,
        severity: 'error',
        rank: 94,
        title: row.title,
        detail: pastMaxLun
          ? [
              `The CBW addressed LUN ${lun}, past the highest this device has (${ctx.input.maxLun}, its answer to Get Max LUN). BOT 1.0 §6.2.2 leaves the answer to such a CBW to the device, and a stall or a phase error is the usual one whatever the data phase, so direction and length are not the cause to look at first.`,
            ]
          : [row.detail],
        fix: pastMaxLun
          ? [
              `Do BOT reset recovery, then send the command to ${ctx.input.maxLun === 0 ? 'LUN 0, the only one it has' : `a LUN from 0 to ${ctx.input.maxLun}`}.`,
            ]
          : [row.fix],
      });
    return out;
  },
};

const kernReturn: DoctorRule = {
  id: 'kern-return',
  summary: 'The IOReturn the DriverKit call returned.',
  check: (ctx) => {
    const kr = ctx.input.kernReturn;
    if (kr === undefined || kr === 0) return [];
    const info = ioReturnInfo(kr);
    const op = opcodeOf(ctx.input.cdb);
    const vendor = opcodeGroup(op).vendorSpecific;
    return [
      {
        id: 'kern-return',
        severity: 'error',
        rank: 96,
        title: `UserSendCDB returned 0x${(kr >>> 0).toString(16).toUpperCase()}${info ? ` (${info.name})` : ''}: ${info ? info.meaning : 'the call failed, so status and sense need not describe the command (Apple documents the response of a successful call only)'}.`,
        detail: [
          vendor
            ? `Opcode ${t10Hex(op)} is vendor specific. ${MACOS_VENDOR_OPCODE_RULE}`
            : 'When the call itself fails, do not read fServiceResponse, fCompletionStatus or the sense buffer as this command’s result: Apple’s UserSendCDB reference documents the response for a successful call only.',
          ...(info?.vendorOpcodeRefusal && !vendor
            ? [
                `Opcode ${t10Hex(op)} is not vendor specific, so the refusal reported for C0h–FFh does not explain it, and usbcdb knows no other cause.`,
              ]
            : []),
        ],
        fix: info?.vendorOpcodeRefusal
          ? vendor
            ? [MACOS_VENDOR_OPCODE_REMEDY]
            : []
          : [...(info?.fix ?? [])],
      },
    ];
  },
};

const realizedLength: DoctorRule = {
  id: 'transfer-count',
  summary: 'How much data actually moved, against what the CDB and buffer allowed.',
  check: (ctx) => {
    const { realized, residue } = ctx.input;
    const expected = ctx.hostIn ?? ctx.hostOut;
    if (expected === undefined || (realized === undefined && residue === undefined)) return [];
    const moved = realized ?? expected - (residue ?? 0);
    if (moved === expected) return [];
    // BOT 1.0 §6.3: a CSW whose residue is past dCBWDataTransferLength is not meaningful (the
    // host may do reset recovery). A count past the buffer cannot come from Bulk-Only either: a
    // device with more data than the host set up sends what fits, case 7 (Hi < Di), and one that
    // expects more than the host sends takes what comes, case 13 (Ho < Do); both end in a phase error.
    if (moved > expected || moved < 0) {
      const dataIn = ctx.hostIn !== undefined;
      const overran = moved > expected && dataIn;
      return [
        {
          id: 'transfer-overrun',
          severity: 'error',
          rank: 72,
          title:
            moved > expected
              ? `${moved} bytes were reported transferred, more than the ${expected} the host set up: that cannot be a residue.`
              : `A residue of ${residue} is more than the ${expected} bytes the host set up.`,
          detail: [
            moved < 0
              ? 'A CSW whose dCSWDataResidue is more than dCBWDataTransferLength is not meaningful (BOT 1.0 §6.3): the device or what read its CSW is wrong, and the host may do reset recovery.'
              : `A Bulk-Only device moves at most dCBWDataTransferLength bytes. ${dataIn ? 'One with more data than the host set up is BOT 1.0 §6.7 case 7 (Hi < Di): it sends what fits' : 'One that expects more data than the host sends is BOT 1.0 §6.7 case 13 (Ho < Do): it takes what the host sends'} and reports a phase error (bCSWStatus 02h).`,
            overran
              ? 'So the counts given contradict each other, or something wrote past the end of the buffer.'
              : 'So the counts given contradict each other.',
          ],
          fix: [
            `Check the counts: the buffer length given${ctx.appleApi ? ' (fRequestedByteCountOfTransfer)' : ''} and the count reported${realized !== undefined ? ` (${ctx.appleApi ? 'fRealizedByteCountOfTransfer' : 'bytes transferred'})` : ' (dCSWDataResidue)'}${overran ? '; if they are right, the buffer was overrun: look at the memory past it' : ''}.`,
          ],
        },
      ];
    }
    return [
      {
        id: 'transfer-count',
        severity: 'info',
        rank: 30,
        title: `${moved} of the ${expected} bytes the host set up were transferred (residue ${expected - moved}).`,
        detail: [
          'A residue is normal when the device has less data than the buffer holds (an allocation length is a maximum); only the first bytes of the buffer are data.',
        ],
        fix: [],
      },
    ];
  },
};

const appleDirections: DoctorRule = {
  id: 'driverkit-directions',
  summary:
    'fBufferDirection and fDataTransferDirection use different constants; 2 means opposite things.',
  check: (ctx) => {
    if (!ctx.appleApi) return [];
    const dk = ctx.input.driverKit ?? {};
    // The CDB's data phase says which way data must move; for a CDB the catalog cannot read
    // (a vendor opcode), the host's buffer does.
    const hostDir = (ctx.hostIn ?? 0) > 0 ? 'in' : (ctx.hostOut ?? 0) > 0 ? 'out' : undefined;
    const dir = ctx.cdbDirection !== 'none' ? ctx.cdbDirection : (hostDir ?? 'none');
    const wantsIn = dir === 'in';
    const wantsOut = dir === 'out';
    const memWant = wantsIn ? 1 : wantsOut ? 2 : 0;
    const xferWant = wantsIn ? 2 : wantsOut ? 1 : 0;
    const mem = (v: number): string => nameOf(MEMORY_DIRECTIONS, v)?.name ?? `undefined value ${v}`;
    const xfer = (v: number): string =>
      nameOf(DATA_TRANSFER_DIRECTIONS, v)?.name ?? `undefined value ${v}`;
    const out: Diagnosis[] = [];
    const { fBufferDirection: b, fDataTransferDirection: d } = dk;
    if (b !== undefined && b !== memWant && !(memWant !== 0 && b === 3)) {
      out.push({
        id: 'driverkit-buffer-direction',
        severity: 'error',
        rank: 75,
        title: `fBufferDirection is ${b} (${mem(b)}) but the command moves data ${wantsIn ? 'in' : wantsOut ? 'out' : 'nowhere'}: it should be ${memWant} (${mem(memWant)}).`,
        detail:
          b === 2 && wantsIn
            ? [
                '2 is kSCSIDataTransfer_FromTargetToInitiator in the *other* enum; in kIOMemoryDirection it means Out, so the kernel maps the buffer for the device to read, not write.',
              ]
            : [
                'fBufferDirection takes kIOMemoryDirection values (DriverKit IOMemoryDescriptor), not kSCSIDataTransfer ones.',
              ],
        fix: [`command.fBufferDirection = ${mem(memWant)};`],
      });
    }
    if (d !== undefined && d !== xferWant) {
      out.push({
        id: 'driverkit-transfer-direction',
        severity: 'error',
        rank: 75,
        title: `fDataTransferDirection is ${d} (${xfer(d)}) but it should be ${xferWant} (${xfer(xferWant)}).`,
        detail: [
          'fDataTransferDirection takes kSCSIDataTransfer values (SCSITask.h), not kIOMemoryDirection ones.',
        ],
        fix: [`command.fDataTransferDirection = ${xfer(xferWant)};`],
      });
    }
    if (out.length === 0) {
      out.push({
        id: 'driverkit-directions',
        severity: 'info',
        rank: 40,
        title:
          'fBufferDirection takes kIOMemoryDirection values and fDataTransferDirection takes kSCSIDataTransfer values: 2 means Out in the first and FromTargetToInitiator (in) in the second.',
        detail: [
          `For this command: fBufferDirection = ${mem(memWant)} (${memWant}) and fDataTransferDirection = ${xfer(xferWant)} (${xferWant}). Writing the SCSI constant into fBufferDirection asks for the wrong mapping.`,
        ],
        fix: [],
      });
    }
    return out;
  },
};

const appleParameters: DoctorRule = {
  id: 'driverkit-parameters',
  summary:
    'Other SCSIType00OutParameters pitfalls: sense length, timeout units, transfer count, LUN.',
  check: (ctx) => {
    const dk = ctx.input.driverKit;
    if (!dk) return [];
    const out: Diagnosis[] = [];
    if (
      dk.fSenseLengthRequested === 0 ||
      (dk.fSenseLengthRequested === undefined && dk.fSenseBufferAddr !== undefined)
    ) {
      out.push({
        id: 'driverkit-sense-length',
        severity: 'warning',
        rank: 70,
        title: 'fSenseLengthRequested is 0, so the kernel has no room to return sense data.',
        detail: [
          'Whatever the sense buffer held before the call is still there afterwards and looks like sense data.',
        ],
        fix: [
          'Set fSenseLengthRequested to the sense buffer size (18–252) and zero the buffer first.',
        ],
      });
    }
    const senseLength = dk.fSenseLengthRequested;
    // fSenseLengthRequested is a uint8_t (Apple's SCSIDeviceOutParameters reference; docs/driverkit.md).
    if (senseLength !== undefined && senseLength > 0xff) {
      out.push({
        id: 'driverkit-sense-length-range',
        severity: 'error',
        rank: 70,
        title: `fSenseLengthRequested is ${senseLength}, but it is a uint8_t: C stores ${senseLength % 256}.`,
        detail: [
          'The field holds 0–255, and sense data is at most 252 bytes (SPC-5, sense data); the kernel is asked for the wrapped length.',
        ],
        fix: ['Set fSenseLengthRequested to the sense buffer size, 18–252 bytes.'],
      });
    }
    const requested = dk.fRequestedByteCountOfTransfer;
    const given = ctx.input.dataIn ?? ctx.input.dataOut;
    if (requested !== undefined && given !== undefined && requested !== given) {
      out.push({
        id: 'driverkit-transfer-count',
        severity: 'warning',
        rank: 74,
        title: `The host buffer given (${given} bytes ${ctx.input.dataIn !== undefined ? 'in' : 'out'}) and fRequestedByteCountOfTransfer (${requested}) disagree; this diagnosis uses ${given}.`,
        detail: [
          'fRequestedByteCountOfTransfer is the length of the transfer the kernel sets up and of the buffer it maps: the two are one number.',
        ],
        fix: ['Give the transfer length fRequestedByteCountOfTransfer really holds.'],
      });
    }
    if (dk.fTimeoutDuration !== undefined && dk.fTimeoutDuration < 1000) {
      out.push({
        id: 'driverkit-timeout',
        severity: 'warning',
        rank: 45,
        title: `fTimeoutDuration is ${dk.fTimeoutDuration}: that is milliseconds, under a second.`,
        detail: [
          'USB bridges can take seconds on the first command after spin-up, and firmware downloads far longer.',
        ],
        fix: ['Use at least 10000 (10 s) for ordinary commands.'],
      });
    }
    if (
      dk.fLogicalUnitNumber !== undefined &&
      ctx.input.cdb.length > 1 &&
      (ctx.input.cdb[1] ?? 0) >> 5 !== 0 &&
      (ctx.input.cdb[1] ?? 0) >> 5 === dk.fLogicalUnitNumber
    ) {
      out.push({
        id: 'driverkit-lun-twice',
        severity: 'info',
        rank: 35,
        title: 'The LUN is in both fLogicalUnitNumber and CDB byte 1 bits 7:5.',
        detail: ['Only fLogicalUnitNumber addresses the LUN; the CDB bits are SCSI-2 leftovers.'],
        fix: ['Clear CDB byte 1 bits 7:5.'],
      });
    }
    return out;
  },
};

const appleVendorAccess: DoctorRule = {
  id: 'driverkit-vendor-opcode',
  summary: 'Vendor opcodes on macOS need exclusive access.',
  check: (ctx) => {
    const cdb = ctx.input.cdb;
    const op = opcodeOf(cdb);
    if (!ctx.appleApi || cdb.length === 0 || !opcodeGroup(op).vendorSpecific) return [];
    // A failed send call or an OS refusal is explained, with the same rule and remedy, by the
    // kern-return or the transport finding.
    if (ctx.input.kernReturn !== undefined && ctx.input.kernReturn !== 0) return [];
    if (ctx.input.transport === 'not-privileged') return [];
    return [
      {
        id: 'driverkit-vendor-opcode',
        severity: 'warning',
        rank: 65,
        title: `Opcode ${t10Hex(op)} is vendor specific: macOS may not send it while the disk is mounted.`,
        detail: [
          MACOS_VENDOR_OPCODE_RULE,
          'Standard opcodes have been reported to go out while the volume is mounted.',
        ],
        fix: [MACOS_VENDOR_OPCODE_REMEDY],
      },
    ];
  },
};

export const DOCTOR_RULES: readonly DoctorRule[] = [
  staleSense,
  kernReturn,
  serviceDeliveryFailure,
  transport,
  checkCondition,
  retryableStatus,
  serviceResponseOther,
  lintFindings,
  appleDirections,
  appleParameters,
  appleVendorAccess,
  realizedLength,
  ...PASS_THROUGH_RULES,
  ...VENDOR_REFUSAL_RULES,
];
