//! The two embedded BlazeFace models: checksum, in-memory patch for tract, and loading.
//!
//! The files are shipped unmodified (see `models/NOTICE`); their sha256 is verified before
//! use so that a corrupted or swapped model is refused with a code instead of producing
//! silently wrong detections.

use sha2::{Digest, Sha256};
use tract_onnx::pb::{attribute_proto::AttributeType, tensor_proto::DataType};
use tract_onnx::pb::{AttributeProto, ModelProto, TensorProto};
use tract_onnx::prelude::*;

use crate::error::{PhotoError, Result};

/// A runnable, optimised BlazeFace network.
pub(crate) type Runnable = std::sync::Arc<TypedRunnableModel>;

/// One embedded model file and what it expects.
pub(crate) struct ModelFile {
    pub name: &'static str,
    pub bytes: &'static [u8],
    pub sha256: &'static str,
    /// Side of the square NHWC input, in pixels.
    pub input_size: usize,
}

/// Short range: faces that fill much of the frame (a portrait, a webcam at the desk).
pub(crate) const FRONT_128: ModelFile = ModelFile {
    name: "face_detection_front_128x128_barracuda.onnx",
    bytes: include_bytes!("../models/face_detection_front_128x128_barracuda.onnx"),
    sha256: "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51",
    input_size: 128,
};

/// Longer range: finds the small faces the front model misses (used to count faces).
pub(crate) const BACK_256: ModelFile = ModelFile {
    name: "face_detection_back_256x256_barracuda.onnx",
    bytes: include_bytes!("../models/face_detection_back_256x256_barracuda.onnx"),
    sha256: "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2",
    input_size: 256,
};

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

/// Verifies, patches, parses and optimises one model for a fixed 1×S×S×3 f32 input.
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
    onnx.model_for_proto_model(&proto)
        .and_then(|model| {
            model
                .with_input_fact(0, f32::fact([1, size, size, 3]).into())?
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
        verify_checksum(&FRONT_128, FRONT_128.bytes).unwrap();
        verify_checksum(&BACK_256, BACK_256.bytes).unwrap();
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
