"""Reader for compiled gettext MO catalogues (e.g. Debian's ``iso_3166-1.mo``).

The binary layout is small and indexed, so it is parsed directly: that gives clear errors for
truncated or corrupt files (polib raises bare ``struct.error``/``IOError`` there). Everything
after the entries (header fields, entry → concept mapping) is the PO reader's.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from typing import ClassVar

from importers.base import ImportFormatError
from importers.po import MO_MAGICS, PoEntry, PoReader

_CONTEXT_SEPARATOR = b"\x04"  # msgctxt EOT msgid, as gettext stores contexts
_PLURAL_SEPARATOR = b"\x00"


class MoReader(PoReader):
    """Gettext MO: the same entries as PO, without comments, flags or obsolete entries."""

    format: ClassVar[str] = "mo"
    extensions: ClassVar[tuple[str, ...]] = (".mo", ".gmo")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """MO files start with gettext's magic number in either byte order."""
        return head[:4] in MO_MAGICS

    def _raw_entries(self) -> Iterator[PoEntry]:
        """Every entry of the catalogue, the header (msgid "") first as gettext sorts it."""
        with open(self.path, "rb") as stream:
            try:
                data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # mmap refuses empty files
                raise ImportFormatError(self.path, "empty file, not an MO catalogue") from None
            with data:
                yield from self._parse_mo(data)

    def _parse_mo(self, data: mmap.mmap) -> Iterator[PoEntry]:
        magic = data[:4]
        if magic not in MO_MAGICS:
            raise ImportFormatError(self.path, "not an MO file (bad magic number)")
        order = "<" if magic == MO_MAGICS[0] else ">"
        revision, count, originals, translations = self._unpack(data, order + "4I", 4, "header")
        if revision >> 16 > 1:
            raise ImportFormatError(self.path, f"unsupported MO revision {revision >> 16}")
        codec = "utf-8"
        for index in range(count):
            where = f"entry {index + 1} of {count}"
            original = self._string(data, order, originals + 8 * index, where)
            translation = self._string(data, order, translations + 8 * index, where)
            context, sep, ids = original.rpartition(_CONTEXT_SEPARATOR)
            msgid, *plural = ids.split(_PLURAL_SEPARATOR)
            forms = translation.split(_PLURAL_SEPARATOR)
            if index == 0 and not sep and not msgid:
                # The header comes first; its charset decodes every other string.
                header = PoEntry(msgid="", msgstr=translation.decode("latin-1"))
                codec = self._charset(header)
            entry = PoEntry(msgid=self._decode(msgid, codec, where))
            if sep:
                entry.msgctxt = self._decode(context, codec, where)
            if plural:
                entry.msgid_plural = self._decode(plural[0], codec, where)
                entry.msgstr_plural = {
                    n: self._decode(form, codec, where) for n, form in enumerate(forms)
                }
            else:
                entry.msgstr = self._decode(translation, codec, where)
            yield entry

    def _decode(self, raw: bytes, codec: str, where: str) -> str:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            raise ImportFormatError(
                self.path, f"{where} is not valid {codec}; check the header charset"
            ) from None

    def _unpack(self, data: mmap.mmap, fmt: str, offset: int, where: str) -> tuple[int, ...]:
        try:
            return struct.unpack_from(fmt, data, offset)
        except struct.error:
            raise ImportFormatError(self.path, f"truncated MO file ({where})") from None

    def _string(self, data: mmap.mmap, order: str, offset: int, where: str) -> bytes:
        """The bytes a (length, offset) descriptor points at, bounds-checked."""
        length, start = self._unpack(data, order + "2I", offset, where)
        if start + length > len(data):
            raise ImportFormatError(self.path, f"truncated MO file ({where} points past the end)")
        return data[start : start + length]
