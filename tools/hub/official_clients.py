#!/usr/bin/env python3
"""The official Python client (huggingface_hub, from PyPI) against `hubbench mirror serve`, as a
new user would point it there with HF_ENDPOINT; not part of CI (it needs PyPI). For every fixture
under assets/models it calls list_models, model_info / repo_info, list_repo_tree, get_paths_info
(plain and expand=True), hf_hub_download and snapshot_download, and compares every byte with the
source folder; then scan_cache_dir reads the cache huggingface_hub wrote and the one `hubbench
pull` wrote, and must report no warnings. Prints one line per check; exits 1 on any failure.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install -r tools/references/requirements.txt
    /tmp/venv/bin/python tools/hub/official_clients.py --hubbench build/dev/cli/hubbench
"""
import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "assets" / "models"


def start_mirror(hubbench):
    proc = subprocess.Popen([hubbench, "mirror", "serve", "--root", str(MODELS), "--port", "0", "-q"],
                            stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        sys.exit(f"mirror did not start (printed {url!r})")
    return proc, url


def source_files(repo_dir):
    return {str(p.relative_to(repo_dir)): p for p in repo_dir.rglob("*") if p.is_file()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hubbench", default=str(ROOT / "build" / "dev" / "cli" / "hubbench"))
    args = ap.parse_args()
    proc, url = start_mirror(args.hubbench)
    work = Path(tempfile.mkdtemp(prefix="hubbench-official-"))
    # Set before importing huggingface_hub: its constants read the environment once.
    os.environ.update({"HF_ENDPOINT": url, "HF_HUB_CACHE": str(work / "python-cache"), "HF_HUB_DISABLE_TELEMETRY": "1",
                       "HF_HUB_DISABLE_PROGRESS_BARS": "1"})
    os.environ.pop("HF_TOKEN", None)
    import huggingface_hub
    from huggingface_hub import HfApi, hf_hub_download, scan_cache_dir, snapshot_download

    failures = []

    def check(what, ok, detail=""):
        print(f"{'ok  ' if ok else 'FAIL'} {what}{': ' + detail if detail else ''}", flush=True)
        if not ok:
            failures.append(what)

    try:
        api = HfApi()
        repos = sorted(f"{org.name}/{d.name}" for org in MODELS.iterdir() if org.is_dir()
                       for d in org.iterdir() if (d / "config.json").exists())
        listed = sorted(m.id for m in api.list_models(limit=1000))
        check(f"list_models lists the {len(repos)} repos", listed == repos, f"{len(listed)} listed")
        found = [m.id for m in api.list_models(search="tiny-gpt2")]
        check("list_models(search=tiny-gpt2)", "fixtures/tiny-gpt2" in found, ", ".join(found))
        for repo in repos:
            files = source_files(MODELS / repo)
            info = api.model_info(repo, files_metadata=True)
            siblings = {s.rfilename: s.size for s in info.siblings}
            check(f"{repo} model_info siblings and sizes", siblings == {k: p.stat().st_size for k, p in files.items()})
            check(f"{repo} repo_info sha", api.repo_info(repo).sha == info.sha, info.sha)
            tree = {e.path for e in api.list_repo_tree(repo, recursive=True) if hasattr(e, "size") and hasattr(e, "blob_id")}
            check(f"{repo} list_repo_tree(recursive)", tree == set(files))
            folders = sorted({str(Path(f).parent) for f in files if "/" in f})
            asked = sorted(files) + folders + ["no/such/file.txt"]
            infos = api.get_paths_info(repo, asked)
            got = {i.path: getattr(i, "size", None) for i in infos}
            want = {**{k: p.stat().st_size for k, p in files.items()}, **{d: None for d in folders}}
            check(f"{repo} get_paths_info ({len(asked)} paths, one missing)", got == want)
            expanded = api.get_paths_info(repo, ["config.json"], expand=True)
            check(f"{repo} get_paths_info(expand=True) last commit",
                  len(expanded) == 1 and expanded[0].last_commit is not None and expanded[0].last_commit.oid == info.sha)
            path = hf_hub_download(repo, "config.json")
            check(f"{repo} hf_hub_download(config.json)", Path(path).read_bytes() == files["config.json"].read_bytes())
            snap = Path(snapshot_download(repo))
            same = all((snap / k).read_bytes() == p.read_bytes() for k, p in files.items())
            check(f"{repo} snapshot_download ({len(files)} files, bytes equal)", same and snap.name == info.sha)

        report = scan_cache_dir(work / "python-cache")
        check("scan_cache_dir(huggingface_hub's cache): no warnings", not report.warnings,
              f"{len(report.repos)} repos, {report.size_on_disk} bytes; {report.warnings}")

        hubbench_cache = work / "hubbench-cache"
        env = dict(os.environ, HF_HUB_CACHE=str(hubbench_cache))
        for repo in repos:
            r = subprocess.run([args.hubbench, "pull", repo, "-q"], env=env, capture_output=True, text=True)
            check(f"hubbench pull {repo}", r.returncode == 0, r.stderr.strip())
        report = scan_cache_dir(hubbench_cache)
        check("scan_cache_dir(hubbench's cache): no warnings", not report.warnings and len(report.repos) == len(repos),
              f"{len(report.repos)} repos, {report.size_on_disk} bytes; {report.warnings}")
        print(f"huggingface_hub {huggingface_hub.__version__} against {url}: "
              f"{'all checks passed' if not failures else f'{len(failures)} failed'}")
    finally:
        proc.terminate()
        proc.wait()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
