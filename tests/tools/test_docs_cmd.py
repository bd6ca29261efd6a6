"""docs/cmd.md: numbered sections, and every code citation of it points at
one that exists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / 'docs' / 'cmd.md'


def sections():
    """{number: title} of the ``## N. Title`` headings."""
    return {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r'^## (\d+)\. (.+)$', DOC.read_text(), re.M)
    }


def test_sections_are_numbered_in_order_and_linked():
    found = sections()
    assert list(found) == list(range(1, len(found) + 1))
    assert len(found) >= 10
    text = DOC.read_text()
    for number, title in found.items():
        # GitHub's anchor: lower case, punctuation dropped, spaces to '-'.
        anchor = re.sub(r'[^\w\- ]', '', f'{number}. {title}'.lower())
        assert f'(#{anchor.replace(" ", "-")})' in text, title


def test_code_citations_point_at_existing_sections():
    found = sections()
    cited = []
    for path in list((ROOT / 'cmd_plugin').rglob('*.py')) + list(
            (ROOT / 'configs').rglob('*.py')):
        for number in re.findall(r'docs/cmd\.md §(\d+)', path.read_text()):
            cited.append((path.relative_to(ROOT), int(number)))
    assert cited, 'no file cites docs/cmd.md'
    missing = [(str(p), n) for p, n in cited if n not in found]
    assert not missing
