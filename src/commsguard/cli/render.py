"""Readable reports of results for the terminal: the text with its findings highlighted."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from commsguard.models import Message, Result

_DECISION_STYLE = {"ok": "bold green", "review": "bold yellow", "block": "bold red"}
_SEVERITY_STYLE = {"info": "cyan", "review": "yellow", "block": "red"}


def render_result(console: Console, message: Message, result: Result, *, explain: bool) -> None:
    text = Text(message.text)
    for f in result.findings:
        text.stylize(f"reverse {_SEVERITY_STYLE.get(f.severity, 'yellow')}", f.start, f.end)
    console.print(text)
    console.print()
    console.print(
        Text.assemble(
            ("Decision: ", "bold"), (result.decision.upper(), _DECISION_STYLE[result.decision])
        )
    )
    for i, f in enumerate(result.findings, start=1):
        style = _SEVERITY_STYLE.get(f.severity, "yellow")
        head = Text.assemble(
            (f"{i}. ", "bold"),
            (f"[{f.severity}]", style),
            f" {f.clause} · {f.rule}",
            (f" · {f.entity}" if f.entity else ""),
            (f"  confidence {f.confidence:.2f}", "dim"),
        )
        console.print(head)
        console.print(
            Text.assemble("   evidence: ", (f.evidence, style), f"  (chars {f.start}–{f.end})")
        )
        console.print(f"   why: {f.message}", highlight=False)
        console.print(f"   fix: {f.suggestion}", highlight=False)
        if explain and f.explanation:
            e = f.explanation
            bits = [f"base score {e.base_score:.2f}"]
            if e.context_boost:
                bits.append(f"context {e.context_boost:+.2f} from {', '.join(e.context_words)!r}")
            if e.validation:
                bits.append(e.validation)
            if e.pattern:
                bits.append(f"pattern {e.pattern[:70]}")
            console.print(Text("   explain: " + "; ".join(bits), style="dim"))
    if explain and result.near_misses:
        console.print("[bold]Near misses[/bold] (rules that came close but did not fire):")
        for n in result.near_misses:
            console.print(f"  • {n.rule} at {n.start}–{n.end} {n.evidence!r}: {n.reason}")
