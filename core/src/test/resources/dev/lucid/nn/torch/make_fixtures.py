"""Makes the PyTorch archives TorchArchiveTest reads (run with Debian's python3-torch: /usr/bin/python3 make_fixtures.py).

scripted.pt     torch.jit.save of a small module: conv, BatchNorm (buffers), ModuleList of Linear, an fp16
                parameter, a registered buffer and a plain tensor attribute (like CLIP's attn_mask).
state_dict.pt   torch.save of a state_dict holding a non-contiguous (transposed) tensor and an int64 scalar.
expected.json   every tensor of both files: shape and row-major values.
"""
import json
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, bias=False)
        self.bn = nn.BatchNorm2d(3)
        self.layers = nn.ModuleList([nn.Linear(4, 5), nn.Linear(5, 2)])
        self.register_buffer("offsets", torch.full((2, 2), -1.5))
        self.attn_mask = torch.ones(2, 2)
        self.fp16 = nn.Parameter(torch.arange(6, dtype=torch.float16).reshape(2, 3) / 4)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x + self.attn_mask.sum()


torch.manual_seed(0)
m = Block()
with torch.no_grad():
    for i, (name, t) in enumerate(m.state_dict().items()):
        if t.dtype.is_floating_point and name != "fp16":
            t.copy_(torch.arange(t.numel(), dtype=t.dtype).reshape(t.shape) * 0.01 + i)
m.bn.num_batches_tracked.fill_(7)
m.eval()
torch.jit.save(torch.jit.script(m), "scripted.pt")

sd = {"t": torch.arange(6.0).reshape(2, 3).t(), "count": torch.tensor(42)}
torch.save(sd, "state_dict.pt")


def dump(d):
    return {k: {"shape": list(v.shape), "values": v.float().contiguous().reshape(-1).tolist()} for k, v in d.items()}


expected = {"scripted.pt": dump(dict(m.state_dict(), attn_mask=m.attn_mask)), "state_dict.pt": dump(sd)}
with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1)
