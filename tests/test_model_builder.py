"""The offline model build: metadata the Tasks API needs, and a bundle MediaPipe can map."""

from __future__ import annotations

import zipfile

import flatbuffers
import pytest

from posecount.pose import model_builder as mb

tfl = pytest.importorskip("mediapipe.tasks.metadata.schema_py_generated")
md = pytest.importorskip("mediapipe.tasks.metadata.metadata_schema_py_generated")


def _tiny_tflite() -> bytes:
    """A minimal valid TFLite flatbuffer: one empty subgraph and one empty buffer."""
    model = tfl.ModelT()
    model.version = 3
    model.subgraphs = [tfl.SubGraphT()]
    model.buffers = [tfl.BufferT()]
    builder = flatbuffers.Builder(64)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


@pytest.mark.parametrize("part", [mb.DETECTOR, mb.LANDMARKS_FULL])
def test_metadata_carries_normalisation_and_outputs(part):
    with_meta = mb.add_metadata(_tiny_tflite(), part)
    model = tfl.Model.GetRootAsModel(with_meta, 0)
    entries = {model.Metadata(i).Name(): model.Metadata(i).Buffer() for i in range(model.MetadataLength())}
    assert b"TFLITE_METADATA" in entries
    raw = model.Buffers(entries[b"TFLITE_METADATA"]).DataAsNumpy().tobytes()
    assert raw[4:8] == b"M001"
    meta = md.ModelMetadataT.InitFromObj(md.ModelMetadata.GetRootAsModelMetadata(raw, 0))
    graph = meta.subgraphMetadata[0]
    norm = graph.inputTensorMetadata[0].processUnits[0].options
    assert list(norm.mean) == [part.norm_mean] and list(norm.std) == [part.norm_std]
    assert len(graph.outputTensorMetadata) == part.n_outputs
    assert model.SubgraphsLength() == 1  # the original model is intact


def test_adding_metadata_twice_keeps_one_entry():
    twice = mb.add_metadata(mb.add_metadata(_tiny_tflite(), mb.DETECTOR), mb.DETECTOR)
    model = tfl.Model.GetRootAsModel(twice, 0)
    names = [model.Metadata(i).Name() for i in range(model.MetadataLength())]
    assert names.count(b"TFLITE_METADATA") == 1


def test_bundle_members_are_stored_and_four_byte_aligned(tmp_path):
    parts = {"pose_detector.tflite": b"a" * 1001, "pose_landmarks_detector.tflite": b"b" * 77}
    path = tmp_path / "x.task"
    path.write_bytes(mb.bundle(parts))
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            assert zf.read(info.filename) == parts[info.filename]
            header = 30 + len(info.filename) + len(info.extra)
            assert (info.header_offset + header) % 4 == 0, info.filename


def test_a_wheel_with_a_wrong_file_is_refused(tmp_path):
    wheel = tmp_path / "mediapipe-0.10.21-fake.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(mb.DETECTOR.member, b"not the model")
    with pytest.raises(mb.ModelError, match="SHA-256"):
        mb.read_wheel_parts(wheel, (mb.DETECTOR,))
    with pytest.raises(mb.ModelError, match="cannot read"):
        mb.read_wheel_parts(wheel, (mb.LANDMARKS_FULL,))
