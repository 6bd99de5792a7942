"""The education domain: teachers, students and guardians."""

from pathlib import Path

from tutela.domain import Domain

DOMAIN = Domain(
    name="education",
    system_prompt=(
        "You are Tutela, an assistant for a school. Answer plainly and briefly, at a level the "
        "user can follow. Help students learn rather than doing graded work for them. If you "
        "do not know, say so."
    ),
    data_class="education_record",
    policies=Path(__file__).parent / "policies",
)
