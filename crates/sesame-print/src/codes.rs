//! QR codes, Data Matrix codes and Code 128 barcodes of a badge's fields, as filled
//! rectangles.

use barcoders::sym::code128::Code128;
use datamatrix::{DataMatrix, SymbolList};
use qrcode::{EcLevel, QrCode};

use crate::draw::{ModuleGrid, RectPt};

/// Modules of blank margin kept around a QR code, inside its frame.
const QR_QUIET_MODULES: usize = 2;
/// Data Matrix asks for one module of blank margin.
const DATAMATRIX_QUIET_MODULES: usize = 1;
/// Code 128 asks for ten modules of blank margin on each side.
const BARCODE_QUIET_MODULES: usize = 10;

/// The dark runs of one row of modules: (first column, length).
fn dark_runs(row: &[bool]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut col = 0;
    std::iter::from_fn(move || {
        while col < row.len() && !row[col] {
            col += 1;
        }
        if col == row.len() {
            return None;
        }
        let start = col;
        while col < row.len() && row[col] {
            col += 1;
        }
        Some((start, col - start))
    })
}

/// One rectangle per dark run of `dark` (rows from the top, `width` modules each),
/// `quiet` modules in from the left and the top, with rows counted up from the
/// bottom of `height` rows, as PDF counts them.
fn module_runs(dark: &[bool], width: usize, height: usize, quiet: usize) -> Vec<[u16; 4]> {
    dark.chunks(width)
        .enumerate()
        .flat_map(|(row, line)| {
            dark_runs(line).map(move |(start, len)| {
                [
                    (start + quiet) as u16,
                    (height - 1 - row - quiet) as u16,
                    len as u16,
                    1,
                ]
            })
        })
        .collect()
}

/// A square 2D code (`width` modules a side, `dark` row by row from the top) on a grid
/// of square modules filling the square `frame`, `quiet` modules of margin inside it.
fn square_code(dark: &[bool], width: usize, quiet: usize, frame: RectPt) -> ModuleGrid {
    let total = width + 2 * quiet;
    let module = frame[2].min(frame[3]) / total as f32;
    ModuleGrid {
        origin: [frame[0], frame[1]],
        module: [module, module],
        rects: module_runs(dark, width, total, quiet),
    }
}

/// Dark modules of the QR code, one rectangle per horizontal run, filling the square
/// `frame` (quiet zone included).
pub(crate) fn qr_modules(value: &str, frame: RectPt) -> Result<ModuleGrid, String> {
    let code = QrCode::with_error_correction_level(value.as_bytes(), EcLevel::M)
        .map_err(|e| e.to_string())?;
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok(square_code(&dark, code.width(), QR_QUIET_MODULES, frame))
}

/// Dark modules of a square Data Matrix (ECC 200) filling the square `frame` (quiet
/// zone included), one rectangle per horizontal run.
pub(crate) fn datamatrix_modules(value: &str, frame: RectPt) -> Result<ModuleGrid, String> {
    let symbols = || SymbolList::default().enforce_square();
    let code = DataMatrix::encode_str(value, symbols())
        .or_else(|_| DataMatrix::encode(value.as_bytes(), symbols()))
        .map_err(|e| format!("{e:?}"))?;
    let bitmap = code.bitmap();
    let width = bitmap.width();
    let mut dark = vec![false; width * bitmap.height()];
    for (x, y) in bitmap.pixels() {
        dark[y * width + x] = true;
    }
    Ok(square_code(&dark, width, DATAMATRIX_QUIET_MODULES, frame))
}

/// PDF417 asks for two modules of blank margin on each side.
const PDF417_QUIET_MODULES: usize = 2;
/// Each row at least three modules tall, as the standard recommends.
const PDF417_ROW_MODULES: f32 = 3.0;

/// The data codewords `value` takes (the length descriptor included).
fn pdf417_data<'a>(storage: &'a mut [u16], value: &str) -> pdf417::PDF417Encoder<'a> {
    let encoder = pdf417::PDF417Encoder::new(storage, false);
    if value.is_ascii() {
        encoder.append_ascii(value)
    } else {
        encoder.append_utf8(value)
    }
}

