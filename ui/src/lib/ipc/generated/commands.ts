// Generated from the Rust command table (src-tauri/src/commands/mod.rs).
// Do not edit: run `SESAME_UPDATE_BINDINGS=1 cargo test -p sesame --lib bindings`.

import { call } from "../call";
import type { AppInfo } from "./AppInfo";
import type { AuditEntry } from "./AuditEntry";
import type { CalibrationInput } from "./CalibrationInput";
import type { CameraInfo } from "./CameraInfo";
import type { CameraOpenInput } from "./CameraOpenInput";
import type { CsvImportInput } from "./CsvImportInput";
import type { ExportedFile } from "./ExportedFile";
import type { ImportReport } from "./ImportReport";
import type { LiveFrame } from "./LiveFrame";
import type { NewRequest } from "./NewRequest";
import type { PhotoCheckOutcome } from "./PhotoCheckOutcome";
import type { Policy } from "./Policy";
import type { PrintJob } from "./PrintJob";
import type { PrintPreview } from "./PrintPreview";
import type { PrintRun } from "./PrintRun";
import type { PrintRunInput } from "./PrintRunInput";
import type { PrinterInfo } from "./PrinterInfo";
import type { QueuePage } from "./QueuePage";
import type { QueueQuery } from "./QueueQuery";
import type { RequestDetail } from "./RequestDetail";
import type { RequestPhoto } from "./RequestPhoto";
import type { SavePhotoInput } from "./SavePhotoInput";
import type { StatusCount } from "./StatusCount";
import type { TransitionInput } from "./TransitionInput";

/** Every command the UI may call, with its Rust signature. */
export const commands = {
  appInfo: (): Promise<AppInfo> => call("app_info", {}),
  listRequests: (query: QueueQuery): Promise<QueuePage> => call("list_requests", { query }),
  queueCounts: (): Promise<Array<StatusCount>> => call("queue_counts", {}),
  createRequest: (request: NewRequest): Promise<RequestDetail> => call("create_request", { request }),
  getRequest: (id: string): Promise<RequestDetail> => call("get_request", { id }),
  requestHistory: (id: string): Promise<Array<AuditEntry>> => call("request_history", { id }),
  transitionRequest: (input: TransitionInput): Promise<RequestDetail> => call("transition_request", { input }),
  getPolicy: (): Promise<Policy> => call("get_policy", {}),
  importRequestsCsv: (input: CsvImportInput): Promise<ImportReport> => call("import_requests_csv", { input }),
  exportQueueCsv: (query: QueueQuery): Promise<ExportedFile> => call("export_queue_csv", { query }),
  exportBadgesCsv: (): Promise<ExportedFile> => call("export_badges_csv", {}),
  previewPrint: (job: PrintJob): Promise<PrintPreview> => call("preview_print", { job }),
  printBadges: (input: PrintRunInput): Promise<PrintRun> => call("print_badges", { input }),
  listPrinters: (): Promise<Array<PrinterInfo>> => call("list_printers", {}),
  printCalibration: (input: CalibrationInput): Promise<ExportedFile> => call("print_calibration", { input }),
  checkPhotoBytes: (image: string): Promise<PhotoCheckOutcome> => call("check_photo_bytes", { image }),
  saveRequestPhoto: (input: SavePhotoInput): Promise<RequestDetail> => call("save_request_photo", { input }),
  getRequestPhoto: (id: string): Promise<RequestPhoto | null> => call("get_request_photo", { id }),
  cameraList: (): Promise<Array<CameraInfo>> => call("camera_list", {}),
  cameraOpen: (input: CameraOpenInput): Promise<CameraInfo> => call("camera_open", { input }),
  cameraFrame: (): Promise<LiveFrame | null> => call("camera_frame", {}),
  cameraAutoCapture: (enabled: boolean): Promise<boolean> => call("camera_auto_capture", { enabled }),
  cameraCapture: (): Promise<PhotoCheckOutcome> => call("camera_capture", {}),
  cameraClose: (): Promise<boolean> => call("camera_close", {}),
};

/** The names the backend registers (checked against the capability file). */
export const COMMAND_NAMES = [
  "app_info",
  "list_requests",
  "queue_counts",
  "create_request",
  "get_request",
  "request_history",
  "transition_request",
  "get_policy",
  "import_requests_csv",
  "export_queue_csv",
  "export_badges_csv",
  "preview_print",
  "print_badges",
  "list_printers",
  "print_calibration",
  "check_photo_bytes",
  "save_request_photo",
  "get_request_photo",
  "camera_list",
  "camera_open",
  "camera_frame",
  "camera_auto_capture",
  "camera_capture",
  "camera_close",
] as const;
