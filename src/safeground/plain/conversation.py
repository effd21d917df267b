"""The conversation: the workbook asked one question at a time, each answer saved as it is given.

It walks the workbook's steps (:mod:`safeground.plain.steps`) from a starting one. Each step
prints the page when the page changes, then the question, how to answer it and the answer there
is now, and reads a reply. An empty reply keeps the answer; a reply that does not fit gets one
sentence saying so and the same question again, and nothing is saved from it. A few words work at
every prompt (:data:`~safeground.plain.reading.COMMANDS`).

Answers go through the same :class:`~safeground.session.Session` as the app's screens, so the same
rules apply (an answer to a question that changed kind sets the earlier one aside; options the
workbook no longer shows are kept), and are written at once by the caller's ``save``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safeground.plain import prompts
from safeground.plain.printing import Printer
from safeground.plain.reading import LineReader, command
from safeground.plain.steps import Step, all_steps, chapter_start
from safeground.session import Session

#: How a step ended: go on, go back, or leave (a number is a step to go to).
NEXT, BACK, QUIT = "next", "back", "quit"

SUPPORT_LEAD = "Thank you for answering. You deserve to feel safe, and you don't have to face this alone."


class Conversation:
    """Asks the workbook's questions from ``start`` on; ``save`` writes the session's answers."""

    def __init__(self, session: Session, reader: LineReader, printer: Printer, save: Callable[[], None]):
        self.session = session
        self.reader = reader
        self.say = printer
        self.save = save
        self.steps = all_steps(session.workbook)
        self._shown_page: tuple[str, str] | None = None
        self._shown_field: tuple[str, str, str] | None = None
        #: Screening questions whose answer already brought up the support resources this time.
        self._support_shown: set[tuple[str, str, str]] = set()

    def run(self, start: int) -> None:
        """Ask from step ``start`` until the last one, ``quit`` or the end of input."""
        index = start
        while 0 <= index < len(self.steps):
            step = self.steps[index]
            self.session.move_to(*step.address)
            move = self.ask(step)
            if move == QUIT:
                return
            if isinstance(move, int):
                index = move
            elif move == BACK:
                index = max(index - 1, 0)
            else:
                index += 1
        self.the_end()

    # -- one step ------------------------------------------------------------------------------

    def ask(self, step: Step) -> str | int:
        """Print the step's question and read replies until one answers it or moves on."""
        self._show_page(step)
        self._show_question(step)
        while True:
            line = self.reader.line()
            if line is None:
                return QUIT
            word = command(line)
            if word == "support":
                self.say.support(self.session.workbook.support)
            elif word == "contents":
                chosen = self.contents()
                if chosen is not None:
                    return chosen
            elif word == "skip":
                return NEXT
            elif word in (BACK, QUIT):
                return word
            elif self._answer(step, line):
                return NEXT
            else:
                continue  # what was wrong and how to answer are said: read the next reply
            self._show_question(step, again=True)

    def _answer(self, step: Step, first: str) -> bool:
        """Read the whole reply that begins with ``first`` and save it. False when it does not
        fit the question (said in one sentence, the question's instructions repeated)."""
        field = step.field
        if not first.strip() or (field.kind == "long_text" and first.strip() == prompts.END_OF_TEXT):
            return True  # kept as it is (a line of spaces too: it looks empty, and is read out as nothing)
        lines = [first]
        if field.kind == "long_text":
            lines = self.reader.lines_until(first, lambda line: line.strip() == prompts.END_OF_TEXT)
        elif field.kind == "list":
            lines = self.reader.lines_until(first, lambda line: not line.strip())
        try:
            value = prompts.parse(field, lines)
        except prompts.BadInput as bad:
            self.say.line(str(bad))
            self.say.line(prompts.instruction(field, answered=self._current(step) is not None))
            return False
        self._store(step, value)
        return True

    def _store(self, step: Step, value: Any) -> None:
        chapter_id, page_id, field_id = step.address
        if step.statement is not None:
            ratings = dict(self._current(step, whole=True) or {})
            ratings[step.field.statements[step.statement].id] = value
            value = ratings
        self.session.answer(chapter_id, page_id, field_id, value)
        self.save()
        if step.field.kind == "choice" and value in step.field.support and step.address not in self._support_shown:
            # A screening question answered in a way that asks for support: as the app does, once.
            self._support_shown.add(step.address)
            self.say.line()
            self.say.line(SUPPORT_LEAD)
            self.say.line()
            self.say.support(self.session.workbook.support)

    def _current(self, step: Step, *, whole: bool = False) -> Any:
        """The answer the question shows now (for a statement, its rating unless ``whole``)."""
        value = self.session.progress.usable(step.chapter.id, step.page.id, step.field)
        if step.statement is None or whole or value is None:
            return value
        return value.get(step.field.statements[step.statement].id)

    # -- what is printed -----------------------------------------------------------------------

    def _show_page(self, step: Step) -> None:
        chapter, page = step.chapter, step.page
        if self._shown_page == (chapter.id, page.id):
            return
        workbook = self.session.workbook
        if self._shown_page is None or self._shown_page[0] != chapter.id:
            number = (workbook.chapter_index(chapter.id) or 0) + 1
            self.say.line(f"Chapter {number} of {len(workbook.chapters)}: {chapter.title}")
            self.say.line()
            if chapter.page_index(page.id) == 0 and chapter.intro:
                self.say.prose(chapter.intro)
        number = (chapter.page_index(page.id) or 0) + 1
        self.say.line(f"Page {number} of {len(chapter.pages)}: {page.title}")
        self.say.line()
        self.say.prose(page.text)
        self._shown_page = (chapter.id, page.id)
        self._shown_field = None

    def _show_question(self, step: Step, *, again: bool = False) -> None:
        field = step.field
        if again or self._shown_field != step.address:
            number = step.page.fields.index(field) + 1
            if not again and self._shown_field is not None:
                self.say.line()  # between questions; the page's text already ends with one
            notes = ("" if field.required else " (optional)") + (" (private)" if field.private else "")
            self.say.line(f"Question {number} of {len(step.page.fields)}: {field.prompt}{notes}")
            if field.help and not again:
                self.say.prose(field.help)
            for line in prompts.numbered(field.options):
                self.say.line(f"  {line}")
            self._shown_field = step.address
        if step.statement is not None:
            statement = field.statements[step.statement]
            self.say.line(f"Statement {step.statement + 1} of {len(field.statements)}: {statement.label}")
        for line in prompts.current(field, self._current(step, whole=True), step.statement):
            self.say.line(line)
        self.say.line(prompts.instruction(field, answered=self._current(step) is not None))

    def contents(self) -> int | None:
        """List the chapters and their progress; the step of the chapter chosen, or None to stay."""
        workbook, progress = self.session.workbook, self.session.progress
        self.say.line("Contents")
        for number, chapter in enumerate(workbook.chapters, start=1):
            done = progress.chapter_progress(chapter)
            self.say.line(f"  {number}. {chapter.title}: {done.done} of {done.total} pages complete")
        count = len(workbook.chapters)
        while True:
            self.say.line(f"Type a chapter number from 1 to {count} to open it, or press Enter to stay here.")
            line = self.reader.line()
            if line is None or line.strip() == "":
                return None
            reply = line.strip()
            if reply.isdigit() and 1 <= int(reply) <= count:
                self._shown_page = None
                return chapter_start(self.steps, workbook.chapters[int(reply) - 1], progress)
            self.say.line(f"Please type one number from 1 to {count}.")

    def the_end(self) -> None:
        workbook, progress = self.session.workbook, self.session.progress
        done = sum(progress.chapter_progress(c).done for c in workbook.chapters)
        self.say.line("You have reached the end of the workbook.")
        self.say.line(
            f"{done} of {workbook.page_count} pages are complete. Type 'contents' next time to pick a chapter."
        )
