"""Chat backends against a real loopback server speaking the OpenAI protocol."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.chat import BudgetExceeded, Message, Meter, ModelError, Usage
from models.fake import ScriptedModel
from models.openai_compat import OpenAICompatible
from models.settings import SettingsError, load
from tests.openai_server import ScriptedServer

ROOT = Path(__file__).resolve().parent.parent


def client(server, **kw):
    return OpenAICompatible(server.base_url, "test-model", backoff=0.01, **kw)


def test_answer_usage_and_images_on_the_wire():
    with ScriptedServer(["click Save"]) as server:
        model = client(server)
        reply = model.complete([Message("system", "be brief"), Message("user", "what now?", images=(b"\x89PNG..",))])
    assert reply.text == "click Save" and reply.usage.prompt_tokens == 100 and model.meter.calls == 1
    user = server.requests[0]["messages"][1]["content"]
    assert user[0] == {"type": "text", "text": "what now?"}
    assert user[1]["image_url"]["url"].startswith("data:image/png;base64,")


def test_5xx_and_429_are_retried():
    with ScriptedServer([{"status": 500}, {"status": 429}, {"status": 503}, "fine"]) as server:
        assert client(server).complete([Message("user", "hi")]).text == "fine"
    assert len(server.requests) == 4


def test_timeouts_are_retried():
    with ScriptedServer([{"sleep": 1.5}, "after the timeout"]) as server:
        assert client(server, timeout=0.5).complete([Message("user", "hi")]).text == "after the timeout"


def test_a_server_that_rejects_an_optional_parameter_still_works():
    script = [{"reject": "temperature"}, {"reject": "temperature", "then": "first"},
              {"reject": "temperature", "then": "second"}]
    with ScriptedServer(script) as server:
        model = client(server)
        assert model.complete([Message("user", "hi")]).text == "first"
        assert model.complete([Message("user", "again")]).text == "second"  # remembered: no second rejection
    assert "temperature" in server.requests[0]
    assert "temperature" not in server.requests[1] and "temperature" not in server.requests[2]
    assert len(server.requests) == 3


def test_giving_up_and_refused_keys_are_one_sentence():
    with ScriptedServer([{"status": 500}] * 3) as server:
        with pytest.raises(ModelError, match=r"did not answer after 3 tries .*base URL ends in /v1\.$"):
            client(server, retries=2).complete([Message("user", "hi")])
    with ScriptedServer([{"status": 401}]) as server:
        with pytest.raises(ModelError, match="refused the API key"):
            client(server).complete([Message("user", "hi")])


def test_budget_stops_the_run():
    with ScriptedServer(["a", "b", "c"]) as server:
        model = client(server, meter=Meter(price_in=10, price_out=30, max_cost=0.0025))
        model.complete([Message("user", "1")])  # 100 in + 20 out = $0.0016
        with pytest.raises(BudgetExceeded, match=r"over its budget of \$0\.0025"):
            model.complete([Message("user", "2")])


def test_scripted_model_replays_and_counts():
    fake = ScriptedModel(["one", "two"], meter=Meter(max_tokens=10_000))
    assert [fake.complete([Message("user", "x")]).text for _ in range(2)] == ["one", "two"]
    assert fake.meter.calls == 2 and len(fake.asked) == 2
    with pytest.raises(ModelError, match="no answers left"):
        fake.complete([Message("user", "x")])


def test_settings_layer_file_env_flags(tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[llm]\nbase_url = "http://file/v1"\nmodel = "from-file"\nmax_cost = 1.5\n')
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OLLAMA_HOST", "DESKPILOT_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    assert load(path=cfg).model == "from-file" and load(path=cfg).max_cost == 1.5
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env/v1")
    monkeypatch.setenv("DESKPILOT_LLM_MODEL", "from-env")
    s = load(path=cfg)
    assert (s.base_url, s.model) == ("http://env/v1", "from-env")
    assert load({"model": "from-flag"}, path=cfg).model == "from-flag"
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:11434")
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert load(path=cfg).base_url == "http://127.0.0.1:11434/v1"
    monkeypatch.setenv("DESKPILOT_LLM_MAX_COST", "-2")
    with pytest.raises(SettingsError, match="'max_cost' is invalid"):
        load(path=cfg)
    cfg.write_text("[llm\n")
    with pytest.raises(SettingsError, match="is not valid TOML"):
        load(path=cfg)


def test_doctor_checks_the_connection():
    with ScriptedServer([], models=("test-model", "other")) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "DESKPILOT_LLM_MODEL": "test-model",
               "XDG_CONFIG_HOME": "/nonexistent"}
        out = subprocess.run([sys.executable, "-m", "app.cli", "doctor"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=60).stdout
        assert f"{server.base_url} answers and serves 'test-model'" in out
        env["DESKPILOT_LLM_MODEL"] = "missing"
        out = subprocess.run([sys.executable, "-m", "app.cli", "doctor"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=60).stdout
        assert "does not serve 'missing'" in out and "test-model, other" in out


def test_anthropic_backend_on_the_wire_and_from_settings(monkeypatch, tmp_path):
    from models.anthropic import AnthropicModel
    from models.settings import make_model

    with ScriptedServer([{"status": 529}, "hello from claude"]) as server:
        root = server.base_url.removesuffix("/v1")
        model = AnthropicModel("claude-test", "sk-ant-test", root, retries=2, backoff=0.01)
        reply = model.complete([Message("system", "be brief"), Message("user", "look", (b"\x89PNG fake",)),
                                Message("user", "and this", (b"\xff\xd8\xff jpeg",))])
        assert reply.text == "hello from claude" and reply.usage == Usage(100, 20)
        body = server.requests[-1]
        assert body["system"] == "be brief" and len(body["messages"]) == 1  # two user turns joined
        kinds = [(p["type"], p.get("source", {}).get("media_type")) for p in body["messages"][0]["content"]]
        assert kinds == [("image", "image/png"), ("text", None), ("image", "image/jpeg"), ("text", None)]
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OLLAMA_HOST", "DESKPILOT_LLM_MODEL", "DESKPILOT_LLM_PROVIDER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env")
    settings = load({"model": "claude-x"}, path=tmp_path / "none.toml")
    assert settings.provider == "anthropic" and settings.configured and settings.api_key == "sk-ant-env"
    assert isinstance(make_model(settings), AnthropicModel)
    assert "on Anthropic" in settings.describe()


def test_local_transformers_chat_on_a_tiny_model(tmp_path):
    """A tiny randomly initialised Qwen2 and a byte-level tokenizer, both built here, answer through the chat
    protocol; missing folders get one sentence."""
    pytest.importorskip("transformers")
    import transformers as tf
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    from models.local_chat import TransformersChat

    vocab = {c: i for i, c in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    vocab.update({s: len(vocab) + i for i, s in enumerate(specials)})
    tok = Tokenizer(models.BPE(vocab, []))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(specials)
    fast = tf.PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    fast.chat_template = ("{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
                          "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
    config = tf.Qwen2Config(vocab_size=len(vocab), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                            num_attention_heads=2, num_key_value_heads=1, eos_token_id=vocab["<|im_end|>"],
                            pad_token_id=vocab["<|endoftext|>"])
    folder = tmp_path / "tiny"
    tf.Qwen2ForCausalLM(config).save_pretrained(folder)
    fast.save_pretrained(folder)
    chat = TransformersChat(str(folder), device="cpu")
    reply = chat.complete([Message("system", "hello"), Message("user", "hello there", (b"\x89PNG",))], max_tokens=4)
    assert reply.usage.prompt_tokens > 30 and 1 <= reply.usage.completion_tokens <= 4
    assert chat.meter.calls == 1
    with pytest.raises(ModelError, match="neither a folder nor in the Hugging Face cache"):
        TransformersChat(str(tmp_path / "missing") + "/org-name").complete([Message("user", "x")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="has no config.json"):
        TransformersChat(str(tmp_path / "empty")).complete([Message("user", "x")])


def test_every_table_is_read_by_one_reader_with_one_error(tmp_path):
    """[llm] [vlm] [planner] [agent] [native] [policy] [app]: one reader, one error type, each naming the value."""
    from app.config import load_app
    from models.native_settings import load_agent, load_native
    from models.settings import load_planner, load_vlm
    from planner.policy import load_policy

    bad = {"llm": "max_cost = -1", "vlm": "token_ratio = 2", "planner": "reflect = 'sometimes'",
           "agent": "mode = 'psychic'", "native": "timeout = -5", "policy": "code = 'maybe'",
           "app": "max_steps = 0"}
    readers = {"llm": lambda p: load(path=p), "vlm": lambda p: load_vlm(path=p),
               "planner": lambda p: load_planner(path=p), "agent": lambda p: load_agent(path=p),
               "native": lambda p: load_native(path=p), "policy": load_policy, "app": load_app}
    for table, line in bad.items():
        path = tmp_path / f"{table}.toml"
        path.write_text(f"[{table}]\n{line}\n")
        field = line.split()[0]
        with pytest.raises(SettingsError, match=f"'{field}' is invalid"):
            readers[table](path)
    broken = tmp_path / "broken.toml"
    broken.write_text("[app\n")
    for read in readers.values():
        with pytest.raises(SettingsError, match="is not valid TOML"):
            read(broken)
