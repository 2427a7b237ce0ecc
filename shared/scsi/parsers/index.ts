/** Parsers for SCSI response data: each takes the bytes returned and gives typed fields or an error value. */
export * from './capacity';
export * from './inquiry';
export * from './luns';
export * from './mode';
export * from './rows';
export * from './rsoc';
export * from './vpd';
