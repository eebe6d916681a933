"""face-api.js's FaceRecognitionNet (dlib's ResNet face descriptor) rebuilt as ONNX.

face-api ships no graph, only weights (`face_recognition_model.bin`, described by
`face_recognition_model-weights_manifest.json`) and TypeScript that wires them
(`src/faceRecognitionNet/`). This module re-states that TypeScript as ONNX nodes, one
function per TypeScript function, so the two can be read side by side:

    FaceRecognitionNet.forwardInput  -> build()
    convLayer.ts (conv / convDown)   -> _conv_layer()
    scaleLayer.ts                    -> inside _conv_layer()
    residualLayer.ts                 -> _residual(), _residual_down()

Weights: 109 of the 117 tensors are stored as uint8 with a per-tensor scale and min
(value = q * scale + min, as tfjs's decodeWeights computes it). They are kept as uint8
initialisers and dequantised inside the graph (Cast, Mul, Add), so the ONNX file stays
the size of the .bin instead of four times it; tract folds these constants at load.
The uint8 filters are transposed offline from TF's HWIO to ONNX's OIHW (exact).
"""

from __future__ import annotations

import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from tflite_to_onnx import finish_model

# FaceRecognitionNet.forwardInput: `normalize(batchTensor, meanRgb).div(255)`.
MEAN_RGB = [122.782, 117.001, 104.298]
INPUT_SIZE = 150


def read_weights(manifest_json: bytes, weights_bin: bytes) -> dict[str, dict]:
    """Splits the .bin as tfjs does: tensors back to back in manifest order."""
    manifest = json.loads(manifest_json)
    if len(manifest) != 1:
        raise ValueError("expected a single weights group")
    weights, offset = {}, 0
    for spec in manifest[0]["weights"]:
        count = int(np.prod(spec["shape"]))
        q = spec.get("quantization")
        if spec["dtype"] != "float32":
            raise ValueError(f"{spec['name']}: dtype {spec['dtype']}")
        if q is None:
            data = np.frombuffer(weights_bin, "<f4", count, offset)
            offset += 4 * count
            weights[spec["name"]] = {"float": data.reshape(spec["shape"])}
        elif q["dtype"] == "uint8":
            data = np.frombuffer(weights_bin, "u1", count, offset)
            offset += count
            weights[spec["name"]] = {
                "uint8": data.reshape(spec["shape"]),
                "scale": float(q["scale"]),
                "min": float(q["min"]),
            }
        else:
            raise ValueError(f"{spec['name']}: quantisation {q['dtype']}")
    if offset != len(weights_bin):
        raise ValueError(f"{len(weights_bin) - offset} bytes left over in the .bin")
    return weights


