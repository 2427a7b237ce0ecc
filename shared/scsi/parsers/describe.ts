/**
 * Parsed data as rows: a label, the value as text, and the bytes it came
 * from. The CLI prints them; a GUI links a hovered row to its bytes. Every
 * row's byte range lies inside the buffer that was parsed: fields past a
 * truncated end are clipped or left out.
 */
import { findByOpcode, opcodeGroup } from '../catalog';
import { formatHex, t10Hex } from '../hex';
import type { Capacity, Capacity16 } from './capacity';
import { peripheralQualifierText, type InquiryData } from './inquiry';
import { COMPLETION_CONDITION, PROVISIONING_STATUS, type LbaStatus } from './lba-status';
import type { LogPage } from './log';
import { logParameterText, unusedSelfTest } from './log-parameters';
import type { LunList } from './luns';
import { lunText } from './lun-address';
import { logPageCode, logPageName } from '../page-names';
import { modePageHeaderLength, type ModeParameters } from './mode';
import type { SupportedOpcodes } from './rsoc';
import {
  ATA_IDENTIFY_OFFSET,
  ATA_STRINGS,
  vpdPageName,
  type Designator,
  type VpdPage,
} from './vpd';

/** One decoded field. */
export interface FieldRow {
  readonly label: string;
  readonly value: string;
  /** First and last byte offset (inclusive) in the parsed buffer the value was read from. */
  readonly bytes: readonly [first: number, last: number];
}

export function row(
  label: string,
  value: string | number | bigint | boolean,
  first: number,
  last = first,
): FieldRow {
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  return { label, value: text, bytes: [first, last] };
}

/** Keeps rows inside a buffer of `length` bytes: drops those starting past it, clips the rest. */
function clip(rows: readonly FieldRow[], length: number): FieldRow[] {
  return rows
    .filter((x) => x.bytes[0] < length && x.bytes[0] <= x.bytes[1])
    .map((x) => (x.bytes[1] < length ? x : { ...x, bytes: [x.bytes[0], length - 1] as const }));
}

const bit = (b: boolean): number => (b ? 1 : 0);

/** Ascending numbers with runs of three or more as ranges: [2, 3, 5, 6, 7] → "2, 3, 5–7". */
export function numberRuns(numbers: readonly number[]): string {
  const runs: [number, number][] = [];
  for (const n of numbers) {
    const last = runs.at(-1);
    if (last && last[1] + 1 === n) last[1] = n;
    else runs.push([n, n]);
  }
  return runs
    .flatMap(([from, to]) =>
      to - from >= 2
        ? [`${from}–${to}`]
        : from === to
          ? [String(from)]
          : [String(from), String(to)],
    )
    .join(', ');
}

/** "1 LUN", "4 LUNs". */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** 134217728n → "128 MiB (134.2 MB)". */
export function humanSize(bytes: bigint): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
  const n = Number(bytes);
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const si = n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${(n / 1e6).toFixed(1)} MB`;
  return i === 0 ? `${bytes} bytes` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]} (${si})`;
}

// ---- INQUIRY ----

