// Generated from the Rust command table (src-tauri/src/commands/table.rs).
// Do not edit: run `SESAME_UPDATE_BINDINGS=1 cargo test -p sesame --lib bindings`.

import { call } from "../call";
import type { AccessExportInput } from "./AccessExportInput";
import type { AccessExportOutcome } from "./AccessExportOutcome";
import type { AccessExportProfileId } from "./AccessExportProfileId";
import type { AccessExportRun } from "./AccessExportRun";
import type { AccessExportSettings } from "./AccessExportSettings";
import type { AddOperatorInput } from "./AddOperatorInput";
import type { AppInfo } from "./AppInfo";
import type { AttachmentContent } from "./AttachmentContent";
import type { AttachmentId } from "./AttachmentId";
import type { AuditEntry } from "./AuditEntry";
import type { Badge } from "./Badge";
import type { BadgeBatchOutcome } from "./BadgeBatchOutcome";
import type { BadgeExportInput } from "./BadgeExportInput";
import type { BadgeId } from "./BadgeId";
import type { BadgeRow } from "./BadgeRow";
import type { BadgeZone } from "./BadgeZone";
import type { BindCardInput } from "./BindCardInput";
import type { BoundCard } from "./BoundCard";
import type { BulkOutcome } from "./BulkOutcome";
import type { BulkPhotoInput } from "./BulkPhotoInput";
import type { BulkPhotoRow } from "./BulkPhotoRow";
import type { BulkTransitionInput } from "./BulkTransitionInput";
import type { CalibrationInput } from "./CalibrationInput";
import type { CameraInfo } from "./CameraInfo";
import type { CameraOpenInput } from "./CameraOpenInput";
import type { CardReading } from "./CardReading";
import type { CarriedOver } from "./CarriedOver";
import type { CheckInInput } from "./CheckInInput";
import type { CheckOutInput } from "./CheckOutInput";
import type { CheckedIn } from "./CheckedIn";
import type { ConfirmCarriedOverInput } from "./ConfirmCarriedOverInput";
import type { CountersignInput } from "./CountersignInput";
import type { CsvImportInput } from "./CsvImportInput";
import type { DatabaseSettings } from "./DatabaseSettings";
import type { DatabaseSettingsInput } from "./DatabaseSettingsInput";
import type { DeactivateLeaversInput } from "./DeactivateLeaversInput";
import type { DeactivateUnusedInput } from "./DeactivateUnusedInput";
import type { DeclareOppositionInput } from "./DeclareOppositionInput";
import type { DesignPreview } from "./DesignPreview";
import type { DesignPreviewInput } from "./DesignPreviewInput";
import type { DesignSaveInput } from "./DesignSaveInput";
import type { DeskKeyStatus } from "./DeskKeyStatus";
import type { DeskSession } from "./DeskSession";
import type { DirectoryLeaver } from "./DirectoryLeaver";
import type { DirectoryPerson } from "./DirectoryPerson";
import type { DirectorySetup } from "./DirectorySetup";
import type { DirectorySyncReport } from "./DirectorySyncReport";
import type { DirectoryTest } from "./DirectoryTest";
import type { DispatchInput } from "./DispatchInput";
import type { DispatchRun } from "./DispatchRun";
import type { DocumentInput } from "./DocumentInput";
import type { EraseHolderInput } from "./EraseHolderInput";
import type { ExpiringBadge } from "./ExpiringBadge";
import type { ExportedFile } from "./ExportedFile";
import type { ExtendBadgeInput } from "./ExtendBadgeInput";
import type { FirstStartDefaults } from "./FirstStartDefaults";
import type { FirstStartInput } from "./FirstStartInput";
import type { HolderErasure } from "./HolderErasure";
import type { HolderExport } from "./HolderExport";
import type { HolderId } from "./HolderId";
import type { HolderViewInfo } from "./HolderViewInfo";
import type { IdentifiedCard } from "./IdentifiedCard";
import type { ImportProgress } from "./ImportProgress";
import type { ImportReport } from "./ImportReport";
import type { InactiveBadge } from "./InactiveBadge";
import type { KeyExportInput } from "./KeyExportInput";
import type { KeyImportInput } from "./KeyImportInput";
import type { KeyImportOutcome } from "./KeyImportOutcome";
import type { LendCardInput } from "./LendCardInput";
import type { LiftOppositionInput } from "./LiftOppositionInput";
import type { LiveFrame } from "./LiveFrame";
import type { LoanCardInput } from "./LoanCardInput";
import type { LoanRow } from "./LoanRow";
import type { MailId } from "./MailId";
import type { MailSetup } from "./MailSetup";
import type { MailStatusCount } from "./MailStatusCount";
import type { NewRefusedVisitor } from "./NewRefusedVisitor";
import type { NewRequest } from "./NewRequest";
import type { NotActivatedRow } from "./NotActivatedRow";
import type { OfficeInput } from "./OfficeInput";
import type { OfficeSettings } from "./OfficeSettings";
import type { Operator } from "./Operator";
import type { OperatorRole } from "./OperatorRole";
import type { Opposition } from "./Opposition";
import type { OppositionOutcome } from "./OppositionOutcome";
import type { OutboxMessage } from "./OutboxMessage";
import type { OutboxQuery } from "./OutboxQuery";
import type { PendingZoneRequest } from "./PendingZoneRequest";
import type { PhotoCheckInput } from "./PhotoCheckInput";
import type { PhotoCheckOutcome } from "./PhotoCheckOutcome";
import type { PhotoCheckStats } from "./PhotoCheckStats";
import type { PhotoComparison } from "./PhotoComparison";
import type { PhotoComparisonInput } from "./PhotoComparisonInput";
import type { PhotoImportPlan } from "./PhotoImportPlan";
import type { PhotoImportPlanInput } from "./PhotoImportPlanInput";
import type { PhotoRules } from "./PhotoRules";
import type { Policy } from "./Policy";
import type { PrintJob } from "./PrintJob";
import type { PrintPreview } from "./PrintPreview";
import type { PrintRun } from "./PrintRun";
import type { PrintRunInput } from "./PrintRunInput";
import type { PrinterInfo } from "./PrinterInfo";
import type { PurgePlan } from "./PurgePlan";
import type { PurgeReport } from "./PurgeReport";
import type { QueueExportInput } from "./QueueExportInput";
import type { QueuePage } from "./QueuePage";
import type { QueueQuery } from "./QueueQuery";
import type { ReaderInfo } from "./ReaderInfo";
import type { RecordedHousekeeping } from "./RecordedHousekeeping";
import type { RefusedVisitor } from "./RefusedVisitor";
import type { RefusedVisitorId } from "./RefusedVisitorId";
import type { RemoveAttachmentInput } from "./RemoveAttachmentInput";
import type { RenewBadgeInput } from "./RenewBadgeInput";
import type { RenewalOutcome } from "./RenewalOutcome";
import type { RequestDetail } from "./RequestDetail";
import type { RequestId } from "./RequestId";
import type { RequestPhoto } from "./RequestPhoto";
import type { RestorePhotoInput } from "./RestorePhotoInput";
import type { SaveAccessExportInput } from "./SaveAccessExportInput";
import type { SaveDirectorySettingsInput } from "./SaveDirectorySettingsInput";
import type { SaveMailSettingsInput } from "./SaveMailSettingsInput";
import type { SavePhotoInput } from "./SavePhotoInput";
import type { SaveZoneInput } from "./SaveZoneInput";
import type { SetPinInput } from "./SetPinInput";
import type { SignInInput } from "./SignInInput";
import type { SignInState } from "./SignInState";
import type { StatusCount } from "./StatusCount";
import type { TemplateDesignFile } from "./TemplateDesignFile";
import type { TemplateExportInput } from "./TemplateExportInput";
import type { TemplateImageInfo } from "./TemplateImageInfo";
import type { TemplateImageUpload } from "./TemplateImageUpload";
import type { TemplateList } from "./TemplateList";
import type { TemplateUpload } from "./TemplateUpload";
import type { TemplateVersionSummary } from "./TemplateVersionSummary";
import type { TransitionInput } from "./TransitionInput";
import type { UnbindCardInput } from "./UnbindCardInput";
import type { UsageImportReport } from "./UsageImportReport";
import type { Visit } from "./Visit";
import type { VisitHost } from "./VisitHost";
import type { VisitorRow } from "./VisitorRow";
import type { VisitorsDayInput } from "./VisitorsDayInput";
import type { Zone } from "./Zone";
import type { ZoneAccessInput } from "./ZoneAccessInput";
import type { ZoneApprovals } from "./ZoneApprovals";
import type { ZoneDecisionInput } from "./ZoneDecisionInput";
import type { ZoneRightsExportInput } from "./ZoneRightsExportInput";

