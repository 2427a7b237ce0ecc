/** Sense data: decode, explain, encode, and the tables behind them. */
export { decodeSense, descriptorName, type SenseOf } from './decode';
export { explainSense, progressPercent, type SenseExplanation, type SensePointer } from './explain';
export { encodeDescriptorSense, encodeFixedSense, type SenseFields } from './encode';
export { codesWithAsc, lookupAsc, type AscInfo, type AscKind, type AscqAssignment } from './asc';
export { SENSE_KEYS, senseKeyInfo, type SenseAction, type SenseKeyInfo } from './keys';
export type { AtaReturn, SenseData, SenseDescriptor, SenseKeySpecific } from './types';
