#!/usr/bin/env python3
"""Test fixture for `fieldscope import ddmi`.

Writes, with random weights at a tiny configuration, a stage-1 DDMI image checkpoint laid out like the
authors' released files (mlvlab/DDMI @ 1b1764b; see shared/reference/ddmi-checkpoints.md), plus the
expected decode of a fixed latent, computed by an independent eager-PyTorch rendition of the authors'
image architecture (D2C-VAE Autoencoder + scale-injected "MLP" read-out). No line of the authors' code
is copied here; the modules below are written from the architecture description only.

    python3 write_ddmi_checkpoint.py --out DIR [--variant ok|missing|extra|misshaped] [--seed N]

Files written into DIR (variant "ok"; the other variants write only model-last.pt and config.yaml):
  model-last.pt         stage-1 dict: args, step, current_iters, model, mlp, opt, scaler, opt_sched, sn,
                        opt_d, criterion_2d; storages tagged 'cuda:0' like the authors' GPU-saved files
  config.yaml           the authors' d2c-vae YAML layout (configs/d2c-vae/afhq.yaml) at the tiny config
  latent.f32            z, float32 LE raw, [1, embed_dim, 8, 8], torch.Generator seeded 1234
  expected_R<R>.f32     decode of z at R x R, float32 raw [3, R, R], MLP output before the clamp to [-1,1]
  expected_fields.f32   the three basis fields of z: coarse [C,8,8], middle [C,16,16], fine [C,32,32]
  info.json             config numbers, file names, si per R

The expected outputs are the DETERMINISTIC, noise-free decode: each StyledConv's noise injection
(y + noise.weight * N(0,1)) is evaluated at the noise's expected value 0. The fixture's noise.weight
values are deliberately non-zero, so a reader that adds noise differs from the expected images.
Everything for the expected outputs is computed in float64 from the float32 weights as stored.
"""
import argparse
import json
import math
import os
import sys
from collections import OrderedDict

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:  # ctest reads 77 as "skipped" (tests/model/CMakeLists.txt)
    print("python3-torch is not installed (scripts/setup.sh installs it): the DDMI import fixture is skipped")
    sys.exit(77)

# ----------------------------------------------------------------------------------------------------
# Tiny configuration
CFG = dict(
    resolution=32, in_channels=3, ch=32, ch_mult=[1, 2, 4], num_res_blocks=1, z_channels=32,
    embed_dim=4, out_ch=8, hdbf_resolutions=[16, 8], attn_resolutions=[],
    mlp_in_ch=2, mlp_out_ch=3, mlp_ch=32, mlp_latent_dim=8,
)
LATENT = CFG["resolution"] // 2 ** (len(CFG["ch_mult"]) - 1)  # 8
RENDER_SIZES = [32, 48, 20, 7]
LATENT_SEED = 1234


# ----------------------------------------------------------------------------------------------------
# D2C-VAE autoencoder (module attribute names reproduce the authors' state_dict keys)

def swish(t):
    return t * torch.sigmoid(t)


def group_norm(channels):
    return nn.GroupNorm(32, channels, eps=1e-6, affine=True)


class ResBlock(nn.Module):
    """norm1-swish-conv1-norm2-swish-conv2, plus a 1x1 nin_shortcut when the width changes."""

    def __init__(self, cin, cout):
        super().__init__()
        self.norm1 = group_norm(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2 = group_norm(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        if cin != cout:
            self.nin_shortcut = nn.Conv2d(cin, cout, 1)
        self.changes_width = cin != cout

    def forward(self, x):
        y = self.conv1(swish(self.norm1(x)))
        y = self.conv2(swish(self.norm2(y)))
        skip = self.nin_shortcut(x) if self.changes_width else x
        return skip + y


class SelfAttention(nn.Module):
    """Single-head spatial self-attention with 1x1 q/k/v/proj_out."""

    def __init__(self, c):
        super().__init__()
        self.norm = group_norm(c)
        self.q, self.k, self.v, self.proj_out = (nn.Conv2d(c, c, 1) for _ in range(4))

    def forward(self, x):
        b, c, hh, ww = x.shape
        n = self.norm(x)
        q = self.q(n).flatten(2)          # b c N
        k = self.k(n).flatten(2)
        v = self.v(n).flatten(2)
        att = torch.softmax(torch.einsum("bci,bcj->bij", q, k) / math.sqrt(c), dim=-1)  # i query, j key
        out = torch.einsum("bcj,bij->bci", v, att).reshape(b, c, hh, ww)
        return x + self.proj_out(out)


class StridedDown(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, stride=2, padding=0)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))


