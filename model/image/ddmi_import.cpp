#include "model/image/ddmi_import.h"

#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "model/checkpoint/torch_checkpoint.h"
#include "model/diffusion/latent_diffusion.h"
#include "model/diffusion/schedule.h"
#include "model/image/image_vae.h"
#include "model/image/image_vae_io.h"
#include "model/io/sha256.h"
#include "model/io/yaml_subset.h"

namespace fieldscope {

namespace {

const nlohmann::json& need(const nlohmann::json& j, const std::string& key, const std::string& where,
                           const std::string& file) {
  if (!j.is_object() || !j.contains(key)) throw std::runtime_error("'" + file + "': no '" + where + key + "'");
  return j.at(key);
}

int needInt(const nlohmann::json& j, const std::string& key, const std::string& where, const std::string& file) {
  const auto& v = need(j, key, where, file);
  if (!v.is_number_integer()) throw std::runtime_error("'" + file + "': '" + where + key + "' is not an integer");
  return v.get<int>();
}

std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + p.string() + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ImageVaeConfig ddmiImageConfig(const nlohmann::json& yaml, const std::string& file) {
  const auto& model = need(yaml, "model", "", file);
  const auto& params = need(model, "params", "model.", file);
  const auto& dd = need(params, "ddconfig", "model.params.", file);
  const auto& mlp = need(params, "mlpconfig", "model.params.", file);
  const std::string ddw = "model.params.ddconfig.", mlw = "model.params.mlpconfig.";
  ImageVaeConfig c;
  c.preset = "ddmi";
  c.architecture = "ddmi";
  c.patch = 1;
  c.resolution = needInt(dd, "resolution", ddw, file);
  c.baseChannels = needInt(dd, "ch", ddw, file);
  c.numResBlocks = needInt(dd, "num_res_blocks", ddw, file);
  c.zChannels = needInt(dd, "z_channels", ddw, file);
  c.fieldChannels = needInt(dd, "out_ch", ddw, file);
  c.latentChannels = needInt(model, "embed_dim", "model.", file);
  c.mlpWidth = needInt(mlp, "ch", mlw, file);
  c.styleDim = c.mlpWidth;
  c.layersPerBlock = 3;
  c.clampScale = false;  // the authors render at si = resolution / pixels, unclamped
  const auto& mult = need(dd, "ch_mult", ddw, file);
  if (!mult.is_array()) throw std::runtime_error("'" + file + "': '" + ddw + "ch_mult' is not a list");
  c.channelMult.clear();
  for (const auto& m : mult) {
    if (!m.is_number_integer()) throw std::runtime_error("'" + file + "': '" + ddw + "ch_mult' holds a non-integer");
    c.channelMult.push_back(m.get<int>());
  }
  auto unsupported = [&](const std::string& why) {
    throw std::runtime_error("'" + file + "': " + why + " — not an image configuration Fieldscope can import");
  };
  if (dd.contains("double_z") && dd.at("double_z") != true) unsupported("ddconfig.double_z is not True");
  if (dd.contains("in_channels") && dd.at("in_channels") != 3) unsupported("ddconfig.in_channels is not 3");
  if (dd.contains("attn_resolutions") && !dd.at("attn_resolutions").empty())
    unsupported("attention inside the levels (ddconfig.attn_resolutions)");
  if (dd.contains("attn_type") && dd.at("attn_type") != "vanilla") unsupported("ddconfig.attn_type is not vanilla");
  if (c.channelMult.size() != 3) unsupported("ddconfig.ch_mult has " + std::to_string(c.channelMult.size()) + " levels (3 expected)");
  const int latent = c.resolution >> 2;
  std::vector<int> taps;
  for (const auto& r : need(dd, "hdbf_resolutions", ddw, file)) taps.push_back(r.is_number_integer() ? r.get<int>() : -1);
  std::sort(taps.begin(), taps.end());
  if (taps != std::vector<int>{latent, 2 * latent})
    unsupported("ddconfig.hdbf_resolutions must be the two lowest levels' [" + std::to_string(2 * latent) + ", " +
                std::to_string(latent) + "]");
  if (mlp.contains("in_ch") && mlp.at("in_ch") != 2) unsupported("mlpconfig.in_ch is not 2");
  if (mlp.contains("out_ch") && mlp.at("out_ch") != 3) unsupported("mlpconfig.out_ch is not 3");
  if (mlp.contains("latent_dim") && mlp.at("latent_dim") != c.fieldChannels)
    unsupported("mlpconfig.latent_dim differs from ddconfig.out_ch");
  try {  // the sizes the architecture itself needs (widths of 32, ...), named in the message
    c = ImageVaeConfig::fromJson(c.toJson());
  } catch (const std::exception& e) {
    throw std::runtime_error("'" + file + "': " + e.what());
  }
  return c;
}

std::string ddmiImageName(const std::string& entry, const std::string& key) {
  auto starts = [&](const char* p) { return key.rfind(p, 0) == 0; };
  if (entry == "mlp") return "readout." + key;
  if (starts("encoder.") || starts("decoder.")) return key;
  if (starts("quant_conv.")) return "encoder." + key;
  if (starts("post_quant_conv.")) return "decoder." + key;
  return "";
}

namespace {

// One source file's entries mapped onto a module's tensors: every key has a place, every place a
// key, every shape matches. `nameOf(entry, key)` gives the module's name ("" = no place);
// `authorsName(name)` gives back (entry, key) for a missing one. Keys `skip` accepts are left unread.
struct EntryMapping {
  const TorchCheckpoint* src;
  std::vector<std::string> entries;
  std::function<std::string(const std::string&, const std::string&)> nameOf;
  std::function<std::pair<std::string, std::string>(const std::string&)> authorsName;
  std::function<bool(const std::string&, const std::string&)> skip;
};

void loadMapped(const EntryMapping& m, torch::nn::Module& module, const std::string& what, const std::string& configFile,
                const std::function<void(const std::string&, int64_t, int64_t)>& report) {
  const std::string file = m.src->path().string();
  std::map<std::string, torch::Tensor> targets;
  for (const auto& p : module.named_parameters(true)) targets[p.key()] = p.value();
  for (const auto& b : module.named_buffers(true)) targets[b.key()] = b.value();
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, TorchTensorRef>>>> entries;
  int64_t total = 0, done = 0;
  for (const auto& e : m.entries) {
    entries.emplace_back(e, m.src->stateDict(e));
    total += int64_t(entries.back().second.size());
  }
  std::map<std::string, std::string> sourceOf;
  torch::NoGradGuard noGrad;
  for (const auto& [entry, tensors] : entries) {
    for (const auto& [key, ref] : tensors) {
      if (report) report(what + " tensors", ++done, total);
      if (m.skip && m.skip(entry, key)) continue;
      const std::string where = "'" + file + "': " + (entry.empty() ? std::string() : "entry '" + entry + "' ") + "key '" + key + "'";
      const std::string name = m.nameOf(entry, key);
      auto it = name.empty() ? targets.end() : targets.find(name);
      if (it == targets.end())
        throw std::runtime_error(where + " has no place in the DDMI " + what + " architecture of '" + configFile +
                                 "' (an extra key: was the checkpoint trained with this config?)");
      if (ref.sizes != it->second.sizes().vec())
        throw std::runtime_error(where + " has shape " + ref.shape() + "; the architecture of '" + configFile +
                                 "' expects " + shapeText(it->second.sizes()));
      if (!c10::isFloatingType(ref.dtype)) throw std::runtime_error(where + " is not a floating-point tensor");
      if (!sourceOf.emplace(name, where).second) throw std::runtime_error(where + " maps onto '" + name + "' twice");
      it->second.copy_(m.src->load(ref).to(torch::kFloat32));
    }
  }
  for (const auto& [name, t] : targets) {
    if (sourceOf.count(name)) continue;
    const auto [entry, key] = m.authorsName(name);
    throw std::runtime_error("'" + file + "': " + (entry.empty() ? std::string("the file") : "entry '" + entry + "'") + " lacks key '" + key + "' (shape " + shapeText(t.sizes()) +
                             "), which the DDMI " + what + " architecture of '" + configFile + "' needs");
  }
}

std::string entryList(const TorchCheckpoint& src) {
  std::string s;
  for (const auto& n : src.entryNames()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

nlohmann::json sourceRecord(const TorchCheckpoint* src, const std::filesystem::path& file,
                            const std::vector<std::string>& read,
                            const std::function<void(const std::string&, int64_t, int64_t)>& report) {
  nlohmann::json j = {{"file", std::filesystem::absolute(file).string()},
                      {"sha256", sha256File(file, [&](uint64_t d, uint64_t n) {
                         if (report) report("MB checksummed (" + file.filename().string() + ")", int64_t(d >> 20), int64_t(n >> 20));
                       })},
                      {"bytes", std::filesystem::file_size(file)}};
  if (src) {
    std::vector<std::string> unread;
    for (const auto& n : src->entryNames())
      if (std::find(read.begin(), read.end(), n) == read.end()) unread.push_back(n);
    j["entries_read"] = read;
    j["entries_not_read"] = unread;
  }
  return j;
}

}  // namespace

DdmiUNetConfig ddmiUNetConfig(const nlohmann::json& yaml, const ImageVaeConfig& vae, const std::string& file) {
  const auto& model = need(yaml, "model", "", file);
  const auto& params = need(model, "params", "model.", file);
  const auto& u = need(params, "unetconfig", "model.params.", file);
  const std::string w = "model.params.unetconfig.";
  DdmiUNetConfig c;
  c.imageSize = needInt(u, "image_size", w, file);
  c.inChannels = needInt(u, "in_channels", w, file);
  c.modelChannels = needInt(u, "model_channels", w, file);
  c.numResBlocks = needInt(u, "num_res_blocks", w, file);
  c.numHeadChannels = needInt(u, "num_head_channels", w, file);
  auto ints = [&](const char* key) {
    std::vector<int> v;
    for (const auto& x : need(u, key, w, file)) {
      if (!x.is_number_integer()) throw std::runtime_error("'" + file + "': '" + w + key + "' holds a non-integer");
      v.push_back(x.get<int>());
    }
    return v;
  };
  c.channelMult = ints("channel_mult");
  c.attentionResolutions = ints("attention_resolutions");
  auto unsupported = [&](const std::string& why) {
    throw std::runtime_error("'" + file + "': " + why + " — not a diffusion configuration Fieldscope can import");
  };
  if (needInt(u, "out_channels", w, file) != c.inChannels) unsupported("unetconfig.out_channels differs from in_channels");
  if (c.numHeadChannels <= 0) unsupported("unetconfig.num_head_channels is not set");
  for (const char* flag : {"use_scale_shift_norm", "resblock_updown", "use_new_attention_order", "use_spatial_transformer"})
    if (u.contains(flag) && u.at(flag) == true) unsupported(std::string("unetconfig.") + flag + " is True");
  if (c.inChannels != vae.latentChannels) unsupported("unetconfig.in_channels differs from model.embed_dim");
  if (c.imageSize != vae.latentResolution()) unsupported("unetconfig.image_size differs from the latent's side");
  if (params.contains("ddpmconfig")) {
    const auto& d = params.at("ddpmconfig");
    if (d.contains("timesteps") && d.at("timesteps") != 1000) unsupported("ddpmconfig.timesteps is not 1000");
    if (d.contains("mixed_prediction") && d.at("mixed_prediction") != true) unsupported("ddpmconfig.mixed_prediction is not True");
  }
  try {
    c = DdmiUNetConfig::fromJson(c.toJson());
  } catch (const std::exception& e) {
    throw std::runtime_error("'" + file + "': " + e.what());
  }
  return c;
}

namespace {

// Where the pieces sit in one source file. The authors' training files keep each module in its own
// top-level entry (model-last.pt: `model`, `mlp`; ldm-last.pt: `vaemodel`, `mlp`, `ema` with
// `ema_model.*`); the Hugging Face release (ddmi-checkpoints.md §4) is one flat state_dict whose keys
// carry the module as a prefix (`vae.`, `mlp.`, `ldm.` = the EMA DDPM). An empty entry is the top level.
struct SourceLayout {
  std::string vaeEntry, vaePrefix, mlpEntry, mlpPrefix, emaEntry, ddpmPrefix;
  bool flat = false;
};

SourceLayout layoutOf(const TorchCheckpoint& src) {
  SourceLayout l;
  const auto names = src.entryNames();
  l.flat = std::any_of(names.begin(), names.end(), [](const std::string& n) { return n.rfind("ldm.model.", 0) == 0; }) &&
           !src.hasEntry("ema");
  if (l.flat) {
    l.vaePrefix = "vae.", l.mlpPrefix = "mlp.", l.ddpmPrefix = "ldm.";
  } else {
    l.vaeEntry = src.hasEntry("model") ? "model" : "vaemodel";
    l.mlpEntry = "mlp", l.emaEntry = "ema", l.ddpmPrefix = "ema_model.";
  }
  return l;
}

std::string entryText(const std::string& entry) { return entry.empty() ? "the top-level dict" : "entry '" + entry + "'"; }

std::vector<std::string> entriesOf(std::initializer_list<std::string> names) {
  std::vector<std::string> out;
  for (const auto& n : names)
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

}  // namespace

Checkpoint importDdmiImage(const DdmiImageImport& in,
                           const std::function<void(const std::string&, int64_t, int64_t)>& progress) {
  if (in.vae.empty() && in.ldm.empty()) throw std::runtime_error("import ddmi: give --vae model-last.pt, --ldm ldm-last.pt or both");
  const std::string configFile = in.config.string();
  const std::string configText = readText(in.config);
  const nlohmann::json yaml = parseYamlSubset(configText, configFile);
  const ImageVaeConfig cfg = ddmiImageConfig(yaml, configFile);
  std::optional<TorchCheckpoint> vaeSrc, ldmSrc;
  if (!in.vae.empty()) vaeSrc = TorchCheckpoint::open(in.vae);
  if (!in.ldm.empty()) ldmSrc = TorchCheckpoint::open(in.ldm);

  // The VAE and its readout: from --vae when given, else from the --ldm file's copy.
  const TorchCheckpoint& vs = vaeSrc ? *vaeSrc : *ldmSrc;
  const SourceLayout vl = layoutOf(vs);
  if (!vl.flat && (!vs.hasEntry(vl.vaeEntry) || !vs.hasEntry(vl.mlpEntry)))
    throw std::runtime_error("'" + vs.path().string() +
                             "' has no 'model' (or 'vaemodel') and 'mlp' entries, nor the Hugging Face release's "
                             "vae.* / mlp.* / ldm.* keys: not a DDMI image checkpoint (it has: " + entryList(vs) + ")");
  ImageVae vae(cfg);
  auto strip = [](const std::string& key, const std::string& prefix) {
    return key.rfind(prefix, 0) == 0 ? key.substr(prefix.size()) : std::string();
  };
  loadMapped({&vs, entriesOf({vl.vaeEntry, vl.mlpEntry}),
              [&](const std::string& entry, const std::string& key) -> std::string {
                if (!vl.flat) return ddmiImageName(entry, key);
                if (const auto k = strip(key, vl.vaePrefix); !k.empty()) return ddmiImageName("model", k);
                if (const auto k = strip(key, vl.mlpPrefix); !k.empty()) return ddmiImageName("mlp", k);
                return "";
              },
              [&](const std::string& name) -> std::pair<std::string, std::string> {
                if (name.rfind("readout.", 0) == 0) return {vl.mlpEntry, vl.mlpPrefix + name.substr(8)};
                if (name.rfind("encoder.quant_conv.", 0) == 0 || name.rfind("decoder.post_quant_conv.", 0) == 0)
                  return {vl.vaeEntry, vl.vaePrefix + name.substr(8)};
                return {vl.vaeEntry, vl.vaePrefix + name};
              },
              [&](const std::string&, const std::string& key) { return vl.flat && key.rfind(vl.ddpmPrefix, 0) == 0; }},
             *vae, "image", configFile, progress);

  Checkpoint out;
  out.config = {{"domain", "image"}, {"kind", "vae"}, {"preset", cfg.preset}};
  storeVae(out, vae);
  nlohmann::json sources = nlohmann::json::array();
  std::string command = "fieldscope import ddmi";
  if (vaeSrc) {
    // a flat file (the Hugging Face layout) has tensors, not entries, at the top: no entry lists
    sources.push_back(sourceRecord(vl.flat ? nullptr : &*vaeSrc, in.vae, entriesOf({vl.vaeEntry, vl.mlpEntry}), progress));
    command += " --vae " + in.vae.string();
  }
  nlohmann::json sampling;
  if (ldmSrc) {
    // The diffusion model: the EMA copy (ldm-last.pt: `ema` -> `ema_model.*`; the Hugging Face
    // release: `ldm.*`), as the authors sample.
    const SourceLayout dl = layoutOf(*ldmSrc);
    if (!dl.flat && !ldmSrc->hasEntry("ema"))
      throw std::runtime_error("'" + in.ldm.string() + "' has no 'ema' entry (nor ldm.* keys): not a DDMI diffusion checkpoint (it has: " +
                               entryList(*ldmSrc) + ")");
    DdmiUNet unet(ddmiUNetConfig(yaml, cfg, configFile));
    const std::string unetPrefix = dl.ddpmPrefix + "model.", mixKey = dl.ddpmPrefix + "mixing_logit";
    auto isSchedule = [&](const std::string& key) {  // a buffer of the DDPM itself (betas, alphas_cumprod, ...)
      return key.rfind(dl.ddpmPrefix, 0) == 0 && key.find('.', dl.ddpmPrefix.size()) == std::string::npos && key != mixKey;
    };
    loadMapped({&*ldmSrc, {dl.emaEntry},
                [&](const std::string&, const std::string& key) -> std::string {
                  if (key == mixKey) return "mixing_logit";
                  if (key.rfind(unetPrefix, 0) == 0) return key.substr(unetPrefix.size());
                  return "";
                },
                [&](const std::string& name) -> std::pair<std::string, std::string> {
                  return {dl.emaEntry, name == "mixing_logit" ? mixKey : unetPrefix + name};
                },
                [&](const std::string&, const std::string& key) {
                  // the raw (non-EMA) copy, the EMA's counters, the schedule buffers, and (flat) the VAE
                  if (isSchedule(key)) return true;
                  if (dl.flat) return key.rfind("vae.", 0) == 0 || key.rfind("mlp.", 0) == 0;
                  return key.rfind("online_model.", 0) == 0 || key == "initted" || key == "step";
                }},
               *unet, "diffusion", configFile, progress);
    // The schedule the file was trained with must be ours: scaled linear 0.0015..0.0195 over 1000 steps.
    const auto ours = DiffusionSchedule::scaledLinear();
    for (const auto& [key, ref] : ldmSrc->stateDict(dl.emaEntry)) {
      if (key != dl.ddpmPrefix + "alphas_cumprod" && key != dl.ddpmPrefix + "betas") continue;
      const auto theirs = ldmSrc->load(ref).to(torch::kFloat64);
      const auto& mine = key == dl.ddpmPrefix + "betas" ? ours.betas : ours.alphasCumprod;
      if (theirs.numel() != mine.numel() || (theirs - mine).abs().max().item<double>() > 1e-6)
        throw std::runtime_error("'" + in.ldm.string() + "': " + entryText(dl.emaEntry) + " key '" + key +
                                 "' is not the scaled-linear schedule (beta 0.0015 to 0.0195, T = 1000) Fieldscope samples with");
    }
    storeDdmiDiffusion(out, unet, 1.0);  // the authors sample unscaled latents
    out.config["kind"] = "vae+ldm";
    std::vector<std::string> read;
    if (!dl.flat) {
      read = {"ema"};
      if (!vaeSrc) read.insert(read.begin(), {vl.vaeEntry, "mlp"});
    }
    sources.push_back(sourceRecord(dl.flat ? nullptr : &*ldmSrc, in.ldm, read, progress));
    if (dl.flat) sources.back()["layout"] = "Hugging Face release: one state_dict, ldm.* (EMA DDPM), vae.*, mlp.*";
    command += " --ldm " + in.ldm.string();
    const auto& params = yaml.at("model").at("params");
    if (params.contains("ddpmconfig") && params.at("ddpmconfig").contains("sampling_timesteps"))
      sampling["authors_sampling_steps"] = params.at("ddpmconfig").at("sampling_timesteps");
  }
  sources.push_back(sourceRecord(nullptr, in.config, {}, progress));
  command += " --config " + configFile;
  out.config["imported"] = {
      {"from", "DDMI (mlvlab/DDMI), the authors' released checkpoint"},
      {"architecture", "ddmi: the authors' image VAE, scale-aware readout" + std::string(ldmSrc ? " and diffusion UNet" : "") +
                           ", block for block (docs/architecture.md \"The faithful DDMI architecture\")"},
      {"command", command},
      {"sources", sources},
      {"config_text", configText},
      {"render",
       "si = resolution / pixels per image side, not clamped; the noise injection at its expected value 0 (a field "
       "gives one colour per point); VAE and readout weights as stored (they have no EMA copy); the UNet's EMA weights; "
       "DDIM at the authors' timesteps int(linspace(-1, 999, S+1))"}};
  if (!sampling.empty()) out.config["imported"]["sampling"] = sampling;
  return out;
}

}  // namespace fieldscope
