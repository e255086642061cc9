#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "hw/catalog.hpp"

using namespace fleetsim;

namespace {
// Parses one models.toml text (the built-in GPUs are not needed: models refer to no hardware).
hw::Catalog parse_models(const std::string& text) {
  static std::string kept;  // CatalogSource holds a pointer
  kept = text;
  return hw::Catalog::parse({{"hw/catalog/models.toml", kept.c_str()}});
}

// A valid dense entry, in scenario form (no sources needed there), with `extra` appended.
std::string dense_entry(const std::string& extra = "") {
  return "[[model]]\nid = \"m\"\nlayers = 2\nhidden = 64\nheads = 8\nkv_heads = 2\nffn = 256\nvocabulary = 1000\n"
         "sources = [\"x\"]\n" +
         extra;
}
}  // namespace

TEST_CASE("every catalog model cites its sources and its dimensions give its published parameter counts") {
  const hw::Catalog& catalog = hw::Catalog::builtin();
  for (const char* id : {"gpt3-175b", "llama3-8b", "llama3-70b", "llama3-405b", "mistral-large-2", "mixtral-8x22b",
                         "deepseek-v3"}) {
    INFO(id);
    REQUIRE(catalog.find_model(id));
  }
  for (const auto& [id, model] : catalog.models()) {
    INFO(id);
    CHECK_FALSE(model.sources.empty());
    REQUIRE(model.published_params_b > 0);
    CHECK(std::fabs(model.total_parameters() / 1e9 / model.published_params_b - 1) <= 0.03);
    if (model.is_moe()) {
      REQUIRE(model.published_active_params_b > 0);
      CHECK(std::fabs(model.active_parameters() / 1e9 / model.published_active_params_b - 1) <= 0.03);
    } else {
      CHECK(model.active_parameters() == model.total_parameters());
    }
  }
}