export function describeInquiry(d: InquiryData): FieldRow[] {
  // A field the answer did not reach (an allocation length cut it) has no row.
  const known = (
    label: string,
    value: string | number | boolean | undefined,
    first: number,
    last = first,
  ): FieldRow[] => (value === undefined ? [] : [row(label, value, first, last)]);
  const flag = (label: string, value: boolean | undefined, byte: number): FieldRow[] =>
    known(label, value === undefined ? undefined : bit(value), byte);
  return clip(
    [
      row('Peripheral qualifier', peripheralQualifierText(d.peripheralQualifier), 0),
      row('Peripheral device type', `${t10Hex(d.deviceType)} ${d.deviceTypeName}`, 0),
      ...known('Removable medium (RMB)', d.removable, 1),
      ...flag('LU_CONG', d.luCong, 1),
      ...known(
        'Version',
        d.version === undefined
          ? undefined
          : `${t10Hex(d.version)} ${d.versionName ?? ''}${d.spcLevel !== undefined ? ` (SPC level ${d.spcLevel})` : ''}`,
        2,
      ),
      ...flag('NormACA', d.normaca, 3),
      ...flag('HiSup', d.hisup, 3),
      ...known('Response data format', d.responseDataFormat, 3),
      row(
        'Additional length',
        `${d.additionalLength ?? 'not returned'} (${d.claimedLength} bytes in all${d.truncated ? `, ${d.length} returned` : ''})`,
        4,
      ),
      ...flag('SCCS', d.sccs, 5),
      ...flag('ACC', d.acc, 5),
      ...known('TPGS', d.tpgs, 5),
      ...flag('3PC', d.thirdPartyCopy, 5),
      ...flag('PROTECT', d.protect, 5),
      ...flag('EncServ', d.encserv, 6),
      ...flag('MultiP', d.multip, 6),
      ...flag('CmdQue', d.cmdque, 7),
      row('Vendor', d.vendor ?? '', 8, 15),
      row('Product', d.product ?? '', 16, 31),
      row('Revision', d.revision ?? '', 32, 35),
      ...(d.vendorSpecific !== undefined ? [row('Vendor specific', d.vendorSpecific, 36, 55)] : []),
      ...d.versionDescriptors.map((v) =>
        row(
          `Version descriptor ${(v.offset - 58) / 2 + 1}`,
          t10Hex(v.value, 4),
          v.offset,
          v.offset + 1,
        ),
      ),
    ],
    d.length,
  );
}

// ---- VPD pages ----

/**
 * Whether a designator's PROTOCOL IDENTIFIER means something: PIV set and the ASSOCIATION a
 * target port or target device (01b, 10b). For a logical unit (00b) the PIV bit and the field
 * are reserved (SPC-5, Device Identification VPD page, designation descriptor: PIV), so a
 * protocol shown there was whatever the reserved bits held.
 */
function protocolShown(x: Designator): boolean {
  return x.piv && (x.association === 'target port' || x.association === 'target device');
}

