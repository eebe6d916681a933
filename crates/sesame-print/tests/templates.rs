//! The template format: the shipped files load, and mistakes are reported with
//! their file, line and element.

use sesame_core::ErrorCode;
use sesame_print::{write_default_templates, PrintError, TemplateKind, TemplateSet};

const MINIMAL: &str = r##"
[template]
category = "staff"
colour = "#1F5FAD"

[[front]]
type = "text"
field = "family_name"
x = 5
y = 5
width = 40
height = 8
"##;

fn parse(text: &str) -> Result<sesame_print::Template, PrintError> {
    TemplateSet::parse_one("test.toml", text, None)
}

#[test]
fn shipped_templates_cover_the_usual_categories() {
    let set = TemplateSet::builtin();
    for category in ["staff", "contractor", "visitor", "student"] {
        let t = set.find(category, TemplateKind::Card).unwrap();
        assert_eq!(t.category, category);
        assert!(t.has_back(), "{category} has a back");
    }
    assert_eq!(
        set.find("intern", TemplateKind::Card).unwrap().category,
        "default"
    );
    assert_eq!(
        set.find("visitor", TemplateKind::DayPass).unwrap().width_mm,
        105.0
    );
}

#[test]
fn minimal_template_parses() {
    let t = parse(MINIMAL).unwrap();
    assert_eq!(
        (t.category.as_str(), t.kind, t.has_back()),
        ("staff", TemplateKind::Card, false)
    );
}

#[test]
fn syntax_errors_name_the_line() {
    let broken = MINIMAL.replace("width = 40", "width = = 40");
    let err = parse(&broken).unwrap_err();
    assert_eq!(err.code(), "print.template_syntax");
    match err {
        PrintError::TemplateSyntax { file, line, .. } => {
            assert_eq!(file, "test.toml");
            assert_eq!(line, 11);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn unknown_keys_and_fields_are_refused_with_their_line() {
    let typo = MINIMAL.replace("height = 8", "heigth = 8");
    let err = parse(&typo).unwrap_err();
    assert_eq!(err.code(), "print.template_syntax");
    assert!(
        err.to_string().contains("heigth") && err.to_string().contains("line 12"),
        "{err}"
    );

    let unknown_field = MINIMAL.replace("family_name", "surname");
    let err = parse(&unknown_field).unwrap_err();
    assert_eq!(err.code(), "print.template_syntax");
    assert!(
        err.to_string().contains("surname") && err.to_string().contains("line 8"),
        "{err}"
    );
}

#[test]
fn elements_outside_the_card_are_refused() {
    let wide = MINIMAL.replace("width = 40", "width = 84");
    let err = parse(&wide).unwrap_err();
    assert_eq!(err.code(), "print.template_invalid");
    let text = err.to_string();
    assert!(
        text.contains("front[1] (text)") && text.contains("right edge") && text.contains("line 6"),
        "{text}"
    );
}

#[test]
fn bad_values_are_explained() {
    let cases = [
        (MINIMAL.replace("#1F5FAD", "blue"), "colour"),
        (
            MINIMAL.replace("height = 8", "height = 8\nfont_size = 6\nmin_font_size = 9"),
            "min_font_size",
        ),
        (
            MINIMAL.replace(
                "field = \"family_name\"",
                "field = \"family_name\"\ntext = \"x\"",
            ),
            "exactly one",
        ),
        (
            MINIMAL.replace("height = 8", "height = 8\nmax_lines = 0"),
            "max_lines",
        ),
        (
            MINIMAL.replace(
                "category = \"staff\"",
                "category = \"staff\"\nwidth_mm = 90",
            ),
            "CR80",
        ),
        (
            MINIMAL
                .replace("type = \"text\"\nfield = \"family_name\"", "type = \"qr\"")
                .replace("width = 40\nheight = 8", "size = 5"),
            "8 mm",
        ),
        (
            MINIMAL.replace("height = 8", "height = 8\nfile = \"logo.png\""),
            "`file` does not apply to a text",
        ),
        (MINIMAL.replace("width = 40\n", ""), "needs `width`"),
    ];
    for (text, needle) in cases {
        let err = parse(&text).unwrap_err();
        assert!(
            err.to_string().contains(needle),
            "expected {needle:?} in: {err} ({})",
            err.code()
        );
    }
}

#[test]
fn missing_image_names_the_file() {
    let with_logo = format!("{MINIMAL}\n[[front]]\ntype = \"image\"\nfile = \"crest.png\"\nx = 50\ny = 5\nwidth = 10\nheight = 10\n");
    let dir = tempfile::tempdir().unwrap();
    let err = TemplateSet::parse_one("test.toml", &with_logo, Some(dir.path())).unwrap_err();
    assert_eq!(err.code(), "print.template_image");
    assert!(err.to_string().contains("crest.png"));
}

#[test]
fn an_office_edits_a_copy_of_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let written = write_default_templates(dir.path()).unwrap();
    assert!(written.len() >= 7, "{written:?}");
    // Written once: a second call leaves the office's edits alone.
    assert!(write_default_templates(dir.path()).unwrap().is_empty());
    let staff = dir.path().join("staff.toml");
    let edited = std::fs::read_to_string(&staff)
        .unwrap()
        .replace("#1F5FAD", "#007A33");
    std::fs::write(&staff, edited).unwrap();
    let set = TemplateSet::load_dir(dir.path()).unwrap();
    assert_eq!(set.templates().count(), 6);

    // Two files for one category are refused, naming both.
    std::fs::copy(&staff, dir.path().join("staff-copy.toml")).unwrap();
    let err = TemplateSet::load_dir(dir.path()).unwrap_err();
    assert_eq!(err.code(), "print.duplicate_template");
    assert!(err.to_string().contains("staff-copy.toml") && err.to_string().contains("staff.toml"));
}
