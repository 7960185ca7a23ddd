#!/usr/bin/env python3
"""Test fixture for `fieldscope import ddmi`.

Writes, with random weights at a tiny configuration, a stage-1 DDMI image checkpoint laid out like the
authors' released files (mlvlab/DDMI @ 1b1764b; see shared/reference/ddmi-checkpoints.md), plus the
expected decode of a fixed latent, computed by an independent eager-PyTorch rendition of the authors'
image architecture (D2C-VAE Autoencoder + scale-injected "MLP" read-out). No line of the authors' code
is copied here; the modules below are written from the architecture description only.

    python3 write_ddmi_checkpoint.py --out DIR [--variant ok|missing|extra|misshaped|all] [--seed N]
    python3 write_ddmi_checkpoint.py --check-keys shared/reference/ddmi-keys/image_afhq_keys.tsv

Files written into DIR (variant "ok"; the other variants write only model-last.pt and config.yaml):
  model-last.pt         stage-1 dict: args, step, current_iters, model, mlp, opt, scaler, opt_sched, sn,
                        opt_d, criterion_2d; storages tagged 'cuda:0' like the authors' GPU-saved files
  config.yaml           the authors' d2c-vae YAML layout (configs/d2c-vae/afhq.yaml) at the tiny config
  latent.f32            z, float32 LE raw, [1, embed_dim, 8, 8], torch.Generator seeded 1234
  expected_R<R>.f32     decode of z at R x R, float32 raw [3, R, R], MLP output before the clamp to [-1,1]
  expected_fields.f32   the three basis fields of z: coarse [C,8,8], middle [C,16,16], fine [C,32,32]
  info.json             config numbers, file names, si per R; the stage-2 files under "ldm"
  pytorch_model.bin     the Hugging Face release's layout: one flat state_dict, ldm.* (EMA DDPM), vae.*, mlp.*
  ldm-last.pt           stage-2 dict: args, step, current_iters, vaemodel (= model-last.pt model), mlp,
                        diffusion (RAW DDPM: mixing_logit, 12 schedule buffers, model.* = UNet), dae_opt,
                        ema (initted, step, online_model.* = raw, ema_model.* = EMA copy), scaler; 'cuda:0'
  config_ldm.yaml       the authors' ldm YAML layout (configs/ldm/afhq.yaml) at the tiny config
  xT.f32                initial noise [1, embed_dim, 8, 8], float32 raw, torch.Generator seeded 4321
  expected_ldm_eps_t999.f32  mixed eps of the EMA DDPM at t = 999 for xT, [1, embed_dim, 8, 8]
  expected_ldm_z0.f32   DDIM (eta 0) sample from xT with the EMA DDPM, S = 5 steps, [1, embed_dim, 8, 8]

The expected outputs are the DETERMINISTIC, noise-free decode: each StyledConv's noise injection
(y + noise.weight * N(0,1)) is evaluated at the noise's expected value 0. The fixture's noise.weight
values are deliberately non-zero, so a reader that adds noise differs from the expected images.
Everything for the expected outputs is computed in float64 from the float32 weights as stored.

Stage 2 (variant "ok" only) is built after every stage-1 file exists, from its own random streams
(torch.Generator seeded seed+100, global RNG forked and seeded seed+200 for the module constructors), so the
stage-1 files are the same bytes as before it was added. The UNet is guided-diffusion's UNetModel as the
authors configure it (legacy head split, no scale-shift norm, conv resampling), written from its description;
`--check-keys TSV` builds it at the AFHQ paper config (on the meta device) and compares its names and shapes
with the `ema_model.*` rows of shared/reference/ddmi-keys/image_afhq_keys.tsv. The expected stage-2 outputs use
the EMA copy and take the DDIM coefficients from the stored float32 buffers the authors index
(sqrt_one_minus_alphas_cumprod for the mixing, sqrt_recip(m1)_alphas_cumprod for x0, alphas_cumprod[t_next]
for the step); the time embedding's argument t * freq is formed in float32 as theirs, cos/sin in float64.
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
# Stage 2: latent DDPM around guided-diffusion's UNetModel (module attribute names reproduce the keys)

UNET_CFG = dict(image_size=8, in_channels=4, model_channels=32, out_channels=4, attention_resolutions=[2],
                num_res_blocks=1, channel_mult=[1, 2], num_head_channels=16)
PAPER_UNET_CFG = dict(image_size=64, in_channels=64, model_channels=224, out_channels=64,
                      attention_resolutions=[8, 4, 2], num_res_blocks=2, channel_mult=[1, 2, 4, 6],
                      num_head_channels=32)  # configs/ldm/afhq.yaml, for --check-keys
DDPM_CFG = dict(timesteps=1000, image_size=8, channels=4, clip_denoised=False, mixed_prediction=True,
                mixed_init=-6, sampling_timesteps=5, ddim_sampling_eta=0.0)
XT_SEED = 4321
STAGE2_SEED = 100       # torch.Generator(seed + 100): UNet weights, EMA offsets
STAGE2_INIT_SEED = 200  # forked global RNG (seed + 200): module constructors before the AdamW step
SCHEDULE_NAMES = ["betas", "alphas_cumprod", "alphas_cumprod_prev", "sqrt_alphas_cumprod",
                  "sqrt_one_minus_alphas_cumprod", "log_one_minus_alphas_cumprod", "sqrt_recip_alphas_cumprod",
                  "sqrt_recipm1_alphas_cumprod", "posterior_variance", "posterior_log_variance_clipped",
                  "posterior_mean_coef1", "posterior_mean_coef2"]


def unet_group_norm(c, dev):
    return nn.GroupNorm(32, c, eps=1e-5, device=dev)


class UNetResBlock(nn.Module):
    """[norm, SiLU, conv3x3] + Linear(SiLU(emb)) per channel, then [norm, SiLU, dropout, conv3x3]; 1x1 skip."""

    def __init__(self, cin, cout, emb_dim, dev=None):
        super().__init__()
        self.in_layers = nn.Sequential(unet_group_norm(cin, dev), nn.SiLU(),
                                       nn.Conv2d(cin, cout, 3, padding=1, device=dev))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb_dim, cout, device=dev))
        self.out_layers = nn.Sequential(unet_group_norm(cout, dev), nn.SiLU(), nn.Dropout(0.0),
                                        nn.Conv2d(cout, cout, 3, padding=1, device=dev))
        self.skip_connection = nn.Identity() if cin == cout else nn.Conv2d(cin, cout, 1, device=dev)

    def forward(self, x, emb):
        h = self.in_layers(x) + self.emb_layers(emb).unsqueeze(-1).unsqueeze(-1)
        return self.skip_connection(x) + self.out_layers(h)


class UNetAttention(nn.Module):
    """Multi-head self-attention over the pixels; legacy layout: the 3c qkv channels hold, head after head,
    [q | k | v] of d = c / heads channels each."""

    def __init__(self, c, head_channels, dev=None):
        super().__init__()
        self.heads = c // head_channels
        self.norm = unet_group_norm(c, dev)
        self.qkv = nn.Conv1d(c, 3 * c, 1, device=dev)
        self.proj_out = nn.Conv1d(c, c, 1, device=dev)

    def forward(self, x):
        b, c, hh, ww = x.shape
        n = hh * ww
        seq = x.reshape(b, c, n)
        d = c // self.heads
        per_head = self.qkv(self.norm(seq)).reshape(b * self.heads, 3 * d, n)
        q, k, v = per_head[:, :d], per_head[:, d:2 * d], per_head[:, 2 * d:]
        g = d ** -0.25                                                   # applied to q and k each
        logits = torch.matmul((q * g).transpose(1, 2), k * g)            # (b*heads, query, key)
        mixed = torch.matmul(v, torch.softmax(logits, dim=-1).transpose(1, 2))  # (b*heads, d, query)
        return (seq + self.proj_out(mixed.reshape(b, c, n))).reshape(b, c, hh, ww)


class UNetDown(nn.Module):
    def __init__(self, c, dev=None):
        super().__init__()
        self.op = nn.Conv2d(c, c, 3, stride=2, padding=1, device=dev)

    def forward(self, x):
        return self.op(x)


class UNetUp(nn.Module):
    def __init__(self, c, dev=None):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1, device=dev)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class UNetStage(nn.ModuleList):
    """One entry of input_blocks / middle_block / output_blocks: layers applied in turn, res blocks get emb."""

    def forward(self, x, emb):
        for layer in self:
            x = layer(x, emb) if isinstance(layer, UNetResBlock) else layer(x)
        return x


def timestep_embedding(t, dim, dtype):
    """[cos | sin] of t * 10000^(-i/half); the argument is formed in float32 like the authors' code."""
    half = dim // 2
    freqs = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000.0) / half))
    arg = (t.to(torch.float32)[:, None] * freqs[None, :]).to(dtype)
    return torch.cat([torch.cos(arg), torch.sin(arg)], dim=1)


