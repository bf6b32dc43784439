"""Finds the prospect binary and runs it for an algorithm: its progress lines
become Processing feedback, Cancel interrupts it (prospect then writes nothing:
its output folder appears only when a run is complete)."""

import os
import re
import selectors
import shutil
import signal
import subprocess

from qgis.core import QgsProcessingException

# The oldest prospect whose command line and outputs these algorithms know.
MINIMUM_VERSION = (0, 1, 0)
BINARY_SETTING = "PROSPECT_BINARY"


def configured_binary():
    """The binary set in Processing options, else prospect on PATH ("" if none)."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig

        chosen = ProcessingConfig.getSetting(BINARY_SETTING)
    except ImportError:  # Processing's Python part not loaded (tests without it)
        chosen = None
    if chosen:
        return chosen
    return shutil.which("prospect") or ""


def binary():
    """The prospect binary to run, checked; raises a message saying what to do."""
    path = configured_binary()
    what_to_do = (". Install it (cmake --install) or set its path in Processing > Options > "
                  "Providers > prospect > prospect program.")
    if not path or not os.path.isfile(path):
        raise QgsProcessingException(
            "The prospect program was not found" + (f" at {path}" if path else " on PATH")
            + what_to_do)
    if not os.access(path, os.X_OK):
        raise QgsProcessingException(f"{path} is not a program this user may run" + what_to_do)
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise QgsProcessingException(f"{path} does not run: {e}") from e
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", out.stdout + out.stderr)
    if out.returncode != 0 or not match:
        raise QgsProcessingException(f"{path} --version did not answer as prospect does")
    version = tuple(int(g) for g in match.groups())
    if version < MINIMUM_VERSION:
        raise QgsProcessingException(
            f"{path} is prospect {'.'.join(map(str, version))}; these algorithms need "
            f"{'.'.join(map(str, MINIMUM_VERSION))} or newer"
        )
    return path


# prospect's progress in a pipe: "prospect: scoring 0...10...20 - done in 2.1 s",
# one phase per line, the numbers arriving as the work goes; a phase without
# progress is "prospect: preparing" and later "prospect: preparing - done in 0.1 s".
PROGRESS = re.compile(r"^prospect: ([a-z][a-z .'-]*?) ((?:\d{1,3}\.\.\.)+)")
PHASE_LINE = re.compile(r"^prospect: ([a-z][a-z .'-]*?)(?: - done in .*)?$")


class ProgressReader:
    """Turns prospect's stderr, fed as it comes, into feedback: the phase as
    progress text, its percent as progress, other lines as messages."""

    def __init__(self, feedback):
        self.feedback = feedback
        self.line = ""
        self.phase = None
        self.lines = []

    def feed(self, text):
        for ch in text:
            if ch == "\n":
                self._finish_line()
            else:
                self.line += ch
                if ch == ".":
                    self._percent()

    def close(self):
        if self.line:
            self._finish_line()

    def _set_phase(self, phase):
        if phase != self.phase:
            self.phase = phase
            self.feedback.setProgressText(phase)
            self.feedback.setProgress(0)

    def _percent(self):
        match = PROGRESS.match(self.line)
        if match:
            self._set_phase(match.group(1))
            self.feedback.setProgress(float(match.group(2).split("...")[-2]))

    def _finish_line(self):
        line, self.line = self.line, ""
        self.lines.append(line)
        phase = PHASE_LINE.match(line) or PROGRESS.match(line)
        if phase:
            self._set_phase(phase.group(1))
        if " - done in " in line:
            self.feedback.setProgress(100)
            self.feedback.pushInfo(line)
        elif ": error:" in line or line.startswith("  hint:"):
            self.feedback.reportError(line)
        elif ": warning:" in line:
            self.feedback.pushWarning(line)
        elif not phase:
            self.feedback.pushInfo(line)


def run(args, feedback):
    """Runs prospect ARGS...; returns its stdout. On Cancel, interrupts it and
    raises; on failure raises with prospect's own error message."""
    command = [binary()] + [str(a) for a in args]
    feedback.pushCommandInfo(" ".join(command))
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=0
    )
    reader = ProgressReader(feedback)
    stdout = []
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ, "out")
    selector.register(process.stderr, selectors.EVENT_READ, "err")
    open_streams = 2
    cancelled = False
    while open_streams:
        if feedback.isCanceled() and not cancelled:
            cancelled = True
            process.send_signal(signal.SIGINT)  # prospect stops and keeps nothing half-written
        for key, _ in selector.select(timeout=0.2):
            chunk = os.read(key.fileobj.fileno(), 65536).decode("utf-8", "replace")
            if not chunk:
                selector.unregister(key.fileobj)
                open_streams -= 1
            elif key.data == "out":
                stdout.append(chunk)
            else:
                reader.feed(chunk)
    reader.close()
    process.stdout.close()
    process.stderr.close()
    code = process.wait()
    if cancelled:
        raise QgsProcessingException("Cancelled: prospect stopped and wrote no output folder.")
    if code != 0:
        errors = [l for l in reader.lines if ": error:" in l or l.startswith("  hint:")]
        raise QgsProcessingException(
            "\n".join(errors) if errors else f"prospect failed (exit {code})"
        )
    return "".join(stdout)