/// A PDF417 code filling `frame`: the layout (columns, rows) that gives the widest
/// modules with rows at least three modules tall, and at least the error correction
/// the standard recommends for the data's size.
pub(crate) fn pdf417_modules(value: &str, frame: RectPt) -> Result<ModuleGrid, String> {
    const MAX: usize = pdf417::MAX_ROWS as usize * pdf417::MAX_COLS as usize;
    // Longer than any symbol holds: refused before the encoder runs out of room.
    if value.len() > 1000 {
        return Err(format!(
            "{} bytes is more than a PDF417 code holds here",
            value.len()
        ));
    }
    let mut scratch = vec![0u16; MAX];
    let data = pdf417_data(&mut scratch, value).count();
    let min_level: u8 = match data {
        0..=40 => 2,
        41..=160 => 3,
        161..=320 => 4,
        _ => 5,
    };
    let needed = data + pdf417::ecc::ecc_count(min_level) as usize;
    let mut best: Option<(f32, u8, u8)> = None;
    for cols in pdf417::MIN_COLS..=pdf417::MAX_COLS {
        let rows = needed
            .div_ceil(cols as usize)
            .max(pdf417::MIN_ROWS as usize);
        if rows > pdf417::MAX_ROWS as usize {
            continue;
        }
        let width_modules = 69 + 17 * cols as usize + 2 * PDF417_QUIET_MODULES;
        let module =
            (frame[2] / width_modules as f32).min(frame[3] / (rows as f32 * PDF417_ROW_MODULES));
        if best.is_none_or(|(m, _, _)| module > m) {
            best = Some((module, cols, rows as u8));
        }
    }
    let (module, cols, rows) = best.ok_or("too long for a PDF417 code")?;
    let mut codewords = vec![0u16; rows as usize * cols as usize];
    let (level, _) = pdf417_data(&mut codewords, value)
        .fit_seal()
        .ok_or("too long for a PDF417 code")?;
    let width = 69 + 17 * cols as usize;
    let mut bits = vec![false; width * rows as usize];
    pdf417::PDF417::new(&codewords, rows, cols, level).render(&mut bits[..]);
    // Rows fill the frame's height; the quiet zone is on the left and right only.
    let mut rects = module_runs(&bits, width, rows as usize, 0);
    for rect in &mut rects {
        rect[0] += PDF417_QUIET_MODULES as u16;
    }
    Ok(ModuleGrid {
        origin: [frame[0], frame[1]],
        module: [module, frame[3] / rows as f32],
        rects,
    })
}

/// Bars of a Code 128 barcode filling `frame` (quiet zones included in its width):
/// modules one unit wide and the frame's height tall.
pub(crate) fn code128_modules(value: &str, frame: RectPt) -> Result<ModuleGrid, String> {
    if value.is_empty() || !value.chars().all(|c| (' '..='~').contains(&c)) {
        return Err("only printable ASCII characters can be encoded".into());
    }
    // Character set C packs digit pairs; set B covers printable ASCII.
    let all_digits = value.chars().all(|c| c.is_ascii_digit());
    let data = if all_digits && value.len() % 2 == 0 {
        format!("Ć{value}")
    } else {
        format!("Ɓ{value}")
    };
    let modules: Vec<bool> = Code128::new(data)
        .map_err(|e| e.to_string())?
        .encode()
        .into_iter()
        .map(|m| m == 1)
        .collect();
    let total = modules.len() + 2 * BARCODE_QUIET_MODULES;
    let rects = dark_runs(&modules)
        .map(|(start, len)| [(start + BARCODE_QUIET_MODULES) as u16, 0, len as u16, 1])
        .collect();
    Ok(ModuleGrid {
        origin: [frame[0], frame[1]],
        module: [frame[2] / total as f32, frame[3]],
        rects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_stays_inside_its_frame_with_a_quiet_zone() {
        let frame = [10.0, 20.0, 40.0, 40.0];
        let grid = qr_modules("B-2026-000123", frame).unwrap();
        assert!(grid.rects.len() > 50);
        let total = frame[2] / grid.module[0];
        for [x, y, w, h] in grid.rects {
            assert!(x >= 2 && y >= 2, "quiet zone");
            assert!(
                f32::from(x + w) <= total - 2.0 + 1e-3 && f32::from(y + h) <= total - 2.0 + 1e-3
            );
        }
    }

    #[test]
    fn barcode_rejects_non_ascii_and_packs_digits() {
        assert!(code128_modules("Żółć", [0.0, 0.0, 100.0, 20.0]).is_err());
        let digits = code128_modules("20260001", [0.0, 0.0, 100.0, 20.0]).unwrap();
        let text = code128_modules("B-2026-0001", [0.0, 0.0, 100.0, 20.0]).unwrap();
        // Set C encodes two digits per symbol: narrower modules are not needed.
        assert!(digits.module[0] > text.module[0]);
        assert!(!digits.rects.is_empty() && !text.rects.is_empty());
    }
}
