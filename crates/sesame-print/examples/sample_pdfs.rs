//! Writes sample PDFs of every layout into a folder, for a look by eye.
//!
//! Run: cargo run -p sesame-print --example sample_pdfs -- OUT_DIR

use sesame_print::{
    render_calibration_pdf, render_pdf, samples, DayPassLayout, DayPassPaper, Layout, Locale,
    PrinterProfile, SheetLayout, TemplateSet,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "sample-pdfs".into()),
    );
    std::fs::create_dir_all(&out)?;
    let templates = TemplateSet::builtin();
    let printer = PrinterProfile::default();
    let cards = samples::sample_cards();
    let label = DayPassPaper::Label {
        width_mm: 62.0,
        height_mm: 100.0,
    };
    let runs: [(&str, Layout); 4] = [
        ("card-printer.pdf", Layout::CardPrinter),
        ("a4-sheet.pdf", Layout::A4Sheet(SheetLayout::default())),
        (
            "day-pass-a6.pdf",
            Layout::DayPass(DayPassLayout {
                paper: DayPassPaper::A6,
            }),
        ),
        (
            "day-pass-label.pdf",
            Layout::DayPass(DayPassLayout { paper: label }),
        ),
    ];
    for (name, layout) in runs {
        let mut visitors = cards.clone();
        if matches!(layout, Layout::DayPass(_)) {
            visitors
                .iter_mut()
                .for_each(|c| c.category = "visitor".into());
        }
        std::fs::write(
            out.join(name),
            render_pdf(&visitors, &templates, &layout, &printer, Locale::Fr)?,
        )?;
        let calibration = render_calibration_pdf(&layout, &printer, Locale::Fr)?;
        std::fs::write(out.join(format!("calibration-{name}")), calibration)?;
    }
    println!("PDFs written to {}", out.display());
    Ok(())
}
