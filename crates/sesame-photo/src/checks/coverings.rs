//! What covers the head or the face: warnings only, since a head covering or a medical
//! dressing is often legitimate and the operator decides.

use super::{FaceContext, Measure};
use crate::detect::Point;
use crate::mesh::index;
use crate::patch::{mean, sample, srgb_to_lab};
use crate::report::CheckId;

/// A person-mask probability above this is the person (hair, hat and all).
const PERSON: f32 = 0.5;
/// A colour this far (CIELAB ΔE) from the cheeks is not skin.
const SKIN_DELTA_E: f64 = 18.0;
/// Oval points at the sides of the face around the eyes (subject's right, then left),
/// beside which the hair over the ears is sampled.
const TEMPLES: [usize; 6] = [127, 234, 93, 356, 454, 323];

type Lab = (f64, f64, f64);

fn delta_e(a: Lab, b: Lab) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2) + (a.2 - b.2).powi(2)).sqrt()
}

fn mean_lab(values: &[Lab]) -> Option<Lab> {
    if values.is_empty() {
        return None;
    }
    let (l, a, b): (Vec<f64>, Vec<f64>, Vec<f64>) =
        values.iter().fold((vec![], vec![], vec![]), |mut acc, v| {
            acc.0.push(v.0);
            acc.1.push(v.1);
            acc.2.push(v.2);
            acc
        });
    Some((mean(&l), mean(&a), mean(&b)))
}

/// How much the top of the head differs from the hair at the temples, ΔE / 10: a hat or
/// a cap puts one material on top and leaves hair at the sides. 0 when the top is skin
/// (a bald head) or when no hair shows at the temples to compare with.
pub(crate) fn covering_index(context: &FaceContext<'_>) -> Option<f64> {
    let (mask, _) = context.analysis.mask?;
    let image = context.analysis.image;
    let mesh = &context.face.mesh;
    let skin = srgb_to_lab(context.patch.skin()?);
    let top = mesh.at(index::FOREHEAD_TOP);
    let chin = mesh.at(index::CHIN);
    let length = top.distance(chin).max(1.0);
    let up = Point {
        x: (top.x - chin.x) / length,
        y: (top.y - chin.y) / length,
    };
    let across = Point { x: -up.y, y: up.x };
    let (min, max) = mesh.oval_box();
    let width = (max.x - min.x).max(1.0);
    let spot = 0.06 * length;
    let lab_at = |p: Point| {
        (mask.at(p.x, p.y) >= PERSON)
            .then(|| sample(image, p.x, p.y, spot).map(srgb_to_lab))
            .flatten()
    };
    let mut crown = Vec::new();
    for along in [0.22f32, 0.3, 0.38] {
        for side in [-0.25f32, -0.12, 0.0, 0.12, 0.25] {
            let p = Point {
                x: top.x + up.x * along * length + across.x * side * width,
                y: top.y + up.y * along * length + across.y * side * width,
            };
            crown.extend(lab_at(p));
        }
    }
    let centre = top.midpoint(chin);
    let temples: Vec<Lab> = TEMPLES
        .iter()
        .map(|&i| {
            let p = mesh.at(i);
            let (dx, dy) = (p.x - centre.x, p.y - centre.y);
            let d = dx.hypot(dy).max(1.0);
            Point {
                x: p.x + dx / d * 0.08 * width,
                y: p.y + dy / d * 0.08 * width,
            }
        })
        .filter_map(lab_at)
        .filter(|c| delta_e(*c, skin) > SKIN_DELTA_E)
        .collect();
    let crown = mean_lab(&crown)?;
    if delta_e(crown, skin) <= SKIN_DELTA_E {
        return Some(0.0);
    }
    let Some(temples) = mean_lab(&temples) else {
        return Some(0.0);
    };
    Some(delta_e(crown, temples) / 10.0)
}

pub(super) fn measure(context: &FaceContext<'_>) -> Vec<Measure> {
    let age = context.analysis.mask.and_then(|(_, age)| age);
    vec![
        match covering_index(context) {
            Some(index) => Measure::of(CheckId::HeadCovering, index).aged(age),
            None => Measure::none(CheckId::HeadCovering).aged(age),
        },
        Measure::of(CheckId::Occlusion, context.patch.not_skin_pct()),
    ]
}
