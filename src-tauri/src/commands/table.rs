// The table of every command the UI may call, declared once. Each line names a
// `sesame_service` function of the same name and its arguments (after the desk) as
// the UI sends them. The commands under `@signed_out` are the only ones that run
// while nobody is signed in or the desk is locked (signing in, the first start's
// setup, unlocking, and what the sign-in screen shows); every other
// one passes `Desk::require_signed_in` first. The lines under `@shell` are the
// shell's own window commands (src-tauri/src/holder_window.rs).
//
// Included twice: by build.rs, whose `app_commands!` keeps only the names (the ACL
// denies any command not listed), and by src/commands/mod.rs, whose `app_commands!`
// writes the Tauri commands, registers them and records their TypeScript signatures.
// Granting a new command in src-tauri/capabilities/main.json is the second, reviewed
// edit (a test fails until it is there).

app_commands! {
    @signed_out {
        app_info() -> AppInfo;
        sign_in_state() -> SignInState;
        sign_in(input: SignInInput) -> DeskSession;
        first_start_defaults() -> FirstStartDefaults;
        set_up_desk(input: FirstStartInput) -> DeskSession;
        sign_out() -> SignInState;
        desk_session() -> DeskSession;
        unlock_desk(pin: String) -> DeskSession;
    }

    // The app and its settings
    office_settings() -> OfficeSettings;
    save_office_settings(input: OfficeInput) -> OfficeSettings;
    get_policy() -> Policy;
    save_policy(policy: Policy) -> Policy;
    database_settings() -> DatabaseSettings;
    save_database_settings(input: DatabaseSettingsInput) -> DatabaseSettings;
    list_templates() -> TemplateList;
    install_template(upload: TemplateUpload) -> TemplateList;
    restore_builtin_templates() -> TemplateList;
    template_versions() -> Vec<TemplateVersionSummary>;
    restore_template_version(version: i64) -> TemplateList;
    export_template(input: TemplateExportInput) -> ExportedFile;
    template_images() -> Vec<TemplateImageInfo>;
    add_template_image(upload: TemplateImageUpload) -> Vec<TemplateImageInfo>;
    open_template_design(file: String) -> TemplateDesignFile;
    preview_template_design(input: DesignPreviewInput) -> DesignPreview;
    save_template_design(input: DesignSaveInput) -> TemplateList;

    // The queue and intake
    list_requests(query: QueueQuery) -> QueuePage;
    look_up_requests(query: QueueQuery) -> QueuePage;
    queue_counts() -> Vec<StatusCount>;
    queue_counts_filtered(query: QueueQuery) -> Vec<StatusCount>;
    queue_counts_estimate(query: QueueQuery) -> Option<Vec<StatusCount>>;
    create_request(request: NewRequest) -> RequestDetail;
    intake_draft() -> Option<String>;
    save_intake_draft(draft: Option<String>) -> ();
    get_request(id: RequestId) -> RequestDetail;
    request_history(id: RequestId) -> Vec<AuditEntry>;
    transition_request(input: TransitionInput) -> RequestDetail;
    transition_many(input: BulkTransitionInput) -> BulkOutcome;
    import_requests_csv(input: CsvImportInput) -> ImportReport;
    csv_import_progress() -> Option<ImportProgress>;
    export_queue_csv(input: QueueExportInput) -> ExportedFile;
    export_badges_csv(input: BadgeExportInput) -> ExportedFile;
    add_request_document(input: DocumentInput) -> RequestDetail;
    get_attachment_content(id: AttachmentId) -> AttachmentContent;
    remove_attachment(input: RemoveAttachmentInput) -> RequestDetail;

    // Photos
    check_photo_bytes(input: PhotoCheckInput) -> PhotoCheckOutcome;
    save_request_photo(input: SavePhotoInput) -> RequestDetail;
    get_request_photo(id: RequestId) -> Option<RequestPhoto>;
    camera_list() -> Vec<CameraInfo>;
    camera_open(input: CameraOpenInput) -> CameraInfo;
    camera_frame() -> Option<LiveFrame>;
    camera_auto_capture(enabled: bool) -> bool;
    camera_capture() -> PhotoCheckOutcome;
    camera_close() -> bool;
    compare_with_previous_photo(input: PhotoComparisonInput) -> Option<PhotoComparison>;
    restore_request_photo(input: RestorePhotoInput) -> RequestDetail;
    plan_photo_import(input: PhotoImportPlanInput) -> PhotoImportPlan;
    import_request_photo(input: BulkPhotoInput) -> BulkPhotoRow;
    office_photo_rules() -> PhotoRules;
    save_photo_rules(rules: PhotoRules) -> PhotoRules;
    restore_default_photo_rules() -> PhotoRules;
    photo_check_stats() -> PhotoCheckStats;

    // Printing
    preview_print(job: PrintJob) -> PrintPreview;
    print_badges(input: PrintRunInput) -> PrintRun;
    list_printers() -> Vec<PrinterInfo>;
    print_calibration(input: CalibrationInput) -> ExportedFile;

    // Badges after printing
    find_badges(text: String) -> Vec<BadgeRow>;
    expiring_badges(days: Option<u32>) -> Vec<ExpiringBadge>;
    not_activated_badges(days: Option<u32>) -> Vec<NotActivatedRow>;
    inactive_badges(days: Option<u32>) -> Vec<InactiveBadge>;
    housekeeping_history(days: u32) -> Vec<RecordedHousekeeping>;
    extend_badge(input: ExtendBadgeInput) -> Badge;
    renew_badge(input: RenewBadgeInput) -> RenewalOutcome;
    dispatch_badges(input: DispatchInput) -> DispatchRun;
    record_activations(badge_numbers: Vec<String>) -> BadgeBatchOutcome;
    declare_opposition(input: DeclareOppositionInput) -> OppositionOutcome;
    badge_oppositions(badge_id: BadgeId) -> Vec<Opposition>;
    carried_over(request_id: RequestId) -> CarriedOver;
    confirm_carried_over(input: ConfirmCarriedOverInput) -> RequestDetail;
    lift_opposition(input: LiftOppositionInput) -> Badge;
    list_zones() -> Vec<Zone>;
    badge_zones(badge_id: BadgeId) -> Vec<BadgeZone>;
    request_zone_access(input: ZoneAccessInput) -> RequestDetail;
    save_zone(input: SaveZoneInput) -> Zone;
    pending_zone_approvals() -> Vec<PendingZoneRequest>;
    record_zone_decision(input: ZoneDecisionInput) -> ZoneApprovals;
    export_zone_rights(input: ZoneRightsExportInput) -> ExportedFile;
    card_readers() -> Vec<ReaderInfo>;
    bind_card(input: BindCardInput) -> BoundCard;
    unbind_card(input: UnbindCardInput) -> Badge;
    identify_card(input: CardReading) -> IdentifiedCard;
    lend_card(input: LendCardInput) -> LoanRow;
    return_loan_card(input: LoanCardInput) -> LoanRow;
    open_loans() -> Vec<LoanRow>;

    // The office's directory (LDAP, Active Directory)
    directory_settings() -> DirectorySetup;
    save_directory_settings(input: SaveDirectorySettingsInput) -> DirectorySetup;
    clear_directory_password() -> DirectorySetup;
    test_directory() -> DirectoryTest;
    directory_available() -> bool;
    search_directory(text: String) -> Vec<DirectoryPerson>;
    check_directory_photo(id: RequestId) -> PhotoCheckOutcome;
    sync_from_directory(dry_run: bool) -> DirectorySyncReport;
    directory_leavers() -> Vec<DirectoryLeaver>;
    deactivate_leavers(input: DeactivateLeaversInput) -> BadgeBatchOutcome;
    access_export_settings() -> AccessExportSettings;
    save_access_export_profile(input: SaveAccessExportInput) -> AccessExportSettings;
    delete_access_export_profile(input: AccessExportProfileId) -> AccessExportSettings;
    run_access_export(input: AccessExportInput) -> AccessExportOutcome;
    access_export_runs(input: AccessExportProfileId) -> Vec<AccessExportRun>;
    create_day_pass(request: NewRequest, host: Option<VisitHost>) -> RequestDetail;
    visitors_of_day(input: VisitorsDayInput) -> Vec<VisitorRow>;
    check_in_visitor(input: CheckInInput) -> CheckedIn;
    check_out_visitor(input: CheckOutInput) -> Visit;
    refused_visitors() -> Vec<RefusedVisitor>;
    add_refused_visitor(input: NewRefusedVisitor) -> RefusedVisitor;
    remove_refused_visitor(id: RefusedVisitorId) -> ();
    import_usage_log(input: CsvImportInput) -> UsageImportReport;
    deactivate_unused_badges(input: DeactivateUnusedInput) -> BadgeBatchOutcome;

    // E-mail to holders
    mail_settings() -> MailSetup;
    save_mail_settings(input: SaveMailSettingsInput) -> MailSetup;
    clear_mail_password() -> MailSetup;
    send_test_mail(to: String) -> ();
    mail_outbox(query: OutboxQuery) -> Vec<OutboxMessage>;
    mail_outbox_counts() -> Vec<MailStatusCount>;
    retry_mail(id: MailId) -> OutboxMessage;
    cancel_mail(id: MailId, reason: Option<String>) -> OutboxMessage;

    // Operators, keys and personal data
    countersign(input: CountersignInput) -> DeskSession;
    end_countersign() -> DeskSession;
    lock_desk() -> DeskSession;
    set_own_pin(input: SetPinInput) -> DeskSession;
    list_operators() -> Vec<Operator>;
    add_operator(input: AddOperatorInput) -> Operator;
    set_operator_role(name: String, role: OperatorRole) -> Operator;
    set_operator_active(name: String, active: bool) -> Operator;
    rename_operator(name: String, display_name: String) -> Operator;
    reset_operator_pin(name: String, pin: String) -> Operator;
    key_status() -> DeskKeyStatus;
    export_key_file(input: KeyExportInput) -> ExportedFile;
    import_key_file(input: KeyImportInput) -> KeyImportOutcome;
    retention_plan() -> PurgePlan;
    retention_purge() -> PurgeReport;
    export_holder_archive(holder_id: HolderId) -> HolderExport;
    erase_holder_data(input: EraseHolderInput) -> HolderErasure;

    @shell {
        open_holder_view() -> HolderViewInfo;
        close_holder_view() -> bool;
    }
}
