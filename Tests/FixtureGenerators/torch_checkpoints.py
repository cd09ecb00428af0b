"""Tiny torch.save checkpoints for the Swift TorchCheckpoint reader (restricted unpickler).

Run: PYTHONPATH=/tmp/omegaconf_pkgs /work/venv/bin/python Tests/FixtureGenerators/torch_checkpoints.py
(omegaconf is needed only for fairseq_dictconfig.pt; install it outside the repo with
`pip install --target /tmp/omegaconf_pkgs omegaconf`). Writes Tests/MusicSSLCoreTests/Fixtures/torch/:

  state_dict.pt            OrderedDict saved by torch.save (zip format, pickle protocol 2):
                           float32, float16, bfloat16, float64, int64 (values 2**40 + k),
                           a 0-d int64, an empty [0, 3] tensor, an nn.Parameter, and three
                           views of one [4, 6] storage: the whole, its transpose, a [2, 3] slice
                           at an offset (non-contiguous)
  state_dict_protocol4.pt  the same dict with pickle_protocol=4 (FRAME, MEMOIZE, STACK_GLOBAL)
  state_dict_legacy.pt     the same dict in the pre-1.6 format (_use_new_zipfile_serialization=False)
  expected.safetensors     every floating tensor above, contiguous float32, under the same name
  module.pt                Module.state_dict() as transformers' save_pretrained(safe_serialization=
                           False) writes it: the OrderedDict carries `_metadata` (set by BUILD),
                           and a weight-normed conv has parametrizations.weight.original0/1
  module.safetensors       the same state dict as safetensors, for comparison
  fairseq_like.pt          {"args": argparse.Namespace, "cfg": nested dicts, "model": OrderedDict,
                           "optimizer_history": [...], "extra_state": {...}}
  fairseq_dictconfig.pt    like fairseq_like.pt with cfg an omegaconf DictConfig (as fairseq >= 0.10)
  fairseq_structured.pt    cfg built as fairseq does, OmegaConf.structured of config dataclasses
                           with a choice enum, named as in fairseq (fairseq.dataclass.configs /
                           .constants, registered here as stand-in modules); extra_state holds
                           a numpy float64 scalar and a numpy array, as fairseq's meters do
"""

import argparse
import collections
import dataclasses
import enum
import os
import sys
import types
import typing

import numpy

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "MusicSSLCoreTests", "Fixtures", "torch")


def state_dict():
    generator = torch.Generator().manual_seed(4)
    base = torch.randn(4, 6, generator=generator)
    tensors = collections.OrderedDict()
    tensors["linear.weight"] = torch.randn(3, 4, generator=generator)
    tensors["shared.full"] = base
    tensors["shared.transposed"] = base.t()
    tensors["shared.slice"] = base[1:3, 2:5]
    tensors["half"] = torch.randn(5, generator=generator).half()
    tensors["bfloat"] = torch.randn(2, 3, generator=generator).bfloat16()
    tensors["double"] = torch.randn(3, generator=generator).double()
    tensors["steps"] = torch.arange(4, dtype=torch.int64) + 2**40
    tensors["count"] = torch.tensor(7, dtype=torch.int64)
    tensors["empty"] = torch.zeros(0, 3)
    tensors["param"] = torch.nn.Parameter(torch.randn(2, 2, generator=generator))
    return tensors


def module_state_dict():
    torch.manual_seed(6)
    conv = torch.nn.Conv1d(4, 4, kernel_size=3, groups=2)
    conv = torch.nn.utils.parametrizations.weight_norm(conv, name="weight", dim=2)
    module = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.LayerNorm(4), conv)
    return module.state_dict()


def fairseq_model():
    generator = torch.Generator().manual_seed(5)
    model = collections.OrderedDict()
    model["encoder.layers.0.fc1.weight"] = torch.randn(4, 2, generator=generator)
    model["encoder.layers.0.fc1.bias"] = torch.randn(4, generator=generator)
    return model