class NearestUp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


def middle(c):
    m = nn.Module()
    m.block_1 = ResBlock(c, c)
    m.attn_1 = SelfAttention(c)
    m.block_2 = ResBlock(c, c)
    return m


def run_middle(m, h):
    return m.block_2(m.attn_1(m.block_1(h)))


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        widths = [c["ch"] * m for m in c["ch_mult"]]
        self.conv_in = nn.Conv2d(c["in_channels"], c["ch"], 3, padding=1)
        self.down = nn.ModuleList()
        width = c["ch"]
        for lvl, w in enumerate(widths):
            stage = nn.Module()
            stage.block = nn.ModuleList()
            for _ in range(c["num_res_blocks"]):
                stage.block.append(ResBlock(width, w))
                width = w
            stage.attn = nn.ModuleList()
            if lvl + 1 < len(widths):
                stage.downsample = StridedDown(width)
            self.down.append(stage)
        self.mid = middle(width)
        self.norm_out = group_norm(width)
        self.conv_out = nn.Conv2d(width, 2 * c["z_channels"], 3, padding=1)

    def forward(self, x):
        h = self.conv_in(x)
        for lvl, stage in enumerate(self.down):
            for blk in stage.block:
                h = blk(h)
            if lvl + 1 < len(self.down):
                h = stage.downsample(h)
        h = run_middle(self.mid, h)
        return self.conv_out(swish(self.norm_out(h)))


class Decoder(nn.Module):
    """Returns the basis fields coarse -> fine."""

    def __init__(self, c):
        super().__init__()
        levels = len(c["ch_mult"])
        width = c["ch"] * c["ch_mult"][-1]
        res = c["resolution"] // 2 ** (levels - 1)
        self.conv_in = nn.Conv2d(c["z_channels"], width, 3, padding=1)
        self.mid = middle(width)
        stages = {}
        for lvl in range(levels - 1, -1, -1):
            stage = nn.Module()
            stage.block = nn.ModuleList()
            w = c["ch"] * c["ch_mult"][lvl]
            for _ in range(c["num_res_blocks"] + 1):
                stage.block.append(ResBlock(width, w))
                width = w
            stage.attn = nn.ModuleList()
            stage.hdbf = nn.ModuleList()
            if res in c["hdbf_resolutions"]:
                stage.hdbf.append(nn.Conv2d(width, c["out_ch"], 1))
            if lvl != 0:
                stage.upsample = NearestUp(width)
                res *= 2
            stages[lvl] = stage
        self.up = nn.ModuleList([stages[i] for i in range(levels)])
        self.norm_out = group_norm(width)
        self.conv_out = nn.Conv2d(width, c["out_ch"], 3, padding=1)

    def forward(self, z):
        fields = []
        h = run_middle(self.mid, self.conv_in(z))
        for lvl in range(len(self.up) - 1, -1, -1):
            stage = self.up[lvl]
            for blk in stage.block:
                h = blk(h)
            if len(stage.hdbf):
                fields.append(stage.hdbf[0](h))
            if lvl != 0:
                h = stage.upsample(h)
        fields.append(self.conv_out(swish(self.norm_out(h))))
        return fields


class Autoencoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.encoder = Encoder(c)
        self.decoder = Decoder(c)
        self.quant_conv = nn.Conv2d(2 * c["z_channels"], 2 * c["embed_dim"], 1)
        self.post_quant_conv = nn.Conv2d(c["embed_dim"], c["z_channels"], 1)

    def encode_mean(self, x):
        return self.quant_conv(self.encoder(x)).chunk(2, dim=1)[0]

    def decode(self, z):
        return self.decoder(self.post_quant_conv(z))


# ----------------------------------------------------------------------------------------------------
# Scale-injected read-out ("MLP")

