//! The embedded face models: checksum, in-memory patch for tract, and loading.
//!
//! The BlazeFace files are shipped unmodified (see `models/NOTICE`); the mesh, iris,
//! segmentation and descriptor models were converted from registry packages by
//! `scripts/face-models/` (see `models/SOURCES.md`). Every file's sha256 is verified
//! before use so that a corrupted or swapped model is refused with a code instead of
//! producing silently wrong results.

use sha2::{Digest, Sha256};
use tract_onnx::pb::{attribute_proto::AttributeType, tensor_proto::DataType};
use tract_onnx::pb::{AttributeProto, ModelProto, TensorProto};
use tract_onnx::prelude::*;

use crate::error::{PhotoError, Result};

/// A runnable, optimised network.
pub(crate) type Runnable = std::sync::Arc<TypedRunnableModel>;

/// How a model wants its square RGB input laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// 1×S×S×3 (the BlazeFace conversions).
    Nhwc,
    /// 1×3×S×S (the MediaPipe and dlib conversions of `SOURCES.md`).
    Nchw,
}

/// One embedded model file and what it expects.
pub(crate) struct ModelFile {
    pub name: &'static str,
    pub bytes: &'static [u8],
    pub sha256: &'static str,
    /// Side of the square input, in pixels.
    pub input_size: usize,
    pub layout: Layout,
}

/// Short range: faces that fill much of the frame (a portrait, a webcam at the desk).
pub(crate) const FRONT_128: ModelFile = ModelFile {
    name: "face_detection_front_128x128_barracuda.onnx",
    bytes: include_bytes!("../models/face_detection_front_128x128_barracuda.onnx"),
    sha256: "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51",
    input_size: 128,
    layout: Layout::Nhwc,
};

/// Longer range: finds the small faces the front model misses (used to count faces).
pub(crate) const BACK_256: ModelFile = ModelFile {
    name: "face_detection_back_256x256_barracuda.onnx",
    bytes: include_bytes!("../models/face_detection_back_256x256_barracuda.onnx"),
    sha256: "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2",
    input_size: 256,
    layout: Layout::Nhwc,
};

/// 468 face landmarks (x, y, z) and a face-presence logit, on a 192 px face crop.
pub(crate) const FACE_MESH: ModelFile = ModelFile {
    name: "face_mesh_468.onnx",
    bytes: include_bytes!("../models/face_mesh_468.onnx"),
    sha256: "7947c287b8a04a7467a8efbdf4c46a61bedc3b366d21448088bcc35fc3d3102b",
    input_size: 192,
    layout: Layout::Nchw,
};

/// 71 eye-contour points and 5 iris points, on a 64 px crop of one eye.
pub(crate) const IRIS: ModelFile = ModelFile {
    name: "iris_landmark.onnx",
    bytes: include_bytes!("../models/iris_landmark.onnx"),
    sha256: "1369c311aaf31162b56ef366bb3533bf26e887f3f5a7594a9192d1caf24249c7",
    input_size: 64,
    layout: Layout::Nchw,
};

/// Person probability per pixel, on the whole picture stretched to 256 × 256.
pub(crate) const SEGMENTATION: ModelFile = ModelFile {
    name: "selfie_segmentation.onnx",
    bytes: include_bytes!("../models/selfie_segmentation.onnx"),
    sha256: "51b05f408a33058fd517ca3d1457188b66d2615870637b542fe32ce5324b4b78",
    input_size: 256,
    layout: Layout::Nchw,
};

/// dlib's 128-d face descriptor, on a 150 px aligned face chip.
pub(crate) const DESCRIPTOR: ModelFile = ModelFile {
    name: "face_descriptor_dlib.onnx",
    bytes: include_bytes!("../models/face_descriptor_dlib.onnx"),
    sha256: "38d8b602dd1f70716411d6c0d981a01f34a2616e019072bf873bc96c8bfce07d",
    input_size: 150,
    layout: Layout::Nchw,
};

/// Every embedded model, for the checksum test.
#[cfg(test)]
pub(crate) const ALL: [&ModelFile; 6] = [
    &FRONT_128,
    &BACK_256,
    &FACE_MESH,
    &IRIS,
    &SEGMENTATION,
    &DESCRIPTOR,
];

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Refuses bytes whose sha256 is not the one recorded for `file`.
pub(crate) fn verify_checksum(file: &ModelFile, bytes: &[u8]) -> Result<()> {
    let actual = sha256_hex(bytes);
    if actual != file.sha256 {
        return Err(PhotoError::ModelChecksum {
            name: file.name,
            expected: file.sha256,
            actual,
        });
    }
    Ok(())
}

