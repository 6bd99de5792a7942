"""Keep the libraries Tutela builds on from reaching the network.

Hugging Face libraries would look models up on the hub, Chroma would send product telemetry and
tldextract (used by Presidio's e-mail recognizer) would download the public suffix list. Tutela
ships every model in a Python package, so none of this is needed: `enforce_offline` turns it
off. It runs when `tutela` is imported, before those libraries are, and patches them too when
they were imported first. Remote engines the user configures are not affected.
"""

from __future__ import annotations

import os
import sys

_OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
}


def enforce_offline() -> None:
    """Switch hub look-ups, telemetry and suffix-list downloads off for this process."""
    os.environ.update(_OFFLINE_ENVIRONMENT)
    hub_constants = sys.modules.get("huggingface_hub.constants")
    if hub_constants is not None:
        hub_constants.HF_HUB_OFFLINE = True
        hub_constants.HF_HUB_DISABLE_TELEMETRY = True
    tld = sys.modules.get("tldextract.tldextract")
    if tld is not None and tld.TLD_EXTRACTOR.suffix_list_urls:
        tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=())