class UNet(nn.Module):
    def __init__(self, u, dev=None):
        super().__init__()
        mc, nrb, mults = u["model_channels"], u["num_res_blocks"], u["channel_mult"]
        attn, head_ch = u["attention_resolutions"], u["num_head_channels"]
        ed = 4 * mc
        self.model_channels = mc
        self.time_embed = nn.Sequential(nn.Linear(mc, ed, device=dev), nn.SiLU(), nn.Linear(ed, ed, device=dev))
        self.input_blocks = nn.ModuleList(
            [UNetStage([nn.Conv2d(u["in_channels"], mc, 3, padding=1, device=dev)])])
        widths = [mc]  # channels after every input block: the skips
        ch, ds = mc, 1
        for lvl, mult in enumerate(mults):
            for _ in range(nrb):
                stage = UNetStage([UNetResBlock(ch, mult * mc, ed, dev)])
                ch = mult * mc
                if ds in attn:
                    stage.append(UNetAttention(ch, head_ch, dev))
                self.input_blocks.append(stage)
                widths.append(ch)
            if lvl != len(mults) - 1:
                self.input_blocks.append(UNetStage([UNetDown(ch, dev)]))
                widths.append(ch)
                ds *= 2
        self.middle_block = UNetStage([UNetResBlock(ch, ch, ed, dev), UNetAttention(ch, head_ch, dev),
                                       UNetResBlock(ch, ch, ed, dev)])
        self.output_blocks = nn.ModuleList()
        for lvl in range(len(mults) - 1, -1, -1):
            for i in range(nrb + 1):
                stage = UNetStage([UNetResBlock(ch + widths.pop(), mc * mults[lvl], ed, dev)])
                ch = mc * mults[lvl]
                if ds in attn:
                    stage.append(UNetAttention(ch, head_ch, dev))
                if lvl > 0 and i == nrb:
                    stage.append(UNetUp(ch, dev))
                    ds //= 2
                self.output_blocks.append(stage)
        assert not widths
        self.out = nn.Sequential(unet_group_norm(ch, dev), nn.SiLU(),
                                 nn.Conv2d(ch, u["out_channels"], 3, padding=1, device=dev))

    def forward(self, x, t):
        emb = self.time_embed(timestep_embedding(t, self.model_channels, x.dtype))
        skips = []
        h = x
        for stage in self.input_blocks:
            h = stage(h, emb)
            skips.append(h)
        h = self.middle_block(h, emb)
        for stage in self.output_blocks:
            h = stage(torch.cat([h, skips.pop()], dim=1), emb)
        return self.out(h)


