//! The pictures the office's templates name (logos, icons, bands drawn as images),
//! kept in the queue's database so every desk draws them: added from the designer
//! or `sesamectl templates image`, checked as a template would draw them, never
//! replaced (a name always means the same picture, so older versions print as
//! they did).

use serde::{Deserialize, Serialize};
use sesame_store::TemplateImageInfo;
use ts_rs::TS;

use crate::{Desk, FileBytes, SensitiveAction, ServiceError};

/// A picture chosen in the designer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateImageUpload {
    /// The chosen file's name, e.g. `parking.png` (reduced to a safe name).
    pub name: String,
    pub content: FileBytes,
}

/// `Parking Icon.PNG` → `ParkingIcon.png`: letters, digits, `-` and `_`, and the
/// picture's own extension (PNG or JPEG).
fn image_name(name: &str, bytes: &[u8]) -> Result<String, ServiceError> {
    let stem = super::plain_stem(name)?;
    let extension = if bytes.starts_with(&[0xFF, 0xD8]) {
        "jpg"
    } else {
        "png"
    };
    Ok(format!("{stem}.{extension}"))
}

/// Adds a picture the templates may name; returns every picture.
pub async fn add_template_image(
    desk: &Desk,
    upload: TemplateImageUpload,
) -> Result<Vec<TemplateImageInfo>, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "templates")?;
    let bytes = upload
        .content
        .into_bytes()
        .map_err(|detail| ServiceError::FileEncoding { detail })?;
    let name = image_name(&upload.name, &bytes)?;
    sesame_print::check_template_image(&name, &bytes)?;
    desk.store
        .save_template_image(&name, &bytes, &desk.actor()?)
        .await?;
    template_images(desk).await
}

/// The pictures the templates may name (the office's logo aside: `logo.png`).
pub async fn template_images(desk: &Desk) -> Result<Vec<TemplateImageInfo>, ServiceError> {
    Ok(desk.store.template_image_list().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_s_name_is_plain_and_says_what_it_is() {
        assert_eq!(
            image_name("Parking Icon.PNG", b"\x89PNG").unwrap(),
            "ParkingIcon.png"
        );
        assert_eq!(image_name("../x.png", &[0xFF, 0xD8, 0]).unwrap(), "x.jpg");
        assert!(image_name("***", b"").is_err());
    }
}
