"""The base encoders: all-mpnet-base-v2 assembled from its five slices and checked by hash; LoRA on every layer's
attention whatever the encoder calls its projections."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from pipeline.errors import ModelError
from pipeline.models import encoders


@pytest.fixture
def fake_weights(monkeypatch):
    """Pretend the upstream weights are a 64-byte file, so a whole assembly fits in a test."""
    payload = bytes(range(64))
    monkeypatch.setattr(encoders, "MPNET_WEIGHTS", ("model.safetensors", 64, hashlib.sha256(payload).hexdigest()))
    return payload


def _slices(tmp_path, payload: bytes, pieces: int = 5) -> list:
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("all-mpnet-base-v2/model.safetensors", payload)
        zf.writestr("all-mpnet-base-v2/config.json", "{}")
        zf.writestr("all-mpnet-base-v2/desktop.ini", "[.ShellClassInfo]")
        zf.writestr("all-mpnet-base-v2/1_Pooling/desktop.ini", "x")
    data = archive.read_bytes()
    step = -(-len(data) // pieces)
    out = []
    for n in range(pieces):
        part = tmp_path / f"all-mpnet-base-v2.zip.{n + 1:03d}"
        part.write_bytes(data[n * step : (n + 1) * step])
        out.append(part)
    return out


def test_assembles_once_drops_desktop_ini_and_reuses_the_cache(tmp_path, monkeypatch, fake_weights):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    slices = _slices(tmp_path, fake_weights)
    calls = []
    monkeypatch.setattr(encoders, "_slices", lambda: calls.append(1) or slices)
    folder = encoders.mpnet_path()
    assert folder == tmp_path / "cache" / "all-mpnet-base-v2"
    assert (folder / "model.safetensors").read_bytes() == fake_weights
    assert (folder / "config.json").is_file() and not list(folder.rglob("desktop.ini"))
    assert encoders.mpnet_path() == folder and len(calls) == 1  # the second call reuses the verified folder
    (folder / "model.safetensors").write_bytes(b"short")
    with pytest.raises(ModelError, match="damaged"):
        encoders.mpnet_path()


def test_a_corrupt_slice_is_refused_in_one_line_and_leaves_no_folder(tmp_path, monkeypatch, fake_weights):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path / "cache"))
    slices = _slices(tmp_path, fake_weights[::-1])  # same size, other bytes: the hash differs
    monkeypatch.setattr(encoders, "_slices", lambda: slices)
    with pytest.raises(ModelError, match="sha256 .* expected") as err:
        encoders.mpnet_path()
    assert "\n" not in str(err.value)
    assert not (tmp_path / "cache" / "all-mpnet-base-v2").exists()
    assert not [p for p in (tmp_path / "cache").iterdir()]  # no half-assembled temporary folder either
    slices[2].write_bytes(b"garbage")
    with pytest.raises(ModelError, match="zip"):
        encoders.mpnet_path()


def test_a_wrong_size_is_refused_before_hashing(tmp_path, fake_weights):
    (tmp_path / "model.safetensors").write_bytes(fake_weights + b"!")
    with pytest.raises(ModelError, match="65 bytes, expected 64"):
        encoders.verify(tmp_path)


def test_missing_parts_name_the_package_and_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))
    monkeypatch.setattr(encoders, "MPNET_PARTS", ["no-such-package-part-001"])
    with pytest.raises(ModelError, match="no-such-package-part-001 is not installed.*--no-deps"):
        encoders.mpnet_path()


def _tiny(kind: str):
    from transformers import BertConfig, BertModel, MPNetConfig, MPNetModel

    shape = {"hidden_size": 32, "num_hidden_layers": 3, "num_attention_heads": 2, "intermediate_size": 64}
    if kind == "mpnet":
        return MPNetModel(MPNetConfig(vocab_size=50, **shape), add_pooling_layer=False)
    return BertModel(BertConfig(vocab_size=50, **shape), add_pooling_layer=False)


@pytest.mark.parametrize(
    ("kind", "attention"),
    [
        ("mpnet", ["attention.attn.q", "attention.attn.k", "attention.attn.v", "attention.attn.o"]),
        ("bert", ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]),
    ],
)
def test_lora_adapts_every_layers_attention_and_feed_forward(kind, attention):
    from peft import get_peft_model
    from peft.tuners.lora import LoraLayer

    from pipeline.classify.network import MeanPoolClassifier
    from pipeline.config import TrainConfig
    from pipeline.training.stance import lora_config, lora_targets

    model = MeanPoolClassifier(_tiny(kind), 3)
    cfg = TrainConfig(sources=[{"corpus": "semeval"}], dev=[{"corpus": "semeval"}])
    peft = get_peft_model(model, lora_config(cfg, 3, lora_targets(model)))
    adapted = {name for name, module in peft.named_modules() if isinstance(module, LoraLayer)}
    for layer in range(3):
        for proj in [*attention, "intermediate.dense", "output.dense"]:
            assert any(name.endswith(f"layer.{layer}.{proj}") for name in adapted), (layer, proj)
    assert not any("embeddings" in name for name in adapted)


@pytest.mark.model
def test_the_real_mpnet_is_verified_and_loads_offline():
    from transformers import AutoConfig, AutoTokenizer

    folder = encoders.mpnet_path()
    assert (folder / encoders.VERIFIED).read_text().strip() == encoders.MPNET_WEIGHTS[2]
    config = AutoConfig.from_pretrained(folder)
    assert (config.model_type, config.num_hidden_layers, config.hidden_size) == ("mpnet", 12, 768)
    assert AutoTokenizer.from_pretrained(folder)("the talks", "we walk away")["input_ids"][0] == 0