def ddpm_schedule(T):
    """Linear-in-sqrt betas in float64, the standard DDPM quantities, stored float32."""
    import numpy as np
    betas = (torch.linspace(0.0015 ** 0.5, 0.0195 ** 0.5, T, dtype=torch.float64) ** 2).numpy()
    alphas = 1.0 - betas
    ac = np.cumprod(alphas)
    ac_prev = np.concatenate([[1.0], ac[:-1]])
    post_var = betas * (1.0 - ac_prev) / (1.0 - ac)
    vals = [betas, ac, ac_prev, np.sqrt(ac), np.sqrt(1.0 - ac), np.log(1.0 - ac), np.sqrt(1.0 / ac),
            np.sqrt(1.0 / ac - 1.0), post_var, np.log(np.maximum(post_var, 1e-20)),
            betas * np.sqrt(ac_prev) / (1.0 - ac), (1.0 - ac_prev) * np.sqrt(alphas) / (1.0 - ac)]
    return OrderedDict((k, torch.tensor(v, dtype=torch.float32)) for k, v in zip(SCHEDULE_NAMES, vals))


class LatentDDPM(nn.Module):
    """state_dict: mixing_logit (own parameter), the 12 schedule buffers, then model.* (the UNet)."""

    def __init__(self, u, d, dev=None):
        super().__init__()
        self.model = UNet(u, dev)
        for k, v in ddpm_schedule(d["timesteps"]).items():
            self.register_buffer(k, v)
        self.mixing_logit = nn.Parameter(torch.full((1, d["channels"], 1, 1), float(d["mixed_init"]), device=dev))


