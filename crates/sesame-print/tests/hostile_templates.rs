//! Hostile badge templates: random text and mutated real templates never
//! panic the parser, every refusal is a template error code, oversized templates
//! and images are refused by size, and image files cannot leave the template folder
//! (`..`, absolute paths, symbolic links).

use proptest::prelude::*;
use sesame_core::ErrorCode;
use sesame_print::{TemplateSet, MAX_TEMPLATE_BYTES};

const TEMPLATE_CODES: &[&str] = &[
    "print.template_syntax",
    "print.template_invalid",
    "print.template_image",
    "print.template_too_large",
];

const STAFF: &str = include_str!("../templates/staff.toml");
const DAY_PASS: &str = include_str!("../templates/visitor-day-pass.toml");

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

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Err(error) = TemplateSet::parse_one("fuzz.toml", text, None) {
        prop_assert!(
            TEMPLATE_CODES.contains(&error.code()),
            "unexpected code {} ({error})",
            error.code()
        );
    }
    Ok(())
}

/// Values that stress the parser's checks: huge, negative, NaN, empty, odd types.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1e308".to_owned()),
        Just("-1e308".to_owned()),
        Just("nan".to_owned()),
        Just("inf".to_owned()),
        Just("-0.0".to_owned()),
        Just("0".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("\"\"".to_owned()),
        Just("\"#GGGGGG\"".to_owned()),
        Just("\"../../../etc/passwd\"".to_owned()),
        Just("\"/etc/passwd\"".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("true".to_owned()),
        "\"[^\"\\\\]{0,20}\"",
        "-?[0-9]{1,6}(\\.[0-9]{1,4})?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        check(&text)?;
    }

    /// Each `key = value` line of a real template gets a hostile value.
    #[test]
    fn real_templates_with_hostile_values(
        base in prop_oneof![Just(STAFF), Just(DAY_PASS), Just(MINIMAL)],
        picks in proptest::collection::vec((any::<prop::sample::Index>(), value()), 1..5),
    ) {
        let mut lines: Vec<String> = base.lines().map(str::to_owned).collect();
        let assignments: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains(" = "))
            .map(|(i, _)| i)
            .collect();
        for (index, value) in picks {
            let line = assignments[index.index(assignments.len())];
            let key = lines[line].split(" = ").next().unwrap().to_owned();
            lines[line] = format!("{key} = {value}");
        }
        check(&lines.join("\n"))?;
    }

    /// Real templates cut anywhere, or with a random character put anywhere.
    #[test]
    fn real_templates_cut_or_spliced(
        base in prop_oneof![Just(STAFF), Just(DAY_PASS)],
        at in any::<prop::sample::Index>(),
        insert in proptest::option::of(any::<char>()),
    ) {
        let chars: Vec<char> = base.chars().collect();
        let i = at.index(chars.len());
        let text: String = match insert {
            None => chars[..i].iter().collect(),
            Some(c) => chars[..i].iter().chain(std::iter::once(&c)).chain(chars[i..].iter()).collect(),
        };
        check(&text)?;
    }
}

#[test]
fn an_oversized_template_is_refused_by_size() {
    let mut text = MINIMAL.to_owned();
    text.push_str(&format!("# {}\n", "x".repeat(MAX_TEMPLATE_BYTES as usize)));
    let err = TemplateSet::parse_one("big.toml", &text, None).unwrap_err();
    assert_eq!(err.code(), "print.template_too_large", "{err}");

    // The same file in a template folder is refused before being read.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.toml"), &text).unwrap();
    let err = TemplateSet::load_dir(dir.path()).unwrap_err();
    assert_eq!(err.code(), "print.template_too_large", "{err}");
}

fn with_image(file: &str) -> String {
    format!("{MINIMAL}\n[[front]]\ntype = \"image\"\nfile = \"{file}\"\nx = 50\ny = 5\nwidth = 10\nheight = 10\n")
}

#[test]
fn template_images_cannot_leave_the_template_folder() {
    let root = tempfile::tempdir().unwrap();
    let templates = root.path().join("templates");
    std::fs::create_dir_all(templates.join("logos")).unwrap();
    // A real image outside the folder, which a template must not be able to read.
    let outside = root.path().join("secret.png");
    std::fs::write(&outside, include_bytes!("../templates/logo.png")).unwrap();
    // Inside, a normal logo in a subfolder is fine.
    std::fs::write(
        templates.join("logos/crest.png"),
        include_bytes!("../templates/logo.png"),
    )
    .unwrap();
    TemplateSet::parse_one("ok.toml", &with_image("logos/crest.png"), Some(&templates)).unwrap();

    let absolute = outside.display().to_string();
    for file in ["../secret.png", "logos/../../secret.png", absolute.as_str()] {
        let err =
            TemplateSet::parse_one("evil.toml", &with_image(file), Some(&templates)).unwrap_err();
        assert_eq!(err.code(), "print.template_image", "{file}: {err}");
    }

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, templates.join("link.png")).unwrap();
        std::os::unix::fs::symlink(root.path(), templates.join("up")).unwrap();
        for file in ["link.png", "up/secret.png"] {
            let err = TemplateSet::parse_one("evil.toml", &with_image(file), Some(&templates))
                .unwrap_err();
            assert_eq!(err.code(), "print.template_image", "{file}: {err}");
            assert!(
                err.to_string().contains("inside the template folder"),
                "{err}"
            );
        }
    }
}

#[test]
fn oversized_template_images_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Too many bytes.
    std::fs::write(dir.path().join("big.png"), vec![0u8; 8 * 1024 * 1024 + 1]).unwrap();
    let err =
        TemplateSet::parse_one("t.toml", &with_image("big.png"), Some(dir.path())).unwrap_err();
    assert_eq!(err.code(), "print.template_image");
    assert!(err.to_string().contains("allowed"), "{err}");

    // A small PNG that declares 100 000 × 100 000 pixels (a decompression bomb).
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend_from_slice(&ihdr);
    let crc = crc32(&[b"IHDR".as_slice(), &ihdr].concat());
    png.extend_from_slice(&crc.to_be_bytes());
    // The decoder reads the header up to the first data chunk: give it an empty one.
    for chunk in [b"IDAT", b"IEND"] {
        png.extend_from_slice(&0u32.to_be_bytes());
        png.extend_from_slice(chunk);
        png.extend_from_slice(&crc32(chunk).to_be_bytes());
    }
    std::fs::write(dir.path().join("bomb.png"), &png).unwrap();
    let err =
        TemplateSet::parse_one("t.toml", &with_image("bomb.png"), Some(dir.path())).unwrap_err();
    assert_eq!(err.code(), "print.template_image");
    assert!(err.to_string().contains("pixels"), "{err}");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
