"""A small TFLite -> ONNX converter for MediaPipe's float models.

It covers exactly the operators used by the three MediaPipe models that Sésame ships
(face mesh, iris/eye landmarks, selfie segmentation) and refuses anything else, so a
model update that brings a new operator fails loudly instead of converting wrongly.

Why not an existing converter: `tflite2onnx` 0.4.1 fails on the fp16 face mesh and on
the selfie model (HARD_SWISH, MediaPipe's custom transposed convolution); tf2onnx
needs TensorFlow. The whole job is a few hundred lines over the `tflite` flatbuffer
reader and `onnx`.

Design (each point is something tract-onnx 0.23 and onnxruntime both accept):
- Activations are NCHW inside the ONNX graph (ONNX's native conv layout). The graph
  input is NCHW too, so there is no transpose at the entrance; TFLite's NHWC weights
  are transposed once, at conversion time.
- fp16 weights: every DEQUANTIZE whose input is a float16 constant is folded into a
  float32 initialiser. The file doubles in size but needs no Cast at run time, and the
  values are exactly the ones TFLite computes (fp16 -> fp32 is exact).
- TFLite's SAME padding is asymmetric for even kernels or strides (the extra pixel goes
  at the end); ONNX's auto_pad is avoided and explicit pads are computed from the static
  shapes instead.
- HARD_SWISH is written as x * HardSigmoid(x; alpha=1/6, beta=0.5): ONNX only gained a
  HardSwish op in opset 14 and opset 13 is the target here.
- MediaPipe's custom `Convolution2DTransposeBias` becomes ConvTranspose with its bias.
- Opset 13, IR version 7; no timestamps or random names, so the output is
  byte-for-byte reproducible.
"""

from __future__ import annotations

import struct

import numpy as np
import onnx
import tflite
from onnx import TensorProto, helper, numpy_helper
from tflite.ActivationFunctionType import ActivationFunctionType
from tflite.BuiltinOperator import BuiltinOperator
from tflite.Padding import Padding
from tflite.TensorType import TensorType

OPSET = 13
IR_VERSION = 7

_BUILTIN_NAMES = {v: k for k, v in vars(BuiltinOperator).items() if not k.startswith("_")}
_NUMPY_DTYPES = {
    TensorType.FLOAT32: np.dtype("<f4"),
    TensorType.FLOAT16: np.dtype("<f2"),
    TensorType.INT32: np.dtype("<i4"),
    TensorType.INT64: np.dtype("<i8"),
    TensorType.UINT8: np.dtype("u1"),
    TensorType.INT8: np.dtype("i1"),
}


class UnsupportedModel(Exception):
    """The .tflite file uses something this converter does not handle."""


