#include "model/image/ddmi_import.h"

#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "model/checkpoint/torch_checkpoint.h"
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

std::string shapeText(const torch::Tensor& t) {
  std::string s;
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? "x" : "") + std::to_string(t.size(d));
  return s.empty() ? "scalar" : s;
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

Checkpoint importDdmiImage(const DdmiImageImport& in,
                           const std::function<void(const std::string&, int64_t, int64_t)>& progress) {
  auto report = [&](const std::string& unit, int64_t done, int64_t total) {
    if (progress) progress(unit, done, total);
  };
  const std::string configFile = in.config.string(), vaeFile = in.vae.string();
  const std::string configText = readText(in.config);
  const ImageVaeConfig cfg = ddmiImageConfig(parseYamlSubset(configText, configFile), configFile);
  const TorchCheckpoint src = TorchCheckpoint::open(in.vae);
  const std::string vaeEntry = src.hasEntry("model") ? "model" : "vaemodel";
  if (!src.hasEntry(vaeEntry) || !src.hasEntry("mlp"))
    throw std::runtime_error("'" + vaeFile + "' has no 'model' (or 'vaemodel') and 'mlp' entries: not a DDMI image checkpoint (it has: " +
                             [&] {
                               std::string s;
                               for (const auto& n : src.entryNames()) s += (s.empty() ? "" : ", ") + n;
                               return s;
                             }() + ")");

  ImageVae vae(cfg);
  std::map<std::string, torch::Tensor> targets;
  for (const auto& p : vae->named_parameters(true)) targets[p.key()] = p.value();
  for (const auto& b : vae->named_buffers(true)) targets[b.key()] = b.value();
  std::map<std::string, std::string> sourceOf;  // Fieldscope name -> "entry 'e' key 'k'"
  Checkpoint out;
  size_t done = 0, total = 0;
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, TorchTensorRef>>>> entries;
  for (const std::string entry : {vaeEntry, std::string("mlp")}) {
    entries.emplace_back(entry, src.stateDict(entry));
    total += entries.back().second.size();
  }
  for (const auto& [entry, tensors] : entries) {
    for (const auto& [key, ref] : tensors) {
      const std::string where = "'" + vaeFile + "': entry '" + entry + "' key '" + key + "'";
      const std::string name = ddmiImageName(entry, key);
      auto it = name.empty() ? targets.end() : targets.find(name);
      if (it == targets.end())
        throw std::runtime_error(where + " has no place in the DDMI image architecture of '" + configFile +
                                 "' (an extra key: was the checkpoint trained with this config?)");
      if (ref.sizes != it->second.sizes().vec())
        throw std::runtime_error(where + " has shape " + ref.shape() + "; the architecture of '" + configFile +
                                 "' expects " + shapeText(it->second));
      if (!c10::isFloatingType(ref.dtype)) throw std::runtime_error(where + " is not a floating-point tensor");
      if (sourceOf.count(name)) throw std::runtime_error(where + " maps onto '" + name + "' twice");
      {
        torch::NoGradGuard noGrad;
        it->second.copy_(src.load(ref).to(torch::kFloat32));
      }
      sourceOf[name] = where;
      report("tensors", int64_t(++done), int64_t(total));
    }
  }
  for (const auto& [name, t] : targets) {
    if (sourceOf.count(name)) continue;
    // the authors' name of what is missing
    std::string entry = vaeEntry, key = name;
    if (name.rfind("readout.", 0) == 0) entry = "mlp", key = name.substr(8);
    else if (name.rfind("encoder.quant_conv.", 0) == 0) key = name.substr(8);
    else if (name.rfind("decoder.post_quant_conv.", 0) == 0) key = name.substr(8);
    throw std::runtime_error("'" + vaeFile + "': entry '" + entry + "' lacks key '" + key + "' (shape " + shapeText(t) +
                             "), which the DDMI image architecture of '" + configFile + "' needs");
  }

  const std::string vaeSha =
      sha256File(in.vae, [&](uint64_t d, uint64_t n) { report("MB checksummed", int64_t(d >> 20), int64_t(n >> 20)); });
  std::vector<std::string> unread;
  for (const auto& n : src.entryNames())
    if (n != vaeEntry && n != "mlp") unread.push_back(n);
  out.config = {{"domain", "image"},
                {"kind", "vae"},
                {"preset", cfg.preset},
                {"vae", cfg.toJson()},
                {"imported",
                 {{"from", "DDMI (mlvlab/DDMI), the authors' released checkpoint"},
                  {"architecture", "ddmi: the authors' image VAE and scale-aware readout, block for block "
                                   "(docs/architecture.md \"The faithful DDMI architecture\")"},
                  {"command", "fieldscope import ddmi --vae " + vaeFile + " --config " + configFile},
                  {"sources",
                   {{{"file", std::filesystem::absolute(in.vae).string()},
                     {"sha256", vaeSha},
                     {"bytes", std::filesystem::file_size(in.vae)},
                     {"entries_read", {vaeEntry, "mlp"}},
                     {"entries_not_read", unread}},
                    {{"file", std::filesystem::absolute(in.config).string()},
                     {"sha256", sha256File(in.config)},
                     {"bytes", std::filesystem::file_size(in.config)}}}},
                  {"config_text", configText},
                  {"render",
                   "si = resolution / pixels per image side, not clamped; the noise injection at its expected value "
                   "0 (a field gives one colour per point); weights as stored (the VAE and readout have no EMA copy)"}}}};
  storeVae(out, vae);
  return out;
}

}  // namespace fieldscope
