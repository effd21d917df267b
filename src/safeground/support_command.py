"""``safeground support``: where to find help, printed at once, without the full-screen app.

Someone may reach for this in a bad moment, so it never fails for a region it doesn't know: an
unknown ``--region`` prints the lines for "somewhere else" and the codes it knows, and exits 0.
The region is ``--region``, else the profile's saved choice, else the locale's guess
(:mod:`safeground.regions`). :func:`support_lines` is the same list as plain text, numbers first,
for anything else that prints it. No Textual here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from safeground import regions
from safeground.cli_support import open_store
from safeground.content import Support
from safeground.loader import load_workbook
from safeground.settings import Settings
from safeground.untrusted import for_terminal


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``support``; ``command(name, summary)`` returns a new subparser with the global options."""
    support = command("support", "print where to find help: the support lines for your region")
    support.add_argument("--json", action="store_true", help="print the same as JSON, for scripts")
    support.set_defaults(handler=_support)


def support_lines(view: Support) -> list[str]:
    """One list (a view from :meth:`Support.for_region`) as lines of plain text: whose list it
    is, the emergency line, every name and number, then what each service is about."""
    lines = [view.whose or view.title, "", view.emergency, ""]
    lines += [f"  {r.name}: {r.contact}" for r in view.resources]
    for resource in view.resources:
        if resource.about or resource.url:
            lines += ["", f"  {resource.name}"]
            lines += [f"    {text}" for text in (resource.about, resource.url) if text]
    if view.region_note:
        lines += ["", view.region_note]
    return lines


def _support(args: argparse.Namespace) -> int:
    workbook = load_workbook(args.workbook)
    support = workbook.support
    asked = getattr(args, "region", None)
    if asked:
        code = regions.normalise(asked)
        view = support.for_region(code)
    else:
        saved = Settings.load(open_store(args, workbook.id).profile_dir).region
        code = regions.choose(support.codes, asked=None, saved=saved)
        view = support.opening(code)
    unknown = bool(asked) and code not in support.codes
    if args.json:
        _print_json(support, view, asked, unknown)
        return 0
    for line in support_lines(view):
        print(for_terminal(line))
    print()
    if unknown:
        print(for_terminal(f'There is no list for "{asked}" yet, so these are the lines for anywhere.'))
    others = ", ".join(support.codes)
    print(f"Other regions: safeground support --region CODE ({others})")
    return 0


def _print_json(support: Support, view: Support, asked: str | None, unknown: bool) -> None:
    import json  # only for --json

    document = {
        "region": view.region,
        "asked": asked,
        "known": not unknown,
        "from_author": view.region == "" and support.from_author,
        "whose": view.whose,
        "emergency": view.emergency,
        "note": view.region_note,
        "resources": [
            {
                "id": r.id,
                "name": r.name,
                "contact": r.contact,
                "about": r.about,
                "url": r.url,
                "source": r.source,
                "checked": r.checked,
            }
            for r in view.resources
        ],
        "regions": [{"code": r.code, "name": r.name} for r in support.regions],
    }
    # ensure_ascii: escapes and all, the text reaches the terminal as plain characters.
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=True) + "\n")