def _same_pads(in_size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TensorFlow's SAME padding: (before, after); the odd pixel goes after."""
    out = -(-in_size // stride)
    effective = (kernel - 1) * dilation + 1
    total = max((out - 1) * stride + effective - in_size, 0)
    return total // 2, total - total // 2


def _nhwc_const_to_nchw(arr: np.ndarray) -> np.ndarray:
    """Re-lays a constant that broadcasts against an NHWC activation for an NCHW one.

    TFLite broadcasting aligns trailing axes, so e.g. a PReLU alpha of shape [1, 1, C]
    means [1, 1, 1, C] in NHWC; in NCHW the same values must sit at [1, C, 1, 1].
    """
    if arr.ndim > 4:
        raise UnsupportedModel(f"constant of rank {arr.ndim} next to a 4-D activation")
    arr = arr.reshape((1,) * (4 - arr.ndim) + arr.shape)
    return np.ascontiguousarray(arr.transpose(0, 3, 1, 2))


class TfliteToOnnx:
    """Converts subgraph 0 of one .tflite file; see the module docstring for the design."""

    def __init__(self, tflite_bytes: bytes):
        self.buf = tflite_bytes
        self.model = tflite.Model.GetRootAsModel(tflite_bytes, 0)
        if self.model.SubgraphsLength() != 1:
            raise UnsupportedModel("only single-subgraph models are handled")
        self.g = self.model.Subgraphs(0)
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.consts: dict[int, np.ndarray] = {}  # tensor index -> value, TFLite layout
        self.values: dict[int, str] = {}  # tensor index -> ONNX value name (NCHW if 4-D)
        self.used_names: set[str] = set()

    # ---- reading the flatbuffer -------------------------------------------------------

    def _tensor(self, index: int):
        return self.g.Tensors(index)

    def _shape(self, index: int) -> list[int]:
        t = self._tensor(index)
        return t.ShapeAsNumpy().tolist() if t.ShapeLength() else []

    def _tensor_name(self, index: int) -> str:
        return self._tensor(index).Name().decode()

    def _buffer_data(self, index: int) -> np.ndarray | None:
        """The constant stored for tensor `index`, or None for a run-time value."""
        t = self._tensor(index)
        b = self.model.Buffers(t.Buffer())
        if b is None:
            return None
        if b.DataLength() > 0:
            raw = b.DataAsNumpy().tobytes()
        elif b.Offset() > 1:  # large models keep buffers after the flatbuffer
            raw = self.buf[b.Offset() : b.Offset() + b.Size()]
        else:
            return None
        if t.Type() not in _NUMPY_DTYPES:
            raise UnsupportedModel(f"tensor {self._tensor_name(index)}: type {t.Type()}")
        q = t.Quantization()
        if q is not None and q.ScaleLength() > 0:
            raise UnsupportedModel(f"tensor {self._tensor_name(index)} is quantised")
        arr = np.frombuffer(raw, dtype=_NUMPY_DTYPES[t.Type()])
        return arr.reshape(self._shape(index))

    def _const(self, index: int) -> np.ndarray:
        if index in self.consts:
            return self.consts[index]
        data = self._buffer_data(index)
        if data is None:
            raise UnsupportedModel(f"{self._tensor_name(index)} should be a constant")
        self.consts[index] = data
        return data

    def _is_const(self, index: int) -> bool:
        return index in self.consts or self._buffer_data(index) is not None

    @staticmethod
    def _options(op, options_class):
        table = op.BuiltinOptions()
        opts = options_class()
        opts.Init(table.Bytes, table.Pos)
        return opts

    # ---- writing the ONNX graph --------------------------------------------------------

    def _fresh(self, base: str) -> str:
        """A unique, deterministic ONNX name derived from a TFLite name."""
        base = base.replace(";", "_").replace(":", "_") or "t"
        name, k = base, 1
        while name in self.used_names:
            k += 1
            name = f"{base}__{k}"
        self.used_names.add(name)
        return name

    def _initializer(self, base: str, arr: np.ndarray) -> str:
        name = self._fresh(base)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def _node(self, op_type: str, inputs: list[str], base: str, **attrs) -> str:
        out = self._fresh(base)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def _input(self, index: int) -> str:
        """ONNX name of a run-time input of an operator (NCHW if 4-D)."""
        if index not in self.values:
            raise UnsupportedModel(f"{self._tensor_name(index)} is used before it is produced")
        return self.values[index]

    def _operand(self, index: int, like_rank: int) -> str:
        """An input of an elementwise op: a run-time value, or a constant re-laid for NCHW."""
        if index in self.values:
            return self.values[index]
        arr = self._const(index).astype(np.float32)
        if like_rank == 4:
            arr = _nhwc_const_to_nchw(arr)
        return self._initializer(self._tensor_name(index), arr)

    def _fused_activation(self, x: str, fused: int, base: str) -> str:
        if fused == ActivationFunctionType.NONE:
            return x
        if fused == ActivationFunctionType.RELU:
            return self._node("Relu", [x], base + "_relu")
        if fused == ActivationFunctionType.RELU6:
            lo = self._initializer(base + "_min", np.array(0.0, np.float32))
            hi = self._initializer(base + "_max", np.array(6.0, np.float32))
            return self._node("Clip", [x, lo, hi], base + "_relu6")
        raise UnsupportedModel(f"fused activation {fused}")

    def _to_flat_order(self, x: str, index: int, base: str) -> str:
        """Makes a 4-D NCHW value's element order the NHWC order TFLite reshapes in.

        When H = W = 1 the two orders coincide and no Transpose is written.
        """
        shape = self._shape(index)
        if len(shape) == 4 and (shape[1] != 1 or shape[2] != 1):
            return self._node("Transpose", [x], base + "_nhwc", perm=[0, 2, 3, 1])
        return x

    # ---- operators ---------------------------------------------------------------------

    def _conv(self, op, depthwise: bool):
        from tflite.Conv2DOptions import Conv2DOptions
        from tflite.DepthwiseConv2DOptions import DepthwiseConv2DOptions

        x_i, w_i, b_i = op.InputsAsNumpy()[:3]
        out_i = op.OutputsAsNumpy()[0]
        o = self._options(op, DepthwiseConv2DOptions if depthwise else Conv2DOptions)
        w = self._const(w_i).astype(np.float32)
        _, in_h, in_w, in_c = self._shape(x_i)
        if depthwise:
            # TFLite [1, kh, kw, C*m] -> ONNX [C*m, 1, kh, kw], one group per input channel.
            weight = w.transpose(3, 0, 1, 2)
            group = in_c
        else:
            # TFLite OHWI -> ONNX OIHW.
            weight = w.transpose(0, 3, 1, 2)
            group = 1
        kh, kw = weight.shape[2], weight.shape[3]
        sh, sw = o.StrideH(), o.StrideW()
        dh, dw = o.DilationHFactor(), o.DilationWFactor()
        if o.Padding() == Padding.SAME:
            top, bottom = _same_pads(in_h, kh, sh, dh)
            left, right = _same_pads(in_w, kw, sw, dw)
        else:
            top = bottom = left = right = 0
        name = self._tensor_name(out_i)
        inputs = [self._input(x_i), self._initializer(name + "_weight", weight)]
        if b_i >= 0:
            inputs.append(self._initializer(name + "_bias", self._const(b_i).astype(np.float32)))
        y = self._node(
            "Conv",
            inputs,
            name + ("_conv" if o.FusedActivationFunction() else ""),
            kernel_shape=[kh, kw],
            strides=[sh, sw],
            dilations=[dh, dw],
            pads=[top, left, bottom, right],
            group=group,
        )
        self.values[out_i] = self._fused_activation(y, o.FusedActivationFunction(), name)

    def _transpose_conv_bias(self, op):
        """MediaPipe's `Convolution2DTransposeBias` custom op -> ConvTranspose + bias.

        Its custom options are the raw C struct TfLiteTransposeConvParams:
        {TfLitePadding padding; int stride_width; int stride_height} as 3 little-endian
        int32, where TfLitePadding is 1 = SAME, 2 = VALID (not the schema's enum). The
        kernel is OHWI like TFLite's TRANSPOSE_CONV, and, like ONNX, it is not flipped.
        """
        padding, stride_w, stride_h = struct.unpack("<3i", op.CustomOptionsAsNumpy().tobytes()[:12])
        x_i, w_i, b_i = op.InputsAsNumpy()[:3]
        out_i = op.OutputsAsNumpy()[0]
        w = self._const(w_i).astype(np.float32)  # [O, kh, kw, I]
        weight = w.transpose(3, 0, 1, 2)  # ONNX ConvTranspose wants [I, O, kh, kw]
        _, in_h, in_w, _ = self._shape(x_i)
        _, out_h, out_w, _ = self._shape(out_i)
        kh, kw = weight.shape[2], weight.shape[3]
        if padding == 1:  # SAME: output = input * stride, padding as the forward conv's
            total_h = max((in_h - 1) * stride_h + kh - out_h, 0)
            total_w = max((in_w - 1) * stride_w + kw - out_w, 0)
        elif padding == 2:  # VALID
            total_h = total_w = 0
        else:
            raise UnsupportedModel(f"Convolution2DTransposeBias padding {padding}")
        name = self._tensor_name(out_i)
        self.values[out_i] = self._node(
            "ConvTranspose",
            [
                self._input(x_i),
                self._initializer(name + "_weight", weight),
                self._initializer(name + "_bias", self._const(b_i).astype(np.float32)),
            ],
            name,
            kernel_shape=[kh, kw],
            strides=[stride_h, stride_w],
            pads=[total_h // 2, total_w // 2, total_h - total_h // 2, total_w - total_w // 2],
        )
        if [out_h, out_w] != [(in_h - 1) * stride_h + kh - total_h, (in_w - 1) * stride_w + kw - total_w]:
            raise UnsupportedModel("ConvTranspose output size would differ from TFLite's")

    def _pool(self, op, onnx_op: str):
        from tflite.Pool2DOptions import Pool2DOptions

        x_i = op.InputsAsNumpy()[0]
        out_i = op.OutputsAsNumpy()[0]
        o = self._options(op, Pool2DOptions)
        _, in_h, in_w, _ = self._shape(x_i)
        fh, fw, sh, sw = o.FilterHeight(), o.FilterWidth(), o.StrideH(), o.StrideW()
        name = self._tensor_name(out_i)
        x = self._input(x_i)
        if onnx_op == "AveragePool" and (fh, fw) == (in_h, in_w) and o.Padding() == Padding.VALID:
            # MediaPipe's squeeze-and-excite blocks pool the whole map: say so.
            y = self._node("GlobalAveragePool", [x], name)
        else:
            if o.Padding() == Padding.SAME:
                top, bottom = _same_pads(in_h, fh, sh)
                left, right = _same_pads(in_w, fw, sw)
            else:
                top = bottom = left = right = 0
            # TFLite's average pool leaves padding out of the count: ONNX's default too.
            y = self._node(
                onnx_op,
                [x],
                name + ("_pool" if o.FusedActivationFunction() else ""),
                kernel_shape=[fh, fw],
                strides=[sh, sw],
                pads=[top, left, bottom, right],
            )
        self.values[out_i] = self._fused_activation(y, o.FusedActivationFunction(), name)

    def _binary(self, op, onnx_op: str, options_class):
        a_i, b_i = op.InputsAsNumpy()[:2]
        out_i = op.OutputsAsNumpy()[0]
        rank = len(self._shape(out_i))
        name = self._tensor_name(out_i)
        fused = self._options(op, options_class).FusedActivationFunction() if op.BuiltinOptions() else 0
        y = self._node(
            onnx_op,
            [self._operand(a_i, rank), self._operand(b_i, rank)],
            name + ("_" + onnx_op.lower() if fused else ""),
        )
        self.values[out_i] = self._fused_activation(y, fused, name)

    def _unary(self, op, onnx_op: str, **attrs):
        x_i = op.InputsAsNumpy()[0]
        out_i = op.OutputsAsNumpy()[0]
        self.values[out_i] = self._node(onnx_op, [self._input(x_i)], self._tensor_name(out_i), **attrs)

    def _prelu(self, op):
        x_i, alpha_i = op.InputsAsNumpy()[:2]
        out_i = op.OutputsAsNumpy()[0]
        rank = len(self._shape(out_i))
        self.values[out_i] = self._node(
            "PRelu", [self._input(x_i), self._operand(alpha_i, rank)], self._tensor_name(out_i)
        )

    def _hard_swish(self, op):
        # hard_swish(x) = x * relu6(x + 3) / 6 = x * HardSigmoid(x; alpha=1/6, beta=0.5).
        x_i = op.InputsAsNumpy()[0]
        out_i = op.OutputsAsNumpy()[0]
        name = self._tensor_name(out_i)
        x = self._input(x_i)
        gate = self._node("HardSigmoid", [x], name + "_gate", alpha=1.0 / 6.0, beta=0.5)
        self.values[out_i] = self._node("Mul", [x, gate], name)

    def _pad(self, op):
        x_i, p_i = op.InputsAsNumpy()[:2]
        out_i = op.OutputsAsNumpy()[0]
        p = self._const(p_i).astype(np.int64)  # [[before, after]] per NHWC axis
        if p.shape != (4, 2):
            raise UnsupportedModel("PAD on a tensor that is not 4-D")
        nchw = p[[0, 3, 1, 2]]
        pads = np.concatenate([nchw[:, 0], nchw[:, 1]])  # ONNX: all befores, then all afters
        name = self._tensor_name(out_i)
        # MediaPipe uses PAD to add zero channels before a residual ADD ("channel padding").
        self.values[out_i] = self._node(
            "Pad", [self._input(x_i), self._initializer(name + "_pads", pads)], name, mode="constant"
        )

    def _reshape(self, op):
        x_i = op.InputsAsNumpy()[0]
        out_i = op.OutputsAsNumpy()[0]
        new_shape = self._shape(out_i)
        if len(new_shape) == 4:
            raise UnsupportedModel("RESHAPE to 4-D (would need a transpose back to NCHW)")
        # The output tensor's static shape is used rather than the options' new_shape,
        # which may hold a -1.
        name = self._tensor_name(out_i)
        x = self._to_flat_order(self._input(x_i), x_i, name)
        shape = self._initializer(name + "_shape", np.array(new_shape, np.int64))
        self.values[out_i] = self._node("Reshape", [x, shape], name)

    def _resize_bilinear(self, op):
        from tflite.ResizeBilinearOptions import ResizeBilinearOptions

        x_i = op.InputsAsNumpy()[0]
        out_i = op.OutputsAsNumpy()[0]
        o = self._options(op, ResizeBilinearOptions)
        _, in_h, in_w, _ = self._shape(x_i)
        _, out_h, out_w, _ = self._shape(out_i)
        if o.AlignCorners():
            mode = "align_corners"
        elif o.HalfPixelCenters():
            # TF's half_pixel_centers: src = (dst + 0.5) / scale - 0.5, clamped at the
            # edges, which is ONNX's half_pixel with linear interpolation.
            mode = "half_pixel"
        else:
            mode = "asymmetric"
        name = self._tensor_name(out_i)
        scales = np.array([1.0, 1.0, out_h / in_h, out_w / in_w], np.float32)
        if [int(in_h * scales[2]), int(in_w * scales[3])] != [out_h, out_w]:
            raise UnsupportedModel("RESIZE_BILINEAR to a size that is not an exact scale")
        self.values[out_i] = self._node(
            "Resize",
            [self._input(x_i), "", self._initializer(name + "_scales", scales)],
            name,
            mode="linear",
            coordinate_transformation_mode=mode,
        )

    def _dequantize(self, op):
        # Fold fp16 weights into fp32 initialisers (see the module docstring).
        x_i = op.InputsAsNumpy()[0]
        out_i = op.OutputsAsNumpy()[0]
        if self._tensor(x_i).Type() != TensorType.FLOAT16 or not self._is_const(x_i):
            raise UnsupportedModel("DEQUANTIZE of something other than an fp16 constant")
        self.consts[out_i] = self._const(x_i).astype(np.float32)

    # ---- driver ------------------------------------------------------------------------

    def _convert_op(self, op):
        from tflite.AddOptions import AddOptions
        from tflite.MulOptions import MulOptions
        from tflite.SubOptions import SubOptions

        code = self.model.OperatorCodes(op.OpcodeIndex())
        builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
        if builtin == BuiltinOperator.CUSTOM:
            custom = code.CustomCode().decode()
            if custom == "Convolution2DTransposeBias":
                return self._transpose_conv_bias(op)
            raise UnsupportedModel(f"custom operator {custom}")
        handlers = {
            BuiltinOperator.DEQUANTIZE: self._dequantize,
            BuiltinOperator.CONV_2D: lambda op: self._conv(op, depthwise=False),
            BuiltinOperator.DEPTHWISE_CONV_2D: lambda op: self._conv(op, depthwise=True),
            BuiltinOperator.MAX_POOL_2D: lambda op: self._pool(op, "MaxPool"),
            BuiltinOperator.AVERAGE_POOL_2D: lambda op: self._pool(op, "AveragePool"),
            BuiltinOperator.ADD: lambda op: self._binary(op, "Add", AddOptions),
            BuiltinOperator.MUL: lambda op: self._binary(op, "Mul", MulOptions),
            BuiltinOperator.SUB: lambda op: self._binary(op, "Sub", SubOptions),
            BuiltinOperator.PRELU: self._prelu,
            BuiltinOperator.RELU: lambda op: self._unary(op, "Relu"),
            BuiltinOperator.LOGISTIC: lambda op: self._unary(op, "Sigmoid"),
            BuiltinOperator.TANH: lambda op: self._unary(op, "Tanh"),
            BuiltinOperator.HARD_SWISH: self._hard_swish,
            BuiltinOperator.PAD: self._pad,
            BuiltinOperator.RESHAPE: self._reshape,
            BuiltinOperator.RESIZE_BILINEAR: self._resize_bilinear,
        }
        handler = handlers.get(builtin)
        if handler is None:
            raise UnsupportedModel(f"operator {_BUILTIN_NAMES.get(builtin, builtin)}")
        handler(op)

    def _rename(self, old: str, new: str):
        """Gives a value its public name (names are unique, so a global rename is safe)."""
        for node in self.nodes:
            node.input[:] = [new if v == old else v for v in node.input]
            node.output[:] = [new if v == old else v for v in node.output]

    def convert(
        self,
        *,
        input_name: str,
        outputs: list[tuple[str, str, list[int] | None]],
        graph_name: str,
        doc_string: str,
        metadata: dict[str, str],
    ) -> onnx.ModelProto:
        """Builds the ONNX model.

        `outputs` lists (TFLite output tensor name, ONNX output name, final shape or None):
        a final shape reshapes the output (in TFLite's NHWC element order) into something
        self-explanatory, e.g. [1, 1, 1, 1404] -> [1, 468, 3].
        """
        inputs = self.g.InputsAsNumpy().tolist()
        if len(inputs) != 1:
            raise UnsupportedModel("only single-input models are handled")
        in_i = inputs[0]
        n, h, w, c = self._shape(in_i)
        # Reserve the public names so that no internal value takes them.
        self.used_names.update([input_name] + [o[1] for o in outputs])
        self.values[in_i] = input_name
        graph_input = helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [n, c, h, w])

        for k in range(self.g.OperatorsLength()):
            self._convert_op(self.g.Operators(k))

        by_name = {self._tensor_name(i): i for i in self.g.OutputsAsNumpy().tolist()}
        if sorted(by_name) != sorted(o[0] for o in outputs):
            raise UnsupportedModel(f"model outputs are {sorted(by_name)}")
        graph_outputs = []
        for tfl_name, onnx_name, final_shape in outputs:
            index = by_name[tfl_name]
            value = self.values[index]
            shape = self._shape(index)
            if final_shape is not None:
                if int(np.prod(final_shape)) != int(np.prod(shape)):
                    raise UnsupportedModel(f"{tfl_name}: cannot reshape {shape} to {final_shape}")
                value = self._to_flat_order(value, index, onnx_name)
                shape_init = self._initializer(onnx_name + "_shape", np.array(final_shape, np.int64))
                self.nodes.append(helper.make_node("Reshape", [value, shape_init], [onnx_name], name=onnx_name))
                shape = final_shape
            else:
                if len(shape) == 4:
                    shape = [shape[0], shape[3], shape[1], shape[2]]
                self._rename(value, onnx_name)
            graph_outputs.append(helper.make_tensor_value_info(onnx_name, TensorProto.FLOAT, shape))

        graph = helper.make_graph(self.nodes, graph_name, [graph_input], graph_outputs, self.initializers)
        return finish_model(graph, doc_string, metadata)


def finish_model(graph: onnx.GraphProto, doc_string: str, metadata: dict[str, str]) -> onnx.ModelProto:
    """Wraps a graph in a model with fixed versions and producer, and checks it."""
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="sesame scripts/face-models",
        producer_version="1",
        doc_string=doc_string,
    )
    model.ir_version = IR_VERSION
    for key in sorted(metadata):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, metadata[key]
    onnx.checker.check_model(model, full_check=True)
    return model