/** Every command the UI may call, with its Rust signature. */
export const commands = {
  appInfo: (): Promise<AppInfo> => call("app_info", {}),
  signInState: (): Promise<SignInState> => call("sign_in_state", {}),
  signIn: (input: SignInInput): Promise<DeskSession> => call("sign_in", { input }),
  firstStartDefaults: (): Promise<FirstStartDefaults> => call("first_start_defaults", {}),
  setUpDesk: (input: FirstStartInput): Promise<DeskSession> => call("set_up_desk", { input }),
  signOut: (): Promise<SignInState> => call("sign_out", {}),
  deskSession: (): Promise<DeskSession> => call("desk_session", {}),
  unlockDesk: (pin: string): Promise<DeskSession> => call("unlock_desk", { pin }),
  officeSettings: (): Promise<OfficeSettings> => call("office_settings", {}),
  saveOfficeSettings: (input: OfficeInput): Promise<OfficeSettings> => call("save_office_settings", { input }),
  getPolicy: (): Promise<Policy> => call("get_policy", {}),
  savePolicy: (policy: Policy): Promise<Policy> => call("save_policy", { policy }),
  databaseSettings: (): Promise<DatabaseSettings> => call("database_settings", {}),
  saveDatabaseSettings: (input: DatabaseSettingsInput): Promise<DatabaseSettings> => call("save_database_settings", { input }),
  listTemplates: (): Promise<TemplateList> => call("list_templates", {}),
  installTemplate: (upload: TemplateUpload): Promise<TemplateList> => call("install_template", { upload }),
  restoreBuiltinTemplates: (): Promise<TemplateList> => call("restore_builtin_templates", {}),
  templateVersions: (): Promise<Array<TemplateVersionSummary>> => call("template_versions", {}),
  restoreTemplateVersion: (version: number): Promise<TemplateList> => call("restore_template_version", { version }),
  exportTemplate: (input: TemplateExportInput): Promise<ExportedFile> => call("export_template", { input }),
  templateImages: (): Promise<Array<TemplateImageInfo>> => call("template_images", {}),
  addTemplateImage: (upload: TemplateImageUpload): Promise<Array<TemplateImageInfo>> => call("add_template_image", { upload }),
  openTemplateDesign: (file: string): Promise<TemplateDesignFile> => call("open_template_design", { file }),
  previewTemplateDesign: (input: DesignPreviewInput): Promise<DesignPreview> => call("preview_template_design", { input }),
  saveTemplateDesign: (input: DesignSaveInput): Promise<TemplateList> => call("save_template_design", { input }),
  listRequests: (query: QueueQuery): Promise<QueuePage> => call("list_requests", { query }),
  lookUpRequests: (query: QueueQuery): Promise<QueuePage> => call("look_up_requests", { query }),
  queueCounts: (): Promise<Array<StatusCount>> => call("queue_counts", {}),
  queueCountsFiltered: (query: QueueQuery): Promise<Array<StatusCount>> => call("queue_counts_filtered", { query }),
  queueCountsEstimate: (query: QueueQuery): Promise<Array<StatusCount> | null> => call("queue_counts_estimate", { query }),
  createRequest: (request: NewRequest): Promise<RequestDetail> => call("create_request", { request }),
  intakeDraft: (): Promise<string | null> => call("intake_draft", {}),
  saveIntakeDraft: (draft: string | null): Promise<null> => call("save_intake_draft", { draft }),
  getRequest: (id: RequestId): Promise<RequestDetail> => call("get_request", { id }),
  requestHistory: (id: RequestId): Promise<Array<AuditEntry>> => call("request_history", { id }),
  transitionRequest: (input: TransitionInput): Promise<RequestDetail> => call("transition_request", { input }),
  transitionMany: (input: BulkTransitionInput): Promise<BulkOutcome> => call("transition_many", { input }),
  importRequestsCsv: (input: CsvImportInput): Promise<ImportReport> => call("import_requests_csv", { input }),
  csvImportProgress: (): Promise<ImportProgress | null> => call("csv_import_progress", {}),
  exportQueueCsv: (input: QueueExportInput): Promise<ExportedFile> => call("export_queue_csv", { input }),
  exportBadgesCsv: (input: BadgeExportInput): Promise<ExportedFile> => call("export_badges_csv", { input }),
  addRequestDocument: (input: DocumentInput): Promise<RequestDetail> => call("add_request_document", { input }),
  getAttachmentContent: (id: AttachmentId): Promise<AttachmentContent> => call("get_attachment_content", { id }),
  removeAttachment: (input: RemoveAttachmentInput): Promise<RequestDetail> => call("remove_attachment", { input }),
  checkPhotoBytes: (input: PhotoCheckInput): Promise<PhotoCheckOutcome> => call("check_photo_bytes", { input }),
  saveRequestPhoto: (input: SavePhotoInput): Promise<RequestDetail> => call("save_request_photo", { input }),
  getRequestPhoto: (id: RequestId): Promise<RequestPhoto | null> => call("get_request_photo", { id }),
  cameraList: (): Promise<Array<CameraInfo>> => call("camera_list", {}),
  cameraOpen: (input: CameraOpenInput): Promise<CameraInfo> => call("camera_open", { input }),
  cameraFrame: (): Promise<LiveFrame | null> => call("camera_frame", {}),
  cameraAutoCapture: (enabled: boolean): Promise<boolean> => call("camera_auto_capture", { enabled }),
  cameraCapture: (): Promise<PhotoCheckOutcome> => call("camera_capture", {}),
  cameraClose: (): Promise<boolean> => call("camera_close", {}),
  compareWithPreviousPhoto: (input: PhotoComparisonInput): Promise<PhotoComparison | null> => call("compare_with_previous_photo", { input }),
  restoreRequestPhoto: (input: RestorePhotoInput): Promise<RequestDetail> => call("restore_request_photo", { input }),
  planPhotoImport: (input: PhotoImportPlanInput): Promise<PhotoImportPlan> => call("plan_photo_import", { input }),
  importRequestPhoto: (input: BulkPhotoInput): Promise<BulkPhotoRow> => call("import_request_photo", { input }),
  officePhotoRules: (): Promise<PhotoRules> => call("office_photo_rules", {}),
  savePhotoRules: (rules: PhotoRules): Promise<PhotoRules> => call("save_photo_rules", { rules }),
  restoreDefaultPhotoRules: (): Promise<PhotoRules> => call("restore_default_photo_rules", {}),
  photoCheckStats: (): Promise<PhotoCheckStats> => call("photo_check_stats", {}),
  previewPrint: (job: PrintJob): Promise<PrintPreview> => call("preview_print", { job }),
  printBadges: (input: PrintRunInput): Promise<PrintRun> => call("print_badges", { input }),
  listPrinters: (): Promise<Array<PrinterInfo>> => call("list_printers", {}),
  printCalibration: (input: CalibrationInput): Promise<ExportedFile> => call("print_calibration", { input }),
  findBadges: (text: string): Promise<Array<BadgeRow>> => call("find_badges", { text }),
  expiringBadges: (days: number | null): Promise<Array<ExpiringBadge>> => call("expiring_badges", { days }),
  notActivatedBadges: (days: number | null): Promise<Array<NotActivatedRow>> => call("not_activated_badges", { days }),
  inactiveBadges: (days: number | null): Promise<Array<InactiveBadge>> => call("inactive_badges", { days }),
  housekeepingHistory: (days: number): Promise<Array<RecordedHousekeeping>> => call("housekeeping_history", { days }),
  extendBadge: (input: ExtendBadgeInput): Promise<Badge> => call("extend_badge", { input }),
  renewBadge: (input: RenewBadgeInput): Promise<RenewalOutcome> => call("renew_badge", { input }),
  dispatchBadges: (input: DispatchInput): Promise<DispatchRun> => call("dispatch_badges", { input }),
  recordActivations: (badgeNumbers: Array<string>): Promise<BadgeBatchOutcome> => call("record_activations", { badgeNumbers }),
  declareOpposition: (input: DeclareOppositionInput): Promise<OppositionOutcome> => call("declare_opposition", { input }),
  badgeOppositions: (badgeId: BadgeId): Promise<Array<Opposition>> => call("badge_oppositions", { badgeId }),
  carriedOver: (requestId: RequestId): Promise<CarriedOver> => call("carried_over", { requestId }),
  confirmCarriedOver: (input: ConfirmCarriedOverInput): Promise<RequestDetail> => call("confirm_carried_over", { input }),
  liftOpposition: (input: LiftOppositionInput): Promise<Badge> => call("lift_opposition", { input }),
  listZones: (): Promise<Array<Zone>> => call("list_zones", {}),
  badgeZones: (badgeId: BadgeId): Promise<Array<BadgeZone>> => call("badge_zones", { badgeId }),
  requestZoneAccess: (input: ZoneAccessInput): Promise<RequestDetail> => call("request_zone_access", { input }),
  saveZone: (input: SaveZoneInput): Promise<Zone> => call("save_zone", { input }),
  pendingZoneApprovals: (): Promise<Array<PendingZoneRequest>> => call("pending_zone_approvals", {}),
  recordZoneDecision: (input: ZoneDecisionInput): Promise<ZoneApprovals> => call("record_zone_decision", { input }),
  exportZoneRights: (input: ZoneRightsExportInput): Promise<ExportedFile> => call("export_zone_rights", { input }),
  cardReaders: (): Promise<Array<ReaderInfo>> => call("card_readers", {}),
  bindCard: (input: BindCardInput): Promise<BoundCard> => call("bind_card", { input }),
  unbindCard: (input: UnbindCardInput): Promise<Badge> => call("unbind_card", { input }),
  identifyCard: (input: CardReading): Promise<IdentifiedCard> => call("identify_card", { input }),
  lendCard: (input: LendCardInput): Promise<LoanRow> => call("lend_card", { input }),
  returnLoanCard: (input: LoanCardInput): Promise<LoanRow> => call("return_loan_card", { input }),
  openLoans: (): Promise<Array<LoanRow>> => call("open_loans", {}),
  directorySettings: (): Promise<DirectorySetup> => call("directory_settings", {}),
  saveDirectorySettings: (input: SaveDirectorySettingsInput): Promise<DirectorySetup> => call("save_directory_settings", { input }),
  clearDirectoryPassword: (): Promise<DirectorySetup> => call("clear_directory_password", {}),
  testDirectory: (): Promise<DirectoryTest> => call("test_directory", {}),
  directoryAvailable: (): Promise<boolean> => call("directory_available", {}),
  searchDirectory: (text: string): Promise<Array<DirectoryPerson>> => call("search_directory", { text }),
  checkDirectoryPhoto: (id: RequestId): Promise<PhotoCheckOutcome> => call("check_directory_photo", { id }),
  syncFromDirectory: (dryRun: boolean): Promise<DirectorySyncReport> => call("sync_from_directory", { dryRun }),
  directoryLeavers: (): Promise<Array<DirectoryLeaver>> => call("directory_leavers", {}),
  deactivateLeavers: (input: DeactivateLeaversInput): Promise<BadgeBatchOutcome> => call("deactivate_leavers", { input }),
  accessExportSettings: (): Promise<AccessExportSettings> => call("access_export_settings", {}),
  saveAccessExportProfile: (input: SaveAccessExportInput): Promise<AccessExportSettings> => call("save_access_export_profile", { input }),
  deleteAccessExportProfile: (input: AccessExportProfileId): Promise<AccessExportSettings> => call("delete_access_export_profile", { input }),
  runAccessExport: (input: AccessExportInput): Promise<AccessExportOutcome> => call("run_access_export", { input }),
  accessExportRuns: (input: AccessExportProfileId): Promise<Array<AccessExportRun>> => call("access_export_runs", { input }),
  createDayPass: (request: NewRequest, host: VisitHost | null): Promise<RequestDetail> => call("create_day_pass", { request, host }),
  visitorsOfDay: (input: VisitorsDayInput): Promise<Array<VisitorRow>> => call("visitors_of_day", { input }),
  checkInVisitor: (input: CheckInInput): Promise<CheckedIn> => call("check_in_visitor", { input }),
  checkOutVisitor: (input: CheckOutInput): Promise<Visit> => call("check_out_visitor", { input }),
  refusedVisitors: (): Promise<Array<RefusedVisitor>> => call("refused_visitors", {}),
  addRefusedVisitor: (input: NewRefusedVisitor): Promise<RefusedVisitor> => call("add_refused_visitor", { input }),
  removeRefusedVisitor: (id: RefusedVisitorId): Promise<null> => call("remove_refused_visitor", { id }),
  importUsageLog: (input: CsvImportInput): Promise<UsageImportReport> => call("import_usage_log", { input }),
  deactivateUnusedBadges: (input: DeactivateUnusedInput): Promise<BadgeBatchOutcome> => call("deactivate_unused_badges", { input }),
  mailSettings: (): Promise<MailSetup> => call("mail_settings", {}),
  saveMailSettings: (input: SaveMailSettingsInput): Promise<MailSetup> => call("save_mail_settings", { input }),
  clearMailPassword: (): Promise<MailSetup> => call("clear_mail_password", {}),
  sendTestMail: (to: string): Promise<null> => call("send_test_mail", { to }),
  mailOutbox: (query: OutboxQuery): Promise<Array<OutboxMessage>> => call("mail_outbox", { query }),
  mailOutboxCounts: (): Promise<Array<MailStatusCount>> => call("mail_outbox_counts", {}),
  retryMail: (id: MailId): Promise<OutboxMessage> => call("retry_mail", { id }),
  cancelMail: (id: MailId, reason: string | null): Promise<OutboxMessage> => call("cancel_mail", { id, reason }),
  countersign: (input: CountersignInput): Promise<DeskSession> => call("countersign", { input }),
  endCountersign: (): Promise<DeskSession> => call("end_countersign", {}),
  lockDesk: (): Promise<DeskSession> => call("lock_desk", {}),
  setOwnPin: (input: SetPinInput): Promise<DeskSession> => call("set_own_pin", { input }),
  listOperators: (): Promise<Array<Operator>> => call("list_operators", {}),
  addOperator: (input: AddOperatorInput): Promise<Operator> => call("add_operator", { input }),
  setOperatorRole: (name: string, role: OperatorRole): Promise<Operator> => call("set_operator_role", { name, role }),
  setOperatorActive: (name: string, active: boolean): Promise<Operator> => call("set_operator_active", { name, active }),
  renameOperator: (name: string, displayName: string): Promise<Operator> => call("rename_operator", { name, displayName }),
  resetOperatorPin: (name: string, pin: string): Promise<Operator> => call("reset_operator_pin", { name, pin }),
  keyStatus: (): Promise<DeskKeyStatus> => call("key_status", {}),
  exportKeyFile: (input: KeyExportInput): Promise<ExportedFile> => call("export_key_file", { input }),
  importKeyFile: (input: KeyImportInput): Promise<KeyImportOutcome> => call("import_key_file", { input }),
  retentionPlan: (): Promise<PurgePlan> => call("retention_plan", {}),
  retentionPurge: (): Promise<PurgeReport> => call("retention_purge", {}),
  exportHolderArchive: (holderId: HolderId): Promise<HolderExport> => call("export_holder_archive", { holderId }),
  eraseHolderData: (input: EraseHolderInput): Promise<HolderErasure> => call("erase_holder_data", { input }),
  openHolderView: (): Promise<HolderViewInfo> => call("open_holder_view", {}),
  closeHolderView: (): Promise<boolean> => call("close_holder_view", {}),
};

