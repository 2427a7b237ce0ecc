/**
 * The example vendor command set, modelled on what USB storage vendors ship
 * (a log read-out, an LED, a firmware version query and a firmware download
 * that uses the same microcode machinery as WRITE BUFFER). Documented in
 * docs/vendor-example.md. All CDBs are 10 bytes.
 */
import {
  allocationLength,
  bitField,
  bytesField,
  controlFields,
  opcodeField,
  parameterListLength,
} from '../../scsi/catalog/common-fields';
import type { CommandSpec } from '../../scsi/catalog';
import type { VendorCommand, VendorCommandSet, VendorResult } from '../types';

const good = (data: Uint8Array = new Uint8Array()): VendorResult => ({ kind: 'good', data });

function spec(
  opcode: number,
  name: string,
  alias: string,
  summary: string,
  rest: Pick<CommandSpec, 'fields' | 'length' | 'effect'>,
): CommandSpec {
  return {
    opcode,
    name,
    aliases: [alias],
    cdbLength: 10,
    standard: 'usbcdb example vendor set',
    summary,
    support: 'optional',
    ...rest,
  };
}

function text(s: string, max: number): Uint8Array {
  return new TextEncoder().encode(s).subarray(0, max);
}

const readLog: VendorCommand = {
  spec: spec(
    0xc1,
    'EXAMPLE READ DEVICE LOG',
    'example.read-log',
    "Returns the device's event log as text, newest last.",
    {
      fields: [
        opcodeField(),
        bytesField('logPage', 'LOG PAGE', 2, 1, '0 = the event log; other pages are reserved.', {
          values: [{ value: 0, name: 'event log' }],
          max: 0,
        }),
        allocationLength(7, 2, { default: 512 }),
        ...controlFields(9),
      ],
      length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
      effect: 'reads',
    },
  ),
  handle: (d, f) =>
    f('logPage') !== 0
      ? { kind: 'check', key: 5, asc: 0x24, ascq: 0, fieldPointer: { byte: 2, inCdb: true } }
      : good(text(d.log.join('\n') + '\n', f('allocationLength'))),
};

const getLed: VendorCommand = {
  spec: spec(
    0xc2,
    'EXAMPLE GET LED',
    'example.get-led',
    'Returns the activity LED state in one byte (0 off, 1 on, 2 blinking).',
    {
      fields: [opcodeField(), allocationLength(8, 1, { default: 1 }), ...controlFields(9)],
      length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
      effect: 'reads',
    },
  ),
  handle: (d, f) => good(Uint8Array.from([d.led]).subarray(0, f('allocationLength'))),
};

const setLed: VendorCommand = {
  spec: spec(
    0xc3,
    'EXAMPLE SET LED',
    'example.set-led',
    'Sets the activity LED: 0 off, 1 on, 2 blinking.',
    {
      fields: [
        opcodeField(),
        bytesField('state', 'LED STATE', 2, 1, 'The state to set.', {
          values: [
            { value: 0, name: 'off' },
            { value: 1, name: 'on' },
            { value: 2, name: 'blinking' },
          ],
          min: 0,
          max: 2,
        }),
        ...controlFields(9),
      ],
      length: [],
      effect: 'changes-state',
    },
  ),
  handle: (d, f) => {
    if (f('state') > 2)
      return { kind: 'check', key: 5, asc: 0x24, ascq: 0, fieldPointer: { byte: 2, inCdb: true } };
    d.led = f('state');
    return good();
  },
};

const firmwareVersion: VendorCommand = {
  spec: spec(
    0xc4,
    'EXAMPLE GET FIRMWARE VERSION',
    'example.firmware-version',
    'Returns the running firmware revision as ASCII.',
    {
      fields: [opcodeField(), allocationLength(7, 2, { default: 16 }), ...controlFields(9)],
      length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
      effect: 'reads',
    },
  ),
  handle: (d, f) => good(text(d.firmwareRevision, f('allocationLength'))),
};

const firmwareDownload: VendorCommand = {
  spec: spec(
    0xc5,
    'EXAMPLE FIRMWARE DOWNLOAD',
    'example.firmware-download',
    'Sends a chunk of a firmware image at an offset; ACTIVATE on the last chunk installs it (the same machinery as WRITE BUFFER mode 07h).',
    {
      fields: [
        opcodeField(),
        bitField(
          'activate',
          'ACTIVATE',
          1,
          0,
          '1 on the last chunk: check and activate the image.',
        ),
        bytesField('offset', 'OFFSET', 3, 3, 'Byte offset of this chunk in the image.'),
        parameterListLength(6, 3),
        ...controlFields(9),
      ],
      length: [
        { field: 'parameterListLength', kind: 'parameterList', unit: 'bytes', direction: 'out' },
      ],
      effect: 'firmware',
    },
  ),
  handle: (d, f, dataOut) => d.downloadMicrocode(f('offset'), dataOut, f('activate') === 1),
};

export const EXAMPLE_SET: VendorCommandSet = {
  name: 'example',
  vendor: 'usbcdb',
  description:
    'The documented example vendor set: device log, LED, firmware version and firmware download (C1h–C5h).',
  commands: [readLog, getLed, setLed, firmwareVersion, firmwareDownload],
};
