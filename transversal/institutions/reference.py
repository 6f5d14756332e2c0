"""The national institution exists in every installation: its facts are law.

Ley del Instituto Nacional de las Mujeres, DOF 12/01/2001; the institute became
the Secretaría de las Mujeres, a centralised ministry, on 01/01/2025.
Used by the data migration (with historical models) and by test set-up.
"""

from __future__ import annotations

import datetime as dt


def load_national_institution(institution_model, name_model) -> None:
    national, created = institution_model.objects.get_or_create(
        slug="nacional",
        defaults={
            "kind": "national",
            "legal_form": "centralized",
            "creation_instrument": "Ley del Instituto Nacional de las Mujeres",
            "creation_date": dt.date(2001, 1, 12),
            "creation_gazette": "Diario Oficial de la Federación",
        },
    )
    if not created:
        return
    name_model.objects.create(
        institution=national,
        sequence=1,
        name="Instituto Nacional de las Mujeres",
        acronym="Inmujeres",
        legal_form="decentralized",
        valid_from=dt.date(2001, 1, 12),
        valid_to=dt.date(2024, 12, 31),
        source="Ley del Instituto Nacional de las Mujeres, DOF 12/01/2001",
    )
    name_model.objects.create(
        institution=national,
        sequence=2,
        name="Secretaría de las Mujeres",
        acronym="",
        legal_form="centralized",
        valid_from=dt.date(2025, 1, 1),
        source=(
            "Reforma a la Ley Orgánica de la Administración Pública Federal, en vigor el 01/01/2025"
        ),
    )
