"""analysis/decode.py: bytes of any common encoding become text with "\\n" line ends."""

import codecs

import pytest

from analysis.decode import Decoded, UndecodableError, decoded_text

# Curly quotes, an en dash, an em dash and an accented letter: the characters that
# copy-pasted news text carries and that each encoding stores differently.
NEWS = "DeepSeek’s “David” took on Silicon Valley – and won — said the café owner.\nSecond line.\n"
LATIN = "The café in Zürich served crème brûlée to the naïve señor from São Paulo.\n"
CP1252_QUOTES = "Nvidia’s “worst day” – the biggest one-day loss in US history, traders said.\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (NEWS.encode("utf-8"), Decoded(NEWS, "utf-8", False)),
        (codecs.BOM_UTF8 + NEWS.encode("utf-8"), Decoded(NEWS, "utf-8-sig", False)),
        (NEWS.encode("utf-16"), Decoded(NEWS, "utf-16", False)),
        (codecs.BOM_UTF16_BE + NEWS.encode("utf-16-be"), Decoded(NEWS, "utf-16", False)),
        (codecs.BOM_UTF16_LE + NEWS.encode("utf-16-le"), Decoded(NEWS, "utf-16", False)),
        (NEWS.encode("utf-16-le"), Decoded(NEWS, "utf-16-le", True)),
        (NEWS.encode("utf-16-be"), Decoded(NEWS, "utf-16-be", True)),
        (NEWS.encode("utf-32"), Decoded(NEWS, "utf-32", False)),
        (CP1252_QUOTES.encode("cp1252"), Decoded(CP1252_QUOTES, "cp1252", True)),
        (NEWS.encode("cp1252"), Decoded(NEWS, "cp1252", True)),
        (LATIN.encode("latin-1"), Decoded(LATIN, "cp1252", True)),
        (b"plain ascii text\n", Decoded("plain ascii text\n", "utf-8", False)),
        (b"", Decoded("", "utf-8", False)),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le-bom", "utf16le-no-bom", "utf16be-no-bom",
         "utf32-bom", "cp1252-quotes-dashes", "cp1252-mixed", "latin1-read-as-cp1252", "ascii", "empty"],
)
def test_decoded_text_recovers_the_text_and_names_the_encoding(data, expected):
    assert decoded_text(data) == expected


def test_bom_is_not_part_of_the_text():
    assert decoded_text(codecs.BOM_UTF8 + b"Advertisement").text == "Advertisement"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\r\ntwo\r\n", "one\ntwo\n"),
        ("one\rtwo\r", "one\ntwo\n"),
        ("one\r\n\r\ntwo", "one\n\ntwo"),
        ("one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"),
    ],
    ids=["crlf", "cr", "crlf-blank-line", "mixed"],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_line_ends_become_newlines_in_every_encoding(raw, expected, encoding):
    assert decoded_text(raw.encode(encoding)).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NEWS.replace("\n", "\r\n"), NEWS),
        (CP1252_QUOTES.replace("\n", "\r\n") + "\r\nSecond paragraph.\r\n", CP1252_QUOTES + "\nSecond paragraph.\n"),
        (LATIN.replace("\n", "\r"), LATIN),
    ],
    ids=["cp1252-crlf", "cp1252-crlf-blank-line", "cp1252-cr"],
)
def test_windows_text_with_crlf_decodes_as_cp1252_with_newlines(text, expected):
    assert decoded_text(text.encode("cp1252")) == Decoded(expected, "cp1252", True)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06" + bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes((i * 7) % 256 for i in range(500)),
        b"\x7fELF\x02\x01\x01" + bytes(200),
        bytes((i * 37 + 11) % 256 for i in range(3000)),
        bytes(range(1, 32)) * 100 + b"\xff\xfe\xfd" * 10,
    ],
    ids=["png", "zip", "elf", "byte-soup", "control-characters"],
)
def test_binary_data_raises_undecodable_error(data):
    with pytest.raises(UndecodableError, match="binary content"):
        decoded_text(data)


def test_undecodable_error_is_a_value_error():
    assert issubclass(UndecodableError, ValueError)
