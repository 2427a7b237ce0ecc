/**
 * Parsers for SCSI response data: each takes the bytes a device returned and
 * gives typed fields or an error value; `describe*` turns the result into rows
 * for the CLI and GUI. Imports only shared/scsi primitives (bytes, result, hex,
 * brand, page-names).
 */
export * from './capacity';
export * from './common';
export * from './describe';
export * from './inquiry';
export * from './lba-status';
export * from './log';
export * from './log-parameters';
export * from './lun-address';
export * from './luns';
export * from './mode';
export * from './rsoc';
export * from './vpd';
