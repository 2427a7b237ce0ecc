/**
 * The diagnose slice: what a person saw on another system (CDB, status,
 * service response, sense bytes, DriverKit values, transfer length…) as they
 * typed it, and the doctor's ranked diagnosis of it — the same parser
 * (shared/doctor/input.ts) and the same doctor `usbcdb doctor` uses, judged
 * with the vendor sets the app knows. Nothing here touches a device.
 */
import type { StoreApi } from 'zustand';
import { diagnose } from '../../shared/doctor/doctor';
import { parseDoctorText, type DoctorTextField, type FieldLabel } from '../../shared/doctor/input';
import type { DoctorReport } from '../../shared/doctor/types';
import type { VendorSet } from '../../shared/vendor-sets/model';

/** Every field of the form, as typed (DriverKit values as one text). */
export type DiagnoseForm = Readonly<Record<DoctorTextField, string>>;

/** The label each field has in the panel, also used in the messages about it. */
export const DIAGNOSE_LABELS: Readonly<Record<DoctorTextField, string>> = {
  cdb: 'CDB',
  dataIn: 'Data-in length (bytes the buffer expected)',
  dataOut: 'Data-out length (bytes sent)',
  status: 'Status (SCSI status byte or fCompletionStatus)',
  serviceResponse: 'Service response (fServiceResponse)',
  sense: 'Sense bytes',
  senseValid: 'Sense valid (fSenseDataValid, 0 or 1)',
  driverKit: 'DriverKit SCSIType00OutParameters (KEY=VALUE, …)',
  transport: 'Transport result',
  cswStatus: 'CSW status (bCSWStatus)',
  residue: 'Residue (dCSWDataResidue)',
  realized: 'Bytes transferred (fRealizedByteCountOfTransfer)',
  kernReturn: 'UserSendCDB return (kern_return_t)',
  lun: 'LUN',
  spcLevel: 'SPC level of the device',
  blockSize: 'Logical block size',
  usbVendorId: 'USB vendor ID (idVendor, e.g. 0x174c)',
};

const label: FieldLabel = (field) => DIAGNOSE_LABELS[field];

export interface DiagnoseState {
  readonly form: DiagnoseForm;
  readonly report: DoctorReport | undefined;
  /** The field that could not be read and why; the report is then cleared. */
  readonly problem: { readonly field: DoctorTextField; readonly message: string } | undefined;
}

export interface DiagnoseSlice {
  diagnosis: DiagnoseState;
  setDiagnoseField(field: DoctorTextField, value: string): void;
  /** Reads the form and diagnoses it; a field that cannot be read is named instead. */
  runDiagnose(): void;
  clearDiagnose(): void;
}

interface Host {
  vendorSets: readonly VendorSet[];
}

const EMPTY_FORM = Object.fromEntries(
  Object.keys(DIAGNOSE_LABELS).map((k) => [k, '']),
) as unknown as DiagnoseForm;

const IDLE: DiagnoseState = { form: EMPTY_FORM, report: undefined, problem: undefined };

export function diagnoseSlice<S extends DiagnoseSlice & Host>(
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): DiagnoseSlice {
  const put = (part: Partial<DiagnoseState>): void =>
    set({ diagnosis: { ...get().diagnosis, ...part } } as Partial<S>);
  return {
    diagnosis: IDLE,
    setDiagnoseField: (field, value) => put({ form: { ...get().diagnosis.form, [field]: value } }),
    runDiagnose() {
      const { driverKit, ...rest } = get().diagnosis.form;
      const parsed = parseDoctorText({ ...rest, driverKit: [driverKit] }, label);
      if (!parsed.ok) {
        put({
          report: undefined,
          problem: { field: parsed.error.field, message: parsed.error.message },
        });
        return;
      }
      put({
        report: diagnose({ ...parsed.value, vendorSets: get().vendorSets }),
        problem: undefined,
      });
    },
    clearDiagnose: () => put(IDLE),
  };
}