def fairseq_extras():
    return {
        "optimizer_history": [
            {
                "criterion_name": "HubertCriterion",
                "optimizer_name": "FairseqAdam",
                "lr_scheduler_state": {"best": None},
                "num_updates": 400000,
            }
        ],
        "extra_state": {"epoch": 3, "best_loss": 2.5, "flags": (True, False)},
    }


def structured_config():
    """OmegaConf.structured of dataclasses whose pickled names are fairseq's own."""
    from omegaconf import OmegaConf

    constants = types.ModuleType("fairseq.dataclass.constants")
    configs = types.ModuleType("fairseq.dataclass.configs")
    for name in ["fairseq", "fairseq.dataclass"]:
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules[constants.__name__] = constants
    sys.modules[configs.__name__] = configs

    class StrEnum(enum.Enum):
        def __str__(self):
            return self.value

    choices = StrEnum("DDP_BACKEND_CHOICES", {"c10d": "c10d", "no_c10d": "no_c10d"})
    choices.__module__ = constants.__name__
    constants.DDP_BACKEND_CHOICES = choices

    @dataclasses.dataclass
    class DistributedTrainingConfig:
        ddp_backend: choices = choices.no_c10d
        world_size: typing.Optional[int] = None

    @dataclasses.dataclass
    class FairseqConfig:
        distributed_training: DistributedTrainingConfig = dataclasses.field(
            default_factory=DistributedTrainingConfig
        )
        lr: typing.List[float] = dataclasses.field(default_factory=lambda: [0.0005])
        label_rate: float = 50.0

    for cls in (DistributedTrainingConfig, FairseqConfig):
        cls.__module__ = configs.__name__
        cls.__qualname__ = cls.__name__
        setattr(configs, cls.__name__, cls)
    return OmegaConf.structured(FairseqConfig)


def main():
    os.makedirs(OUT, exist_ok=True)
    tensors = state_dict()
    torch.save(tensors, os.path.join(OUT, "state_dict.pt"))
    torch.save(tensors, os.path.join(OUT, "state_dict_protocol4.pt"), pickle_protocol=4)
    torch.save(
        tensors,
        os.path.join(OUT, "state_dict_legacy.pt"),
        _use_new_zipfile_serialization=False,
    )
    expected = {
        name: tensor.detach().float().contiguous()
        for name, tensor in tensors.items()
        if tensor.is_floating_point()
    }
    save_file(expected, os.path.join(OUT, "expected.safetensors"))

    module = module_state_dict()
    torch.save(module, os.path.join(OUT, "module.pt"))
    save_file(
        {name: tensor.contiguous() for name, tensor in module.items()},
        os.path.join(OUT, "module.safetensors"),
    )

    cfg = {
        "model": {"_name": "hubert", "encoder_layers": 2, "dropout": 0.1, "conv": [[512, 10, 5]]},
        "task": {"_name": "hubert_pretraining", "sample_rate": 16000, "labels": ["km"]},
    }
    checkpoint = {
        "args": argparse.Namespace(arch="hubert", encoder_layers=2),
        "cfg": cfg,
        "model": fairseq_model(),
        **fairseq_extras(),
    }
    torch.save(checkpoint, os.path.join(OUT, "fairseq_like.pt"))

    from omegaconf import OmegaConf

    checkpoint = {
        "args": None,
        "cfg": OmegaConf.create(cfg),
        "model": fairseq_model(),
        **fairseq_extras(),
    }
    torch.save(checkpoint, os.path.join(OUT, "fairseq_dictconfig.pt"))

    checkpoint = {
        "args": None,
        "cfg": structured_config(),
        "model": fairseq_model(),
        "extra_state": {"loss": numpy.float64(2.5), "lengths": numpy.arange(3)},
    }
    torch.save(checkpoint, os.path.join(OUT, "fairseq_structured.pt"))


if __name__ == "__main__":
    main()