TEST_CASE("Llama 3.1 405B: 405,849,243,648 parameters from its dimensions, counted by hand") {
  // Table 3 of the Llama 3 paper: 126 layers, h = 16,384, 128 heads of 128, 8 KV heads, FFN 53,248 (SwiGLU),
  // vocabulary 128,256 (llama-models), untied embeddings.
  const hw::ModelSpec& model = *hw::Catalog::builtin().find_model("llama3-405b");
  const double attention = 16384.0 * 16384     // Q: h x (128 x 128)
                           + 2.0 * 16384 * 1024  // K, V: h x (8 x 128) each
                           + 16384.0 * 16384;    // O
  CHECK(attention == 570'425'344.0);
  const double mlp = 3.0 * 16384 * 53248;  // gate, up, down
  CHECK(mlp == 2'617'245'696.0);
  const double embeddings = 2.0 * 128256 * 16384;  // input and output
  const double total = 126 * (attention + mlp) + embeddings;
  CHECK(total == 405'849'243'648.0);
  CHECK(model.attention_parameters() == attention);
  CHECK(model.total_parameters() == total);
  CHECK(model.active_parameters() == total);
}

TEST_CASE("DeepSeek-V3: 671.03B parameters, 37.55B active, from MLA and expert dimensions counted by hand") {
  // config_671B.json: 61 layers (3 dense), h = 7,168, 128 heads, q_lora 1,536, kv_lora 512, qk 128 + 64 rope,
  // v 128, dense FFN 18,432, 1 shared + 256 routed experts of 2,048, 8 routed per token, vocabulary 129,280.
  const hw::ModelSpec& model = *hw::Catalog::builtin().find_model("deepseek-v3");
  const double attention = 7168.0 * 1536            // W_qa: down-projection of queries
                           + 1536.0 * 128 * 192     // W_qb: up to 128 heads x (128 + 64)
                           + 7168.0 * (512 + 64)    // W_kva: KV latent + shared RoPE key
                           + 512.0 * 128 * (128 + 128)  // W_kvb: up to 128 heads x (k 128 + v 128)
                           + 128.0 * 128 * 7168;    // W_o
  CHECK(attention == 187'105'280.0);
  const double dense_mlp = 3.0 * 7168 * 18432;
  const double expert = 3.0 * 7168 * 2048;
  const double router = 7168.0 * 256;
  const double moe_all = (256 + 1) * expert + router;
  const double moe_active = (8 + 1) * expert + router;
  const double embeddings = 2.0 * 129280 * 7168;
  const double total = 61 * attention + 3 * dense_mlp + 58 * moe_all + embeddings;
  const double active = 61 * attention + 3 * dense_mlp + 58 * moe_active + embeddings;
  CHECK(total == 671'025'397'760.0);
  CHECK(active == 37'551'276'032.0);
  CHECK(model.attention_parameters() == attention);
  CHECK(model.total_parameters() == total);
  CHECK(model.active_parameters() == active);
}

TEST_CASE("Mixtral 8x22B: every layer a mixture of 8 experts, 2 active") {
  const hw::ModelSpec& model = *hw::Catalog::builtin().find_model("mixtral-8x22b");
  const double attention = 2.0 * 6144 * 6144 + 2.0 * 6144 * 1024;  // Q, O: 48 x 128 = h; K, V: 8 x 128
  const double expert = 3.0 * 6144 * 16384;
  const double embeddings = 2.0 * 32000 * 6144;
  CHECK(model.total_parameters() == 56 * (attention + 8 * expert + 6144.0 * 8) + embeddings);
  CHECK(model.active_parameters() == 56 * (attention + 2 * expert + 6144.0 * 8) + embeddings);
}

TEST_CASE("GPT-3 175B: plain MLP, tied embeddings") {
  const hw::ModelSpec& model = *hw::Catalog::builtin().find_model("gpt3-175b");
  // 12 h^2 per layer (4 h^2 attention, 8 h^2 MLP of 4h) plus one 50,257 x h embedding.
  CHECK(model.total_parameters() == 96 * 12.0 * 12288 * 12288 + 50257.0 * 12288);
}

TEST_CASE("a model entry written by to_toml reads back to the same model") {
  for (const char* id : {"deepseek-v3", "gpt3-175b", "mixtral-8x22b"}) {
    INFO(id);
    const hw::ModelSpec& model = *hw::Catalog::builtin().find_model(id);
    toml::table table;
    table.insert("model", toml::array{hw::to_toml(model)});
    std::ostringstream text;
    text << toml::toml_formatter(table);
    const hw::Catalog parsed = parse_models(text.str());
    const hw::ModelSpec& back = *parsed.find_model(id);
    CHECK(back.total_parameters() == model.total_parameters());
    CHECK(back.active_parameters() == model.active_parameters());
    CHECK(back.tied_embeddings == model.tied_embeddings);
    CHECK(back.gated_mlp == model.gated_mlp);
    CHECK(back.sources == model.sources);
    CHECK(back.notes == model.notes);
  }
}

TEST_CASE("model entry errors name the file, line and key") {
  auto error_of = [](const std::string& text) {
    try {
      parse_models(text);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK(error_of(dense_entry()) == "no error");
  CHECK(error_of(dense_entry("layer = 3\n")) == "hw/catalog/models.toml:10: model.m.layer: unknown key (did you mean layers?) (got 3 (integer))");
  CHECK(error_of("[[model]]\nid = \"m\"\nhidden = 64\nheads = 8\nffn = 256\nvocabulary = 1000\nsources = [\"x\"]\n") ==
        "hw/catalog/models.toml:1: model.m.layers: required key is missing");
  CHECK(error_of(dense_entry("gated_mlp = 1\n")) ==
        "hw/catalog/models.toml:10: model.m.gated_mlp: must be true or false (got 1 (integer))");
  CHECK(error_of("[[model]]\nid = \"m\"\nlayers = 0\nhidden = 64\nheads = 8\nffn = 256\nvocabulary = 1000\n") ==
        "hw/catalog/models.toml:3: model.m.layers: must be > 0 (got 0 (integer))");
  CHECK(error_of("[[model]]\nid = \"m\"\nlayers = 2\nhidden = 64\nheads = 8\nkv_heads = 3\nffn = 256\nvocabulary = 9\n") ==
        "hw/catalog/models.toml:6: model.m.kv_heads: must divide heads (8) (got 3 (integer))");
  CHECK(error_of("[[model]]\nid = \"m\"\nlayers = 2\nhidden = 60\nheads = 8\nffn = 256\nvocabulary = 9\n") ==
        "hw/catalog/models.toml:5: model.m.heads: must divide hidden (60) when head_dim is not given (got 8 (integer))");
  CHECK(error_of(dense_entry("active_experts = 2\n")) ==
        "hw/catalog/models.toml:10: model.m.active_experts: only for a mixture of experts (set experts) (got 2 (integer))");
  CHECK(error_of(dense_entry("experts = 8\nactive_experts = 9\n")) ==
        "hw/catalog/models.toml:11: model.m.active_experts: must be <= experts (8) (got 9 (integer))");
  CHECK(error_of(dense_entry("experts = 8\n")) ==
        "hw/catalog/models.toml:1: model.m.active_experts: required key is missing");
  CHECK(error_of(dense_entry("experts = 8\nactive_experts = 2\ndense_layers = 2\n")) ==
        "hw/catalog/models.toml:12: model.m.dense_layers: must be in [0, layers) (layers = 2) (got 2 (integer))");
  CHECK(error_of(dense_entry("v_head_dim = 16\n")) ==
        "hw/catalog/models.toml:1: model.m.kv_lora_rank: required key is missing");
  const std::string mla = "kv_lora_rank = 32\nqk_nope_head_dim = 8\nqk_rope_head_dim = 4\nv_head_dim = 8\n";
  CHECK(error_of(dense_entry(mla)) ==
        "hw/catalog/models.toml:6: model.m.kv_heads: must equal heads (8) with multi-head latent attention (got 2 (integer))");
  CHECK(error_of(dense_entry(mla + "q_lora_rank = 64\n")) ==
        "hw/catalog/models.toml:14: model.m.q_lora_rank: must be < hidden (64): a low-rank latent (got 64 (integer))");
  CHECK(error_of(dense_entry("published_active_params_b = 0.001\n")) ==
        "hw/catalog/models.toml:10: model.m.published_active_params_b: only for a mixture of experts (a dense "
        "model's active parameters are its total) (got 0.001 (float))");
  CHECK(error_of("[[model]]\nid = \"m\"\nlayers = 2\nhidden = 64\nheads = 8\nffn = 256\nvocabulary = 1000\n") ==
        "hw/catalog/models.toml:1: model.m.sources: catalog entries must cite their sources");
}

TEST_CASE("a published parameter count more than 3% from the dimensions' count is an error naming both") {
  // dense_entry: 2 x (attention 64x64 + 2x64x16 + 64x64 = 10,240; MLP 3x64x256 = 49,152) + 2x1000x64 = 246,784.
  const hw::Catalog ok = parse_models(dense_entry("published_params_b = 0.000254\n"));  // 2.9% above
  CHECK(ok.find_model("m")->total_parameters() == 246'784.0);
  CHECK_THROWS_WITH(parse_models(dense_entry("published_params_b = 0.000255\n")),  // 3.3% above
                    "hw/catalog/models.toml:10: model.m.published_params_b: more than 3% from the 0.000247 billion total "
                    "parameters the dimensions give (got 0.000255 (float))");
}
