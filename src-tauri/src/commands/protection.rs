//! Commands of the security settings, the supervisor countersign and the idle lock
//! (issue 8): the data key, operators and PINs, the desk session, the retention
//! purge and the holders' rights.

use super::service_command::service_commands;

service_commands! {
    fn key_status() -> sesame_service::DeskKeyStatus;
    fn export_key_file(input: sesame_service::KeyExportInput) -> sesame_service::ExportedFile;
    fn import_key_file(input: sesame_service::KeyImportInput) -> sesame_service::KeyImportOutcome;
    fn desk_session() -> sesame_service::DeskSession;
    fn countersign(input: sesame_service::CountersignInput) -> sesame_service::DeskSession;
    fn end_countersign() -> sesame_service::DeskSession;
    fn lock_desk() -> sesame_service::DeskSession;
    fn unlock_desk(pin: String) -> sesame_service::DeskSession;
    fn set_own_pin(input: sesame_service::SetPinInput) -> sesame_service::DeskSession;
    fn list_operators() -> Vec<sesame_core::Operator>;
    fn add_operator(input: sesame_service::AddOperatorInput) -> sesame_core::Operator;
    fn set_operator_role(name: String, role: sesame_core::OperatorRole) -> sesame_core::Operator;
    fn set_operator_active(name: String, active: bool) -> sesame_core::Operator;
    fn rename_operator(name: String, display_name: String) -> sesame_core::Operator;
    fn reset_operator_pin(name: String) -> sesame_core::Operator;
    fn retention_plan() -> sesame_store::PurgePlan;
    fn retention_purge() -> sesame_store::PurgeReport;
    fn export_holder_archive(holder_id: String) -> sesame_service::HolderExport;
    fn erase_holder_data(input: sesame_service::EraseHolderInput) -> sesame_store::HolderErasure;
}