class EMAState(nn.Module):
    """The ema_pytorch.EMA state_dict layout: initted, step, online_model.*, ema_model.*."""

    def __init__(self, online, ema, step):
        super().__init__()
        self.online_model = online
        self.ema_model = ema
        self.register_buffer("initted", torch.tensor(True))
        self.register_buffer("step", torch.tensor(step, dtype=torch.int64))


def randomize_ddpm(ddpm, gen):
    """Non-degenerate weights from `gen` in named_parameters order (no zero-initialised output layers)."""
    with torch.no_grad():
        for name, p in ddpm.named_parameters():
            r = torch.randn(p.shape, generator=gen)
            leaf = name.rsplit(".", 1)[-1]
            owner = ddpm.get_submodule(name[: -len(leaf) - 1]) if "." in name else ddpm
            if name == "mixing_logit":
                v = r                                            # gate sigmoid(m) around one half
            elif isinstance(owner, nn.GroupNorm):
                v = 1.0 + 0.1 * r if leaf == "weight" else 0.1 * r
            elif isinstance(owner, (nn.Conv1d, nn.Conv2d, nn.Linear)):
                v = r / math.sqrt(p[0].numel()) if leaf == "weight" else 0.1 * r
            else:
                raise RuntimeError("no init rule for " + name)
            p.copy_(v)


def ema_offsets(ddpm, gen):
    """The EMA copy: every parameter moved by a fifth of its init scale (buffers equal)."""
    with torch.no_grad():
        for name, p in ddpm.named_parameters():
            r = torch.randn(p.shape, generator=gen)
            is_weight = name.endswith(".weight") and p.dim() > 1
            p.add_(0.2 * r / math.sqrt(p[0].numel()) if is_weight else 0.05 * r)


def ddim_pairs(T, S):
    times = torch.linspace(-1, T - 1, S + 1).int().tolist()[::-1]
    return list(zip(times[:-1], times[1:]))


def sample_ldm(unet, buf, logit, x, S, T=1000, from_abar=False):
    """Mixed eps at the first step and the DDIM (eta 0) result, in the dtype of x. buf: the schedule buffers.
    from_abar=False takes each coefficient from the buffer the authors index; True derives all from abar."""
    dt = x.dtype
    abar = buf["alphas_cumprod"].to(dt)

    def coef(name, t):
        if not from_abar:
            return buf[name].to(dt)[t]
        a = abar[t]
        return {"sqrt_one_minus_alphas_cumprod": (1 - a).sqrt(), "sqrt_recip_alphas_cumprod": (1 / a).sqrt(),
                "sqrt_recipm1_alphas_cumprod": (1 / a - 1).sqrt()}[name]

    gate = torch.sigmoid(logit.to(dt))
    first_eps = None
    for t, t_next in ddim_pairs(T, S):
        net = unet(x, torch.full((x.shape[0],), t, dtype=torch.long))
        eps = (1 - gate) * coef("sqrt_one_minus_alphas_cumprod", t) * x + gate * net
        if first_eps is None:
            first_eps = eps
        x0 = coef("sqrt_recip_alphas_cumprod", t) * x - coef("sqrt_recipm1_alphas_cumprod", t) * eps
        if t_next < 0:
            return first_eps, x0
        a_next = abar[t_next]
        x = a_next.sqrt() * x0 + (1 - a_next).sqrt() * eps


