"""No dataset of the trainer config names the file.

## What it does
With `--trainer-config` (LLaMA-Factory's `dataset_info.json`, an Axolotl YAML),
says once for a file that no dataset entry of the config names it (by file
name, as the config's `file_name`/`path` is matched), with how many datasets
the config declares.

## Why it matters
The config's field names, role tags and columns then do not apply: the file is
linted by its detected format with the trainer's default names, so a check of
the config's mapping (FT911, FT912) says nothing about it. The trainer will not
read the file either unless something else names it. Usually a renamed file or
a typo in the config.

## Example
    ftlint --provider llama-factory --trainer-config data/dataset_info.json data/my_set.jsonl
    (dataset_info.json names my_set_v2.jsonl)

## Fix
Add the file to the config, or lint the file the config names.
"""

from ftlint.problem import Finding
from ftlint.trainer_formats import declared_mapping

CODE = "FT915"
NAME = "file-not-in-trainer-config"
SCOPE = "dataset"
LEVEL = "info"


def begin(conf, ctx):
    return None


def finish(conf, ctx, state):
    config = ctx.run.options.get("trainer_config")
    if not config or declared_mapping(ctx) is not None:
        return
    from pathlib import PurePath

    from ftlint import trainer_config

    # The count in the words' place only (no "1 dataset"/"2 datasets"): a baseline blanks numbers, not words.
    yield Finding(f"no dataset of the trainer config {PurePath(config).name} (datasets declared: "
                  f"{trainer_config.dataset_count(config)}) names this file, so its field names, role tags and "
                  "columns do not apply here: the file is linted with the trainer's defaults for its format; add it "
                  "to the config, or lint the file the config names")