/** The names the backend registers (checked against the capability file). */
export const COMMAND_NAMES = [
  "app_info",
  "sign_in_state",
  "sign_in",
  "first_start_defaults",
  "set_up_desk",
  "sign_out",
  "desk_session",
  "unlock_desk",
  "office_settings",
  "save_office_settings",
  "get_policy",
  "save_policy",
  "database_settings",
  "save_database_settings",
  "list_templates",
  "install_template",
  "restore_builtin_templates",
  "template_versions",
  "restore_template_version",
  "export_template",
  "template_images",
  "add_template_image",
  "open_template_design",
  "preview_template_design",
  "save_template_design",
  "list_requests",
  "look_up_requests",
  "queue_counts",
  "queue_counts_filtered",
  "queue_counts_estimate",
  "create_request",
  "intake_draft",
  "save_intake_draft",
  "get_request",
  "request_history",
  "transition_request",
  "transition_many",
  "import_requests_csv",
  "csv_import_progress",
  "export_queue_csv",
  "export_badges_csv",
  "add_request_document",
  "get_attachment_content",
  "remove_attachment",
  "check_photo_bytes",
  "save_request_photo",
  "get_request_photo",
  "camera_list",
  "camera_open",
  "camera_frame",
  "camera_auto_capture",
  "camera_capture",
  "camera_close",
  "compare_with_previous_photo",
  "restore_request_photo",
  "plan_photo_import",
  "import_request_photo",
  "office_photo_rules",
  "save_photo_rules",
  "restore_default_photo_rules",
  "photo_check_stats",
  "preview_print",
  "print_badges",
  "list_printers",
  "print_calibration",
  "find_badges",
  "expiring_badges",
  "not_activated_badges",
  "inactive_badges",
  "housekeeping_history",
  "extend_badge",
  "renew_badge",
  "dispatch_badges",
  "record_activations",
  "declare_opposition",
  "badge_oppositions",
  "carried_over",
  "confirm_carried_over",
  "lift_opposition",
  "list_zones",
  "badge_zones",
  "request_zone_access",
  "save_zone",
  "pending_zone_approvals",
  "record_zone_decision",
  "export_zone_rights",
  "card_readers",
  "bind_card",
  "unbind_card",
  "identify_card",
  "lend_card",
  "return_loan_card",
  "open_loans",
  "directory_settings",
  "save_directory_settings",
  "clear_directory_password",
  "test_directory",
  "directory_available",
  "search_directory",
  "check_directory_photo",
  "sync_from_directory",
  "directory_leavers",
  "deactivate_leavers",
  "access_export_settings",
  "save_access_export_profile",
  "delete_access_export_profile",
  "run_access_export",
  "access_export_runs",
  "create_day_pass",
  "visitors_of_day",
  "check_in_visitor",
  "check_out_visitor",
  "refused_visitors",
  "add_refused_visitor",
  "remove_refused_visitor",
  "import_usage_log",
  "deactivate_unused_badges",
  "mail_settings",
  "save_mail_settings",
  "clear_mail_password",
  "send_test_mail",
  "mail_outbox",
  "mail_outbox_counts",
  "retry_mail",
  "cancel_mail",
  "countersign",
  "end_countersign",
  "lock_desk",
  "set_own_pin",
  "list_operators",
  "add_operator",
  "set_operator_role",
  "set_operator_active",
  "rename_operator",
  "reset_operator_pin",
  "key_status",
  "export_key_file",
  "import_key_file",
  "retention_plan",
  "retention_purge",
  "export_holder_archive",
  "erase_holder_data",
  "open_holder_view",
  "close_holder_view",
] as const;