def ema_eval(ema_sd, dtype, from_abar=False, xT=None, S=None):
    """Rebuild the sampling network (ema_model.*) in `dtype` from a state_dict and run sample_ldm."""
    unet = UNet(UNET_CFG).to(dtype).eval()
    pre = "ema_model.model."
    unet.load_state_dict(OrderedDict((k[len(pre):], v) for k, v in ema_sd.items() if k.startswith(pre)))
    buf = {k: ema_sd["ema_model." + k] for k in SCHEDULE_NAMES}
    with torch.no_grad():
        return sample_ldm(unet, buf, ema_sd["ema_model.mixing_logit"], xT.to(dtype),
                          S or DDPM_CFG["sampling_timesteps"], DDPM_CFG["timesteps"], from_abar)


def check_keys(tsv):
    """Names, shapes and order of the UNet at the AFHQ paper config against the reference key list."""
    ref = []
    with open(tsv) as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            if col[0] == "ldm-last.pt" and col[1] == "ema" and col[2].startswith("ema_model."):
                ref.append((col[2], col[3]))
    d = dict(DDPM_CFG, channels=PAPER_UNET_CFG["in_channels"])
    ddpm = LatentDDPM(PAPER_UNET_CFG, d, dev="meta")
    mine = [("ema_model." + k, "x".join(str(n) for n in v.shape)) for k, v in ddpm.state_dict().items()]
    nparam = sum(p.numel() for p in ddpm.model.parameters())
    print("check-keys: reference %d ema_model.* entries, mine %d, UNet %.1f M parameters"
          % (len(ref), len(mine), nparam / 1e6))
    bad = [(a, b) for a, b in zip(ref, mine) if a != b]
    for a, b in bad[:10]:
        print("  reference %s %s | mine %s %s" % (a + b))
    ok = len(ref) == len(mine) and not bad
    print("check-keys:", "names, shapes and order match" if ok else "MISMATCH")
    return 0 if ok else 1


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


def vae_sections(c):
    """The ddconfig and mlpconfig sections both config layouts share."""
    mult = "".join("      - %d\n" % m for m in c["ch_mult"])
    return (
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
    ) % dict(c, hdbf=", ".join(str(r) for r in c["hdbf_resolutions"]))


def config_yaml(c):
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
        "%(vae_sections)s"
        "data:\n"
        "  domain: image\n"
        "  mode: train\n"
        "  data_dir: ./train_data_path/       #replace directory with the directory data folder\n"
        "  test_data_dir: ./test_data_path/   #replace directory with the directory data folder\n"
        "  save_pth: ./save_path/             #where to save checkpoints\n"
        "  batch_size: 4\n"
        "  test_batch_size: 16\n"
        "  test_resolution: %(resolution)d\n"
    ) % dict(c, vae_sections=vae_sections(c))