class ScaledLinear(nn.Module):
    """Equalized linear: y = x @ (W / sqrt(fan_in))^T + b."""

    def __init__(self, fan_in, fan_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(fan_out, fan_in))
        self.bias = nn.Parameter(torch.ones(fan_out))

    def forward(self, x):
        return F.linear(x, self.weight / math.sqrt(self.weight.shape[1]), self.bias)


class ModConv1x1(nn.Module):
    """Per-sample style-modulated 1x1 convolution, optionally demodulated."""

    def __init__(self, cin, cout, style_dim, demod):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1, cout, cin, 1, 1))
        self.modulation = ScaledLinear(style_dim, cin)
        self.demod = demod

    def forward(self, x, style):
        cin = x.shape[1]
        s = self.modulation(style)                                      # b, cin
        w = self.weight[0, :, :, 0, 0][None] * s[:, None, :] / math.sqrt(cin)  # b, cout, cin
        if self.demod:
            w = w * torch.rsqrt((w * w).sum(dim=2, keepdim=True) + 1e-8)
        return torch.einsum("boi,bihw->bohw", w, x)


class Noise(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, y):
        # Expected value of y + weight * N(0, 1): the fixture renders the deterministic decode.
        return y


class BiasLeaky(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(c))

    def forward(self, y):
        return F.leaky_relu(y + self.bias[None, :, None, None], 0.2) * math.sqrt(2.0)


class StyledConv(nn.Module):
    def __init__(self, cin, cout, style_dim):
        super().__init__()
        self.conv = ModConv1x1(cin, cout, style_dim, demod=True)
        self.noise = Noise()
        self.activate = BiasLeaky(cout)

    def forward(self, x, style):
        return self.activate(self.noise(self.conv(x, style)))


class EqualConv1x1(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, 1, 1))

    def forward(self, x):
        return F.conv2d(x, self.weight / math.sqrt(self.weight.shape[1]))


class StyledResBlock(nn.Module):
    def __init__(self, cin, cout, style_dim):
        super().__init__()
        self.conv1 = StyledConv(cin, cout, style_dim)
        self.conv2 = StyledConv(cout, cout, style_dim)
        self.conv3 = StyledConv(cout, cout, style_dim)
        self.skip = nn.Sequential(EqualConv1x1(cin, cout)) if cin != cout else None

    def forward(self, x, style):
        y = self.conv3(self.conv2(self.conv1(x, style), style), style)
        return (y + (x if self.skip is None else self.skip(x))) / math.sqrt(2.0)


class ToRGB(nn.Module):
    def __init__(self, cin, cout, style_dim):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1, cout, 1, 1))
        self.conv = ModConv1x1(cin, cout, style_dim, demod=False)

    def forward(self, x, style):
        return self.conv(x, style) + self.bias


class SinEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, t):
        half = self.dim // 2
        freqs = torch.exp(torch.arange(half, dtype=t.dtype) * (-math.log(10000.0) / (half - 1)))
        arg = t[:, None] * freqs[None, :]
        return torch.cat([arg.sin(), arg.cos()], dim=-1)


class ReadOut(nn.Module):
    def __init__(self, in_ch, latent_dim, out_ch, ch):
        super().__init__()
        emb = ch // 4
        self.time_mlp = nn.Sequential(SinEmbedding(emb), nn.Linear(emb, ch), nn.GELU(), nn.Linear(ch, ch))
        self.net_res1 = StyledResBlock(latent_dim + in_ch, ch, ch)
        self.net_res2 = StyledResBlock(ch + latent_dim + in_ch, ch, ch)
        self.net_res3 = StyledResBlock(ch + latent_dim + in_ch, ch, ch)
        self.net_res4 = StyledResBlock(ch, ch, ch)
        self.torgb = ToRGB(ch, out_ch, ch)

    def forward(self, fields, R, si):
        b = fields[0].shape[0]
        dt = fields[0].dtype
        axis = torch.linspace(-(R - 1) / R, (R - 1) / R, R, dtype=dt)
        gy, gx = torch.meshgrid(axis, axis, indexing="ij")
        grid = torch.stack([gx, gy], dim=-1)[None].expand(b, R, R, 2)       # (x, y) per pixel
        si_map = torch.full((b, 2, R, R), float(si), dtype=dt)
        style = self.time_mlp(torch.full((b,), float(si), dtype=dt))

        def read(f):
            s = F.grid_sample(f, grid, mode="bilinear", padding_mode="border", align_corners=False)
            return torch.cat([s, si_map], dim=1)

        x = self.net_res1(read(fields[0]), style)
        x = self.net_res2(torch.cat([x, read(fields[1])], dim=1), style)
        x = self.net_res3(torch.cat([x, read(fields[2])], dim=1), style)
        x = self.net_res4(x, style)
        return self.torgb(x, style)


