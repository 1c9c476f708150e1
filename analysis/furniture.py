"""Page furniture: the lines copy-pasted web text carries that are not article content.

`furniture_reason(line)` names the kind of furniture a line is, or returns None for
content. The patterns below cover what the seed corpus shows (ads, reading time,
trust badges, share counters, related links, comment boxes, voice-player menus,
sign-offs); `repeated_lines` learns an outlet's own boilerplate from the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

_PATTERNS: list[tuple[str, str]] = [
    (r"advertisement|advertising|sponsored( content)?|ad feedback|skip advert(isement)?", "advertisement"),
    (r"reading time:?\s*\d+\s*min(ute)?s?( read)?|\d+\s*min(ute)?s? read", "reading time"),
    (r"why you can trust \w+", "trust badge"),
    (r"\d{1,6}|[\d.,]+\s*[km]?\s*(shares?|comments?|views?)|shares?|share( this)?( article| story)?|(share|copy|e-?mail|print)( link)?"
     r"( on (facebook|twitter|x|linkedin|whatsapp))?", "share counter"),
    (r"(read|see) (more|also)\b.*|also read\b.*|related( articles?| stories)?:?.*|more (on this|from)\b.{0,60}", "related link"),
    (r"leave a (reply|comment)|comments? \(\d+\)|add (a )?comment|post a comment|\d+ comments?|view comments", "comment box"),
    (r"select voice|choose your listening speed|get through articles \d+(\.\d+)?x faster|\d+(\.\d+)?x"
     r"|\d+ wpm|slow|average|fast|listen( to (this|the) (article|story))?|play(ing)? audio.*", "voice player"),
    (r"pdf view|print( this)?( page| article)?|font size|text size|bookmark|save( article)?|gift( this)? article|"
     r"follow( us)?( on \w+)?|subscribe( now)?|sign (up|in)|log ?in|register|menu|close|search", "page control"),
    (r"(published|updated|posted|first published|last updated)( on)?:?\s*.{0,60}\d{4}.{0,20}", "dateline"),
    (r"by [A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3}( and [A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3})?( in [A-Z][\w ]{0,30})?"
     r"|edited by:?.{0,60}|reporting by.{0,200}|additional (reporting|research) (by|from) .{0,200}", "byline"),
    (r"[\w.+-]+@[\w-]+(\.[\w-]+)+", "e-mail sign-off"),
    (r"[—–-] ?[A-Z][\w.'’-]+( [A-Z][\w.'’-]+)?|p\.? ?s\.?", "sign-off"),
    (r"\W*\w?\W*", "stray character"),
    (r"what to read next|read the full (article|story|report)|most (read|popular|viewed)|recommended( stories)?|trending( now)?", "related link"),
    (r"try [^.]{0,80}\b(offer|subscription|free trial)\b.{0,80}|.{0,100}\b(subscribe|subscription) (now|today)\b.{0,100}", "promotion"),
    (r"this article (originally )?appeared (first )?(in|on) .{0,200}|this (article|story) was (originally )?published (in|on|by) .{0,200}", "syndication note"),
    (r".{0,200}(to view this video please enable javascript|supports html5 video).{0,200}|video ad feedback.{0,400}", "video placeholder"),
    (r"archived recording( \d+)?|\[(music|laughter|applause)[^\]]{0,40}\]", "transcript marker"),
    (r"[a-z]{2,4}(/[a-z]{2,4})+( \([\w ,/]{1,60}\))?", "sign-off initials"),
    (r"(skip past newsletter promotion|newsletter promotion).*"
     r"|(?=.*\bnewsletters?\b)(?=.*\b(sign[ -]?up|subscribe|enter your e-?mail|in your inbox|privacy notice)\b).{0,600}", "newsletter promotion"),
    (r"(\d{1,2} \w+ \d{4} )?share save\b.{0,200}", "byline and share buttons"),
    (r"(illustration|photo illustration|graphic) by [^.]{0,80}\.?( source: [^.]{0,60}\.?)?", "media credit"),
    (r"do you have questions about the biggest topics.{0,300}|.{0,200}get the answers with scmp knowledge.{0,200}", "promotion"),
    (r"(image|photo|photograph|picture|video)( source| caption)?:? ?[\w /,.&-]{0,40}|getty images|reuters|afp|ap photo", "media credit"),
    (r"(artificial intelligence|technology|opinion|china opinion|business|world|tech|markets)( ?opinion)*", "section label"),
]
_FURNITURE = [(re.compile(rf"\s*(?:{pattern})\s*[.:!]?\s*", re.IGNORECASE | re.DOTALL), reason) for pattern, reason in _PATTERNS]
_CAMEL_JOIN = re.compile(r"[a-z][A-Z]")
_SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")


def furniture_reason(line: str) -> str | None:
    """Return what kind of page furniture `line` is ("advertisement", "byline", ...) or None."""
    text = line.strip()
    if not text:
        return "blank"
    for pattern, reason in _FURNITURE:
        if pattern.fullmatch(text):
            return reason
    if _is_tag_list(text):
        return "tag list"
    return None


def _is_tag_list(text: str) -> bool:
    """Keyword tag clouds paste as words glued together: "artificial intelligenceBeijingChina".

    Brand names (DeepSeek, OpenAI, TikTok) carry one inner capital and start upper-case;
    glued tags start lower-case or hold several joins, and several of them occur together.
    """
    if _SENTENCE_END.search(text):
        return False
    glued = 0
    for token in text.split():
        joins = len(_CAMEL_JOIN.findall(token))
        glued += joins >= 2 or (joins >= 1 and token[0].islower())
    return glued >= 2


def makes_claim(line: str) -> bool:
    """Return True when a line reads as a sentence (a verb-bearing clause), however short."""
    words = line.split()
    return len(words) >= 4 and bool(_SENTENCE_END.search(line)) or len(words) >= 12


def repeated_labels(lines: list[str], *, min_repeats: int = 3) -> set[str]:
    """Return short non-claim lines repeated within one article: speaker labels, crossheads reused."""
    counts = Counter(line for line in lines if not makes_claim(line))
    return {line for line, count in counts.items() if count >= min_repeats}


def repeated_lines(lines_by_article: Iterable[Iterable[str]], *, min_articles: int = 3, min_share: float = 0.1) -> set[str]:
    """Return lines that recur verbatim in many articles of one outlet: learned boilerplate.

    `lines_by_article` holds the normalised lines of each article of one outlet. A line
    is boilerplate when it appears in at least `min_articles` articles and in at least
    `min_share` of them.
    """
    articles = [set(lines) for lines in lines_by_article]
    if len(articles) < min_articles:
        return set()
    counts = Counter(line for lines in articles for line in lines)
    needed = max(min_articles, min_share * len(articles))
    return {line for line, count in counts.items() if count >= needed}
