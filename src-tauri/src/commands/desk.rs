//! Commands of the desk's everyday screens added with the desk UI: bulk actions,
//! filtered counts, ID documents, categories, templates, database and mail settings.

use super::service_command::service_commands;

service_commands! {
    fn queue_counts_filtered(query: sesame_store::QueueQuery) -> Vec<sesame_store::StatusCount>;
    fn transition_many(input: sesame_service::BulkTransitionInput) -> sesame_service::BulkOutcome;
    fn add_request_document(input: sesame_service::DocumentInput) -> sesame_store::RequestDetail;
    fn get_attachment_content(id: String) -> sesame_service::AttachmentContent;
    fn remove_attachment(input: sesame_service::RemoveAttachmentInput) -> sesame_store::RequestDetail;
    fn save_policy(policy: sesame_core::Policy) -> sesame_core::Policy;
    fn database_settings() -> sesame_service::DatabaseSettings;
    fn save_database_settings(input: sesame_service::DatabaseSettingsInput) -> sesame_service::DatabaseSettings;
    fn mail_settings() -> sesame_service::MailSetup;
    fn save_mail_settings(input: sesame_service::SaveMailSettingsInput) -> sesame_service::MailSetup;
    fn clear_mail_password() -> sesame_service::MailSetup;
    fn send_test_mail(to: String) -> ();
    fn list_templates() -> sesame_service::TemplateList;
    fn install_template(upload: sesame_service::TemplateUpload) -> sesame_service::TemplateList;
    fn restore_builtin_templates() -> sesame_service::TemplateList;
}
