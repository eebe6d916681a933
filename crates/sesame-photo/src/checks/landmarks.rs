//! The landmarks the live view draws, from the mesh and the iris model.

use super::{round, FaceContext};
use crate::detect::Point;
use crate::iris::Eye;
use crate::mesh::index;
use crate::report::{BoxPx, CirclePx, FaceLandmarks, PointPx};

fn px(p: Point) -> PointPx {
    PointPx {
        x: round(p.x as f64),
        y: round(p.y as f64),
    }
}

fn iris(eye: &Eye) -> CirclePx {
    CirclePx {
        x: round(eye.iris_centre.x as f64),
        y: round(eye.iris_centre.y as f64),
        radius: round(eye.iris_radius as f64),
    }
}

pub(super) fn of(context: &FaceContext<'_>) -> FaceLandmarks {
    let mesh = &context.face.mesh;
    let [right, left] = &context.face.eyes;
    let (min, max) = mesh.oval_box();
    let g = &context.geometry;
    let (top, bottom) = (g.crown_y().min(min.y), g.chin_y().max(max.y));
    FaceLandmarks {
        right_eye: right.contour.iter().copied().map(px).collect(),
        left_eye: left.contour.iter().copied().map(px).collect(),
        right_iris: iris(right),
        left_iris: iris(left),
        mouth_corners: [
            px(mesh.at(index::MOUTH_RIGHT)),
            px(mesh.at(index::MOUTH_LEFT)),
        ],
        inner_lips: index::INNER_LIPS.iter().map(|&i| px(mesh.at(i))).collect(),
        head_box: BoxPx {
            x: round(min.x as f64),
            y: round(top as f64),
            width: round((max.x - min.x) as f64),
            height: round((bottom - top) as f64),
        },
        face_oval: index::FACE_OVAL.iter().map(|&i| px(mesh.at(i))).collect(),
    }
}