class _Builder:
    def __init__(self, weights: dict[str, dict]):
        self.weights = weights
        self.weights_shape = {k: (v["float"] if "float" in v else v["uint8"]).shape for k, v in weights.items()}
        self.used: set[str] = set()
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []

    def _const(self, name: str, arr: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(self, op_type: str, inputs: list[str], name: str, **attrs) -> str:
        assert name not in self.used, name
        self.used.add(name)
        self.nodes.append(helper.make_node(op_type, inputs, [name], name=name, **attrs))
        return name

    def weight(self, key: str, layout=None) -> str:
        """A float32 value for manifest tensor `key`, re-laid by `layout` (a function)."""
        layout = layout or (lambda a: a)
        w = self.weights.pop(key)  # pop: every tensor must be used exactly once
        name = key.replace("/", ".")
        if "float" in w:
            return self._const(name, layout(w["float"]).astype(np.float32))
        q = self._const(name + ".uint8", layout(w["uint8"]))
        f = self.node("Cast", [q], name + ".float", to=TensorProto.FLOAT)
        scaled = self.node("Mul", [f, self._const(name + ".scale", np.array(w["scale"], np.float32))], name + ".scaled")
        return self.node("Add", [scaled, self._const(name + ".min", np.array(w["min"], np.float32))], name)

    def per_channel(self, key: str) -> str:
        """A [C] vector as [C, 1, 1], to broadcast over NCHW."""
        return self.weight(key, lambda a: a.reshape(-1, 1, 1))


def _hwio_to_oihw(a: np.ndarray) -> np.ndarray:
    return a.transpose(3, 2, 0, 1)


def _conv_layer(b: _Builder, x: str, prefix: str, stride: int, relu: bool, same: bool) -> str:
    """convLayer.ts: conv2d + bias, then scale (x * weights + biases), then ReLU or not.

    'same' in face-api is only used with 3x3 kernels at stride 1: one pixel each side.
    """
    filters = b.weight(f"{prefix}/conv/filters", _hwio_to_oihw)
    bias = b.weight(f"{prefix}/conv/bias")
    k = b.weights_shape[f"{prefix}/conv/filters"][0]
    pad = (k - 1) // 2 if same else 0
    name = prefix.replace("/", ".")
    y = b.node("Conv", [x, filters, bias], name + ".conv", kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4)
    y = b.node("Mul", [y, b.per_channel(f"{prefix}/scale/weights")], name + ".scale")
    y = b.node("Add", [y, b.per_channel(f"{prefix}/scale/biases")], name + ".shift")
    return b.node("Relu", [y], name + ".relu") if relu else y


def _residual(b: _Builder, x: str, prefix: str) -> str:
    """residualLayer.ts residual(): two 3x3 convs, identity shortcut, ReLU."""
    out = _conv_layer(b, x, f"{prefix}/conv1", 1, relu=True, same=True)
    out = _conv_layer(b, out, f"{prefix}/conv2", 1, relu=False, same=True)
    out = b.node("Add", [out, x], prefix + ".add")
    return b.node("Relu", [out], prefix + ".out")


def _residual_down(b: _Builder, x: str, prefix: str, in_shape: list[int]) -> tuple[str, list[int]]:
    """residualLayer.ts residualDown(): stride-2 'valid' conv path, 2x2 average-pool shortcut.

    Where the conv path comes out one pixel smaller than the pooled shortcut (odd input
    sizes), face-api appends a zero row and a zero column to it; where the channel count
    doubles, it appends zero channels to the shortcut. Both are Pads here.
    """
    _, c_in, h, w = in_shape
    c_out = b.weights_shape[f"{prefix}/conv1/conv/filters"][3]
    out = _conv_layer(b, x, f"{prefix}/conv1", 2, relu=True, same=False)
    out = _conv_layer(b, out, f"{prefix}/conv2", 1, relu=False, same=True)
    conv_h, conv_w = (h - 3) // 2 + 1, (w - 3) // 2 + 1
    pool_h, pool_w = h // 2, w // 2
    if (conv_h, conv_w) != (pool_h, pool_w):
        if (pool_h - conv_h, pool_w - conv_w) != (1, 1):
            raise ValueError("face-api pads by exactly one row and one column")
        pads = b._const(prefix.replace("/", ".") + ".pad_hw", np.array([0, 0, 0, 0, 0, 0, 1, 1], np.int64))
        out = b.node("Pad", [out, pads], prefix + ".padded", mode="constant")
    pooled = b.node("AveragePool", [x], prefix + ".pool", kernel_shape=[2, 2], strides=[2, 2])
    if c_out != c_in:
        pads = b._const(prefix + ".pad_c", np.array([0, 0, 0, 0, 0, c_out - c_in, 0, 0], np.int64))
        pooled = b.node("Pad", [pooled, pads], prefix + ".pool_padded", mode="constant")
    out = b.node("Add", [pooled, out], prefix + ".add")
    return b.node("Relu", [out], prefix + ".out"), [1, c_out, pool_h, pool_w]


def build(manifest_json: bytes, weights_bin: bytes, doc_string: str, metadata: dict[str, str]) -> onnx.ModelProto:
    """FaceRecognitionNet.forwardInput as ONNX: image [1,3,150,150] RGB in [0,1] -> [1,128]."""
    weights = read_weights(manifest_json, weights_bin)
    b = _Builder(weights)

    # face-api feeds 0..255 pixels and computes (x - mean) / 255; with x in [0, 1] here
    # that is x - mean / 255.
    mean = b._const("mean_rgb", (np.array(MEAN_RGB, np.float32) / np.float32(255)).reshape(1, 3, 1, 1))
    x = b.node("Sub", ["image", mean], "normalized")

    x = _conv_layer(b, x, "conv32_down", 2, relu=True, same=False)  # 150 -> 72
    x = b.node("MaxPool", [x], "conv32_down.maxpool", kernel_shape=[3, 3], strides=[2, 2])  # -> 35
    size = (INPUT_SIZE - 7) // 2 + 1
    shape = [1, 32, (size - 3) // 2 + 1, (size - 3) // 2 + 1]
    for prefix in ["conv32_1", "conv32_2", "conv32_3"]:
        x = _residual(b, x, prefix)
    x, shape = _residual_down(b, x, "conv64_down", shape)  # -> 17
    for prefix in ["conv64_1", "conv64_2", "conv64_3"]:
        x = _residual(b, x, prefix)
    x, shape = _residual_down(b, x, "conv128_down", shape)  # -> 8
    for prefix in ["conv128_1", "conv128_2"]:
        x = _residual(b, x, prefix)
    x, shape = _residual_down(b, x, "conv256_down", shape)  # -> 4 (conv path 3, padded)
    for prefix in ["conv256_1", "conv256_2"]:
        x = _residual(b, x, prefix)
    x, shape = _residual_down(b, x, "conv256_down_out", shape)  # -> 2 (conv path 1, padded)

    x = b.node("GlobalAveragePool", [x], "global_avg")  # out.mean([1, 2])
    x = b.node("Flatten", [x], "global_avg.flat", axis=1)
    fc = b.weight("fc")  # [256, 128], as tf.matMul(globalAvg, fc) uses it
    b.node("MatMul", [x, fc], "descriptor")
    if b.weights:
        raise ValueError(f"unused weights: {sorted(b.weights)}")

    graph = helper.make_graph(
        b.nodes,
        "face_descriptor_dlib",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, INPUT_SIZE, INPUT_SIZE])],
        [helper.make_tensor_value_info("descriptor", TensorProto.FLOAT, [1, 128])],
        b.initializers,
    )
    return finish_model(graph, doc_string, metadata)
