#!/usr/bin/env python3
"""Chat-template references: what transformers' apply_chat_template(tokenize=False) renders for the
fixture tiny-qwen2's chat template and for 19 real Hub chat templates, over a set of conversations
(system + user, user only, multi-turn, Korean, content with leading/trailing whitespace and
newlines; with and without add_generation_prompt; tool calls and reasoning where a template has
them), plus small templates that pin down single Jinja2 rules (whitespace control, trim_blocks and
lstrip_blocks, scoping, undefined values, filters, tests, number and string formatting) as jinja2
renders them in transformers' sandbox. Writes assets/references/chat-templates.json, which
tests/tokenizer/chat_template_test.cpp holds tokenizer/chat_template.cpp to, byte for byte.

    /tmp/venv/bin/pip install jinja2   # besides requirements.txt; transformers needs jinja2 >= 3.1.6 for chat templates
    /tmp/venv/bin/python tools/references/chat_templates.py [--out FILE]

Output is deterministic (no template here calls strftime_now; Llama 3.2's gets date_string).

How each expected string is made (nothing is written by hand):
- Hub templates: a PreTrainedTokenizerFast built from tiny-qwen2's tokenizer.json with the
  template as its chat_template and the model's special tokens, then
  tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=..., **extra) —
  the whole transformers path (special_tokens_map as template variables, tools=None and
  documents=None, message normalisation, jinja2's ImmutableSandboxedEnvironment with
  trim_blocks/lstrip_blocks, raise_exception, tojson, strftime_now, namespace). The fixture is
  loaded with AutoTokenizer.from_pretrained(folder), so its special tokens are the folder's own.
- Snippets: transformers.utils.chat_template_utils._compile_jinja_template(source).render(**variables),
  the same compiled template object apply_chat_template renders with.
A case whose rendering raises records the exception's type and message instead of a string.

Template sources: every Hub template was read byte for byte from public files (cited per template
in "source"). Most come from huggingface.js's chat-template-automap.ts, which records the
chat_template that the GGUF of an ollama library model carries (copied from the Hub repo the GGUF
was converted from); "model" names that Hub repo. The others come from huggingface.js's Jinja
end-to-end tests, keyed by Hub repo id.
"""
import argparse
import json
import platform
import sys
from pathlib import Path

import jinja2
import transformers
from transformers import AutoTokenizer, PreTrainedTokenizerFast
from transformers.utils.chat_template_utils import _compile_jinja_template

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "assets/models/fixtures/tiny-qwen2"

