"""The 32 entidades federativas (INEGI Marco Geoestadístico; ISO 3166-2:MX).

Names are the official ones; Coahuila, Michoacán and Veracruz carry their
constitutional long names. Ciudad de México uses ISO code MX-CMX (since 2016).
Abbreviations are the usual ones in federal statistics.
"""

from __future__ import annotations

# (INEGI code, official name, short name, abbreviation, ISO 3166-2)
STATES: tuple[tuple[str, str, str, str, str], ...] = (
    ("01", "Aguascalientes", "Aguascalientes", "Ags.", "MX-AGU"),
    ("02", "Baja California", "Baja California", "BC", "MX-BCN"),
    ("03", "Baja California Sur", "Baja California Sur", "BCS", "MX-BCS"),
    ("04", "Campeche", "Campeche", "Camp.", "MX-CAM"),
    ("05", "Coahuila de Zaragoza", "Coahuila", "Coah.", "MX-COA"),
    ("06", "Colima", "Colima", "Col.", "MX-COL"),
    ("07", "Chiapas", "Chiapas", "Chis.", "MX-CHP"),
    ("08", "Chihuahua", "Chihuahua", "Chih.", "MX-CHH"),
    ("09", "Ciudad de México", "Ciudad de México", "CDMX", "MX-CMX"),
    ("10", "Durango", "Durango", "Dgo.", "MX-DUR"),
    ("11", "Guanajuato", "Guanajuato", "Gto.", "MX-GUA"),
    ("12", "Guerrero", "Guerrero", "Gro.", "MX-GRO"),
    ("13", "Hidalgo", "Hidalgo", "Hgo.", "MX-HID"),
    ("14", "Jalisco", "Jalisco", "Jal.", "MX-JAL"),
    ("15", "México", "Estado de México", "Mex.", "MX-MEX"),
    ("16", "Michoacán de Ocampo", "Michoacán", "Mich.", "MX-MIC"),
    ("17", "Morelos", "Morelos", "Mor.", "MX-MOR"),
    ("18", "Nayarit", "Nayarit", "Nay.", "MX-NAY"),
    ("19", "Nuevo León", "Nuevo León", "NL", "MX-NLE"),
    ("20", "Oaxaca", "Oaxaca", "Oax.", "MX-OAX"),
    ("21", "Puebla", "Puebla", "Pue.", "MX-PUE"),
    ("22", "Querétaro", "Querétaro", "Qro.", "MX-QUE"),
    ("23", "Quintana Roo", "Quintana Roo", "Q. Roo", "MX-ROO"),
    ("24", "San Luis Potosí", "San Luis Potosí", "SLP", "MX-SLP"),
    ("25", "Sinaloa", "Sinaloa", "Sin.", "MX-SIN"),
    ("26", "Sonora", "Sonora", "Son.", "MX-SON"),
    ("27", "Tabasco", "Tabasco", "Tab.", "MX-TAB"),
    ("28", "Tamaulipas", "Tamaulipas", "Tamps.", "MX-TAM"),
    ("29", "Tlaxcala", "Tlaxcala", "Tlax.", "MX-TLA"),
    ("30", "Veracruz de Ignacio de la Llave", "Veracruz", "Ver.", "MX-VER"),
    ("31", "Yucatán", "Yucatán", "Yuc.", "MX-YUC"),
    ("32", "Zacatecas", "Zacatecas", "Zac.", "MX-ZAC"),
)


def load_states(state_model) -> None:
    """Create or correct the 32 rows (used by the data migration and by test set-up)."""
    for code, name, short_name, abbreviation, iso_code in STATES:
        state_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "abbreviation": abbreviation,
                "iso_code": iso_code,
            },
        )
