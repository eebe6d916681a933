//! A page's display list as PDF content operators, one per line.

use std::io::Write as _;

use super::file::push_num;
use super::fonts::Fonts;
use crate::draw::{ImageRef, Item, RectPt};
use crate::template::Colour;

/// Bézier handle length for a quarter circle.
const KAPPA: f32 = 0.552_284_8;

/// Writes `items` as a content stream; the images they show are added to `images`
/// (in the order first shown).
pub(crate) fn write_items(
    items: &[Item],
    fonts: &mut Fonts,
    images: &mut Vec<ImageRef>,
    out: &mut Vec<u8>,
) {
    for item in items {
        write_item(item, fonts, images, out);
    }
}

/// The resource name under which a page finds an image.
pub(crate) fn image_name(image: ImageRef) -> String {
    match image {
        ImageRef::Photo(i) => format!("P{i}"),
        ImageRef::Asset { template, index } => format!("T{template}.{index}"),
    }
}

fn write_item(item: &Item, fonts: &mut Fonts, images: &mut Vec<ImageRef>, out: &mut Vec<u8>) {
    match item {
        Item::FillRects { rects, colour } => {
            fill_colour(*colour, out);
            for rect in rects {
                rect_path(*rect, out);
            }
            out.extend_from_slice(b"f\n");
        }
        Item::FillModules { grid, colour } => {
            out.extend_from_slice(b"q\n");
            let [mx, my] = grid.module;
            let [ox, oy] = grid.origin;
            nums(&[mx, 0.0, 0.0, my, ox, oy], out);
            out.extend_from_slice(b"cm\n");
            fill_colour(*colour, out);
            // Whole modules: small integers, written without the float formatting.
            for [x, y, w, h] in &grid.rects {
                let _ = writeln!(out, "{x} {y} {w} {h} re");
            }
            out.extend_from_slice(b"f\nQ\n");
        }
        Item::FillRoundedRect {
            rect,
            radius,
            colour,
        } => {
            fill_colour(*colour, out);
            rounded_path(*rect, *radius, out);
            out.extend_from_slice(b"f\n");
        }
        Item::StrokeLines {
            lines,
            width,
            colour,
        } => {
            colour_op(*colour, b"RG\n", b"K\n", out);
            nums(&[*width], out);
            out.extend_from_slice(b"w\n");
            for [x1, y1, x2, y2] in lines {
                nums(&[*x1, *y1], out);
                out.extend_from_slice(b"m\n");
                nums(&[*x2, *y2], out);
                out.extend_from_slice(b"l\nS\n");
            }
        }
        Item::Text {
            face,
            size,
            x,
            baseline,
            hscale,
            colour,
            text,
        } => {
            out.extend_from_slice(b"BT\n/");
            out.extend_from_slice(Fonts::resource_name(*face).as_bytes());
            out.push(b' ');
            nums(&[*size], out);
            out.extend_from_slice(b"Tf\n");
            fill_colour(*colour, out);
            nums(&[*x, *baseline], out);
            out.extend_from_slice(b"Td\n");
            let condensed = *hscale < 0.999;
            if condensed {
                nums(&[*hscale * 100.0], out);
                out.extend_from_slice(b"Tz\n");
            }
            fonts.encode(*face, text, out);
            out.extend_from_slice(b" Tj\n");
            if condensed {
                // Horizontal scaling is graphics state and outlives ET.
                out.extend_from_slice(b"100 Tz\n");
            }
            out.extend_from_slice(b"ET\n");
        }
        Item::Group { matrix, items } => {
            out.extend_from_slice(b"q\n");
            nums(matrix, out);
            out.extend_from_slice(b"cm\n");
            write_items(items, fonts, images, out);
            out.extend_from_slice(b"Q\n");
        }
        Item::Image { image, rect, clip } => {
            if !images.contains(image) {
                images.push(*image);
            }
            out.extend_from_slice(b"q\n");
            if let Some((clip_rect, radius)) = clip {
                if *radius > 0.0 {
                    rounded_path(*clip_rect, *radius, out);
                } else {
                    rect_path(*clip_rect, out);
                }
                out.extend_from_slice(b"W\nn\n");
            }
            // The image fills the unit square: scaled to its box, on its own line
            // (what readers of the content, and the tests, look for before `Do`).
            let [x, y, w, h] = *rect;
            nums(&[w, 0.0, 0.0, h, x, y], out);
            out.extend_from_slice(b"cm\n/");
            out.extend_from_slice(image_name(*image).as_bytes());
            out.extend_from_slice(b" Do\nQ\n");
        }
    }
}

/// Space-separated numbers, each followed by a space.
fn nums(values: &[f32], out: &mut Vec<u8>) {
    for value in values {
        push_num(out, *value);
        out.push(b' ');
    }
}

fn fill_colour(colour: Colour, out: &mut Vec<u8>) {
    colour_op(colour, b"rg\n", b"k\n", out);
}