HUB_TEMPLATES = [
    {
        "name": 'qwen2.5-0.5b-instruct',
        "model": 'Qwen/Qwen2.5-0.5B-Instruct',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/qwen2.5:0.5b" (the template its GGUF carries)',
        "variables": {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"},
        "template": '{%- if tools %}\n    {{- \'<|im_start|>system\\n\' }}\n    {%- if messages[0][\'role\'] == \'system\' %}\n        {{- messages[0][\'content\'] }}\n    {%- else %}\n        {{- \'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.\' }}\n    {%- endif %}\n    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}\n    {%- for tool in tools %}\n        {{- "\\n" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}}\\n</tool_call><|im_end|>\\n" }}\n{%- else %}\n    {%- if messages[0][\'role\'] == \'system\' %}\n        {{- \'<|im_start|>system\\n\' + messages[0][\'content\'] + \'<|im_end|>\\n\' }}\n    {%- else %}\n        {{- \'<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n\' }}\n    {%- endif %}\n{%- endif %}\n{%- for message in messages %}\n    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}\n        {{- \'<|im_start|>\' + message.role + \'\\n\' + message.content + \'<|im_end|>\' + \'\\n\' }}\n    {%- elif message.role == "assistant" %}\n        {{- \'<|im_start|>\' + message.role }}\n        {%- if message.content %}\n            {{- \'\\n\' + message.content }}\n        {%- endif %}\n        {%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined %}\n                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n            {{- \'\\n<tool_call>\\n{"name": "\' }}\n            {{- tool_call.name }}\n            {{- \'", "arguments": \' }}\n            {{- tool_call.arguments | tojson }}\n            {{- \'}\\n</tool_call>\' }}\n        {%- endfor %}\n        {{- \'<|im_end|>\\n\' }}\n    {%- elif message.role == "tool" %}\n        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}\n            {{- \'<|im_start|>user\' }}\n        {%- endif %}\n        {{- \'\\n<tool_response>\\n\' }}\n        {{- message.content }}\n        {{- \'\\n</tool_response>\' }}\n        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}\n            {{- \'<|im_end|>\\n\' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- \'<|im_start|>assistant\\n\' }}\n{%- endif %}\n',
    },
    {
        "name": 'qwen2.5-7b-instruct',
        "model": 'Qwen/Qwen2.5-7B-Instruct',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/jinja/test/e2e.test.js, entry "Qwen/Qwen2.5-7B-Instruct"',
        "variables": {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"},
        "template": '{%- if tools %}\n    {{- \'<|im_start|>system\\n\' }}\n    {%- if messages[0][\'role\'] == \'system\' %}\n        {{- messages[0][\'content\'] }}\n    {%- else %}\n        {{- \'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.\' }}\n    {%- endif %}\n    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}\n    {%- for tool in tools %}\n        {{- "\\n" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}\n{%- else %}\n    {%- if messages[0][\'role\'] == \'system\' %}\n        {{- \'<|im_start|>system\\n\' + messages[0][\'content\'] + \'<|im_end|>\\n\' }}\n    {%- else %}\n        {{- \'<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n\' }}\n    {%- endif %}\n{%- endif %}\n{%- for message in messages %}\n    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}\n        {{- \'<|im_start|>\' + message.role + \'\\n\' + message.content + \'<|im_end|>\' + \'\\n\' }}\n    {%- elif message.role == "assistant" %}\n        {{- \'<|im_start|>\' + message.role }}\n        {%- if message.content %}\n            {{- \'\\n\' + message.content }}\n        {%- endif %}\n        {%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined %}\n                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n            {{- \'\\n<tool_call>\\n{"name": "\' }}\n            {{- tool_call.name }}\n            {{- \'", "arguments": \' }}\n            {{- tool_call.arguments | tojson }}\n            {{- \'}\\n</tool_call>\' }}\n        {%- endfor %}\n        {{- \'<|im_end|>\\n\' }}\n    {%- elif message.role == "tool" %}\n        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}\n            {{- \'<|im_start|>user\' }}\n        {%- endif %}\n        {{- \'\\n<tool_response>\\n\' }}\n        {{- message.content }}\n        {{- \'\\n</tool_response>\' }}\n        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}\n            {{- \'<|im_end|>\\n\' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- \'<|im_start|>assistant\\n\' }}\n{%- endif %}\n',
    },
    {
        "name": 'qwen2-0.5b-instruct',
        "model": 'Qwen/Qwen2-0.5B-Instruct',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/qwen2:0.5b"',
        "variables": {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"},
        "template": "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}",
    },
    {
        "name": 'qwen3-0.6b',
        "model": 'Qwen/Qwen3-0.6B',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/jinja/test/e2e.test.js, entry "Qwen/Qwen3-0.6B" (identical to packages/ollama-utils/src/chat-template-automap.ts "library/qwen3:0.6b")',
        "variables": {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"},
        "template": '{%- if tools %}\n    {{- \'<|im_start|>system\\n\' }}\n    {%- if messages[0].role == \'system\' %}\n        {{- messages[0].content + \'\\n\\n\' }}\n    {%- endif %}\n    {{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}\n    {%- for tool in tools %}\n        {{- "\\n" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}\n{%- else %}\n    {%- if messages[0].role == \'system\' %}\n        {{- \'<|im_start|>system\\n\' + messages[0].content + \'<|im_end|>\\n\' }}\n    {%- endif %}\n{%- endif %}\n{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}\n{%- for message in messages[::-1] %}\n    {%- set index = (messages|length - 1) - loop.index0 %}\n    {%- if ns.multi_step_tool and message.role == "user" and not(message.content.startswith(\'<tool_response>\') and message.content.endswith(\'</tool_response>\')) %}\n        {%- set ns.multi_step_tool = false %}\n        {%- set ns.last_query_index = index %}\n    {%- endif %}\n{%- endfor %}\n{%- for message in messages %}\n    {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}\n        {{- \'<|im_start|>\' + message.role + \'\\n\' + message.content + \'<|im_end|>\' + \'\\n\' }}\n    {%- elif message.role == "assistant" %}\n        {%- set content = message.content %}\n        {%- set reasoning_content = \'\' %}\n        {%- if message.reasoning_content is defined and message.reasoning_content is not none %}\n            {%- set reasoning_content = message.reasoning_content %}\n        {%- else %}\n            {%- if \'</think>\' in message.content %}\n                {%- set content = message.content.split(\'</think>\')[-1].lstrip(\'\\n\') %}\n                {%- set reasoning_content = message.content.split(\'</think>\')[0].rstrip(\'\\n\').split(\'<think>\')[-1].lstrip(\'\\n\') %}\n            {%- endif %}\n        {%- endif %}\n        {%- if loop.index0 > ns.last_query_index %}\n            {%- if loop.last or (not loop.last and reasoning_content) %}\n                {{- \'<|im_start|>\' + message.role + \'\\n<think>\\n\' + reasoning_content.strip(\'\\n\') + \'\\n</think>\\n\\n\' + content.lstrip(\'\\n\') }}\n            {%- else %}\n                {{- \'<|im_start|>\' + message.role + \'\\n\' + content }}\n            {%- endif %}\n        {%- else %}\n            {{- \'<|im_start|>\' + message.role + \'\\n\' + content }}\n        {%- endif %}\n        {%- if message.tool_calls %}\n            {%- for tool_call in message.tool_calls %}\n                {%- if (loop.first and content) or (not loop.first) %}\n                    {{- \'\\n\' }}\n                {%- endif %}\n                {%- if tool_call.function %}\n                    {%- set tool_call = tool_call.function %}\n                {%- endif %}\n                {{- \'<tool_call>\\n{"name": "\' }}\n                {{- tool_call.name }}\n                {{- \'", "arguments": \' }}\n                {%- if tool_call.arguments is string %}\n                    {{- tool_call.arguments }}\n                {%- else %}\n                    {{- tool_call.arguments | tojson }}\n                {%- endif %}\n                {{- \'}\\n</tool_call>\' }}\n            {%- endfor %}\n        {%- endif %}\n        {{- \'<|im_end|>\\n\' }}\n    {%- elif message.role == "tool" %}\n        {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}\n            {{- \'<|im_start|>user\' }}\n        {%- endif %}\n        {{- \'\\n<tool_response>\\n\' }}\n        {{- message.content }}\n        {{- \'\\n</tool_response>\' }}\n        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}\n            {{- \'<|im_end|>\\n\' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- \'<|im_start|>assistant\\n\' }}\n    {%- if enable_thinking is defined and enable_thinking is false %}\n        {{- \'<think>\\n\\n</think>\\n\\n\' }}\n    {%- endif %}\n{%- endif %}',
    },
    {
        "name": 'llama-2-7b-chat',
        "model": 'meta-llama/Llama-2-7b-chat-hf',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/llama2:7b"',
        "variables": {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
        "template": "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}",
    },
    {
        "name": 'mistral-7b-instruct-v0.1',
        "model": 'mistralai/Mistral-7B-Instruct-v0.1',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/jinja/test/e2e.test.js, entry "TheBloke/Mistral-7B-Instruct-v0.1-GPTQ"',
        "variables": {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
        "template": "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token + ' ' }}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}",
    },
    {
        "name": 'mistral-7b-instruct',
        "model": 'mistralai/Mistral-7B-Instruct (the release ollama ships as library/mistral:7b-instruct)',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/mistral:7b-instruct-fp16"',
        "variables": {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
        "template": "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token + ' ' }}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}",
    },
    {
        "name": 'mistral-nemo-instruct-2407',
        "model": 'mistralai/Mistral-Nemo-Instruct-2407',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/jinja/test/e2e.test.js, entry "mistralai/Mistral-Nemo-Instruct-2407"',
        "variables": {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
        "template": '{%- if messages[0]["role"] == "system" %}\n    {%- set system_message = messages[0]["content"] %}\n    {%- set loop_messages = messages[1:] %}\n{%- else %}\n    {%- set loop_messages = messages %}\n{%- endif %}\n{%- if not tools is defined %}\n    {%- set tools = none %}\n{%- endif %}\n{%- set user_messages = loop_messages | selectattr("role", "equalto", "user") | list %}\n\n{%- for message in loop_messages | rejectattr("role", "equalto", "tool") | rejectattr("role", "equalto", "tool_results") | selectattr("tool_calls", "undefined") %}\n    {%- if (message["role"] == "user") != (loop.index0 % 2 == 0) %}\n        {{- raise_exception("After the optional system message, conversation roles must alternate user/assistant/user/assistant/...") }}\n    {%- endif %}\n{%- endfor %}\n\n{{- bos_token }}\n{%- for message in loop_messages %}\n    {%- if message["role"] == "user" %}\n        {%- if tools is not none and (message == user_messages[-1]) %}\n            {{- "[AVAILABLE_TOOLS][" }}\n            {%- for tool in tools %}\n        {%- set tool = tool.function %}\n        {{- \'{"type": "function", "function": {\' }}\n        {%- for key, val in tool.items() if key != "return" %}\n            {%- if val is string %}\n            {{- \'"\' + key + \'": "\' + val + \'"\' }}\n            {%- else %}\n            {{- \'"\' + key + \'": \' + val|tojson }}\n            {%- endif %}\n            {%- if not loop.last %}\n            {{- ", " }}\n            {%- endif %}\n        {%- endfor %}\n        {{- "}}" }}\n                {%- if not loop.last %}\n                    {{- ", " }}\n                {%- else %}\n                    {{- "]" }}\n                {%- endif %}\n            {%- endfor %}\n            {{- "[/AVAILABLE_TOOLS]" }}\n            {%- endif %}\n        {%- if loop.last and system_message is defined %}\n            {{- "[INST]" + system_message + "\\n\\n" + message["content"] + "[/INST]" }}\n        {%- else %}\n            {{- "[INST]" + message["content"] + "[/INST]" }}\n        {%- endif %}\n    {%- elif message["role"] == "tool_calls" or message.tool_calls is defined %}\n        {%- if message.tool_calls is defined %}\n            {%- set tool_calls = message.tool_calls %}\n        {%- else %}\n            {%- set tool_calls = message.content %}\n        {%- endif %}\n        {{- "[TOOL_CALLS][" }}\n        {%- for tool_call in tool_calls %}\n            {%- set out = tool_call.function|tojson %}\n            {{- out[:-1] }}\n            {%- if not tool_call.id is defined or tool_call.id|length != 9 %}\n                {{- raise_exception("Tool call IDs should be alphanumeric strings with length 9!") }}\n            {%- endif %}\n            {{- \', "id": "\' + tool_call.id + \'"}\' }}\n            {%- if not loop.last %}\n                {{- ", " }}\n            {%- else %}\n                {{- "]" + eos_token }}\n            {%- endif %}\n        {%- endfor %}\n    {%- elif message["role"] == "assistant" %}\n        {{- message["content"] + eos_token}}\n    {%- elif message["role"] == "tool_results" or message["role"] == "tool" %}\n        {%- if message.content is defined and message.content.content is defined %}\n            {%- set content = message.content.content %}\n        {%- else %}\n            {%- set content = message.content %}\n        {%- endif %}\n        {{- \'[TOOL_RESULTS]{"content": \' + content|string + ", " }}\n        {%- if not message.tool_call_id is defined or message.tool_call_id|length != 9 %}\n            {{- raise_exception("Tool call IDs should be alphanumeric strings with length 9!") }}\n        {%- endif %}\n        {{- \'"call_id": "\' + message.tool_call_id + \'"}[/TOOL_RESULTS]\' }}\n    {%- else %}\n        {{- raise_exception("Only user and assistant roles are supported, with the exception of an initial optional system message!") }}\n    {%- endif %}\n{%- endfor %}\n',
    },
    {
        "name": 'gemma-2-2b-it',
        "model": 'google/gemma-2-2b-it',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/gemma2:2b"',
        "variables": {"bos_token": "<bos>", "eos_token": "<eos>", "unk_token": "<unk>", "pad_token": "<pad>"},
        "template": "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}",
    },
    {
        "name": 'gemma-3-1b-it',
        "model": 'google/gemma-3-1b-it',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/gemma3:1b"',
        "variables": {"bos_token": "<bos>", "eos_token": "<eos>", "unk_token": "<unk>", "pad_token": "<pad>"},
        "template": '{{ bos_token }}\n{%- if messages[0][\'role\'] == \'system\' -%}\n    {%- set first_user_prefix = messages[0][\'content\'][0][\'text\'] + \'\n\n\' -%}\n    {%- set loop_messages = messages[1:] -%}\n{%- else -%}\n    {%- set first_user_prefix = "" -%}\n    {%- set loop_messages = messages -%}\n{%- endif -%}\n{%- for message in loop_messages -%}\n    {%- if (message[\'role\'] == \'user\') != (loop.index0 % 2 == 0) -%}\n        {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}\n    {%- endif -%}\n    {%- if (message[\'role\'] == \'assistant\') -%}\n        {%- set role = "model" -%}\n    {%- else -%}\n        {%- set role = message[\'role\'] -%}\n    {%- endif -%}\n    {{ \'<start_of_turn>\' + role + \'\n\' + (first_user_prefix if loop.first else "") }}\n    {%- if message[\'content\'] is string -%}\n        {{ message[\'content\'] | trim }}\n    {%- elif message[\'content\'] is iterable -%}\n        {%- for item in message[\'content\'] -%}\n            {%- if item[\'type\'] == \'image\' -%}\n                {{ \'<start_of_image>\' }}\n            {%- elif item[\'type\'] == \'text\' -%}\n                {{ item[\'text\'] | trim }}\n            {%- endif -%}\n        {%- endfor -%}\n    {%- else -%}\n        {{ raise_exception("Invalid content type") }}\n    {%- endif -%}\n    {{ \'<end_of_turn>\n\' }}\n{%- endfor -%}\n{%- if add_generation_prompt -%}\n    {{\'<start_of_turn>model\n\'}}\n{%- endif -%}\n',
    },
    {
        "name": 'meta-llama-3-8b-instruct',
        "model": 'meta-llama/Meta-Llama-3-8B-Instruct',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/llama3:8b"',
        "variables": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
        "template": "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}",
    },
    {
        "name": 'llama-3.2-3b-instruct',
        "model": 'meta-llama/Llama-3.2-3B-Instruct',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/llama3.2:3b"',
        "variables": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "date_string": "26 Jul 2024"},
        "template": '{{- bos_token }}\n{%- if custom_tools is defined %}\n    {%- set tools = custom_tools %}\n{%- endif %}\n{%- if not tools_in_user_message is defined %}\n    {%- set tools_in_user_message = true %}\n{%- endif %}\n{%- if not date_string is defined %}\n    {%- if strftime_now is defined %}\n        {%- set date_string = strftime_now("%d %b %Y") %}\n    {%- else %}\n        {%- set date_string = "26 Jul 2024" %}\n    {%- endif %}\n{%- endif %}\n{%- if not tools is defined %}\n    {%- set tools = none %}\n{%- endif %}\n\n{#- This block extracts the system message, so we can slot it into the right place. #}\n{%- if messages[0][\'role\'] == \'system\' %}\n    {%- set system_message = messages[0][\'content\']|trim %}\n    {%- set messages = messages[1:] %}\n{%- else %}\n    {%- set system_message = "" %}\n{%- endif %}\n\n{#- System message #}\n{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}\n{%- if tools is not none %}\n    {{- "Environment: ipython\\n" }}\n{%- endif %}\n{{- "Cutting Knowledge Date: December 2023\\n" }}\n{{- "Today Date: " + date_string + "\\n\\n" }}\n{%- if tools is not none and not tools_in_user_message %}\n    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}\n    {{- \'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.\' }}\n    {{- "Do not use variables.\\n\\n" }}\n    {%- for t in tools %}\n        {{- t | tojson(indent=4) }}\n        {{- "\\n\\n" }}\n    {%- endfor %}\n{%- endif %}\n{{- system_message }}\n{{- "<|eot_id|>" }}\n\n{#- Custom tools are passed in a user message with some extra guidance #}\n{%- if tools_in_user_message and not tools is none %}\n    {#- Extract the first user message so we can plug it in here #}\n    {%- if messages | length != 0 %}\n        {%- set first_user_message = messages[0][\'content\']|trim %}\n        {%- set messages = messages[1:] %}\n    {%- else %}\n        {{- raise_exception("Cannot put tools in the first user message when there\'s no first user message!") }}\n{%- endif %}\n    {{- \'<|start_header_id|>user<|end_header_id|>\\n\\n\' -}}\n    {{- "Given the following functions, please respond with a JSON for a function call " }}\n    {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}\n    {{- \'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.\' }}\n    {{- "Do not use variables.\\n\\n" }}\n    {%- for t in tools %}\n        {{- t | tojson(indent=4) }}\n        {{- "\\n\\n" }}\n    {%- endfor %}\n    {{- first_user_message + "<|eot_id|>"}}\n{%- endif %}\n\n{%- for message in messages %}\n    {%- if not (message.role == \'ipython\' or message.role == \'tool\' or \'tool_calls\' in message) %}\n        {{- \'<|start_header_id|>\' + message[\'role\'] + \'<|end_header_id|>\\n\\n\'+ message[\'content\'] | trim + \'<|eot_id|>\' }}\n    {%- elif \'tool_calls\' in message %}\n        {%- if not message.tool_calls|length == 1 %}\n            {{- raise_exception("This model only supports single tool-calls at once!") }}\n        {%- endif %}\n        {%- set tool_call = message.tool_calls[0].function %}\n        {{- \'<|start_header_id|>assistant<|end_header_id|>\\n\\n\' -}}\n        {{- \'{"name": "\' + tool_call.name + \'", \' }}\n        {{- \'"parameters": \' }}\n        {{- tool_call.arguments | tojson }}\n        {{- "}" }}\n        {{- "<|eot_id|>" }}\n    {%- elif message.role == "tool" or message.role == "ipython" %}\n        {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}\n        {%- if message.content is mapping or message.content is iterable %}\n            {{- message.content | tojson }}\n        {%- else %}\n            {{- message.content }}\n        {%- endif %}\n        {{- "<|eot_id|>" }}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- \'<|start_header_id|>assistant<|end_header_id|>\\n\\n\' }}\n{%- endif %}\n',
    },
    {
        "name": 'phi-3-mini-4k-instruct',
        "model": 'microsoft/Phi-3-mini-4k-instruct',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/phi3:3.8b"',
        "variables": {"bos_token": "<s>", "eos_token": "<|endoftext|>", "unk_token": "<unk>", "pad_token": "<|endoftext|>"},
        "template": "{% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>\n' + message['content'] + '<|end|>\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}",
    },
    {
        "name": 'phi-3.5-mini-instruct',
        "model": 'microsoft/Phi-3.5-mini-instruct',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/phi3.5:3.8b"',
        "variables": {"bos_token": "<s>", "eos_token": "<|endoftext|>", "unk_token": "<unk>", "pad_token": "<|endoftext|>"},
        "template": "{% for message in messages %}{% if message['role'] == 'system' and message['content'] %}{{'<|system|>\n' + message['content'] + '<|end|>\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}",
    },
    {
        "name": 'tinyllama-1.1b-chat-v1.0',
        "model": 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/tinyllama:1.1b"',
        "variables": {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "</s>"},
        "template": "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}",
    },
    {
        "name": 'smollm2-135m-instruct',
        "model": 'HuggingFaceTB/SmolLM2-135M-Instruct',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/ollama-utils/src/chat-template-automap.ts, entry "library/smollm2:135m"',
        "variables": {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "unk_token": "<|endoftext|>", "pad_token": "<|im_end|>"},
        "template": "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}",
    },
    {
        "name": 'deepseek-r1',
        "model": 'deepseek-ai/DeepSeek-R1',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/jinja/test/e2e.test.js, entry "deepseek-ai/DeepSeek-R1"',
        "variables": {"bos_token": "<｜begin▁of▁sentence｜>", "eos_token": "<｜end▁of▁sentence｜>"},
        "template": "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}{% set ns = namespace(is_first=false, is_tool=false, is_output_first=true, system_prompt='', is_first_sp=true) %}{%- for message in messages %}{%- if message['role'] == 'system' %}{%- if ns.is_first_sp %}{% set ns.system_prompt = ns.system_prompt + message['content'] %}{% set ns.is_first_sp = false %}{%- else %}{% set ns.system_prompt = ns.system_prompt + '\\n\\n' + message['content'] %}{%- endif %}{%- endif %}{%- endfor %}{{ bos_token }}{{ ns.system_prompt }}{%- for message in messages %}{%- if message['role'] == 'user' %}{%- set ns.is_tool = false -%}{{'<｜User｜>' + message['content']}}{%- endif %}{%- if message['role'] == 'assistant' and 'tool_calls' in message %}{%- set ns.is_tool = false -%}{%- for tool in message['tool_calls'] %}{%- if not ns.is_first %}{%- if message['content'] is none %}{{'<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\\n' + '```json' + '\\n' + tool['function']['arguments'] + '\\n' + '```' + '<｜tool▁call▁end｜>'}}{%- else %}{{'<｜Assistant｜>' + message['content'] + '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\\n' + '```json' + '\\n' + tool['function']['arguments'] + '\\n' + '```' + '<｜tool▁call▁end｜>'}}{%- endif %}{%- set ns.is_first = true -%}{%- else %}{{'\\n' + '<｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\\n' + '```json' + '\\n' + tool['function']['arguments'] + '\\n' + '```' + '<｜tool▁call▁end｜>'}}{%- endif %}{%- endfor %}{{'<｜tool▁calls▁end｜><｜end▁of▁sentence｜>'}}{%- endif %}{%- if message['role'] == 'assistant' and 'tool_calls' not in message %}{%- if ns.is_tool %}{{'<｜tool▁outputs▁end｜>' + message['content'] + '<｜end▁of▁sentence｜>'}}{%- set ns.is_tool = false -%}{%- else %}{% set content = message['content'] %}{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}{{'<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'}}{%- endif %}{%- endif %}{%- if message['role'] == 'tool' %}{%- set ns.is_tool = true -%}{%- if ns.is_output_first %}{{'<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- set ns.is_output_first = false %}{%- else %}{{'<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- endif %}{%- endif %}{%- endfor -%}{% if ns.is_tool %}{{'<｜tool▁outputs▁end｜>'}}{% endif %}{% if add_generation_prompt and not ns.is_tool %}{{'<｜Assistant｜>'}}{% endif %}",
    },
    {
        "name": 'minicpm3-4b',
        "model": 'openbmb/MiniCPM3-4B',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/jinja/test/e2e.test.js, entry "openbmb/MiniCPM3-4B"',
        "variables": {"bos_token": "<s>", "eos_token": "<|im_end|>", "unk_token": "<unk>"},
        "template": '{%- macro json_to_python_type(param_name, json_spec) %}\n{%- set basic_type_map = {\n  \'string\': \'str\',\n  \'number\': \'float\',\n  \'integer\': \'int\',\n  \'boolean\': \'bool\',\n  \'null\': \'None\'\n} %}\n\n{%- if json_spec.enum %}\n  {{- param_name|title }}\n{%- elif basic_type_map[json_spec.type] is defined %}\n  {{- basic_type_map[json_spec.type] }}\n{%- elif json_spec.type == \'array\' %}\n  {{- \'List[\' +  json_to_python_type(param_name, json_spec[\'items\']) + \']\' }}\n{%- elif json_spec.type == \'object\' %}\n  {{- \'Dict[str, \' + json_to_python_type(param_name, json_spec.additionalProperties if json_spec.additionalProperties else \'Any\') + \']\' if not json_spec.properties else param_name|title }}\n{%- elif json_spec.type is iterable %}\n  {{- \'Union[\' }}\n  {%- for t in json_spec.type %}\n    {{- json_to_python_type(param_name, {\'type\': t}) }}\n    {{- \', \' if not loop.last }}\n  {%- endfor %}\n  {{- \']\' }}\n{%- else %}\n  {{- \'Any\' }}\n{%- endif %}\n{%- endmacro %}\n\n{%- macro object_to_fields(json_spec, field_indent) %}\n  {%- set o_ns = namespace(f = caller()) %}\n  {%- for param_name, param_fields in json_spec.properties|items %}\n    {%- if param_fields.enum %}\n      {{- \'\\n\\nclass \' + param_name|title + \'(Enum):\\n\' }}\n      {%- for enum_option in param_fields.enum %}\n        {{- \'    enum_\' + loop.index0|string + \' = \' + enum_option|tojson + \'\\n\' }}\n      {%- endfor %}\n    {%- elif param_fields.type == \'object\' and param_fields.properties %}\n      {%- call object_to_fields(param_fields, \'    \') %}\n        {{- \'\\n\\nclass \' + param_name|title + \'(BaseModel):\\n\' }}\n      {%- endcall %}\n    {%- elif param_fields.type == \'array\' and param_fields[\'items\'] and param_fields[\'items\'].type == \'object\' and param_fields[\'items\'].properties %}\n      {%- call object_to_fields(param_fields[\'items\'], \'    \') %}\n        {{- \'\\n\\nclass \' + param_name|title + \'(BaseModel):\\n\' }}\n      {%- endcall %}\n    {%- endif %}\n    {%- set param_default = param_fields.default|tojson if param_fields.default is string else param_fields.default|string if param_fields.default is defined else \'None\' %}\n    {%- set o_ns.f = o_ns.f + field_indent + param_name + \': \' %}\n    {%- set o_ns.f = o_ns.f + (\'Optional[\' + json_to_python_type(param_name, param_fields) + \']\' if param_name not in json_spec.required else json_to_python_type(param_name, param_fields)) %}\n    {%- if not param_fields.title and not param_fields.description and not param_fields.pattern %}\n      {%- set o_ns.f = o_ns.f + (\' = \' + param_default if param_name not in json_spec.required else \'\') %}\n    {%- else %}\n      {%- set o_ns.f = o_ns.f + (\' = Field(...\' if param_name in json_spec.required else \' = Field(\' + param_default) %}\n      {%- set o_ns.f = o_ns.f + (\', description=\' + param_fields.description|tojson if param_fields.description else \'\') %}\n      {%- set o_ns.f = o_ns.f + (\', regex=\' + param_fields.pattern|tojson if param_fields.pattern else \'\') %}\n      {%- set o_ns.f = o_ns.f + (\', title=\' + param_fields.title|tojson if param_fields.title else \'\') %}\n      {%- set o_ns.f = o_ns.f + \')\' %}\n    {%- endif %}\n    {%- set o_ns.f = o_ns.f + \'\\n\' %}\n  {%- endfor %}\n  {{- o_ns.f }}\n{%- endmacro %}\n\n{%- macro tool_parser(tools) %}\n{%- for tool in tools %}\n  {%- if tool.type is not defined or tool.type == \'function\' %}\n    {%- if tool.function is defined %}\n      {%- set tool = tool.function %}\n    {%- endif %}\n    {%- set tool_params = tool.parameters if tool.parameters is defined else none %}\n    {%- call object_to_fields(tool_params, \'        \') %}\n      {{- \'\\n\\ndef \' + tool.name + \'(\' }}\n      {%- if tool_params %}\n        {%- for param_name, param_fields in tool_params.properties|items %}\n          {%- set param_default = param_fields.default|tojson if param_fields.default is string else param_fields.default|string if param_fields.default is defined else \'None\' %}\n          {{- \', \' if loop.index0 != 0 }}\n          {{- param_name }}\n          {{- \'=\' + param_default if param_name not in tool_params.required }}\n        {%- endfor %}\n      {%- endif %}\n      {{- \'):\\n    """\' }}\n      {{- tool.description }}\n      {{- \'\\n\\n    Args:\\n\' if tool_params else \'\\n\' }}\n    {%- endcall %}\n    {{- \'    """\\n\' }}\n  {%- endif %}\n{%- endfor %}\n{%- endmacro %}\n\n{%- if messages[0][\'role\'] == \'system\' %}\n  {%- set loop_messages = messages[1:] %}\n  {%- set system_message = messages[0][\'content\'] %}\n{%- else %}\n  {%- set loop_messages = messages %}\n  {%- set system_message = \'\' %}\n{%- endif %}\n{{- \'<|im_start|>system\\n\' + system_message if system_message or tools }}\n{%- if tools %}\n  {{- \'\\n# Functions\\nHere is a list of functions that you can invoke:\\n```python\\nfrom enum import Enum\\nfrom typing import List, Dict, Optional\\nfrom pydantic import BaseModel, Field\\n\\n\' }}\n  {{- tool_parser(tools) }}\n  {{- "\\n```\\n\\n# Function Call Rule and Output Format\\n- If the user\'s question can be answered without calling any function, please answer the user\'s question directly. In this situation, you should return your thought and answer the user\'s question directly.\\n- If the user cannot be answered without calling any function, and the user does not provide enough information to call functions, please ask the user for more information. In this situation, you should return your thought and ask the user for more information.\\n- If the user\'s question cannot be answered without calling any function, and the user has provided enough information to call functions to solve it, you should call the functions. In this situation, the assistant should return your thought and call the functions.\\n- Use default parameters unless the user has specified otherwise.\\n- You should answer in the following format:\\n\\n<|thought_start|>\\n{explain why the user\'s question can be answered without calling a function or why you should ask the user for more information or why you should call one or more functions and your plan to solve the user\'s question.}\\n<|thought_end|>\\n<|tool_call_start|>\\n```python\\nfunc1(params_name=params_value, params_name2=params_value2...)\\nfunc2(params)\\n```\\n<|tool_call_end|>\\n{answer the user\'s question directly or ask the user for more information}" }}\n{%- endif %}\n{{- \'<|im_end|>\\n\' if system_message or tools }}\n{%- for message in loop_messages %}\n  {%- set content = message.content %}\n  {%- if message.role == \'assistant\' and message.tool_calls %}\n    {{- \'<|im_start|>\' + message.role + \'\\n\' }}\n    {{- \'<|thought_start|>\\n\' + message.thought + \'\\n<|thought_end|>\\n\' if message.thought }}\n    {{- \'<|tool_call_start|>\\n```python\\n\' }}\n    {%- for tool_call in message.tool_calls %}\n      {%- if tool_call.function is defined %}\n        {%- set tool_call = tool_call.function %}\n      {%- endif %}\n      {{- tool_call.name + \'(\' }}\n      {%- if tool_call.arguments is defined and tool_call.arguments|length > 0 %}\n        {%- for param_name, param_value in tool_call.arguments|items %}\n          {{- param_name + \'=\' + param_value|tojson }}\n          {{- \',\' if not loop.last }}\n        {%- endfor %}\n      {%- endif %}\n      {{- \')\\n\' }}\n    {%- endfor %}\n    {{- \'```\\n<|tool_call_end|>\\n\' }}\n    {{- content if content and not content.startswith(\'<|tool_call_start|>\') }}\n    {{- \'<|im_end|>\\n\' }}\n  {%- elif message.role == \'assistant\' and message.thought %}\n    {{- \'<|im_start|>\' + message.role + \'\\n\' + \'<|thought_start|>\\n\' + message.thought + \'\\n<|thought_end|>\\n\' + content + \'<|im_end|>\\n\' }}\n  {%- else %}\n    {{- \'<|im_start|>\' + message.role + \'\\n\' + content + \'<|im_end|>\\n\' }}\n  {%- endif %}\n{%- endfor %}\n\n{%- if add_generation_prompt %}\n  {{- \'<|im_start|>assistant\\n\' }}\n{%- endif %}',
    },
    {
        "name": 'ai21-jamba-large-1.6',
        "model": 'ai21labs/AI21-Jamba-Large-1.6',
        "source": 'huggingface/huggingface.js@fe42e68017ffc76d09922ea8f9b38a6964345710 packages/jinja/test/e2e.test.js, entry "ai21labs/AI21-Jamba-Large-1.6"',
        "variables": {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|unk|>"},
        "template": '{# Variables #}\n{% set ns = namespace(message_count=0, is_last_checked_defined=False) %}\n{##}\n{% set bom_str = bom_str or "<|bom|>" %}\n{% set eom_str = eom_str or "<|eom|>" %}\n{% set default_system_message = default_system_message or "" %}\n{##}\n{% set documents_prefix = "<documents>" %}\n{% set documents_suffix = "</documents>" %}\n{% set tool_definitions_prefix = "<tool_definitions>" %}\n{% set tool_definitions_suffix = "</tool_definitions>" %}\n{% set active_modes_prefix = "<active_output_modes>" %}\n{% set active_modes_suffix = "</active_output_modes>" %}\n{##}\n{% set tool_calls_prefix = "<tool_calls>" %}\n{% set tool_calls_suffix = "</tool_calls>" %}\n{% set citations_prefix = "<citations>" %}\n{% set citations_suffix = "</citations>" %}\n{##}\n{% if add_generation_prompt is not defined %}\n  {% set add_generation_prompt = True %}\n{% endif %}\n{% set role_to_predict = role_to_predict or "assistant" %}\n{% if messages|length > 0 and messages[0].role == "system" %}\n  {% set system_message = messages[0].content %}\n  {% set loop_messages = messages[1:] %}\n{% else %}\n  {% set system_message = default_system_message %}\n  {% set loop_messages = messages %}\n{% endif %}\n{##}\n{##}\n{# Macros #}\n{% macro handle_tool_definitions(tools) %}\n  {{- tool_definitions_prefix -}}\n  {{- "\\n# Tools" -}}\n  {{- "\\n\\n## Functions" -}}\n  {% for tool in tools %}\n    {% set _ = is_param_set(tool, field="type") %}\n    {% set is_tool_type_set = ns.is_last_checked_defined %}\n    {% if is_tool_type_set %}\n      {% if tool.type == "function" %}\n        {% set tool = tool.function %}\n      {% else %}\n        {{ raise_exception("Currently, the only supported tool type is `function`") }}\n      {% endif %}\n    {% endif %}\n    {{- "\\n\\n" + (tool|tojson(indent=2)) -}}\n  {% endfor %}\n  {{- "\\n" + tool_definitions_suffix -}}\n{% endmacro %}\n{##}\n{% macro handle_first_system_message(system_message, tools) %}\n  {{- bom_str + handle_role("system") -}}\n  {% set _ = is_param_set(system_message) %}\n  {% set is_system_message_set = ns.is_last_checked_defined %}\n  {% if is_system_message_set %}\n    {{- system_message -}}\n  {% endif %}\n  {% set _ = is_param_set(tools, check_length=True) %}\n  {% set is_tools_set = ns.is_last_checked_defined %}\n  {% if is_tools_set %}\n    {% if system_message %}\n      {{- "\\n\\n" -}}\n    {% endif %}\n    {{- handle_tool_definitions(tools) -}}\n  {% endif %}\n  {% set ns.message_count = ns.message_count + 1 %}\n{% endmacro %}\n{##}\n{% macro handle_tool_calls(tool_calls) %}\n  {{- tool_calls_prefix + "[\\n" -}}\n  {% for tool_call in tool_calls %}\n    {% set _ = is_param_set(tool_call, field="function") %}\n    {% set is_tool_call_function_set = ns.is_last_checked_defined %}\n    {% if is_tool_call_function_set %}\n      {%- set tool_call = tool_call.function %}\n    {%- endif %}\n    {% set arguments = tool_call.arguments %}\n    {% if arguments is not string %}\n      {%- set arguments = arguments|tojson -%}\n    {%- endif %}\n    {{ "{\\"name\\": \\"" + tool_call.name + "\\", \\"arguments\\": " + arguments + "}" -}}\n    {% if not loop.last %}\n      {{- "," }}\n    {% endif %}\n  {% endfor %}\n  {{- "\\n]" + tool_calls_suffix -}}\n{% endmacro %}\n{##}\n{% macro handle_documents(documents) %}\n  {{- documents_prefix -}}\n  {{- "\\n# Documents" -}}\n  {{- "\\n\\nYou can use the following documents for reference:" -}}\n  {% for doc in documents %}\n    {{- "\\n\\n## Document ID: " + loop.index0|string -}}\n    {% set _ = is_param_set(doc, field="title") %}\n    {% set is_doc_title_set = ns.is_last_checked_defined %}\n    {% if is_doc_title_set %}\n      {{- "\\nTitle: " + doc.title -}}\n    {% endif %}\n    {% for key, value in doc.items() %}\n      {% if key not in ["title", "text"] %}\n        {{- "\\n" + key|title + ": " + value|string -}}\n      {% endif %}\n    {% endfor %}\n    {{- "\\nText: " + doc.text -}}\n  {% endfor %}\n  {{- "\\n" + documents_suffix -}}\n{% endmacro %}\n{##}\n{% macro handle_knobs(knobs) %}\n  {{- active_modes_prefix -}}\n  {{- "\\n# Active Modes" -}}\n  {{ "\\n\\nThe following modes configure the format or style of your responses. You should adhere to all currently" -}}\n  {{ " active modes simultaneously." -}}\n  {% if knobs.citation_mode == "fast" %}\n    {{- "\\n\\n## Citation Mode" -}}\n    {{- "\\n\\nProvide a list of references only for the documents you base your response on. Format your response" -}}\n    {{ " with the original answer followed by a citation section. Use this template:" -}}\n    {{ " `{answer}" + citations_prefix + "DOCUMENT_IDS" + citations_suffix + "`, where DOCUMENT_IDS are the relevant document numbers" -}}\n    {{ " (e.g. [2, 5, 9]), or [] if the answer cannot be supported by the provided documents." -}}\n  {% endif %}\n  {% if knobs.response_format == "json_object" %}\n    {{- "\\n\\n## JSON Mode" -}}\n    {{ "\\n\\nProvide your response in JSON format. Adhere strictly to any schema given by the user." -}}\n    {{ " If an appropriate JSON format exists, use it without modification." -}}\n  {% endif %}\n  {{- "\\n" + active_modes_suffix -}}\n{% endmacro %}\n{##}\n{% macro get_last_user_index(messages) %}\n  {% set ns.last_user_index = 0 %}\n  {% for message in messages %}\n    {% if message.role == \'user\' %}\n      {% set ns.last_user_index = loop.index0 %}\n    {% endif %}\n  {% endfor %}\n  {{- ns.last_user_index -}}\n{% endmacro %}\n{##}\n{% macro handle_last_system_message(documents, knobs, use_documents, use_knobs) %}\n  {{- bom_str + handle_role("system") -}}\n  {% set macros_to_call = [] %}\n  {% set params_for_macros = [] %}\n  {% if use_documents %}\n    {% set macros_to_call = macros_to_call + [handle_documents] %}\n    {% set params_for_macros = params_for_macros + [[documents]] %}\n  {% endif %}\n  {% if use_knobs %}\n    {% set macros_to_call = macros_to_call + [handle_knobs] %}\n    {% set params_for_macros = params_for_macros + [[knobs]] %}\n  {% endif %}\n  {% for i in range(macros_to_call|length) %}\n    {% if i > 0 %}\n      {{- "\\n\\n" -}}\n    {% endif %}\n    {{- macros_to_call[i](*params_for_macros[i]) -}}\n  {% endfor %}\n  {% set ns.message_count = ns.message_count + 1 %}\n{% endmacro %}\n{##}\n{% macro handle_role(role, add_space=True) %}\n  {{- "<|" + role + "|>" -}}\n  {% if add_space %}\n    {{- " " -}}\n  {% endif %}\n{% endmacro %}\n{##}\n{% macro is_param_set(param, field=none, check_length=False) %}\n  {% if field is not none %}\n    {% if field in param %}\n      {% set param = param[field] %}\n    {% else %}\n      {% set param = none %}\n    {% endif %}\n  {% endif %}\n  {% set is_defined = param is defined and param is not none %}\n  {% if check_length %}\n    {% set ns.is_last_checked_defined = is_defined and param|length > 0 %}\n  {% else %}\n    {% set ns.is_last_checked_defined = is_defined %}\n  {% endif %}\n{% endmacro %}\n{##}\n{##}\n{# Template #}\n{% if bos_token is defined and bos_token is not none %}\n  {{- bos_token -}}\n{% endif %}\n{% set _ = is_param_set(system_message) %}\n{% set is_system_message_set = ns.is_last_checked_defined %}\n{% set _ = is_param_set(tools, check_length=True) %}\n{% set is_tools_set = ns.is_last_checked_defined %}\n{% set has_system_message = (is_system_message_set or is_tools_set) %}\n{% if has_system_message %}\n  {{- handle_first_system_message(system_message, tools) -}}\n{% endif %}\n{% set last_user_index = get_last_user_index(loop_messages)|int %}\n{% for message in loop_messages %}\n  {% if loop.index0 == last_user_index %}\n    {% set _ = is_param_set(documents, check_length=True) %}\n    {% set use_documents = ns.is_last_checked_defined %}\n    {% set _ = is_param_set(knobs) %}\n    {% set use_knobs = ns.is_last_checked_defined and knobs.is_set %}\n    {% set add_last_system_message = use_documents or use_knobs %}\n    {% if add_last_system_message %}\n      {% if ns.message_count > 0 %}\n        {{- eom_str -}}\n      {% endif %}\n      {{- handle_last_system_message(documents, knobs, use_documents, use_knobs) -}}\n    {% endif %}\n  {% endif %}\n  {% set role = message.role %}\n  {% set _ = is_param_set(message, field="name") %}\n  {% set is_message_name_set = ns.is_last_checked_defined %}\n  {% if is_message_name_set %}\n    {% set message_prefix = handle_role(role) + "(" + message.name + ")" %}\n  {% else %}\n    {% set message_prefix = handle_role(role) %}\n  {% endif %}\n  {% set content = (message.content or "") %}\n  {% if content is not string %}\n    {% set content = content|tojson %}\n  {% endif %}\n  {% if ns.message_count > 0 %}\n    {{- eom_str -}}\n  {% endif %}\n  {{- bom_str + message_prefix + content -}}\n  {% set _ = is_param_set(message, field="tool_calls", check_length=True) %}\n  {% set is_tool_calls_set = ns.is_last_checked_defined %}\n  {% if role == "assistant" and is_tool_calls_set %}\n    {{- handle_tool_calls(message.tool_calls) -}}\n  {% endif %}\n  {% set _ = is_param_set(message, field="citations", check_length=False) %}\n  {% set is_citations_set = ns.is_last_checked_defined %}\n  {% if role == "assistant" and is_citations_set and knobs.is_set and knobs.citation_mode != "off" %}\n    {{- citations_prefix + message.citations|map(attribute="document_id")|list|string + citations_suffix -}}\n  {% endif %}\n  {% set ns.message_count = ns.message_count + 1 %}\n{% endfor %}\n{% if add_generation_prompt %}\n  {% if ns.message_count > 0 %}\n    {{- eom_str -}}\n  {% endif %}\n  {{- bom_str + handle_role(role_to_predict, add_space=False) -}}\n  {% set _ = is_param_set(generation_preamble) %}\n  {% set is_generation_preamble_set = ns.is_last_checked_defined %}\n  {% if is_generation_preamble_set and generation_preamble.strip() != "" %}\n    {{- " " + generation_preamble -}}\n  {% endif %}\n  {% set ns.message_count = ns.message_count + 1 %}\n{% else %}\n  {% if ns.message_count > 0 %}\n    {{- eom_str -}}\n  {% endif %}\n{% endif %}\n',
    },
]

# ---------------------------------------------------------------------------------------------
# Conversations. Every template renders each of these, with and without add_generation_prompt.
# ---------------------------------------------------------------------------------------------
CONVERSATIONS = {
    "system_user": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Hello! Who are you?"},
    ],
    "user_only": [
        {"role": "user", "content": "What is the capital of France?"},
    ],
    "multi_turn": [
        {"role": "user", "content": "Hi there."},
        {"role": "assistant", "content": "Hello! How can I help you today?"},
        {"role": "user", "content": "Tell me a joke about tokenizers."},
    ],
    "system_multi_turn": [
        {"role": "system", "content": "Answer briefly."},
        {"role": "user", "content": "What is 2 + 2?"},
        {"role": "assistant", "content": "4"},
        {"role": "user", "content": "And 3 + 3?"},
    ],
    "korean": [
        {"role": "system", "content": "당신은 친절한 도우미입니다."},
        {"role": "user", "content": "안녕하세요! 오늘 서울 날씨는 어때요?"},
        {"role": "assistant", "content": "오늘 서울은 맑고 따뜻합니다."},
        {"role": "user", "content": "고마워요. 내일은요?"},
    ],
    "korean_user_only": [
        {"role": "user", "content": "한국어로 짧은 시를 써 주세요."},
    ],
    "whitespace": [
        {"role": "user", "content": "  \n  Leading and trailing whitespace,\n\n  inside too  \t\n"},
        {"role": "assistant", "content": "\n\n  An answer with\nnewlines \n "},
        {"role": "user", "content": "\tlast question?  "},
    ],
    "whitespace_system": [
        {"role": "system", "content": "\n  System prompt with spaces.  \n"},
        {"role": "user", "content": " x "},
    ],
}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_current_temperature",
        "description": "Get the current temperature at a location.",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "City and country, e.g. Seoul, South Korea"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        },
    },
}

TOOL_CONVERSATION = [
    {"role": "system", "content": "You are a weather bot."},
    {"role": "user", "content": "How warm is it in Seoul?"},
    {"role": "assistant", "content": "",
     "tool_calls": [{"id": "call12345", "type": "function",
                     "function": {"name": "get_current_temperature",
                                  "arguments": {"location": "Seoul, South Korea", "unit": "celsius"}}}]},
    {"role": "tool", "tool_call_id": "call12345", "content": "{\"temperature\": 21.5, \"unit\": \"celsius\"}"},
    {"role": "assistant", "content": "It is 21.5 °C in Seoul."},
    {"role": "user", "content": "Thanks!"},
]

# Extra cases for templates with tools, reasoning or other variables: (name, messages, extra kwargs).
EXTRA_CASES = {
    "qwen2.5-0.5b-instruct": [("tools", TOOL_CONVERSATION, {"tools": [WEATHER_TOOL]}),
                              ("tools_no_system", TOOL_CONVERSATION[1:], {"tools": [WEATHER_TOOL]})],
    "qwen2.5-7b-instruct": [("tools", TOOL_CONVERSATION, {"tools": [WEATHER_TOOL]}),
                            ("tool_calls_without_tools", TOOL_CONVERSATION, {})],
    "qwen3-0.6b": [
        ("tools", TOOL_CONVERSATION, {"tools": [WEATHER_TOOL]}),
        ("thinking", [
            {"role": "user", "content": "What is 17 * 3?"},
            {"role": "assistant", "content": "<think>\n17 * 3 = 51.\n</think>\n\nIt is 51."},
            {"role": "user", "content": "And 17 * 4?"},
            {"role": "assistant", "content": "<think>\n68\n</think>\n\n68."},
        ], {}),
        ("reasoning_content", [
            {"role": "user", "content": "Why is the sky blue?"},
            {"role": "assistant", "content": "Rayleigh scattering.", "reasoning_content": "Short wavelengths scatter more."},
        ], {}),
        ("enable_thinking_false", [{"role": "user", "content": "Hi"}], {"enable_thinking": False}),
    ],
    "llama-3.2-3b-instruct": [
        ("tools", TOOL_CONVERSATION[:4], {"tools": [WEATHER_TOOL]}),
        ("tools_in_system", TOOL_CONVERSATION[:2], {"tools": [WEATHER_TOOL], "tools_in_user_message": False}),
    ],
    "mistral-nemo-instruct-2407": [
        ("tools", [
            {"role": "user", "content": "How warm is it in Seoul?"},
            {"role": "assistant", "tool_calls": [{"id": "abcdef123", "type": "function",
                                                  "function": {"name": "get_current_temperature",
                                                               "arguments": {"location": "Seoul"}}}]},
            {"role": "tool", "tool_call_id": "abcdef123", "content": "21.5"},
            {"role": "assistant", "content": "21.5 °C."},
            {"role": "user", "content": "Thanks"},
        ], {"tools": [WEATHER_TOOL]}),
    ],
    "minicpm3-4b": [("tools", TOOL_CONVERSATION, {"tools": [WEATHER_TOOL]})],
    "ai21-jamba-large-1.6": [
        ("tools", TOOL_CONVERSATION, {"tools": [WEATHER_TOOL]}),
        ("documents", [{"role": "user", "content": "Summarise the documents."}],
         {"documents": [{"title": "Seoul", "text": "Seoul is the capital.", "source": "wiki"},
                        {"text": "Busan is a port city."}]}),
    ],
    "deepseek-r1": [
        ("tool_calls", [
            {"role": "system", "content": "Sys one."},
            {"role": "system", "content": "Sys two."},
            {"role": "user", "content": "Weather?"},
            {"role": "assistant", "content": None, "tool_calls": [
                {"type": "function", "function": {"name": "get_current_temperature", "arguments": "{\"location\": \"Seoul\"}"}},
                {"type": "function", "function": {"name": "get_current_temperature", "arguments": "{\"location\": \"Busan\"}"}}]},
            {"role": "tool", "content": "21"},
            {"role": "tool", "content": "23"},
            {"role": "assistant", "content": "<think>both warm</think>Seoul 21, Busan 23."},
        ], {}),
    ],
}

# ---------------------------------------------------------------------------------------------
# Snippets: one Jinja2 rule each, rendered by transformers' compiled template. (template, variables)
# ---------------------------------------------------------------------------------------------
SNIPPETS = [
    # whitespace control, trim_blocks, lstrip_blocks, comments, newline handling
    ("trim_blocks", "{% if true %}\nyes\n{% endif %}\nend", {}),
    ("lstrip_blocks", "a\n    {% if true %}\n    b\n    {% endif %}\nc", {}),
    ("lstrip_not_for_variables", "a\n    {{ 'x' }}\n    {% if true %}y{% endif %}", {}),
    ("lstrip_only_whole_line", "a  {% if true %}b{% endif %}  c", {}),
    ("lstrip_at_template_start", "   {% if true %}x{% endif %}", {}),
    ("minus_left", "a  \n\n  {%- if true %}b{% endif %}", {}),
    ("minus_right", "{% if true -%}  \n\n  b{% endif %}", {}),
    ("minus_variable", "a \n {{- 'b' -}} \n c", {}),
    ("plus_disables_lstrip", "a\n    {%+ if true %}b{% endif %}", {}),
    ("plus_disables_trim", "{% if true +%}\nb{% endif %}", {}),
    ("comment_trim_and_lstrip", "a\n  {# note #}\nb {#- x -#} c", {}),
    ("comment_multiline", "a{# line one\nline two #}b", {}),
    ("crlf_and_trailing_newline", "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\nc\n", {}),
    ("trailing_newline_once", "x\n\n", {}),
    ("unicode_whitespace_minus", "a\u3000\u00a0{{- 'b' }}", {}),
    ("raw_block", "{% raw %}{{ not parsed }}{% endraw %}", {}),
    ("braces_in_strings", "{{ '}}' }}{{ \"{%\" }}{{ {'a': {'b': 1}}['a']['b'] }}", {}),
    # literals and escapes
    ("string_escapes", "{{ 'tab\\there' }}|{{ \"quote\\\"d\" }}|{{ 'back\\\\slash' }}|{{ '\\u00e9\\x41' }}|{{ 'unknown\\d' }}", {}),
    ("adjacent_strings", "{{ 'a' 'b' \"c\" }}", {}),
    ("numbers", "{{ 1 }} {{ 1.0 }} {{ 1_000 }} {{ 0x1F }} {{ 1e3 }} {{ 2.5e-7 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1/3 }} {{ -0.0 }} {{ 123456789.125 }}", {}),
    ("constants", "{{ true }} {{ True }} {{ false }} {{ False }} {{ none }} {{ None }}", {}),
    ("list_and_dict_output", "{{ [1, 'a', none, true, 1.5, {'k': \"it's\"}, ('t', 2)] }}", {}),
    ("string_repr_quotes", "{{ [\"it's\", 'say \"hi\"', 'both \\' and \"', 'new\\nline', 'tab\\t', '한국어', 'nbsp\\u00a0'] }}", {}),
    # arithmetic and operators
    ("arithmetic", "{{ 7 + 2 }} {{ 7 - 2 }} {{ 7 * 2 }} {{ 7 / 2 }} {{ 7 // 2 }} {{ 7 % 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 7.5 // 2 }} {{ 7 % 2.5 }}", {}),
    ("precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ -2 ** 2 }} {{ 2 * 3 ~ 4 }} {{ not true or true }} {{ not (true and false) }}", {}),
    ("bool_arithmetic", "{{ true + 1 }} {{ true * 3 }} {{ 1 == true }}", {}),
    ("concat_tilde", "{{ 'a' ~ 1 ~ none ~ true ~ 1.5 ~ undefined_name ~ [1] }}", {}),
    ("string_plus_multiply", "{{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ [1] + [2] }} {{ [0] * 3 }}", {}),
    ("comparisons", "{{ 1 == 1.0 }} {{ 'a' == 1 }} {{ 'a' < 'b' }} {{ 'B' < 'a' }} {{ none == none }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }} {{ 1 != 2 }} {{ 2 >= 2 }} {{ 'é' > 'z' }}", {}),
    ("in_operator", "{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'x' not in 'abc' }} {{ not 'a' in 'abc' }} {{ 'x' in undefined_name }}", {}),
    ("and_or_values", "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }} {{ none or [] }}", {}),
    ("ternary", "{{ 'y' if true else 'n' }} {{ 'y' if false else 'n' }}[{{ 'y' if false }}] {{ 1 if 0 else 2 if 1 else 3 }}", {}),
    # subscripts, attributes, slices
    ("subscript_and_attribute", "{{ m.role }} {{ m['content'] }} {{ l[0] }} {{ l[-1] }} {{ l.1 }} {{ m.missing }}|{{ m['missing'] }}|", {"m": {"role": "user", "content": "hi"}, "l": [10, 20, 30]}),
    ("slices", "{{ l[1:] }} {{ l[:-1] }} {{ l[::-1] }} {{ l[::2] }} {{ l[5:] }} {{ s[1:3] }} {{ s[::-1] }} {{ s[-2:] }} {{ '한국어'[1] }}", {"l": [1, 2, 3, 4], "s": "hello"}),
    ("dict_methods", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %} {{ d.keys()|list }} {{ d.values()|list }} {{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 'dflt') }}", {"d": {"b": 2, "a": 1}}),
    ("method_beats_key", "{{ d['items'] }} {{ d.items is defined }}", {"d": {"items": "key"}}),
    # string methods
    ("strip_family", "[{{ s.strip() }}][{{ s.lstrip() }}][{{ s.rstrip() }}][{{ 'xxaxx'.strip('x') }}][{{ 'ab\\n\\n'.rstrip('\\n') }}][{{ '\\u3000x\\u00a0\\u2003'.strip() }}]", {"s": " \t\n pad \n "}),
    ("startswith_endswith", "{{ s.startswith('<tool') }} {{ s.endswith('>') }} {{ s.startswith(('a', '<')) }} {{ s.endswith('x') }}", {"s": "<tool_response>"}),
    ("split", "{{ '  a b\\n c  '.split() }} {{ 'a,b,,c'.split(',') }} {{ 'a b c'.split(' ', 1) }} {{ 'x</think>y</think>z'.split('</think>')[-1] }} {{ ''.split() }} {{ ''.split(',') }}", {}),
    ("case_methods", "{{ 'hello wORLD'.title() }} {{ 'o\\'neil mc-d 3rd'.title() }} {{ 'AbC'.upper() }} {{ 'AbC'.lower() }} {{ 'élan'.upper() }} {{ 'hello world'.capitalize() }}", {}),
    ("replace_and_others", "{{ 'aaa'.replace('a', 'b') }} {{ 'aaa'.replace('a', 'b', 2) }} {{ ', '.join(['x', 'y']) }} {{ 'abcabc'.find('c') }} {{ 'abcabc'.count('b') }}", {}),
    # filters
    ("filter_trim", "[{{ s | trim }}][{{ 'xxaxx' | trim('x') }}][{{ 5 | trim }}]", {"s": "\n  text \t"}),
    ("filter_length", "{{ l | length }} {{ s | length }} {{ d | length }} {{ undefined_name | length }} {{ l | count }}", {"l": [1, 2, 3], "s": "한국어", "d": {"a": 1}}),
    ("filter_case", "{{ 'Ab' | upper }} {{ 'Ab' | lower }} {{ 'hello world' | title }} {{ 'hello World' | capitalize }}", {}),
    ("filter_default", "{{ x | default('d') }} {{ none | default('d') }} {{ '' | default('d') }} {{ '' | default('d', true) }} {{ 0 | d('z', boolean=true) }}", {}),
    ("filter_first_last", "{{ l | first }} {{ l | last }} {{ 'abc' | first }} {{ 'abc' | last }} {{ {'a': 1, 'b': 2} | first }}", {"l": [1, 2, 3]}),
    ("filter_join", "{{ l | join }} {{ l | join(', ') }} {{ users | join(', ', attribute='name') }}", {"l": [1, "a", None], "users": [{"name": "x"}, {"name": "y"}]}),
    ("filter_replace", "{{ 'a-b-c' | replace('-', '+') }} {{ 'a-b-c' | replace('-', '', 1) }}", {}),
    ("filter_items_list_string", "{{ d | items | list }} {{ 'ab' | list }} {{ d | list }} {{ 12 | string }} {{ [1] | string }} {{ none | string }}", {"d": {"x": 1, "y": [2]}}),
    ("filter_numbers", "{{ '42' | int }} {{ 4.9 | int }} {{ 'x' | int }} {{ 3 | float }} {{ -3 | abs }} {{ [3, 1, 2] | sum }} {{ [3, 1, 2] | max }} {{ [3, 1, 2] | min }}", {}),
    ("filter_reverse_sort_unique", "{{ [1, 3, 2] | reverse | list }} {{ 'abc' | reverse }} {{ [3, 1, 2] | sort | list }} {{ ['b', 'a', 'b'] | unique | list }}", {}),
    ("filter_select_map", "{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }} {{ msgs | rejectattr('role', 'equalto', 'user') | list | length }} {{ [0, 1, 2, none] | select | list }} {{ [1, 2, 3, 4] | reject('odd') | list }} {{ ['a', 'b'] | map('upper') | list }} {{ msgs | selectattr('tool_calls', 'undefined') | list | length }}", {"msgs": [{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]}),
    ("filter_tojson", "{{ x | tojson }}|{{ x | tojson(indent=2) }}|{{ 'é\"\\n\\u0001' | tojson }}|{{ x | tojson(sort_keys=true) }}|{{ 1.0 | tojson }}|{{ 'é' | tojson(ensure_ascii=true) }}", {"x": {"b": [1, 2.5, "é", None, True, {}], "a": {"nested": []}}}),
    ("filter_tojson_indent4", "{{ tool | tojson(indent=4) }}", {"tool": WEATHER_TOOL}),
    ("filter_indent", "{{ 'a\\nb\\n\\nc' | indent(2) }}|{{ 'a\\nb' | indent(2, true) }}", {}),
    # tests
    ("tests_types", "{{ s is string }} {{ s is mapping }} {{ d is mapping }} {{ l is iterable }} {{ s is iterable }} {{ 1 is number }} {{ 1.5 is number }} {{ true is number }} {{ 1 is integer }} {{ 1.5 is float }} {{ l is sequence }} {{ d is sequence }} {{ none is none }} {{ 1 is none }} {{ true is boolean }}", {"s": "x", "d": {}, "l": []}),
    ("tests_defined", "{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ x is not defined }} {{ d.k is defined }} {{ d.z is defined }} {{ none is defined }}", {"x": None, "d": {"k": 1}}),
    ("tests_values", "{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 0 is false }} {{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ 'a' is equalto 'a' }} {{ 2 is eq 2 }} {{ 1 is ne 2 }} {{ 1 is lt 2 }} {{ 'b' is in 'abc' }} {{ none is sameas none }} {{ 'abc' is lower }} {{ 'ABC' is upper }}", {}),
    ("tests_undefined_value", "{{ u is iterable }} {{ u is none }} {{ u is string }} {{ u is mapping }} {{ u is number }} {{ u is defined }}", {}),
    # undefined values
    ("undefined_renders_empty", "[{{ u }}][{{ m.missing }}][{{ u | trim }}][{{ u | upper }}][{{ u | join }}][{% for x in u %}x{% endfor %}][{{ not u }}][{{ u == u }}][{{ u == none }}]", {"m": {}}),
    ("undefined_attribute_raises", "{{ u.attr }}", {}),
    ("undefined_missing_key_chain_raises", "{{ m.missing.deeper }}", {"m": {}}),
    ("undefined_plus_raises", "{{ u + 'x' }}", {}),
    ("undefined_tojson_raises", "{{ u | tojson }}", {}),
    ("undefined_call_raises", "{{ u() }}", {}),
    ("undefined_in_if", "{% if u %}yes{% elif u is not defined %}not defined{% endif %}", {}),
    ("str_missing_subscript_is_undefined", "[{{ 'abc'[0]['text'] }}]", {}),
    # type errors
    ("type_error_str_plus_int", "{{ 'a' + 1 }}", {}),
    ("type_error_none_plus_str", "{{ none + 'a' }}", {}),
    ("zero_division", "{{ 1 / 0 }}", {}),
    ("index_out_of_range_is_undefined", "[{{ l[5] }}]", {"l": [1]}),
    # statements: for, if, set, namespace, scoping
    ("loop_variables", "{% for x in l %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}", {"l": ["a", "b", "c"]}),
    ("loop_prev_next_cycle", "{% for x in l %}{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }} {{ loop.cycle('odd', 'even') }};{% endfor %}", {"l": ["a", "b", "c"]}),
    ("loop_else", "{% for x in [] %}x{% else %}empty{% endfor %} {% for x in [1] %}{{ x }}{% else %}empty{% endfor %}", {}),
    ("loop_filter", "{% for x in [1, 2, 3, 4] if x is even %}{{ loop.index }}/{{ loop.length }}:{{ x }} {% endfor %}", {}),
    ("loop_unpacking", "{% for a, b in [(1, 2), [3, 4]] %}{{ a }}{{ b }} {% endfor %}{% for k, v in {'x': 1}.items() %}{{ k }}{{ v }}{% endfor %}", {}),
    ("loop_over_string_and_dict", "{% for c in 'héllo' %}{{ c }}.{% endfor %} {% for k in {'b': 1, 'a': 2} %}{{ k }}{% endfor %}", {}),
    ("loop_nested_and_outer", "{% for a in [1, 2] %}{% set outer = loop %}{% for b in [1, 2] %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}", {}),
    ("loop_break_continue", "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}", {}),
    ("range", "{{ range(3) | list }} {{ range(1, 4) | list }} {{ range(10, 0, -3) | list }} {% for i in range(0, messages | length) %}{{ i }}{% endfor %}", {"messages": [1, 2]}),
    ("if_elif_else", "{% for x in [1, 2, 3] %}{% if x == 1 %}one{% elif x == 2 %}two{% else %}other{% endif %} {% endfor %}", {}),
    ("set_scoping", "{% set count = 0 %}{% for i in [1, 2, 3] %}{% set count = count + 1 %}{{ count }}{% endfor %}|{{ count }}|{% if true %}{% set y = 5 %}{% endif %}{{ y }}|{% for i in [1] %}{% set z = i %}{% endfor %}[{{ z }}]", {}),
    ("set_shadows_variable", "{% set messages = messages[1:] %}{{ messages | length }}{% for m in messages %}{{ m }}{% endfor %}", {"messages": ["a", "b", "c"]}),
    ("set_block", "{% set greeting %}Hello {{ name }}!{% endset %}[{{ greeting }}] {{ greeting | length }}", {"name": "세계"}),
    ("set_tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set t = 1, 2 %}{{ t }}", {}),
    ("namespace", "{% set ns = namespace(found=false, n=0, s='') %}{% for x in [1, 2, 3] %}{% if x > 1 %}{% set ns.found = true %}{% endif %}{% set ns.n = ns.n + x %}{% set ns.s = ns.s ~ x %}{% endfor %}{{ ns.found }} {{ ns.n }} {{ ns.s }} {{ ns.missing is defined }}", {}),
    ("namespace_from_dict", "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}", {}),
    ("dict_global", "{{ dict(a=1, b='x') }} {{ dict(a=1)['a'] }}", {}),
    ("macro", "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C', punct='.') }}", {}),
    ("macro_whitespace", "{%- macro item(x) -%}\n  <{{ x }}>\n{%- endmacro -%}\n{{ item(1) }}{{ item(2) }}", {}),
    ("call_block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ x }}{% endcall %}", {"x": 1}),
    ("call_block_with_arguments", "{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(item) each([1, 2]) %}[{{ item }}]{% endcall %}", {}),
    ("macro_varargs_kwargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k='v') }}", {}),
    ("macro_too_many_arguments", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}", {}),
    ("star_arguments", "{% macro m(a, b, c='z') %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(*[1, 2]) }} {{ m(*[1], **{'b': 5, 'c': 6}) }} {{ 'a-b-c'.split('-', *[1]) }}", {}),
    ("macros_as_values", "{% macro a(x) %}A{{ x }}{% endmacro %}{% macro b(x) %}B{{ x }}{% endmacro %}{% for f in [a, b] %}{{ f(loop.index) }}{% endfor %}", {}),
    ("generation_tag", "a{% generation %}b{{ 1 }}{% endgeneration %}c", {}),
    ("raise_exception", "{% if x %}{{ raise_exception('Roles must alternate: ' ~ x) }}{% endif %}ok", {"x": "user"}),
    ("with_block", "{% with a = 1 %}{{ a }}{% endwith %}[{{ a }}]", {}),
    ("filter_block", "{% filter upper %}abc {{ 'd' }}{% endfilter %}", {}),
    # syntax errors (the expected error type is TemplateSyntaxError)
    ("syntax_unclosed_block", "{% if true %}x", {}),
    ("syntax_bad_expression", "{{ 1 + }}", {}),
    ("syntax_missing_end_of_tag", "{% if true x %}{% endif %}", {}),
    ("syntax_unknown_tag", "{% frobnicate %}", {}),
    ("syntax_unclosed_comment", "a {# never closed", {}),
    ("syntax_unclosed_string", "{{ 'abc }}", {}),
    ("syntax_endfor_without_for", "{% endfor %}", {}),
]


def versions():
    return {"python": platform.python_version(), "transformers": transformers.__version__, "jinja2": jinja2.__version__}


def outcome(render):
    """The rendered string, or the exception it raised."""
    try:
        return {"expected": render()}
    except Exception as e:  # jinja2's TemplateError family, TypeError, ZeroDivisionError, ...
        return {"error": {"type": type(e).__name__, "message": str(e)}}


def tokenizer_for(template, special_tokens):
    """A fast tokenizer that carries `template` and the model's special tokens, so that
    apply_chat_template passes them as it does for the real model (special_tokens_map)."""
    kwargs = {k: v for k, v in special_tokens.items() if k.endswith("_token")}
    return PreTrainedTokenizerFast(tokenizer_file=str(FIXTURE / "tokenizer.json"), chat_template=template, **kwargs)


def render_cases(tokenizer, template_variables, extra_cases):
    """Every conversation with and without add_generation_prompt, then the template's extra cases."""
    extra_variables = {k: v for k, v in template_variables.items() if not k.endswith("_token")}
    cases = []
    plan = [(name, messages, {}) for name, messages in CONVERSATIONS.items()] + list(extra_cases)
    for name, messages, extra in plan:
        for agp in (False, True):
            variables = {**extra_variables, **extra}
            case = {"conversation": name, "add_generation_prompt": agp, "messages": messages}
            if variables:
                case["variables"] = variables
            case.update(outcome(lambda: tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=agp, **variables)))
            cases.append(case)
    return cases


def special_tokens_of(tokenizer):
    return dict(tokenizer.special_tokens_map)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO / "assets/references/chat-templates.json"))
    args = parser.parse_args()

    templates = []
    # The fixture: its own folder, loaded the way a user loads it.
    fixture_tok = AutoTokenizer.from_pretrained(str(FIXTURE))
    fixture_template = json.loads((FIXTURE / "tokenizer_config.json").read_text())["chat_template"]
    assert fixture_tok.chat_template == fixture_template
    templates.append({
        "name": "tiny-qwen2",
        "model": "assets/models/fixtures/tiny-qwen2",
        "source": "assets/models/fixtures/tiny-qwen2/tokenizer_config.json (chat_template)",
        "special_tokens": special_tokens_of(fixture_tok),
        "template": fixture_template,
        "cases": render_cases(fixture_tok, {}, []),
    })
    for entry in HUB_TEMPLATES:
        tok = tokenizer_for(entry["template"], entry["variables"])
        special = special_tokens_of(tok)
        for key, value in entry["variables"].items():
            if key.endswith("_token"):
                assert special.get(key) == value, (entry["name"], key, special)
        templates.append({
            "name": entry["name"],
            "model": entry["model"],
            "source": entry["source"],
            "special_tokens": special,
            "template": entry["template"],
            "cases": render_cases(tok, entry["variables"], EXTRA_CASES.get(entry["name"], [])),
        })

    snippets = []
    for name, source, variables in SNIPPETS:
        snippet = {"name": name, "template": source, "variables": variables}
        snippet.update(outcome(lambda: _compile_jinja_template(source).render(**variables)))
        snippets.append(snippet)

    doc = {
        "generator": "tools/references/chat_templates.py",
        "versions": versions(),
        "how": ("templates[].cases: PreTrainedTokenizerFast(chat_template=template, special tokens).apply_chat_template("
                "messages, tokenize=False, add_generation_prompt=..., **variables); the template sees special_tokens "
                "as variables plus tools=None and documents=None unless variables set them. snippets: "
                "transformers.utils.chat_template_utils._compile_jinja_template(template).render(**variables), no "
                "other variables. A case that raised has 'error' {type, message} instead of 'expected'."),
        "templates": templates,
        "snippets": snippets,
    }
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    n_cases = sum(len(t["cases"]) for t in templates)
    n_errors = sum(1 for t in templates for c in t["cases"] if "error" in c)
    print(f"{args.out}: {len(templates)} templates, {n_cases} cases ({n_errors} raise), {len(snippets)} snippets, "
          f"{len(text.encode())} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
