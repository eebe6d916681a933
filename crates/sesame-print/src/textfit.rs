//! Fits a line of text into a box: it wraps (up to the box's line limit) before it
//! shrinks, and below the smallest size it condenses horizontally, so it never
//! overflows.

use crate::font::FaceMetrics;

/// Baseline-to-baseline distance, as a multiple of the font size.
pub(crate) const LINE_SPACING: f32 = 1.1;
/// Step when shrinking, in points.
const SIZE_STEP: f32 = 0.25;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FittedText {
    pub size: f32,
    pub lines: Vec<String>,
    /// Horizontal scaling (1.0 = none), only below the minimum size.
    pub hscale: f32,
    /// Width of the widest line once scaled.
    pub width: f32,
}

/// Height of a block of `lines` lines at `size`, from the top of the accents on the
/// first line to the bottom of the descenders on the last.
pub(crate) fn block_height(face: &FaceMetrics, lines: usize, size: f32) -> f32 {
    (lines.saturating_sub(1) as f32) * LINE_SPACING * size + (face.ascent + face.descent) * size
}

pub(crate) fn fit_text(
    text: &str,
    face: &FaceMetrics,
    box_width: f32,
    box_height: f32,
    max_size: f32,
    min_size: f32,
    max_lines: usize,
) -> FittedText {
    let breaks = BreakPoints::new(text);
    // The best split into k lines does not depend on the size: work it out once,
    // at size 1, for each line count.
    let splits: Vec<(f32, Vec<String>)> = (1..=max_lines.max(1).min(breaks.segments()))
        .map(|lines| breaks.balanced(face, 1.0, lines))
        .collect();
    let fitted = |size: f32, lines: usize, hscale: f32| {
        let (unit_width, split) = &splits[lines - 1];
        FittedText {
            size,
            lines: split.clone(),
            hscale,
            width: unit_width * size * hscale,
        }
    };
    let mut size = max_size;
    loop {
        for lines in 1..=splits.len() {
            if block_height(face, lines, size) > box_height + 1e-3 {
                break;
            }
            if splits[lines - 1].0 * size <= box_width + 1e-3 {
                return fitted(size, lines, 1.0);
            }
        }
        if size <= min_size {
            break;
        }
        size = (size - SIZE_STEP).max(min_size);
    }
    // Too long even at the smallest size: pick the line count that needs the least
    // condensing, shrinking further only if even one line is too tall for the box.
    let size = size.min(box_height / block_height(face, 1, 1.0));
    let mut best = 1;
    for lines in 2..=splits.len() {
        if block_height(face, lines, size) > box_height + 1e-3 {
            break;
        }
        if splits[lines - 1].0 < splits[best - 1].0 {
            best = lines;
        }
    }
    let widest = splits[best - 1].0 * size;
    let hscale = if widest > box_width {
        box_width / widest
    } else {
        1.0
    };
    fitted(size, best, hscale)
}

/// Where a line may end: after a space (dropped) or after a hyphen (kept).
struct BreakPoints<'a> {
    text: &'a str,
    /// Byte offsets where a new line may start, beginning with 0.
    starts: Vec<usize>,
}

impl<'a> BreakPoints<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        let mut previous: Option<char> = None;
        for (i, c) in text.char_indices() {
            if let Some(p) = previous {
                let after_break = p == ' ' || p == '-' || p == '\u{2010}';
                if after_break && c != ' ' && i > 0 && !text[..i].trim().is_empty() {
                    starts.push(i);
                }
            }
            previous = Some(c);
        }
        Self { text, starts }
    }

    fn segments(&self) -> usize {
        self.starts.len()
    }

    fn line(&self, from: usize, to: usize) -> &'a str {
        let end = self.starts.get(to).copied().unwrap_or(self.text.len());
        self.text[self.starts[from]..end].trim()
    }

    /// Splits into exactly `lines` lines so the widest is as narrow as possible.
    fn balanced(&self, face: &FaceMetrics, size: f32, lines: usize) -> (f32, Vec<String>) {
        let n = self.starts.len();
        let lines = lines.clamp(1, n);
        // best[k][i]: narrowest widest-line for segments i.. laid on k lines.
        let mut best = vec![vec![(f32::INFINITY, n); n + 1]; lines + 1];
        best[0][n] = (0.0, n);
        for k in 1..=lines {
            for i in (0..n).rev() {
                for j in i + 1..=n {
                    let rest = best[k - 1][j].0;
                    if rest.is_infinite() {
                        continue;
                    }
                    let width = face.width(self.line(i, j), size).max(rest);
                    if width < best[k][i].0 {
                        best[k][i] = (width, j);
                    }
                }
            }
        }
        let mut split = Vec::with_capacity(lines);
        let mut i = 0;
        for k in (1..=lines).rev() {
            let j = best[k][i].1;
            split.push(self.line(i, j).to_string());
            i = j;
        }
        (best[lines][0].0, split)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::FaceKind;

    fn face() -> &'static FaceMetrics {
        FaceKind::Bold.metrics()
    }

    #[test]
    fn short_name_stays_on_one_line_at_full_size() {
        let fit = fit_text("Ægir Þórsson", face(), 150.0, 30.0, 12.0, 6.0, 2);
        assert_eq!(fit.lines, vec!["Ægir Þórsson"]);
        assert_eq!((fit.size, fit.hscale), (12.0, 1.0));
    }

    #[test]
    fn long_name_wraps_before_it_shrinks() {
        let name = "Éloïse Marie-Christine Œuvray-Lefèvre";
        let one_line = face().width(name, 12.0);
        let fit = fit_text(name, face(), one_line * 0.6, 40.0, 12.0, 6.0, 2);
        assert_eq!(fit.size, 12.0);
        assert_eq!(fit.lines.len(), 2);
        assert_eq!(fit.lines.join(" "), name);
        assert!(fit.width <= one_line * 0.6);
    }

    #[test]
    fn breaks_after_a_hyphen_keeping_it() {
        let fit = fit_text("Œuvray-Lefèvre", face(), 60.0, 40.0, 12.0, 6.0, 2);
        assert_eq!(fit.lines, vec!["Œuvray-", "Lefèvre"]);
    }

    #[test]
    fn shrinks_when_two_lines_do_not_fit() {
        let name = "Nguyễn Thị Minh Khai";
        let fit = fit_text(name, face(), 60.0, 40.0, 12.0, 5.0, 2);
        assert!(fit.size < 12.0 && fit.size >= 5.0, "{fit:?}");
        assert!(fit.width <= 60.0 + 1e-3);
        assert!(block_height(face(), fit.lines.len(), fit.size) <= 40.0 + 1e-3);
    }

    #[test]
    fn never_overflows_even_below_minimum_size() {
        let word = "Wolfeschlegelsteinhausenbergerdorff";
        let fit = fit_text(word, face(), 40.0, 12.0, 10.0, 6.0, 2);
        assert_eq!(fit.size, 6.0);
        assert!(fit.hscale < 1.0);
        assert!(fit.width <= 40.0 + 1e-3, "{fit:?}");
        let too_flat = fit_text("Ab", face(), 40.0, 3.0, 10.0, 6.0, 1);
        assert!(block_height(face(), 1, too_flat.size) <= 3.0 + 1e-3);
    }
}
