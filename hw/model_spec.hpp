#pragma once
// A model architecture from the model catalog (hw/catalog/models.toml): the dimensions that decide a
// training step's FLOPs, memory and communication. Plain data plus pure functions; no SimGrid, no HDF5.
//
// Parameter counts (Narayanan et al., "Efficient Large-Scale Language Model Training on GPU Clusters Using
// Megatron-LM", SC'21, arXiv:2104.04473, section 5.1, generalised to grouped-query attention, gated MLPs and
// mixtures of experts):
//   attention (GQA/MHA): h·(heads·d) [Q] + 2·h·(kv_heads·d) [K, V] + (heads·d)·h [O]
//   attention (MLA, DeepSeek-V2/V3, arXiv:2412.19437 §2.1): h·q_lora + q_lora·heads·(nope+rope)
//                        + h·(kv_lora+rope) + kv_lora·heads·(nope+v) + heads·v·h
//   MLP: (gated ? 3 : 2)·h·ffn per expert; MoE layers: routed experts + shared experts + router h·experts
//   embeddings: V·h in, V·h out unless tied.
#include <cstddef>
#include <string>
#include <vector>

namespace fleetsim::hw {

constexpr std::size_t kModelIdMaxBytes = 63;  // the /jobs `model` column is string[64]

struct ModelSpec {
  std::string id;
  std::string name;
  int layers = 0;
  int hidden = 0;            // model dimension h
  int heads = 0;             // attention (query) heads
  int kv_heads = 0;          // key/value heads (= heads for multi-head attention)
  int head_dim = 0;          // per-head dimension d (default hidden / heads)
  int ffn = 0;               // MLP intermediate size of a dense layer
  bool gated_mlp = true;     // SwiGLU-style (3 matrices) or a plain 2-matrix MLP (GPT-3)
  long long vocabulary = 0;
  bool tied_embeddings = false;
  // Mixture of experts (experts = 0: dense). The first `dense_layers` layers are dense (DeepSeek-V3: 3).
  int experts = 0;           // routed experts per MoE layer
  int active_experts = 0;    // routed experts per token
  int shared_experts = 0;    // always-active experts per MoE layer
  int expert_ffn = 0;        // intermediate size of one expert (default ffn)
  int dense_layers = 0;
  // Multi-head latent attention (DeepSeek): q_lora_rank > 0 or kv_lora_rank > 0 selects it.
  int q_lora_rank = 0;
  int kv_lora_rank = 0;
  int qk_nope_head_dim = 0;
  int qk_rope_head_dim = 0;
  int v_head_dim = 0;
  double published_params_b = 0;         // total parameters as published, billions (a check, not an input)
  double published_active_params_b = 0;  // active per token (MoE), billions; 0 = dense
  std::vector<std::string> sources;
  std::string notes;

  bool is_moe() const { return experts > 0; }
  bool is_mla() const { return q_lora_rank > 0 || kv_lora_rank > 0; }
  int head_size() const { return head_dim > 0 ? head_dim : (heads > 0 ? hidden / heads : 0); }
  int moe_layers() const { return is_moe() ? layers - dense_layers : 0; }
  int expert_size() const { return expert_ffn > 0 ? expert_ffn : ffn; }

  double attention_parameters() const {
    const double h = hidden;
    if (is_mla()) {
      const double q = q_lora_rank > 0 ? h * q_lora_rank + double(q_lora_rank) * heads * (qk_nope_head_dim + qk_rope_head_dim)
                                       : h * heads * (qk_nope_head_dim + qk_rope_head_dim);
      const double kv = h * (kv_lora_rank + qk_rope_head_dim) + double(kv_lora_rank) * heads * (qk_nope_head_dim + v_head_dim);
      return q + kv + double(heads) * v_head_dim * h;
    }
    const double d = head_size();
    return h * heads * d + 2 * h * kv_heads * d + heads * d * h;
  }
  double mlp_parameters(int intermediate) const { return (gated_mlp ? 3.0 : 2.0) * hidden * intermediate; }
  double dense_mlp_parameters() const { return mlp_parameters(ffn); }
  // One MoE layer's MLP: every expert (total) or the experts a token passes through (active), router included.
  double moe_mlp_parameters(bool active) const {
    const int routed = active ? active_experts : experts;
    return (routed + shared_experts) * mlp_parameters(expert_size()) + double(hidden) * experts;
  }
  double embedding_parameters() const { return double(vocabulary) * hidden * (tied_embeddings ? 1 : 2); }
  // Parameters of the transformer layers (no embeddings), all experts or the active ones.
  double layer_parameters(bool active) const {
    const int dense = is_moe() ? dense_layers : layers;
    return layers * attention_parameters() + dense * dense_mlp_parameters() + moe_layers() * moe_mlp_parameters(active);
  }
  double total_parameters() const { return layer_parameters(false) + embedding_parameters(); }
  double active_parameters() const { return layer_parameters(true) + embedding_parameters(); }
};

}  // namespace fleetsim::hw