def config_ldm_yaml(c, u, d):
    """configs/ldm/afhq.yaml layout: lossconfig, unetconfig, ddconfig, mlpconfig, ddpmconfig, data."""
    def block(values):
        return "".join("      - %d\n" % v for v in values)
    return (
        "model:\n"
        "  DiT: False\n"
        "  pretrained: True\n"
        "  resume: False\n"
        "  use_fp16: True\n"
        "  amp: True\n"
        "  lr: 1e-4\n"
        "  embed_dim: %(embed_dim)d\n"
        "  params:\n"
        "    lossconfig:\n"
        "      epochs: 1500\n"
        "      save_and_sample_every: 25\n"
        "      ema_decay: 0.9999\n"
        "      ema_update_every: 10\n"
        "      gradient_accumulate_every: 5\n"
        "\n"
        "    unetconfig:\n"
        "      image_size: %(u_image_size)d\n"
        "      in_channels: %(u_in)d\n"
        "      model_channels: %(u_mc)d\n"
        "      out_channels: %(u_out)d\n"
        "      attention_resolutions:\n" + block(u["attention_resolutions"]) +
        "      num_res_blocks: %(u_nrb)d\n"
        "      channel_mult:\n" + block(u["channel_mult"]) +
        "      num_head_channels: %(u_hc)d\n"
        "      use_checkpoint: False\n"
        "      use_fp16: False\n"
        "\n"
        "%(vae_sections)s"
        "    ddpmconfig:\n"
        "      timesteps: %(d_T)d\n"
        "      image_size: %(d_image_size)d\n"
        "      channels: %(d_channels)d\n"
        "      clip_denoised: False\n"
        "      mixed_prediction: True\n"
        "      mixed_init: %(d_init)d\n"
        "      sampling_timesteps: %(d_S)d\n"
        "      ddim_sampling_eta: 0.\n"
        "\n"
        "data:\n"
        "  domain: image\n"
        "  mode: gen\n"
        "  data_dir: ./train_data_path/\n"
        "  test_data_dir: ./test_data_path/\n"
        "  save_pth: ./save_path/\n"
        "  batch_size: 4\n"
        "  test_batch_size: 6\n"
        "  test_resolution: %(resolution)d\n"
    ) % dict(c, vae_sections=vae_sections(c),
             u_image_size=u["image_size"], u_in=u["in_channels"], u_mc=u["model_channels"],
             u_out=u["out_channels"], u_nrb=u["num_res_blocks"], u_hc=u["num_head_channels"],
             d_T=d["timesteps"], d_image_size=d["image_size"], d_channels=d["channels"],
             d_init=d["mixed_init"], d_S=d["sampling_timesteps"])


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
    ap.add_argument("--out")
    ap.add_argument("--variant", default="ok", choices=["ok", "missing", "extra", "misshaped", "all"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check-keys", metavar="TSV", help="only compare the UNet at the AFHQ paper config with "
                    "the ema_model.* rows of shared/reference/ddmi-keys/image_afhq_keys.tsv")
    a = ap.parse_args()
    if a.check_keys:
        return check_keys(a.check_keys)
    if not a.out:
        ap.error("the following arguments are required: --out")
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

    # Encoder -> quant_conv -> mean -> post_quant_conv -> decoder -> read-out on a random image.
    with torch.no_grad():
        img = torch.rand(1, 3, CFG["resolution"], CFG["resolution"]) * 2 - 1
        zm = ae.encode_mean(img)
        out = mlp(ae.decode(zm), CFG["resolution"], 1.0)
    print("round trip: image", tuple(img.shape), "-> z", tuple(zm.shape), "-> out", tuple(out.shape),
          "finite", bool(torch.isfinite(out).all()))

    info["ldm"] = write_stage2(a, model_sd, mlp_sd)
    info["files"].update({k: v["file"] if isinstance(v, dict) else v for k, v in info["ldm"]["files"].items()})
    with open(os.path.join(a.out, "info.json"), "w") as f:
        json.dump(info, f, indent=1)


def write_stage2(a, model_sd, mlp_sd):
    """ldm-last.pt, config_ldm.yaml, xT.f32 and the expected EMA-DDPM outputs; returns the info.json part."""
    u, d = UNET_CFG, DDPM_CFG
    assert u["in_channels"] == u["out_channels"] == d["channels"] == CFG["embed_dim"]
    assert u["image_size"] == d["image_size"] == LATENT
    gen = torch.Generator().manual_seed(a.seed + STAGE2_SEED)
    with torch.random.fork_rng(devices=[]):   # the module constructors draw from the global RNG
        torch.manual_seed(a.seed + STAGE2_INIT_SEED)
        raw = LatentDDPM(u, d)
        ema = LatentDDPM(u, d)
    # One real AdamW step over [mixing_logit] + UNet parameters, before the weights are drawn.
    params = list(raw.parameters())
    assert params[0] is raw.mixing_logit
    dae_opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.99))
    loss = sum((p.double() ** 2).sum() for p in params) * 1e-3
    loss.backward()
    dae_opt.step()
    dae_opt.zero_grad(set_to_none=True)
    randomize_ddpm(raw, gen)
    ema.load_state_dict(raw.state_dict())
    ema_offsets(ema, gen)
    raw_sd = raw.state_dict()
    ema_sd = EMAState(raw, ema, step=5).state_dict()

    xT = torch.randn(1, d["channels"], d["image_size"], d["image_size"],
                     generator=torch.Generator().manual_seed(XT_SEED))
    pairs = ddim_pairs(d["timesteps"], d["sampling_timesteps"])
    eps64, z64 = ema_eval(ema_sd, torch.float64, xT=xT)

    args = argparse.Namespace(
        exp="afhq", configs="configs/ldm/afhq.yaml", seed=a.seed,
        data_config=argparse.Namespace(domain="image", mode="gen", test_resolution=CFG["resolution"]),
        ddconfig=argparse.Namespace(double_z=True, **{k: CFG[k] for k in [
            "z_channels", "resolution", "in_channels", "out_ch", "ch", "ch_mult", "num_res_blocks",
            "attn_resolutions", "hdbf_resolutions"]}),
        mlpconfig=argparse.Namespace(in_ch=CFG["mlp_in_ch"], out_ch=CFG["mlp_out_ch"], ch=CFG["mlp_ch"],
                                     latent_dim=CFG["mlp_latent_dim"]),
        unetconfig=argparse.Namespace(use_checkpoint=False, use_fp16=False, **u),
        loss_config=argparse.Namespace(epochs=1500, save_and_sample_every=25, ema_decay=0.9999,
                                       ema_update_every=10, gradient_accumulate_every=5),
        ddpmconfig=argparse.Namespace(**d), embed_dim=CFG["embed_dim"], lr=1e-4,
        resolution=CFG["resolution"], resume=False, pretrained=True, amp=True, use_fp16=True,
        domain="image", mode="gen", DiT=False,
    )
    ckpt = OrderedDict()
    ckpt["args"] = args
    ckpt["step"] = 1
    ckpt["current_iters"] = 5
    ckpt["vaemodel"] = model_sd
    ckpt["mlp"] = mlp_sd
    ckpt["diffusion"] = raw_sd
    ckpt["dae_opt"] = dae_opt.state_dict()
    ckpt["ema"] = ema_sd
    ckpt["scaler"] = {"scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                      "growth_interval": 2000, "_growth_tracker": 0}
    path = os.path.join(a.out, "ldm-last.pt")
    save_as_gpu(dict(ckpt), path)
    with open(os.path.join(a.out, "config_ldm.yaml"), "w") as f:
        f.write(config_ldm_yaml(CFG, u, d))
    # The Hugging Face release's layout (ddmi-checkpoints.md section 4: the DDMI class's state_dict,
    # torch.save'd by huggingface_hub <= 0.20 as pytorch_model.bin): one flat dict, ldm.* = the EMA
    # DDPM (buffers included), vae.* = the Autoencoder, mlp.* = the read-out.
    hub = OrderedDict()
    for k, v in ema_sd.items():
        if k.startswith("ema_model."):
            hub["ldm." + k[len("ema_model."):]] = v
    for k, v in model_sd.items():
        hub["vae." + k] = v
    for k, v in mlp_sd.items():
        hub["mlp." + k] = v
    save_as_gpu(hub, os.path.join(a.out, "pytorch_model.bin"))
    write_raw(os.path.join(a.out, "xT.f32"), xT)
    write_raw(os.path.join(a.out, "expected_ldm_eps_t999.f32"), eps64)
    write_raw(os.path.join(a.out, "expected_ldm_z0.f32"), z64)
    print("wrote", path, "config_ldm.yaml xT.f32 expected_ldm_eps_t999.f32 expected_ldm_z0.f32")

    # Self-check: reload on the CPU, list the entries, compare with what was built, recompute the outputs.
    back = torch.load(path, map_location="cpu")
    assert list(back.keys()) == ["args", "step", "current_iters", "vaemodel", "mlp", "diffusion", "dae_opt",
                                 "ema", "scaler"]
    for k, v in back.items():
        n = len(v) if isinstance(v, dict) else "-"
        print("  %-14s %-28s %s" % (k, type(v).__name__, n))
    for name, ref in [("vaemodel", model_sd), ("mlp", mlp_sd), ("diffusion", raw_sd), ("ema", ema_sd)]:
        assert list(back[name].keys()) == list(ref.keys()), name
        for k, t in ref.items():
            assert torch.equal(back[name][k], t) and back[name][k].dtype == t.dtype, (name, k)
    assert list(raw_sd.keys())[:13] == ["mixing_logit"] + SCHEDULE_NAMES
    assert list(back["ema"].keys())[:2] == ["initted", "step"]
    assert len(back["dae_opt"]["state"]) == len(params) == len(back["dae_opt"]["param_groups"][0]["params"])
    differ = same = 0
    for k, t in raw_sd.items():
        on, em = back["ema"]["online_model." + k], back["ema"]["ema_model." + k]
        assert torch.equal(on, t), k
        if k in SCHEDULE_NAMES:
            assert torch.equal(em, t), k
            same += 1
        else:
            assert not torch.equal(em, t), k
            differ += 1
    print("  ema: online_model.* = diffusion; ema_model.* differs in %d parameters, equal in %d buffers"
          % (differ, same))
    e2, z2 = ema_eval(back["ema"], torch.float64, xT=xT)
    assert torch.equal(e2, eps64) and torch.equal(z2, z64), "expected outputs not reproducible"
    raw_view = OrderedDict(("ema_model." + k, v) for k, v in back["diffusion"].items())
    e_raw, z_raw = ema_eval(raw_view, torch.float64, xT=xT)
    e_ab, z_ab = ema_eval(back["ema"], torch.float64, from_abar=True, xT=xT)
    e32, z32 = ema_eval(back["ema"], torch.float32, xT=xT)

    def mad(p, q):
        return float((p.double() - q.double()).abs().max())

    gate = torch.sigmoid(back["ema"]["ema_model.mixing_logit"].double()).flatten()
    print("  ddim pairs %s; gate sigmoid(m) %s" % (pairs, " ".join("%.3f" % float(g) for g in gate)))
    print("  eps(t=%d) std %.4f min %.3f max %.3f | z0 std %.4f min %.3f max %.3f | xT std %.4f" % (
        pairs[0][0], float(eps64.std()), float(eps64.min()), float(eps64.max()),
        float(z64.std()), float(z64.min()), float(z64.max()), float(xT.std())))
    print("  max |diff| eps, z0: raw (non-EMA) weights %.3g %.3g; coefficients from abar only %.3g %.3g; "
          "float32 run %.3g %.3g" % (mad(e_raw, eps64), mad(z_raw, z64), mad(e_ab, eps64), mad(z_ab, z64),
                                     mad(e32, eps64), mad(z32, z64)))
    assert torch.isfinite(z64).all() and 0.05 < float(eps64.std()) < 20 and 0.05 < float(z64.std()) < 50
    assert mad(e_raw, eps64) > 1e-2 and mad(z_raw, z64) > 1e-2, "EMA copy too close to the raw weights"

    shape = list(xT.shape)
    return {
        "unetconfig": u, "ddpmconfig": d,
        "files": {"ldm_checkpoint": "ldm-last.pt", "ldm_config": "config_ldm.yaml",
                  "xT": {"file": "xT.f32", "shape": shape, "seed": XT_SEED},
                  "ldm_eps_t999": {"file": "expected_ldm_eps_t999.f32", "shape": shape, "t": pairs[0][0]},
                  "ldm_z0": {"file": "expected_ldm_z0.f32", "shape": shape}},
        "sampling_steps": d["sampling_timesteps"],
        "timesteps": [t for t, _ in pairs],
        "time_pairs": [list(p) for p in pairs],
        "weights": "ema['ema_model.*'] (EMA copy; differs from diffusion / ema['online_model.*'])",
        "coefficients": "float32 buffers as stored, in float64: eps = (1-sigmoid(m))*sqrt_one_minus_alphas_cumprod[t]"
                        "*x + sigmoid(m)*unet(x,t); x0 = sqrt_recip_alphas_cumprod[t]*x - "
                        "sqrt_recipm1_alphas_cumprod[t]*eps; x = sqrt(abar[t_next])*x0 + sqrt(1-abar[t_next])*eps",
        "time_embedding": "t*freq formed in float32, cos/sin in float64",
        "max_abs_diff": {"coefficients_from_abar_only": [mad(e_ab, eps64), mad(z_ab, z64)],
                         "float32_run": [mad(e32, eps64), mad(z32, z64)],
                         "raw_weights": [mad(e_raw, eps64), mad(z_raw, z64)]},
        "seeds": {"weights_generator": a.seed + STAGE2_SEED, "constructors_global": a.seed + STAGE2_INIT_SEED},
    }


if __name__ == "__main__":
    sys.exit(main())
