"""docs/cmd.md and docs/scdnet.md: numbered sections, and every code
citation of them points at one that exists."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# page -> the fewest sections it must have
DOCS = {'cmd.md': 10, 'scdnet.md': 7}


def sections(doc):
    """{number: title} of the ``## N. Title`` headings."""
    return {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r'^## (\d+)\. (.+)$', doc.read_text(), re.M)
    }


@pytest.mark.parametrize('page', sorted(DOCS))
def test_sections_are_numbered_in_order_and_linked(page):
    doc = ROOT / 'docs' / page
    found = sections(doc)
    assert list(found) == list(range(1, len(found) + 1))
    assert len(found) >= DOCS[page]
    text = doc.read_text()
    for number, title in found.items():
        # GitHub's anchor: lower case, punctuation dropped, spaces to '-'.
        anchor = re.sub(r'[^\w\- ]', '', f'{number}. {title}'.lower())
        assert f'(#{anchor.replace(" ", "-")})' in text, title


@pytest.mark.parametrize('page', sorted(DOCS))
def test_code_citations_point_at_existing_sections(page):
    found = sections(ROOT / 'docs' / page)
    cited = []
    pattern = r'docs/' + re.escape(page) + r' §(\d+)'
    for path in list((ROOT / 'cmd_plugin').rglob('*.py')) + list(
            (ROOT / 'configs').rglob('*.py')):
        for number in re.findall(pattern, path.read_text()):
            cited.append((path.relative_to(ROOT), int(number)))
    assert cited, f'no file cites docs/{page}'
    missing = [(str(p), n) for p, n in cited if n not in found]
    assert not missing