function describeVpdBody(p: VpdPage): FieldRow[] {
  switch (p.page) {
    case 0x00:
      return p.data.pages.map((c, i) =>
        row(`Supported page ${i + 1}`, `${t10Hex(c)} ${vpdPageName(c) ?? ''}`.trim(), 4 + i),
      );
    case 0x80:
      return [row('Serial number', p.data.serial, 4, 3 + p.data.pageLength)];
    case 0x83:
      return p.data.designators.map((x) =>
        row(
          `${x.typeName} (${x.association}, ${x.codeSetName}${protocolShown(x) ? `, protocol ${t10Hex(x.protocolIdentifier)}` : ''})`,
          `${x.value}${x.truncated ? ` (truncated: ${x.bytes.length} of ${x.designatorLength} bytes)` : ''}`,
          x.offset,
          x.offset + 3 + x.designatorLength,
        ),
      );
    case 0x86: {
      const d = p.data;
      return [
        row('ACTIVATE MICROCODE', d.activateMicrocode, 4),
        row('SPT', d.spt, 4),
        row(
          'GRD_CHK / APP_CHK / REF_CHK',
          `${bit(d.grdChk)} / ${bit(d.appChk)} / ${bit(d.refChk)}`,
          4,
        ),
        row(
          'UASK_SUP / GROUP_SUP / PRIOR_SUP',
          `${bit(d.uaskSup)} / ${bit(d.groupSup)} / ${bit(d.priorSup)}`,
          5,
        ),
        row(
          'HEADSUP / ORDSUP / SIMPSUP',
          `${bit(d.headsup)} / ${bit(d.ordsup)} / ${bit(d.simpsup)}`,
          5,
        ),
        row(
          'WU_SUP / CRD_SUP / NV_SUP / V_SUP',
          `${bit(d.wuSup)} / ${bit(d.crdSup)} / ${bit(d.nvSup)} / ${bit(d.vSup)}`,
          6,
        ),
        row('LUICLR', bit(d.luiclr), 7),
        ...(d.extendedSelfTestMinutes !== undefined
          ? [row('Extended self-test completion (minutes)', d.extendedSelfTestMinutes, 10, 11)]
          : []),
        ...(d.maxSenseLength !== undefined
          ? [row('Maximum supported sense data length', d.maxSenseLength, 13)]
          : []),
      ];
    }
    case 0x89: {
      const d = p.data;
      const ata = (
        label: string,
        value: string | undefined,
        at: { word: number; words: number },
      ): FieldRow[] => {
        const first = ATA_IDENTIFY_OFFSET + at.word * 2;
        return value === undefined ? [] : [row(label, value, first, first + at.words * 2 - 1)];
      };
      return [
        row('SAT vendor', d.satVendor, 8, 15),
        row('SAT product', d.satProduct, 16, 31),
        row('SAT revision', d.satRevision, 32, 35),
        row('ATA device signature', formatHex(d.deviceSignature), 36, 55),
        row(
          'Command code',
          `${t10Hex(d.commandCode)}${d.commandCode === 0xec ? ' IDENTIFY DEVICE' : d.commandCode === 0xa1 ? ' IDENTIFY PACKET DEVICE' : ''}`,
          56,
        ),
        ...ata('ATA model', d.model, ATA_STRINGS.model),
        ...ata('ATA serial', d.serial, ATA_STRINGS.serial),
        ...ata('ATA firmware', d.firmware, ATA_STRINGS.firmware),
      ];
    }
    case 0xb0: {
      const d = p.data;
      const opt = (
        label: string,
        v: number | bigint | undefined,
        first: number,
        last: number,
      ): FieldRow[] => (v === undefined ? [] : [row(label, v, first, last)]);
      return [
        row('WSNZ', bit(d.wsnz), 4),
        row('Maximum compare and write length (blocks)', d.maxCompareAndWriteLength, 5),
        row(
          'Optimal transfer length granularity (blocks)',
          d.optimalTransferLengthGranularity,
          6,
          7,
        ),
        row('Maximum transfer length (blocks)', d.maxTransferLength, 8, 11),
        row('Optimal transfer length (blocks)', d.optimalTransferLength, 12, 15),
        ...opt('Maximum prefetch length (blocks)', d.maxPrefetchLength, 16, 19),
        ...opt('Maximum unmap LBA count', d.maxUnmapLbaCount, 20, 23),
        ...opt('Maximum unmap block descriptor count', d.maxUnmapDescriptorCount, 24, 27),
        ...opt('Optimal unmap granularity (blocks)', d.optimalUnmapGranularity, 28, 31),
        ...opt('Unmap granularity alignment', d.unmapGranularityAlignment, 32, 35),
        ...opt('Maximum write same length (blocks)', d.maxWriteSameLength, 36, 43),
      ];
    }
    case 0xb1:
      return [
        row('Medium rotation rate', p.data.rotationText, 4, 5),
        row('Product type', t10Hex(p.data.productType), 6),
        row('Nominal form factor', p.data.formFactor, 7),
        ...(p.data.zoned !== undefined ? [row('ZONED', p.data.zoned, 8)] : []),
        ...(p.data.fuab !== undefined && p.data.vbuls !== undefined
          ? [row('FUAB / VBULS', `${bit(p.data.fuab)} / ${bit(p.data.vbuls)}`, 8)]
          : []),
      ];
    case 0xb2: {
      const d = p.data;
      return [
        row('Threshold exponent', d.thresholdExponent, 4),
        row('LBPU / LBPWS / LBPWS10', `${bit(d.lbpu)} / ${bit(d.lbpws)} / ${bit(d.lbpws10)}`, 5),
        row('LBPRZ', d.lbprz, 5),
        row('ANC_SUP / DP', `${bit(d.ancSup)} / ${bit(d.dp)}`, 5),
        row('Provisioning type', d.provisioningType, 6),
      ];
    }
    case 'other':
      return [row('Payload', formatHex(p.data.payload), 4, 3 + p.data.payload.length)];
  }
}

