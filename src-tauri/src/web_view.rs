//! The web view's settings that Tauri does not expose.
//!
//! On Linux, WebKitGTK composites the page through OpenGL by default. A desk's
//! screens are forms and lists that software drawing keeps up with, while the GL
//! path costs the web process about 110 MB more at rest (measured under Xvfb by
//! `benches/app_start.rs`: 244 MB PSS with it, 132 MB without). Caches are sized for
//! one local page, not for browsing.

/// Applies the settings to a window's web view (nothing on other systems).
pub fn lighten(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    {
        let applied = window.with_webview(|webview| lighten_web_view(&webview.inner()));
        if let Err(error) = applied {
            tracing::warn!(%error, "the web view's settings could not be applied");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// The settings themselves, on a WebKitGTK view (also applied by the app's benchmark
/// to an empty view, to measure what WebKitGTK holds before any page of ours).
#[cfg(target_os = "linux")]
pub fn lighten_web_view(view: &webkit2gtk::WebView) {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
    };
    if let Some(settings) = WebViewExt::settings(view) {
        settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
    }
    if let Some(context) = view.context() {
        context.set_cache_model(CacheModel::DocumentViewer);
    }
}
