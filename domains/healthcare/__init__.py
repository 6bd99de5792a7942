"""The healthcare domain: clinicians, billing staff and patients."""

from pathlib import Path

from tutela.domain import Domain

DOMAIN = Domain(
    name="healthcare",
    system_prompt=(
        "You are Tutela, an assistant for a healthcare provider. Answer clinical and "
        "administrative questions plainly and briefly, for the purpose the user states. Do not "
        "diagnose: say when a clinician must decide. If you do not know, say so."
    ),
    data_class="phi",
    policies=Path(__file__).parent / "policies",
)
