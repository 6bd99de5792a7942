"""The finance domain: advisers, analysts and clients."""

from pathlib import Path

from tutela.domain import Domain

DOMAIN = Domain(
    name="finance",
    system_prompt=(
        "You are Tutela, an assistant for a financial institution. Answer plainly and briefly. "
        "Do not present anything as personal investment advice unless the user is an adviser "
        "advising a client. If you do not know, say so."
    ),
    data_class="financial",
    policies=Path(__file__).parent / "policies",
)