/// tract 0.23 gives a `ConstantOfShape` without `value` an f64 zero where ONNX says f32,
/// and then fails to unify types; an explicit f32 zero is what the spec means anyway.
fn give_constant_of_shape_an_f32_value(model: &mut ModelProto) -> usize {
    let Some(graph) = model.graph.as_mut() else {
        return 0;
    };
    let mut patched = 0;
    for node in graph
        .node
        .iter_mut()
        .filter(|node| node.op_type == "ConstantOfShape")
    {
        if node.attribute.iter().any(|attr| attr.name == "value") {
            continue;
        }
        node.attribute.push(AttributeProto {
            name: "value".to_owned(),
            r#type: AttributeType::Tensor as i32,
            t: Some(TensorProto {
                dims: vec![1],
                data_type: DataType::Float as i32,
                float_data: vec![0.0],
                ..Default::default()
            }),
            ..Default::default()
        });
        patched += 1;
    }
    patched
}

/// A loaded network and a pool of run states, shared by every thread.
pub(crate) struct Network {
    name: &'static str,
    model: Runnable,
    /// Run states kept between calls: spawning one allocates every intermediate tensor.
    states: std::sync::Mutex<Vec<TypedSimpleState>>,
}

impl Network {
    pub fn load(file: &'static ModelFile) -> Result<Network> {
        Ok(Network::new(file, load(file)?))
    }

    pub fn new(file: &ModelFile, model: Runnable) -> Network {
        Network {
            name: file.name,
            model,
            states: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Runs the network on one input; the outputs as plain f32 buffers with their shapes.
    pub fn run(&self, input: Tensor) -> Result<Vec<(Vec<usize>, Vec<f32>)>> {
        let inference = |e: TractError| PhotoError::Inference {
            detail: format!("{}: {e:#}", self.name),
        };
        let pooled = self
            .states
            .lock()
            .map(|mut pool| pool.pop())
            .unwrap_or(None);
        let mut state = match pooled {
            Some(state) => state,
            None => self.model.spawn().map_err(inference)?,
        };
        let outputs = state.run(tvec!(input.into())).map_err(inference)?;
        if let Ok(mut pool) = self.states.lock() {
            pool.push(state);
        }
        outputs
            .iter()
            .map(|output| {
                let view = output.to_plain_array_view::<f32>().map_err(inference)?;
                Ok((view.shape().to_vec(), view.iter().copied().collect()))
            })
            .collect()
    }
}

/// Verifies, patches, parses and optimises one model for its fixed f32 input.
pub(crate) fn load(file: &ModelFile) -> Result<Runnable> {
    verify_checksum(file, file.bytes)?;
    let fail = |detail: String| PhotoError::ModelLoad {
        name: file.name,
        detail,
    };
    let onnx = tract_onnx::onnx();
    let mut proto = onnx
        .proto_model_for_read(&mut &file.bytes[..])
        .map_err(|e| fail(format!("{e:#}")))?;
    give_constant_of_shape_an_f32_value(&mut proto);
    let size = file.input_size;
    let shape = match file.layout {
        Layout::Nhwc => [1, size, size, 3],
        Layout::Nchw => [1, 3, size, size],
    };
    onnx.model_for_proto_model(&proto)
        .and_then(|model| {
            model
                .with_input_fact(0, f32::fact(shape).into())?
                .into_optimized()?
                .into_runnable()
        })
        .map_err(|e| fail(format!("{e:#}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_models_match_their_recorded_checksums() {
        for file in ALL {
            verify_checksum(file, file.bytes).unwrap();
        }
    }

    #[test]
    fn the_converted_models_load_without_a_patch() {
        for file in [&FACE_MESH, &IRIS, &SEGMENTATION] {
            let mut proto = tract_onnx::onnx()
                .proto_model_for_read(&mut &file.bytes[..])
                .unwrap();
            assert_eq!(
                give_constant_of_shape_an_f32_value(&mut proto),
                0,
                "{}",
                file.name
            );
            load(file).unwrap();
        }
    }

    #[test]
    fn the_constant_of_shape_patch_applies_and_the_models_then_load() {
        for file in [&FRONT_128, &BACK_256] {
            let mut proto = tract_onnx::onnx()
                .proto_model_for_read(&mut &file.bytes[..])
                .unwrap();
            assert!(
                give_constant_of_shape_an_f32_value(&mut proto) >= 1,
                "{}",
                file.name
            );
            assert_eq!(
                give_constant_of_shape_an_f32_value(&mut proto),
                0,
                "idempotent"
            );
            load(file).unwrap();
        }
    }

    #[test]
    fn a_changed_model_byte_is_refused_with_a_code() {
        let mut bytes = FRONT_128.bytes.to_vec();
        bytes[1000] ^= 0x01;
        let err = verify_checksum(&FRONT_128, &bytes).unwrap_err();
        assert_eq!(sesame_core::ErrorCode::code(&err), "photo.model_checksum");
    }
}
