"""Bytes to text: detect the encoding of an input file and say when it was guessed."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_LATIN_SINGLE_BYTE = {
    "ascii", "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "latin_1", "cp437", "cp775",
    "cp850", "cp858", "mac_latin2", "mac_roman", "mac_iceland", "mac_turkish",
    *(f"iso8859_{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)),
}


# Detectors are only trusted for scripts a Western-default guess would garble; short
# samples and everything else fall back to cp1252 (Latin-1's superset for text).
_TRUSTED_NON_LATIN = {"cp1251", "koi8_r", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5", "cp1253", "iso8859_7",
                      "cp1255", "iso8859_8", "cp1256", "iso8859_6", "cp874", "tis_620", "gb2312", "gbk", "gb18030",
                      "big5", "big5hkscs", "shift_jis", "cp932", "euc_jp", "iso2022_jp", "euc_kr", "cp949"}
_MIN_DETECTION_BYTES = 200


class UndecodableError(ValueError):
    """Raised when bytes are not text in any encoding we can recognise (e.g. a binary file)."""


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding used and whether it had to be guessed."""

    text: str
    encoding: str
    guessed: bool


def decoded_text(data: bytes) -> Decoded:
    """Return `data` decoded: BOM first, then strict UTF-8, then charset-normalizer's best guess.

    Line ends are normalised to "\\n". Raises `UndecodableError` for binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_unix_lines(data.decode(encoding)), encoding, False)
    if b"\x00" in data[:4096]:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise UndecodableError("binary content (NUL bytes), not text")
        try:
            return Decoded(_unix_lines(data.decode(encoding)), encoding, True)
        except UnicodeDecodeError as error:
            raise UndecodableError(f"binary content, not text ({error.reason})") from None
    try:
        return Decoded(_unix_lines(data.decode("utf-8")), "utf-8", False)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best() if len(data) >= _MIN_DETECTION_BYTES else None
    if best is not None and best.encoding in _TRUSTED_NON_LATIN:
        text, encoding = str(best), best.encoding
    else:
        # Short Latin-script texts fool every detector between cp1250/cp1252/cp1257/Latin-1;
        # Western news exports are overwhelmingly cp1252 (a superset of Latin-1's printable range).
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    if _control_share(text) > 0.05:
        raise UndecodableError("binary content (mostly control characters), not text")
    return Decoded(_unix_lines(text), encoding, True)


def _unix_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when NULs fill every other byte, as in Latin-script UTF-16."""
    sample = data[:4096]
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / min(len(text), 20000)
