//! MediaPipe's selfie segmentation: which pixels belong to a person (hair, clothes and
//! all) and which are background.

use image::RgbImage;

use crate::error::{PhotoError, Result};
use crate::models::{Network, SEGMENTATION};
use crate::sampling;

const SIZE: usize = 256;

/// Person probability over the whole picture, on a 256 × 256 grid stretched over it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PersonMask {
    /// Row-major, `SIZE` × `SIZE`, 0-1.
    probability: Vec<f32>,
    /// Size of the picture the mask covers.
    width: u32,
    height: u32,
}

impl PersonMask {
    /// Probability that image pixel (x, y) belongs to a person, bilinear between cells.
    pub fn at(&self, x: f32, y: f32) -> f32 {
        let gx = (x / self.width as f32 * SIZE as f32 - 0.5).clamp(0.0, (SIZE - 1) as f32);
        let gy = (y / self.height as f32 * SIZE as f32 - 0.5).clamp(0.0, (SIZE - 1) as f32);
        let (ix, iy) = (gx as usize, gy as usize);
        let (ix1, iy1) = ((ix + 1).min(SIZE - 1), (iy + 1).min(SIZE - 1));
        let (tx, ty) = (gx - ix as f32, gy - iy as f32);
        let p = |x: usize, y: usize| self.probability[y * SIZE + x];
        (p(ix, iy) * (1.0 - tx) + p(ix1, iy) * tx) * (1.0 - ty)
            + (p(ix, iy1) * (1.0 - tx) + p(ix1, iy1) * tx) * ty
    }

    /// The people other than the one at (x, y): the boxes (image pixels: x0, y0, x1, y1)
    /// of the mask's connected regions that do not contain that point and cover at least
    /// `min_cells` of its 256 × 256 cells. A person behind the subject who is not touching
    /// them shows up here even when their face is too small for a whole-picture detector.
    pub fn other_people(&self, x: f32, y: f32, min_cells: usize) -> Vec<[f32; 4]> {
        let inside: Vec<bool> = self.probability.iter().map(|&p| p >= 0.5).collect();
        let mut label = vec![0u32; SIZE * SIZE];
        let mut regions = Vec::new();
        let mut stack = Vec::new();
        for start in 0..SIZE * SIZE {
            if !inside[start] || label[start] != 0 {
                continue;
            }
            let id = regions.len() as u32 + 1;
            let (mut x0, mut y0, mut x1, mut y1, mut cells) = (SIZE, SIZE, 0, 0, 0usize);
            label[start] = id;
            stack.push(start);
            while let Some(at) = stack.pop() {
                let (cx, cy) = (at % SIZE, at / SIZE);
                cells += 1;
                x0 = x0.min(cx);
                y0 = y0.min(cy);
                x1 = x1.max(cx);
                y1 = y1.max(cy);
                let mut visit = |n: usize| {
                    if inside[n] && label[n] == 0 {
                        label[n] = id;
                        stack.push(n);
                    }
                };
                if cx > 0 {
                    visit(at - 1);
                }
                if cx + 1 < SIZE {
                    visit(at + 1);
                }
                if cy > 0 {
                    visit(at - SIZE);
                }
                if cy + 1 < SIZE {
                    visit(at + SIZE);
                }
            }
            regions.push((x0, y0, x1, y1, cells));
        }
        let (sx, sy) = (
            self.width as f32 / SIZE as f32,
            self.height as f32 / SIZE as f32,
        );
        let gx = ((x / sx) as usize).min(SIZE - 1);
        let gy = ((y / sy) as usize).min(SIZE - 1);
        let subject = label[gy * SIZE + gx];
        regions
            .iter()
            .enumerate()
            .filter(|(i, r)| *i as u32 + 1 != subject && r.4 >= min_cells)
            .map(|(_, r)| {
                [
                    r.0 as f32 * sx,
                    r.1 as f32 * sy,
                    (r.2 + 1) as f32 * sx,
                    (r.3 + 1) as f32 * sy,
                ]
            })
            .collect()
    }

    /// Whether the mask was computed on a picture of this size.
    pub fn fits(&self, width: u32, height: u32) -> bool {
        (self.width, self.height) == (width, height)
    }
}

/// The segmentation network.
pub(crate) struct Segmenter {
    network: Network,
}

impl Segmenter {
    pub fn load() -> Result<Segmenter> {
        Ok(Segmenter {
            network: Network::load(&SEGMENTATION)?,
        })
    }

    pub fn run(&self, image: &RgbImage) -> Result<PersonMask> {
        let outputs = self.network.run(sampling::stretched_tensor(image, SIZE))?;
        let Some((_, probability)) = outputs.into_iter().find(|(_, v)| v.len() == SIZE * SIZE)
        else {
            return Err(PhotoError::Inference {
                detail: "the segmentation did not give a 256 x 256 mask".to_owned(),
            });
        };
        Ok(PersonMask {
            probability,
            width: image.width(),
            height: image.height(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(f: impl Fn(usize, usize) -> bool) -> PersonMask {
        let mut probability = Vec::with_capacity(SIZE * SIZE);
        for y in 0..SIZE {
            for x in 0..SIZE {
                probability.push(if f(x, y) { 1.0 } else { 0.0 });
            }
        }
        PersonMask {
            probability,
            width: 512,
            height: 512,
        }
    }

    #[test]
    fn a_second_person_apart_from_the_subject_is_found_with_their_box() {
        let two = mask(|x, y| {
            (80..160).contains(&x) && y >= 60 || (200..220).contains(&x) && (20..50).contains(&y)
        });
        let others = two.other_people(240.0, 300.0, 20);
        assert_eq!(others.len(), 1, "{others:?}");
        let [x0, y0, x1, y1] = others[0];
        assert_eq!((x0, y0, x1, y1), (400.0, 40.0, 440.0, 100.0));
        // Specks are not people.
        assert!(two.other_people(240.0, 300.0, 1000).is_empty());
        // From the other person's side, the subject is the other one.
        assert_eq!(two.other_people(420.0, 60.0, 20).len(), 1);
    }
}