fn colour_op(colour: Colour, rgb: &[u8], cmyk: &[u8], out: &mut Vec<u8>) {
    match colour {
        Colour::Rgb(r, g, b) => {
            nums(&[r, g, b], out);
            out.extend_from_slice(rgb);
        }
        Colour::Cmyk(c, m, y, k) => {
            nums(&[c, m, y, k], out);
            out.extend_from_slice(cmyk);
        }
    }
}

fn rect_path(rect: RectPt, out: &mut Vec<u8>) {
    nums(&rect, out);
    out.extend_from_slice(b"re\n");
}

/// A rectangle with quarter-circle corners, as one closed path.
fn rounded_path([x, y, w, h]: RectPt, radius: f32, out: &mut Vec<u8>) {
    let r = radius.min(w / 2.0).min(h / 2.0).max(0.0);
    let k = r * KAPPA;
    let (x1, y1) = (x + w, y + h);
    let mut op = |values: &[f32], operator: &[u8]| {
        nums(values, out);
        out.extend_from_slice(operator);
    };
    op(&[x + r, y], b"m\n");
    op(&[x1 - r, y], b"l\n");
    op(&[x1 - r + k, y, x1, y + r - k, x1, y + r], b"c\n");
    op(&[x1, y1 - r], b"l\n");
    op(&[x1, y1 - r + k, x1 - r + k, y1, x1 - r, y1], b"c\n");
    op(&[x + r, y1], b"l\n");
    op(&[x + r - k, y1, x, y1 - r + k, x, y1 - r], b"c\n");
    op(&[x, y + r], b"l\n");
    op(&[x, y + r - k, x + r - k, y, x + r, y], b"c\nh\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::ModuleGrid;
    use crate::font::FaceKind;

    fn content(items: &[Item]) -> (String, Vec<ImageRef>) {
        let mut fonts = Fonts::default();
        let mut images = Vec::new();
        let mut out = Vec::new();
        write_items(items, &mut fonts, &mut images, &mut out);
        (String::from_utf8(out).unwrap(), images)
    }

    #[test]
    fn each_item_becomes_its_operators() {
        let (text, images) = content(&[
            Item::FillRects {
                rects: vec![[1.0, 2.0, 3.5, 4.0]],
                colour: Colour::Cmyk(0.0, 0.5, 1.0, 0.1),
            },
            Item::Group {
                matrix: [0.0, 1.0, -1.0, 0.0, 100.0, 20.0],
                items: vec![
                    Item::FillModules {
                        grid: ModuleGrid {
                            origin: [10.0, 20.0],
                            module: [1.5, 1.5],
                            rects: vec![[0, 0, 3, 1]],
                        },
                        colour: Colour::BLACK,
                    },
                    Item::Text {
                        face: FaceKind::Bold,
                        size: 9.0,
                        x: 5.0,
                        baseline: 6.0,
                        hscale: 0.8,
                        colour: Colour::WHITE,
                        text: "Zoé".into(),
                    },
                ],
            },
            Item::StrokeLines {
                lines: vec![[0.0, 0.0, 10.0, 0.0]],
                width: 0.25,
                colour: Colour::BLACK,
            },
            Item::Image {
                image: ImageRef::Photo(3),
                rect: [10.0, 20.0, 60.0, 80.0],
                clip: Some(([10.0, 20.0, 60.0, 80.0], 0.0)),
            },
        ]);
        assert_eq!(
            text,
            "0 0.5 1 0.1 k\n1 2 3.5 4 re\nf\n\
             q\n0 1 -1 0 100 20 cm\n\
             q\n1.5 0 0 1.5 10 20 cm\n0 0 0 rg\n0 0 3 1 re\nf\nQ\n\
             BT\n/F1 9 Tf\n1 1 1 rg\n5 6 Td\n80 Tz\n<000100020003> Tj\n100 Tz\nET\n\
             Q\n\
             0 0 0 RG\n0.25 w\n0 0 m\n10 0 l\nS\n\
             q\n10 20 60 80 re\nW\nn\n60 0 0 80 10 20 cm\n/P3 Do\nQ\n"
        );
        assert_eq!(images, [ImageRef::Photo(3)]);
    }

    #[test]
    fn a_rounded_rectangle_is_one_closed_path_inside_its_box() {
        let (text, _) = content(&[Item::FillRoundedRect {
            rect: [0.0, 0.0, 20.0, 10.0],
            radius: 8.0,
            colour: Colour::BLACK,
        }]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "5 0 m", "the radius is at most half the height");
        assert_eq!(lines[lines.len() - 2], "h");
        assert_eq!(lines.last(), Some(&"f"));
        for line in &lines[1..lines.len() - 2] {
            let values: Vec<f32> = line
                .split(' ')
                .filter_map(|word| word.parse().ok())
                .collect();
            for pair in values.chunks(2) {
                assert!((0.0..=20.0).contains(&pair[0]) && (0.0..=10.0).contains(&pair[1]));
            }
        }
    }
}
