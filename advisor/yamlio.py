"""YAML loading: libyaml's C loader when it is there (5-10x faster), the pure one otherwise."""

from __future__ import annotations

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
