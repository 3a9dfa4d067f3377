// `convscope shapes` run as a user runs it, on every stack of tests/network/stacks.json (made by PyTorch):
// --json gives PyTorch's shapes and parameter counts, layer text as given; a stack PyTorch refuses exits 2
// with one line `error: layer K (<layer>): …` naming the layer PyTorch stops at, counted from 1 after the
// input.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/testing.hpp"
#include "support/paths.hpp"

namespace fs = std::filesystem;

namespace {

using Run = convscope::testing::ProcessResult;

// Runs `convscope ARGS` (no shell) with stdout and stderr captured.
Run run_cli(const std::vector<std::string>& args) {
    std::vector<std::string> argv{convscope::testing::convscope_exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    return convscope::testing::run_process(argv);
}

}  // namespace

TEST_CASE("convscope shapes --json: every stack of stacks.json as PyTorch runs it") {
    std::ifstream in(convscope::testing::source_path("tests/network/stacks.json"));
    REQUIRE(in);
    const nlohmann::json doc = nlohmann::json::parse(in);
    REQUIRE(doc["stacks"].size() >= 30);
    for (const auto& stack : doc["stacks"]) {
        DYNAMIC_SECTION(stack["name"].get<std::string>()) {
            std::string input;
            for (const auto& d : stack["input"])
                input += (input.empty() ? "" : ",") + std::to_string(d.get<int>());
            std::vector<std::string> args{"shapes", "--json", "--input", input};
            const auto layers = stack["layers"].get<std::vector<std::string>>();
            args.insert(args.end(), layers.begin(), layers.end());
            const Run r = run_cli(args);
            INFO("stderr: " << r.err);
            if (!stack.contains("error")) {
                REQUIRE(r.status == 0);
                CHECK(r.err.empty());
                const nlohmann::json rows = nlohmann::json::parse(r.out);
                REQUIRE(rows.size() == layers.size() + 1);
                CHECK(rows[0]["layer"] == "input");
                CHECK(rows[0]["shape"] == stack["input"]);
                CHECK(rows[0]["params"] == 0);
                CHECK(rows[0]["mult_adds"] == 0);
                for (size_t i = 0; i < layers.size(); ++i) {
                    INFO("layer " << i + 1 << ": " << layers[i]);
                    CHECK(rows[i + 1]["layer"] == layers[i]);
                    CHECK(rows[i + 1]["shape"] == stack["expect"][i]["shape"]);
                    CHECK(rows[i + 1]["params"] == stack["expect"][i]["params"]);
                    CHECK(rows[i + 1]["mult_adds"] == stack["expect"][i]["mult_adds"]);
                }
            } else {
                const int k = stack["error"]["layer"].get<int>();
                CHECK(r.status == 2);
                CHECK(r.out.empty());
                const std::string prefix =
                    "error: layer " + std::to_string(k) + " (" + layers[size_t(k - 1)] + "): ";
                CHECK(r.err.substr(0, prefix.size()) == prefix);
                CHECK(r.err.size() > prefix.size() + 1);
                CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
            }
        }
    }
}

TEST_CASE("convscope shapes --code: torchvision's AlexNet, as its source and as print(model) prints it") {
    std::ifstream in(convscope::testing::source_path("tests/network/stacks.json"));
    REQUIRE(in);
    const nlohmann::json doc = nlohmann::json::parse(in);
    const auto& alexnet = doc["torchvision_alexnet"];
    const std::string file = GENERATE(as<std::string>{}, "alexnet_source.py", "alexnet_print.txt");
    INFO(file);
    const Run r =
        run_cli({"shapes", "--json", "--code", convscope::testing::source_path("tests/network/" + file)});
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    const nlohmann::json rows = nlohmann::json::parse(r.out);
    CHECK(rows[0]["shape"] == alexnet["input"]);
    // PyTorch's rows are its leaf modules; ConvScope's stack adds a Flatten where forward calls
    // torch.flatten.
    std::vector<nlohmann::json> layers;
    int64_t params = 0;
    for (size_t i = 1; i < rows.size(); ++i) {
        params += rows[i]["params"].get<int64_t>();
        if (rows[i]["layer"] != "Flatten()") layers.push_back(rows[i]);
    }
    REQUIRE(layers.size() == alexnet["expect"].size());
    for (size_t i = 0; i < layers.size(); ++i) {
        INFO("layer " << i + 1 << ": " << layers[i]["layer"]);
        CHECK(layers[i]["layer"].get<std::string>().starts_with(
            alexnet["expect"][i]["module"].get<std::string>()));
        CHECK(layers[i]["shape"] == alexnet["expect"][i]["shape"]);
        CHECK(layers[i]["params"] == alexnet["expect"][i]["params"]);
        CHECK(layers[i]["mult_adds"] == alexnet["expect"][i]["mult_adds"]);
    }
    CHECK(params == alexnet["total_params"].get<int64_t>());
    // The lines that are not layers are listed, not dropped.
    if (file == "alexnet_source.py") {
        CHECK(r.err.find("skipped line 19: class AlexNet(nn.Module):\n") != std::string::npos);
        CHECK(r.err.find("note: line 52: torch.flatten read as Flatten()\n") != std::string::npos);
    } else {
        CHECK(r.err.find("note: Flatten() put in as layer 15, for layer 17 (Linear(9216, 4096))") !=
              std::string::npos);
    }
}
