"""Prompts as audio for the browser phone: espeak-ng, when it is installed (the Makefile installs it).

Without espeak-ng the phone shows prompts as text only and says so; nothing else depends on audio.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections import OrderedDict

# Connect language codes -> espeak-ng voices (Latin American Spanish for es-US, like Connect's voices)
VOICES = {"en": "en-us", "es": "es-419"}


def voice_for(language: str) -> str:
    return VOICES.get(language.split("-")[0].lower(), "en-us")


class Speech:
    def __init__(self, binary: str = "espeak-ng", cache_entries: int = 256) -> None:
        self.binary = shutil.which(binary)
        self._cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._cache_entries = cache_entries
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.binary is not None

    def wav(self, text: str, language: str) -> bytes:
        """The prompt as a WAV file (cached: the same prompts are played to every caller).

        SSML (`<speak>...</speak>`, as flows send it) is spoken as SSML (espeak-ng's -m)."""
        if self.binary is None:
            raise RuntimeError("espeak-ng is not installed")
        key = (text, voice_for(language))
        markup = ["-m"] if text.lstrip().startswith("<speak") else []
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        audio = subprocess.run(
            [self.binary, "--stdout", "-v", key[1], "-s", "165", *markup, "--", text],
            check=True,
            capture_output=True,
            timeout=20,
        ).stdout
        with self._lock:
            self._cache[key] = audio
            while len(self._cache) > self._cache_entries:
                self._cache.popitem(last=False)
        return audio
