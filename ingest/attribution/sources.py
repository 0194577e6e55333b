"""Sources: who a phrase names, as one value the later stages pass around.

A :class:`Source` is a person, body, outlet or group with its name, role, country and voice, and
the reason for that voice. :func:`speaker_of` turns it into the public :class:`Speaker`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from sourcewise.registry import Entity
from sourcewise.types import Speaker, Voice

SourceKind = str  # "person" | "body" | "outlet" | "group"


@dataclass(frozen=True)
class Source:
    """Who makes a claim, as far as the text and the registry say."""

    name: str | None
    role: str | None
    voice: Voice
    kind: SourceKind = "group"
    entity: Entity | None = None
    country: str | None = None
    reason: str = ""
    aliases: tuple[str, ...] = field(default=())
    gender: str | None = None

    def could_be(self, pronoun: str) -> bool:
        """Whether a pronoun can refer to this source: "he" or "she" by the registry's gender, else the
        name's form; "it" never to a person, nor to two bodies named together."""
        if pronoun in ("it", "its") and (self.kind == "person" or re.search(r"\s(?:and|&)\s", self.name or "")):
            return False  # a person is never "it"; "the Ukrainian government and the West" are "they"
        if pronoun not in ("he", "she", "him", "her", "his"):
            return True
        gender = self.gender or _guess_gender(self.name) or _gender_of_role(" ".join(filter(None, [self.name, self.role])))
        wanted = "f" if pronoun in ("she", "her") else "m"
        return gender is None or gender == wanted

    def gender_known(self) -> bool:
        """Whether the registry, the name's form or the role says if this person is "he" or "she"."""
        return bool(self.gender or _guess_gender(self.name) or _gender_of_role(" ".join(filter(None, [self.name, self.role]))))

    def speaker(self) -> Speaker:
        """The public speaker of a claim by this source."""
        return Speaker(name=self.name, role=self.role, voice=self.voice)

    def with_role(self, role: str | None) -> "Source":
        return replace(self, role=role)

    @property
    def is_media(self) -> bool:
        """An outlet or a group of media ("the Russian agencies")."""
        role = (self.role or "").lower()
        return any(w in role for w in ("media", "outlet", "agenc", "press", "newspaper", "broadcaster", "channel", "television"))


UNATTRIBUTED = Source(name=None, role=None, voice=Voice.UNATTRIBUTED, kind="group", reason="no identifiable source")


def from_entity(entity: Entity, reason: str) -> Source:
    """The source a registry entity is."""
    return Source(
        name=entity.name,
        role=entity.role,
        voice=entity.voice,
        kind=entity.kind,
        entity=entity,
        country=entity.country,
        reason=reason,
        aliases=tuple(entity.aliases),
        gender=entity.gender or ("m" if entity.kind == "person" else None),
    )


def _guess_gender(name: str | None) -> str | None:
    """Slavic and Central Asian surnames mark women ("Zakharova", "Tsikhanouskaya"); else unknown."""
    if not name:
        return None
    surname = name.split()[-1].lower()
    return "f" if surname.endswith(("ova", "eva", "yeva", "ina", "aya", "ava", "skaya", "ská", "ienė", "yte")) else None


def _gender_of_role(words: str) -> str | None:
    """Role words that say it: "spokeswoman", "chairman", "Mrs"."""
    low = words.lower()
    if re.search(r"wom[ae]n\b|\b(mrs|ms|madam)\b", low):
        return "f"
    if re.search(r"(?<!wo)m[ae]n\b|\bmr\b", low):
        return "m"
    return None
