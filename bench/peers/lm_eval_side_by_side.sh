#!/usr/bin/env bash
# Runs lm-evaluation-harness itself (HF backend, float64, CPU) on local copies of the tasks in
# assets/references/tasks/<fixture>.json and compares every per-choice log-likelihood, context,
# continuation and prediction with that reference (bench/peers/lm_eval_side_by_side.py).
#
#   bench/peers/lm_eval_side_by_side.sh                 # tiny-gpt2 tiny-llama
#   bench/peers/lm_eval_side_by_side.sh tiny-qwen2
#
# Needs the Python environment of tools/references/requirements.txt (PYTHON, default
# /tmp/venv/bin/python). Works offline: the tasks read local jsonl files (dataset_path: json).
# Environment: WORK (default /tmp/hubbench-lm-eval), DATASETS (default assets/datasets if it holds
# commonsenseqa/ and sst2/, else /work/shared/datasets), TOLERANCE (default 1e-9).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=${PYTHON:-/tmp/venv/bin/python}
WORK=${WORK:-/tmp/hubbench-lm-eval}
TOLERANCE=${TOLERANCE:-1e-9}
if [[ -z "${DATASETS:-}" ]]; then
    if [[ -f "$REPO/assets/datasets/commonsenseqa/dev_rand_split.jsonl" && -f "$REPO/assets/datasets/sst2/dev.tsv" ]]; then
        DATASETS="$REPO/assets/datasets"
    else
        DATASETS=/work/shared/datasets
    fi
fi
FIXTURES=("$@")
[[ ${#FIXTURES[@]} -eq 0 ]] && FIXTURES=(tiny-gpt2 tiny-llama)

export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export HF_HOME="$WORK/hf-home" HF_DATASETS_CACHE="$WORK/hf-datasets"

cd "$REPO"
"$PYTHON" bench/peers/lm_eval_side_by_side.py prepare --work "$WORK" --datasets "$DATASETS"
TASK_LIST=hubbench_csqa_lm_eval,hubbench_csqa_stem,hubbench_sst2_likelihood,hubbench_sst2_likelihood_2shot
for fixture in "${FIXTURES[@]}"; do
    rm -rf "$WORK/out/$fixture"
    "$PYTHON" -m lm_eval run --model hf \
        --model_args "pretrained=$REPO/assets/models/fixtures/$fixture,dtype=float64" \
        --device cpu --batch_size 1 \
        --include_path "$WORK/tasks" --tasks "$TASK_LIST" \
        --log_samples --output_path "$WORK/out/$fixture" >"$WORK/lm_eval_$fixture.log" 2>&1 ||
        { echo "lm-eval failed for $fixture; its log:" >&2; tail -40 "$WORK/lm_eval_$fixture.log" >&2; exit 1; }
done
"$PYTHON" bench/peers/lm_eval_side_by_side.py compare --work "$WORK" --tolerance "$TOLERANCE" "${FIXTURES[@]}"