# ----------------------------------------------------------------------------------------------------
# Weights

def randomize(module):
    """Non-degenerate random weights, drawn in named_parameters order from the global RNG."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            parent = name[: -len(leaf) - 1]
            owner = module.get_submodule(parent) if parent else module
            r = torch.randn(p.shape)
            if isinstance(owner, nn.GroupNorm):
                v = 1.0 + 0.1 * r if leaf == "weight" else 0.1 * r
            elif isinstance(owner, (nn.Conv2d, nn.Linear)):
                fan_in = p[0].numel() if leaf == "weight" else 1
                v = r / math.sqrt(fan_in) if leaf == "weight" else 0.1 * r
            elif isinstance(owner, ScaledLinear):
                v = r if leaf == "weight" else 1.0 + 0.1 * r
            elif isinstance(owner, (ModConv1x1, EqualConv1x1)):
                v = r
            elif isinstance(owner, Noise):
                v = 0.1 * r
            elif isinstance(owner, (BiasLeaky, ToRGB)):
                v = 0.1 * r
            else:
                raise RuntimeError("no init rule for " + name)
            p.copy_(v)


# ----------------------------------------------------------------------------------------------------
# Files

def write_raw(path, t):
    t = t.detach().to(torch.float32).contiguous()
    with open(path, "wb") as f:
        f.write(t.numpy().astype("<f4").tobytes())


def config_yaml(c):
    mult = "".join("      - %d\n" % m for m in c["ch_mult"])
    return (
        "model:\n"
        "  resume: False\n"
        "  use_fp16: True\n"
        "  amp: True\n"
        "  lr: 1e-4\n"
        "  embed_dim: %(embed_dim)d\n"
        "  params:\n"
        "    lossconfig:\n"
        "      multiscale: True\n"
        "      adversarial: False\n"
        "      disc_weight: -1\n"
        "      epochs: 200\n"
        "      kl_anneal: True\n"
        "      sn_reg: True\n"
        "      lr_scheduler: True\n"
        "\n"
        "    ddconfig:\n"
        "      double_z: True\n"
        "      z_channels: %(z_channels)d\n"
        "      resolution: %(resolution)d\n"
        "      in_channels: %(in_channels)d\n"
        "      out_ch: %(out_ch)d\n"
        "      ch: %(ch)d\n"
        "      ch_mult:\n" + mult +
        "      num_res_blocks: %(num_res_blocks)d\n"
        "      attn_resolutions: []\n"
        "      hdbf_resolutions: [%(hdbf)s]\n"
        "      dropout: 0.0\n"
        "      attn_type: vanilla\n"
        "\n"
        "    mlpconfig:\n"
        "      in_ch: %(mlp_in_ch)d\n"
        "      out_ch: %(mlp_out_ch)d\n"
        "      ch: %(mlp_ch)d\n"
        "      latent_dim: %(mlp_latent_dim)d\n"
        "\n"
        "data:\n"
        "  domain: image\n"
        "  mode: train\n"
        "  data_dir: ./train_data_path/       #replace directory with the directory data folder\n"
        "  test_data_dir: ./test_data_path/   #replace directory with the directory data folder\n"
        "  save_pth: ./save_path/             #where to save checkpoints\n"
        "  batch_size: 4\n"
        "  test_batch_size: 16\n"
        "  test_resolution: %(resolution)d\n"
    ) % dict(c, hdbf=", ".join(str(r) for r in c["hdbf_resolutions"]))


def spectral_state(model, groups=2):
    """The SpectralNormCalculator layout: {'sr_v': {Size([o, i*kh*kw]): [n, i*kh*kw]}, 'sr_u': {...: [n, o]}}."""
    shapes = OrderedDict()
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            key = torch.Size([m.weight.shape[0], m.weight[0].numel()])
            shapes[key] = shapes.get(key, 0) + 1
    sr_v, sr_u = {}, {}
    for key, n in list(shapes.items())[:groups]:
        sr_v[key] = F.normalize(torch.randn(n, key[1]), dim=1, eps=1e-3)
        sr_u[key] = F.normalize(torch.randn(n, key[0]), dim=1, eps=1e-3)
    return {"sr_v": sr_v, "sr_u": sr_u}


def save_as_gpu(obj, path):
    original = torch.serialization.location_tag
    torch.serialization.location_tag = lambda storage: "cuda:0"
    try:
        torch.save(obj, path)
    finally:
        torch.serialization.location_tag = original


def build(seed):
    torch.manual_seed(seed)
    c = CFG
    ae = Autoencoder(c)
    mlp = ReadOut(c["mlp_in_ch"], c["mlp_latent_dim"], c["mlp_out_ch"], c["mlp_ch"])
    assert c["mlp_latent_dim"] == c["out_ch"]

    # One real AdamW step (so that the state holds tensors), before the weights are drawn.
    params = list(ae.parameters()) + list(mlp.parameters())
    opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.99))
    loss = sum((p.double() ** 2).sum() for p in params) * 1e-3
    loss.backward()
    opt.step()
    opt.zero_grad(set_to_none=True)

    randomize(ae)
    randomize(mlp)
    return ae, mlp, opt


def expected(ae, mlp, z):
    ae64 = Autoencoder(CFG).double()
    ae64.load_state_dict(ae.state_dict())
    mlp64 = ReadOut(CFG["mlp_in_ch"], CFG["mlp_latent_dim"], CFG["mlp_out_ch"], CFG["mlp_ch"]).double()
    mlp64.load_state_dict(mlp.state_dict())
    with torch.no_grad():
        fields = ae64.decode(z.double())
        images = {}
        for R in RENDER_SIZES:
            si = CFG["resolution"] / R
            images[R] = (si, mlp64(fields, R, si)[0])
    return fields, images


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--out", required=True)
    ap.add_argument("--variant", default="ok", choices=["ok", "missing", "extra", "misshaped", "all"])
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.variant == "all":  # each variant into OUT/<variant>/ (the ctest fixture)
        for v in ["ok", "missing", "extra", "misshaped"]:
            write(argparse.Namespace(out=os.path.join(a.out, v), variant=v, seed=a.seed))
        return
    write(a)


def write(a):
    os.makedirs(a.out, exist_ok=True)

    ae, mlp, opt = build(a.seed)
    gen = torch.Generator().manual_seed(LATENT_SEED)
    z = torch.randn(1, CFG["embed_dim"], LATENT, LATENT, generator=gen)

    # Bring the read-out's output into a visible range. ToRGB does not demodulate, so output channel c
    # is linear in row c of torgb.conv.weight: pick a per-channel gain and offset (the offset goes into
    # torgb.bias) so that, pooled over all renders, the median of each channel sits near 0 and 97% of the
    # values lie within +-1. The offset keeps a small random part so the bias stays non-trivial.
    _, imgs = expected(ae, mlp, z)
    bias = mlp.torgb.bias.detach().double()[0, :, 0, 0]
    pooled = torch.cat([(img - bias[:, None, None]).flatten(1) for _, img in imgs.values()], dim=1)
    med = pooled.median(dim=1).values
    dev = torch.quantile((pooled - med[:, None]).abs(), 0.97, dim=1)
    gain = 1.0 / dev
    with torch.no_grad():
        mlp.torgb.conv.weight.mul_(gain.float()[None, :, None, None, None])
        mlp.torgb.bias.copy_((0.05 * bias - gain * med).float()[None, :, None, None])
    fields, images = expected(ae, mlp, z)

    model_sd = ae.state_dict()
    mlp_sd = mlp.state_dict()
    if a.variant == "missing":
        del model_sd["decoder.conv_out.bias"]
    elif a.variant == "extra":
        model_sd["decoder.up.0.block.9.conv1.weight"] = torch.randn(32, 32, 3, 3)
    elif a.variant == "misshaped":
        w = mlp_sd["net_res2.conv1.conv.weight"]
        mlp_sd["net_res2.conv1.conv.weight"] = torch.randn(w.shape[0], w.shape[1], w.shape[2] + 1, 1, 1)

    args = argparse.Namespace(
        exp="afhq", domain="image", embed_dim=CFG["embed_dim"], resolution=CFG["resolution"],
        configs="configs/d2c-vae/afhq.yaml", seed=a.seed,
        data_config=argparse.Namespace(domain="image", mode="train", test_resolution=CFG["resolution"]),
    )
    ckpt = OrderedDict()
    ckpt["args"] = args
    ckpt["step"] = 1
    ckpt["current_iters"] = 5
    ckpt["model"] = model_sd
    ckpt["mlp"] = mlp_sd
    ckpt["opt"] = opt.state_dict()
    ckpt["scaler"] = {"scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                      "growth_interval": 2000, "_growth_tracker": 0}
    ckpt["opt_sched"] = None
    ckpt["sn"] = spectral_state(ae)
    ckpt["opt_d"] = None
    ckpt["criterion_2d"] = None
    ckpt = dict(ckpt)
    path = os.path.join(a.out, "model-last.pt")
    save_as_gpu(ckpt, path)
    with open(os.path.join(a.out, "config.yaml"), "w") as f:
        f.write(config_yaml(CFG))
    print("wrote", path, "and config.yaml (variant %s)" % a.variant)

    # Self-check: reload on the CPU and list the entries.
    back = torch.load(path, map_location="cpu")
    assert list(back.keys())[0] == "args"
    for k, v in back.items():
        n = len(v) if isinstance(v, dict) else "-"
        print("  %-14s %-28s %s" % (k, type(v).__name__, n))
    if a.variant == "ok":
        assert list(back["model"].keys()) == list(ae.state_dict().keys())
        assert list(back["mlp"].keys()) == list(mlp.state_dict().keys())
        for k, t in ae.state_dict().items():
            assert torch.equal(back["model"][k], t), k
        for k, t in mlp.state_dict().items():
            assert torch.equal(back["mlp"][k], t), k
    if a.variant != "ok":
        return

    write_raw(os.path.join(a.out, "latent.f32"), z)
    write_raw(os.path.join(a.out, "expected_fields.f32"), torch.cat([f[0].flatten() for f in fields]))
    info = {
        "config": {k: v for k, v in CFG.items()},
        "latent_shape": [1, CFG["embed_dim"], LATENT, LATENT], "latent_seed": LATENT_SEED, "seed": a.seed,
        "files": {"checkpoint": "model-last.pt", "config": "config.yaml", "latent": "latent.f32",
                  "fields": "expected_fields.f32"},
        "fields": [{"shape": list(f.shape[1:])} for f in fields],
        "renders": [],
        "noise": "expected outputs are noise-free (noise term at its expected value 0)",
        "values": "read-out output before clamp to [-1,1]; float32 little-endian, channel-major",
    }
    print("fields:", [tuple(f.shape[1:]) for f in fields],
          "std", ["%.3f" % float(f.std()) for f in fields])
    for R in RENDER_SIZES:
        si, img = images[R]
        name = "expected_R%d.f32" % R
        write_raw(os.path.join(a.out, name), img)
        info["renders"].append({"R": R, "si": si, "file": name, "shape": [3, R, R]})
        std = img.flatten(1).std(dim=1)
        inside = float(((img >= -1.5) & (img <= 1.5)).double().mean())
        print("R=%-3d si=%.6f  channel std %s  min %.3f max %.3f  in[-1.5,1.5] %.1f%%" % (
            R, si, " ".join("%.3f" % float(s) for s in std), float(img.min()), float(img.max()), 100 * inside))
        assert float(std.min()) > 0.05 and inside > 0.9, "degenerate expected image at R=%d" % R
    with open(os.path.join(a.out, "info.json"), "w") as f:
        json.dump(info, f, indent=1)

    # Encoder -> quant_conv -> mean -> post_quant_conv -> decoder -> read-out on a random image.
    with torch.no_grad():
        img = torch.rand(1, 3, CFG["resolution"], CFG["resolution"]) * 2 - 1
        zm = ae.encode_mean(img)
        out = mlp(ae.decode(zm), CFG["resolution"], 1.0)
    print("round trip: image", tuple(img.shape), "-> z", tuple(zm.shape), "-> out", tuple(out.shape),
          "finite", bool(torch.isfinite(out).all()))


if __name__ == "__main__":
    sys.exit(main())
