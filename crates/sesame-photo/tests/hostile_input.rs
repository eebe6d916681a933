//! Hostile photo files: random bytes, and valid JPEG/PNG/WebP files with
//! bytes flipped, cut or inserted, never panic the importer; every refusal is one
//! of the photo crate's coded errors, and oversized inputs are refused by size.

use proptest::prelude::*;
use sesame_core::ErrorCode;
use sesame_photo::{import_photo, ImportLimits};

/// The refusals a hostile file may get: all coded, all in the photo area.
const EXPECTED_CODES: &[&str] = &[
    "photo.empty",
    "photo.file_too_large",
    "photo.not_an_image",
    "photo.unsupported_format",
    "photo.corrupt",
    "photo.too_many_pixels",
    "photo.memory_limit",
    "photo.too_small",
];

fn sample(format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(160, 200, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn check(bytes: &[u8], limits: &ImportLimits) -> Result<(), TestCaseError> {
    match import_photo(bytes, limits) {
        Ok(photo) => {
            // Accepted means decoded within the limits.
            prop_assert!(u64::from(photo.width()) * u64::from(photo.height()) <= limits.max_pixels);
            prop_assert!(photo.width() >= limits.min_side && photo.height() >= limits.min_side);
        }
        Err(error) => prop_assert!(
            EXPECTED_CODES.contains(&error.code()),
            "unexpected code {} ({error})",
            error.code()
        ),
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, value: u8 },
    Cut { at: usize },
    Insert { at: usize, bytes: Vec<u8> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, value)| Mutation::Flip { at, value }),
        any::<usize>().prop_map(|at| Mutation::Cut { at }),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..64)
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        if bytes.is_empty() {
            break;
        }
        match m {
            Mutation::Flip { at, value } => {
                let i = at % bytes.len();
                bytes[i] = *value;
            }
            Mutation::Cut { at } => bytes.truncate(at % bytes.len()),
            Mutation::Insert { at, bytes: extra } => {
                let i = at % bytes.len();
                bytes.splice(i..i, extra.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_refused_with_a_code(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes, &ImportLimits::default())?;
    }

    #[test]
    fn random_bytes_behind_a_real_magic_number(
        magic in prop_oneof![
            Just(vec![0xFF, 0xD8, 0xFF, 0xE0]),
            Just(b"\x89PNG\r\n\x1a\n".to_vec()),
            Just(b"RIFF\0\0\0\0WEBPVP8 ".to_vec()),
        ],
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = magic;
        bytes.extend(tail);
        check(&bytes, &ImportLimits::default())?;
    }

    #[test]
    fn mutated_real_files_never_panic(
        format in prop_oneof![
            Just(image::ImageFormat::Jpeg),
            Just(image::ImageFormat::Png),
            Just(image::ImageFormat::WebP),
        ],
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let bytes = mutate(sample(format), &mutations);
        check(&bytes, &ImportLimits::default())?;
    }
}

#[test]
fn oversized_input_is_refused_by_its_size_before_decoding() {
    let limits = ImportLimits {
        max_file_bytes: 1024,
        ..ImportLimits::default()
    };
    let big = sample(image::ImageFormat::Png);
    assert!(big.len() > 1024);
    let err = import_photo(&big, &limits).unwrap_err();
    assert_eq!(err.code(), "photo.file_too_large", "{err}");
    // The default bound: 40 MB of anything.
    let huge = vec![0xFFu8; 40 * 1024 * 1024 + 1];
    let err = import_photo(&huge, &ImportLimits::default()).unwrap_err();
    assert_eq!(err.code(), "photo.file_too_large", "{err}");
}
