export const RETRY_AFTER_MS: number;
export const DOWNLOAD_COMMAND: string;
export const RETRY_HINT: string;
export interface ElectronState {
  electron: string;
  outcome: 'failed' | 'skipped';
  reason: string;
  at: number;
}
export type ElectronPlan =
  { action: 'none' } | { action: 'skip'; reason: string } | { action: 'download' };
export function planElectronBinary(input: {
  purpose: 'window' | 'tests';
  binaryPresent: boolean;
  env: Record<string, string | undefined>;
  nodeVersion: string;
  electronVersion: string | undefined;
  lastFailure: ElectronState | undefined;
  now: number;
}): ElectronPlan;
export function downloadHost(env: Record<string, string | undefined>): string;
export function downloadFailureReason(failure: {
  host: string;
  probeCode: string | undefined;
  stderr: string;
}): string;
export function webModeNotice(reason: string, hint?: string): string;
export function readElectronState(root: string): ElectronState | undefined;
export function writeElectronState(root: string, state: ElectronState): void;
export function installedElectronVersion(root: string): string | undefined;
export function probeHost(host: string, timeoutMs?: number): Promise<string | undefined>;
