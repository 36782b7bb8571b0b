"""Reference values for LpipsTest and FrechetDistanceTest (run with Debian's python3-torch: /usr/bin/python3 ...).

LPIPS: the computation of the `lpips` package (v0.1, net='alex'): scaling layer, AlexNet relu1..relu5,
channel-normalised features, squared difference, 1x1 linear heads (the shipped v0.1 weights), spatial mean,
sum over layers. The AlexNet weights are not the ImageNet ones (not available here) but a formula both this
script and the Java test evaluate: w[i] = 0.05 * sin(0.37 * i + layer), bias[j] = 0.01 * cos(j + layer).
Images are formulas too (see image()).

FID: a tiny TorchScript "feature extractor" (global average pool + fixed linear map to 4-d), standing in for
a user's Inception export, and the Frechet distance computed with scipy-free numpy (eigh-based sqrtm).
"""
import json
import math
import numpy as np
import torch
import torch.nn.functional as F

CONVS = [(3, 64, 11, 4, 2), (64, 192, 5, 1, 2), (192, 384, 3, 1, 1), (384, 256, 3, 1, 1), (256, 256, 3, 1, 1)]
NAMES = ["features.0", "features.3", "features.6", "features.8", "features.10"]


def formula_weights():
    sd = {}
    for layer, ((cin, cout, k, s, p), name) in enumerate(zip(CONVS, NAMES)):
        n = cout * cin * k * k
        sd[name + ".weight"] = (0.05 * torch.sin(0.37 * torch.arange(n, dtype=torch.float64) + layer)).float().reshape(cout, cin, k, k)
        sd[name + ".bias"] = (0.01 * torch.cos(torch.arange(cout, dtype=torch.float64) + layer)).float()
    return sd


def image(kind, h=64, w=80):
    y = torch.arange(h, dtype=torch.float64)[:, None]
    x = torch.arange(w, dtype=torch.float64)[None, :]
    chans = []
    for c in range(3):
        v = 0.5 + 0.4 * torch.sin(0.21 * x + 0.13 * y + c) * torch.cos(0.05 * x * (kind + 1) - 0.07 * y + 0.5 * c)
        chans.append(v)
    return torch.stack(chans)[None].float()


def lpips(img0, img1, sd, lins):
    shift = torch.tensor([-.030, -.088, -.188])[None, :, None, None]
    scale = torch.tensor([.458, .448, .450])[None, :, None, None]
    feats = []
    for img in (img0, img1):
        x = ((2 * img - 1) - shift) / scale
        outs = []
        for layer, ((cin, cout, k, s, p), name) in enumerate(zip(CONVS, NAMES)):
            if layer in (1, 2):
                x = F.max_pool2d(x, 3, 2)
            x = F.relu(F.conv2d(x, sd[name + ".weight"], sd[name + ".bias"], stride=s, padding=p))
            outs.append(x / (torch.sqrt(torch.sum(x ** 2, dim=1, keepdim=True)) + 1e-10))
        feats.append(outs)
    total = 0.0
    for k in range(5):
        d = (feats[0][k] - feats[1][k]) ** 2
        total += float(F.conv2d(d, lins[k].reshape(1, -1, 1, 1)).mean())
    return total


class Extractor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Parameter(torch.tensor([[1.0, 0.5, -0.3], [0.2, -1.0, 0.7], [0.0, 0.3, 1.1], [-0.6, 0.4, 0.2]]))

    def forward(self, x):
        pooled = x.mean(dim=(2, 3))
        return pooled @ self.proj.t() + (pooled ** 2) @ self.proj.t().abs()


def sqrtm_trace(a, b):
    w, v = np.linalg.eigh(a)
    sa = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = sa @ b @ sa
    return float(np.sum(np.sqrt(np.clip(np.linalg.eigvalsh((m + m.T) / 2), 0, None))))


def fid(f1, f2):
    mu1, mu2 = f1.mean(0), f2.mean(0)
    c1, c2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(c1) + np.trace(c2) - 2 * sqrtm_trace(c1, c2))


if __name__ == "__main__":
    lin = np.load("/work/shared/weights/lpips/v0.1/alex_lin.npz")
    lins = [torch.from_numpy(lin["lin%d" % k]) for k in range(5)]
    sd = formula_weights()
    cases = [[0, 1], [0, 2], [1, 2], [0, 0]]
    out = {"lpips": [{"a": a, "b": b, "distance": lpips(image(a), image(b), sd, lins)} for a, b in cases]}
    ex = torch.jit.script(Extractor())
    ex.save("fid_extractor.pt")
    sets = [[image(k, 32, 40) * (0.8 + 0.05 * k) for k in range(6)], [image(k + 3, 32, 40) for k in range(6)]]
    feats = [ex(torch.cat(s)).detach().double().numpy() for s in sets]
    out["fid"] = {"distance": fid(feats[0], feats[1]), "features_a": feats[0].tolist(), "features_b": feats[1].tolist()}
    with open("expected_lpips_fid.json", "w") as f:
        json.dump(out, f, indent=1)