export function describeVpd(p: VpdPage): FieldRow[] {
  const d = p.data;
  return clip(
    [
      row('Peripheral device type', t10Hex(d.deviceType), 0),
      row('Page', `${t10Hex(d.pageCode)} ${vpdPageName(d.pageCode) ?? 'other'}`, 1),
      row(
        'Page length',
        `${d.pageLength}${d.truncated ? ` (${Math.max(0, d.length - 4)} returned)` : ''}`,
        2,
        3,
      ),
      ...describeVpdBody(p),
    ],
    d.length,
  );
}

// ---- READ CAPACITY ----

/**
 * SBC-4, RC BASIS: what READ CAPACITY(16)'s last LBA counts to. 00b is the end of the zones from
 * the first that are not sequential write required, which on a drive without zones is its last
 * block; a host-managed zoned drive may have more blocks past it.
 */
const RC_BASIS: Readonly<Record<number, string>> = {
  0: '00b: the last LBA of the zones from the first that are not sequential write required (without zones: the last LBA)',
  1: '01b: the last LBA of the logical unit',
};

export function describeCapacity(c: Capacity | Capacity16): FieldRow[] {
  const wide = 'wide' in c;
  const rows = [
    row(
      'Last LBA',
      `${c.lastLba} (${t10Hex(c.lastLba, wide ? 16 : 8)})${c.needs16 ? ' — too large for READ CAPACITY(10), use READ CAPACITY(16)' : ''}`,
      0,
      wide ? 7 : 3,
    ),
    row('Block length', `${c.blockLength} bytes`, wide ? 8 : 4, wide ? 11 : 7),
    row('Capacity', `${c.needs16 ? 'at least ' : ''}${humanSize(c.bytes)}`, 0, wide ? 11 : 7),
  ];
  if (!('wide' in c)) return rows;
  // Each row only where the answer reaches its byte (an allocation length of 12 stops at byte 11).
  const when = <T>(v: T | undefined, make: (v: T) => FieldRow): FieldRow[] =>
    v === undefined ? [] : [make(v)];
  return [
    ...rows,
    // PROT_EN with P_TYPE n means protection type n + 1 (SBC-4, P_TYPE field).
    // SBC-4, READ CAPACITY(16) parameter data: P_TYPE 000b–010b are types 1–3, the rest reserved.
    ...when(c.pType, (pType) =>
      row(
        'Protection',
        !c.protEn ? 'none' : pType <= 2 ? `type ${pType + 1}` : `reserved P_TYPE ${pType}`,
        12,
      ),
    ),
    ...when(c.rcBasis, (v) => row('RC BASIS', RC_BASIS[v] ?? `${v} (reserved)`, 12)),
    ...when(c.pIExponent, (v) => row('P_I_EXPONENT', v, 13)),
    ...when(c.logicalPerPhysicalExponent, (v) =>
      row('Logical blocks per physical block', 2 ** v, 13),
    ),
    ...when(c.lbpme, (v) => row('LBPME', bit(v), 14)),
    ...when(c.lbprz, (v) => row('LBPRZ', bit(v), 14)),
    ...when(c.lowestAlignedLba, (v) => row('Lowest aligned LBA', v, 14, 15)),
  ];
}

// ---- REPORT LUNS ----

