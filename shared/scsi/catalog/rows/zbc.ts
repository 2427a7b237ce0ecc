/**
 * Zoned block commands (ZBC-2, T10/BSR INCITS 550) that a host-aware or
 * host-managed SMR disk in a USB enclosure answers: the ZONE OUT (94h)
 * service actions, and REMOVE ELEMENT AND MODIFY ZONES. Layouts as sg3_utils'
 * sg_zone and sg_reset_wp build them. Catalogued above all so that RESET WRITE
 * POINTER, which empties zones without a data phase, is asked about before it
 * reaches a real disk (confirm-policy.ts).
 */
import { asOpcode, asServiceAction } from '../../brand';
import {
  bitField,
  bytesField,
  controlFields,
  elementIdentifierField,
  opcodeField,
  serviceActionField,
} from '../common-fields';
import type { CommandSpec, Effect } from '../types';

/** One ZONE OUT (94h) service action: every one shares the layout (ZBC-2, ZONE OUT commands). */
function zoneOut<Name extends string>(
  serviceAction: number,
  name: Name,
  aliases: string[],
  summary: string,
  effect: Effect,
) {
  return {
    opcode: asOpcode(0x94),
    serviceAction: asServiceAction(serviceAction),
    serviceActionField: 'serviceAction',
    name,
    aliases,
    cdbLength: 16,
    standard: 'ZBC-2',
    summary: `${summary} ZONE OUT, service action ${serviceAction.toString(16).toUpperCase().padStart(2, '0')}h.`,
    fields: [
      opcodeField(),
      serviceActionField([{ value: serviceAction, name }]),
      bytesField(
        'zoneId',
        'ZONE ID',
        2,
        8,
        'The lowest LBA of the (first) zone acted on; ignored with ALL set.',
        { role: 'lba' },
      ),
      bytesField(
        'zoneCount',
        'ZONE COUNT',
        12,
        2,
        'How many zones from ZONE ID (ZBC-2); 0 acts on one zone, as 1 does.',
      ),
      bitField('all', 'ALL', 14, 0, '1 = every zone this action applies to; ZONE ID is ignored.'),
      ...controlFields(15),
    ],
    length: [],
    effect,
    support: 'optional',
  } satisfies CommandSpec;
}

export const ZBC_COMMANDS = [
  zoneOut(
    0x01,
    'CLOSE ZONE',
    ['close-zone'],
    'Closes an open zone: its write pointer stays where it is.',
    'changes-state',
  ),
  zoneOut(
    0x02,
    'FINISH ZONE',
    ['finish-zone'],
    'Makes a zone full: its write pointer moves to its end, and no block of it can be written until it is reset.',
    'changes-state',
  ),
  zoneOut(
    0x03,
    'OPEN ZONE',
    ['open-zone'],
    'Opens a zone explicitly, keeping the device’s resources for writing it.',
    'changes-state',
  ),
  zoneOut(
    0x04,
    'RESET WRITE POINTER',
    ['reset-write-pointer', 'reset-wp'],
    'Empties a zone: its write pointer returns to its start and what was written there is lost.',
    'changes-data',
  ),
  zoneOut(
    0x10,
    'SEQUENTIALIZE ZONE',
    ['sequentialize-zone'],
    'Tells a zone that may be written out of order to be treated as written in order (ZBC-2).',
    'changes-state',
  ),
  {
    // ZBC-2 (from revision 07): sg3_utils' sg_zone --remove puts only the element in bytes 10–13.
    opcode: asOpcode(0x9e),
    serviceAction: asServiceAction(0x1a),
    serviceActionField: 'serviceAction',
    name: 'REMOVE ELEMENT AND MODIFY ZONES',
    aliases: ['remove-element-and-modify-zones'],
    cdbLength: 16,
    standard: 'ZBC-2',
    summary:
      'Depopulates a storage element and takes the zones on it offline: SERVICE ACTION IN(16), service action 1Ah.',
    fields: [
      opcodeField(),
      serviceActionField([{ value: 0x1a, name: 'REMOVE ELEMENT AND MODIFY ZONES' }]),
      elementIdentifierField(),
      ...controlFields(15),
    ],
    length: [],
    effect: 'changes-data',
    effectNote:
      'It has no data phase: the zones on the removed element go offline, and what they held is lost.',
    support: 'optional',
  },
] as const satisfies readonly CommandSpec[];
