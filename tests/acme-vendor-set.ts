/**
 * A user's vendor set, as a person would write it for a bridge usbcdb does
 * not ship: two commands with response layouts and emulated answers, and a
 * sequence that feeds a field of the first answer into the second CDB.
 * The handler, component and end-to-end tests import and run it.
 */

/** The set's JSON text, laid out one key per line so error lines are predictable. */
export const ACME_SET_TEXT = `${JSON.stringify(
  {
    usbcdbVendorSet: 1,
    name: 'acme',
    vendor: 'ACME Storage',
    description: "ACME bridge diagnostics: the bridge's temperature and its fan.",
    commands: [
      {
        opcode: 'D1h',
        name: 'ACME READ TEMPERATURE',
        aliases: ['acme.read-temp'],
        cdbLength: 10,
        summary: "Returns the bridge's temperature sensor reading.",
        effect: 'reads',
        controlByte: 9,
        fields: [
          {
            key: 'sensor',
            name: 'SENSOR',
            byte: 2,
            bit: 0,
            width: 8,
            meaning: 'Which sensor: 0 the bridge chip, 1 the flash.',
            max: 1,
          },
          {
            key: 'allocationLength',
            name: 'ALLOCATION LENGTH',
            byte: 7,
            bit: 0,
            width: 16,
            meaning: 'Bytes the host has room for.',
            role: 'allocationLength',
            default: 8,
          },
        ],
        length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
        response: [
          { key: 'celsius', name: 'TEMPERATURE', offset: 0, type: 'int', size: 2 },
          { key: 'limit', name: 'LIMIT', offset: 2, type: 'uint', size: 2 },
          { key: 'overheated', name: 'OVERHEATED', offset: 4, type: 'flag', bit: 0 },
          { key: 'model', name: 'SENSOR MODEL', offset: 5, type: 'ascii', length: 3 },
        ],
        emulation: {
          data: {
            values: { celsius: 41, limit: 85, overheated: false, model: 'TMP' },
            length: 8,
          },
        },
      },
      {
        opcode: 'D2h',
        name: 'ACME SET FAN',
        aliases: ['acme.set-fan'],
        cdbLength: 6,
        summary: 'Sets the fan speed in percent.',
        effect: 'changes-state',
        controlByte: 5,
        fields: [
          {
            key: 'speed',
            name: 'FAN SPEED',
            byte: 2,
            bit: 0,
            width: 8,
            meaning: 'Percent of full speed.',
            max: 100,
          },
        ],
        emulation: {},
      },
    ],
    sequences: [
      {
        alias: 'acme.cool-down',
        name: 'Cool down',
        summary: 'Reads the temperature, then runs the fan at that many percent.',
        steps: [
          { command: 'acme.read-temp' },
          { command: 'acme.set-fan', fields: { speed: { step: 0, field: 'celsius' } } },
        ],
      },
    ],
  },
  null,
  2,
)}\n`;

/** The bytes the emulated drive answers ACME READ TEMPERATURE with: 41 °C, limit 85, not overheated, "TMP". */
export const ACME_TEMPERATURE_ANSWER = '00 29 00 55 00 54 4d 50';