/** Words for bytes after a LUN's last level that are not the zeros of SAM-5's null levels. */
function notNull(raw: Uint8Array, used: number): string {
  return raw.subarray(used).some((b) => b !== 0)
    ? `; bytes ${used}–7 of the LUN follow its last level and are not zero (SAM-5: null levels are 0000h)`
    : '';
}

export function describeReportLuns(l: LunList): FieldRow[] {
  return clip(
    [
      row(
        'LUN list length',
        `${l.listLength} (${counted(Math.floor(l.listLength / 8), 'LUN')}${l.truncated ? `, ${l.luns.length} returned` : ''})`,
        0,
        3,
      ),
      ...l.luns.map((x) =>
        row(
          x.lun !== undefined ? `LUN ${x.lun}` : 'LUN',
          `${formatHex(x.raw)}: ${lunText(x.levels)}${notNull(x.raw, x.used)}`,
          x.offset,
          x.offset + 7,
        ),
      ),
    ],
    l.length,
  );
}

// ---- MODE SENSE ----

export function describeModeParameters(m: ModeParameters): FieldRow[] {
  const ten = m.format === 10;
  const dsp = ten ? 3 : 2;
  return clip(
    [
      row(
        'Mode data length',
        `${m.modeDataLength}${m.truncated ? ` (${m.claimedLength} bytes claimed, ${m.length} returned)` : ''}`,
        0,
        ten ? 1 : 0,
      ),
      row('Medium type', t10Hex(m.mediumType), ten ? 2 : 1),
      row('Write protected (WP)', m.writeProtected, dsp),
      row('DPO and FUA supported (DPOFUA)', m.dpofua, dsp),
      ...(ten ? [row('LONGLBA', bit(m.longLba), 4)] : []),
      row('Block descriptor length', m.blockDescriptorLength, ten ? 6 : 3, ten ? 7 : 3),
      ...m.blockDescriptors.map((d) =>
        row(
          'Block descriptor',
          `${d.blocks} blocks of ${d.blockLength} bytes`,
          d.offset,
          d.offset + (m.longLba ? 15 : 7),
        ),
      ),
      ...m.pages.map((p) => {
        const bits = Object.entries(p.bits)
          .map(([k, v]) => `${k}=${typeof v === 'boolean' ? bit(v) : v}`)
          .join(' ');
        return row(
          `Page ${t10Hex(p.pageCode)}${p.spf ? `/${t10Hex(p.subpageCode)}` : ''} ${p.name}`,
          `${p.length} bytes${p.truncated ? ` (${p.bytes.length - modePageHeaderLength(p)} returned)` : ''}${bits ? `: ${bits}` : ''}`,
          p.offset,
          p.offset + p.bytes.length - 1,
        );
      }),
    ],
    m.length,
  );
}

// ---- REPORT SUPPORTED OPERATION CODES ----

export function describeSupportedOpcodes(d: SupportedOpcodes): FieldRow[] {
  if (d.format === 'one') {
    return clip(
      [
        row('CTDP', bit(d.ctdp), 1),
        row('Support', d.supportText, 1),
        row('CDB size', d.cdbSize, 2, 3),
        ...(d.usage.length > 0
          ? [row('CDB usage data', formatHex(d.usage), 4, 3 + d.usage.length)]
          : []),
        ...(d.timeouts
          ? [
              row(
                'Timeouts (nominal / recommended)',
                `${d.timeouts.nominalSeconds} s / ${d.timeouts.recommendedSeconds} s`,
                4 + d.cdbSize,
                4 + d.cdbSize + 11,
              ),
            ]
          : []),
      ],
      d.length,
    );
  }
  return clip(
    [
      row(
        'Command data length',
        `${d.commandDataLength}${d.truncated ? ` (${Math.max(0, d.length - 4)} returned)` : ''}`,
        0,
        3,
      ),
      ...d.commands.map((c) =>
        row(
          `${t10Hex(c.opcode)}${c.serviceAction !== undefined ? `/${t10Hex(c.serviceAction)}` : ''} ${findByOpcode(c.opcode, c.serviceAction)?.name ?? (opcodeGroup(c.opcode).vendorSpecific ? 'vendor specific' : '')}`.trimEnd(),
          `${c.cdbLength}-byte CDB${c.timeouts ? `, timeout ${c.timeouts.nominalSeconds} s nominal, ${c.timeouts.recommendedSeconds} s recommended` : ''}`,
          c.offset,
          c.offset + (c.timeouts ? 19 : 7),
        ),
      ),
    ],
    d.length,
  );
}

