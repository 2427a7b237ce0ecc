/**
 * The results view's decoded data: the one choice of parser or vendor
 * response layout lives in shared/scsi/parsers/for-command.ts; the view
 * passes the device's vendor sets when it knows them.
 */
export { decodeResponse, type DecodedResponse } from '../shared/scsi/parsers/for-command';
