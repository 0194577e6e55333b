"""Voice: with which voice a source speaks, when the registry does not name it.

Order: a registry entity's own voice (the caller has it); then the role and country the text
gives ("Russia's ambassador to the UN" is the Russian state, "political scientist" an independent
analyst, "opposition activist" the opposition); else, for a named person or organisation,
``unclassified``: an honest "not known", never a guess at ``independent``.
"""

from __future__ import annotations

import re

from sourcewise.registry import Registry
from sourcewise.types import Voice

from ingest.attribution.sources import Source


def voice_from_role(
    registry: Registry,
    name: str | None,
    role: str | None,
    kind: str,
    office_country: str | None = None,
    published: str | None = None,
) -> Source:
    """The source a name and a text-given role describe.

    An office with no country ("police spokesperson Saltanat Azirbek") is taken to be an office of
    the document's own country, unless the registry knows that country's holder of the office is
    someone else ("President Venn" in a text about Kazakhstan is not Kazakhstan's president): then,
    and for a name with no role at all ("Ramzan Kadyrov said"), the voice is ``unclassified``.
    """
    if role:
        # No corpus country here: "President Venn" is no evidence of which state's president he is.
        found = registry.resolve(role, published=published)
        # A role naming an office of a named country ("Kazakhstan's President", whoever holds it) speaks
        # with that country's voice, as does a role naming a body ("TASS correspondent").
        if found is not None and found.speaker.voice is not Voice.UNATTRIBUTED:
            country = found.country.country if found.country else (found.entity.country if found.entity else None)
            return Source(
                name=name or found.speaker.name,
                role=role,
                voice=found.speaker.voice,
                kind=kind,
                country=country,
                reason=f"text gives the role {role!r}: {found.reason}",
            )
        home = registry.country(office_country)
        # "a representative of the group", "spokeswoman for the families": an office of a body that is no
        # state's (nothing official, known or national in it) is not the document country's.
        of_group = re.match(r"(?i)^(?:an? |the )?(?:\w+ )?(?:representatives?|spokes\w+|members?|heads?|leaders?|coordinators?)\s+"
                            r"(?:of|for|from)\s+(?:the |an? |their |its )?(?P<x>.+)$", role)
        # "Transnistria" + "'s election commission": the name owns the office (the parser split the possessive).
        if re.match(r"^['’]s\b", role.strip()):
            home = None
        if of_group and not (registry.has_official_term(of_group.group("x")) or registry.find_entities(of_group.group("x"))
                             or registry.find_countries(of_group.group("x"))):
            home = None
        if home is not None and registry.has_official_term(role) and not registry.find_countries(role):
            holder = registry.office_holder(f"{home.country} {role}", published=published)
            if holder is None or (name and name.split()[-1].lower() in holder[0].name.lower()):
                return Source(
                    name=name,
                    role=role,
                    voice=home.voice,
                    kind=kind,
                    country=home.country,
                    reason=f"text gives the office {role!r} with no country: taken as {home.country}'s, the "
                    f"document's country",
                )
        return Source(
            name=name,
            role=role,
            voice=Voice.UNCLASSIFIED,
            kind=kind,
            reason=f"text gives the role {role!r}, which says no country or affiliation the registry knows",
        )
    return Source(
        name=name,
        role=None,
        voice=Voice.UNCLASSIFIED,
        kind=kind,
        reason="named in the text with no role or affiliation, and not in the registry",
    )
