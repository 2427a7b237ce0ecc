/** The one Electron IPC channel the contract's envelopes travel on. */
export const IPC_CHANNEL = 'usbcdb:invoke';