// ---- LOG SENSE ----

/** "0Dh Temperature", "0Dh/01h Environmental Reporting", "31h vendor specific". */
function logPageLabel(page: number, subpage: number): string {
  const code = logPageCode(page, subpage);
  const name = logPageName(page, subpage);
  return name !== undefined ? `${code} ${name}` : code;
}

export function describeLogPage(l: LogPage): FieldRow[] {
  const unusedSelfTests =
    l.pageCode === 0x10 && l.subpageCode === 0
      ? (l.parameters ?? []).filter((p) => !p.truncated && unusedSelfTest(p.value))
      : [];
  return clip(
    [
      row('Page', logPageLabel(l.pageCode, l.subpageCode), 0, l.spf ? 1 : 0),
      row(
        'Page length',
        `${l.pageLength}${l.truncated ? ` (${Math.max(0, l.length - 4)} returned)` : ''}`,
        2,
        3,
      ),
      ...(l.supported ?? []).map((s) =>
        row(
          'Supported',
          logPageLabel(s.pageCode, s.subpageCode),
          s.offset,
          s.offset + (l.subpageCode === 0xff ? 1 : 0),
        ),
      ),
      ...(l.parameters ?? [])
        .filter((p) => !unusedSelfTests.includes(p))
        .map((p) => {
          const { name, value } = logParameterText(l.pageCode, l.subpageCode, p);
          const cut = p.truncated ? ` (${p.length} bytes, ${p.value.length} returned)` : '';
          return row(name, `${value}${cut}`, p.offset, p.offset + 3 + p.value.length);
        }),
      ...(unusedSelfTests.length > 0
        ? [
            row(
              'Unused self-test results',
              numberRuns(unusedSelfTests.map((p) => p.code)),
              unusedSelfTests[0]?.offset ?? 4,
              (unusedSelfTests.at(-1)?.offset ?? 4) + 4 + 16 - 1,
            ),
          ]
        : []),
    ],
    l.length,
  );
}

// ---- GET LBA STATUS ----

/** SBC-5, ADDITIONAL STATUS: 01h marks blocks that may return unrecovered errors. */
function additionalStatusText(additional: number): string {
  if (additional === 0) return '';
  return additional === 1
    ? ', may return unrecovered errors'
    : `, ADDITIONAL STATUS ${t10Hex(additional)}`;
}

export function describeLbaStatus(s: LbaStatus): FieldRow[] {
  return clip(
    [
      row(
        'Parameter data length',
        `${s.parameterDataLength} (${counted(Math.floor(Math.max(0, s.parameterDataLength - 4) / 16), 'descriptor')}${s.truncated ? `, ${s.descriptors.length} returned` : ''})`,
        0,
        3,
      ),
      row(
        'Completion condition',
        COMPLETION_CONDITION[s.completion] ?? `${s.completion} (reserved)`,
        7,
      ),
      row('REPORT TYPE honoured (RTP)', s.rtp, 7),
      ...s.descriptors.map((d) =>
        row(
          `LBA ${d.lba}`,
          `${d.blocks} blocks ${PROVISIONING_STATUS[d.provisioning] ?? `provisioning status ${t10Hex(d.provisioning, 1)} (reserved)`}${additionalStatusText(d.additional)}`,
          d.offset,
          d.offset + 15,
        ),
      ),
    ],
    s.length,
  );
}
