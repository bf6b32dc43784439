#include "prospect/core/progress.hpp"

#include <gtest/gtest.h>

#include <sstream>

using namespace prospect;

namespace {

// A clock the test moves by hand.
struct FakeClock {
  double now = 0;
  std::function<double()> function() {
    return [this] { return now; };
  }
};

TEST(DurationText, AsPeopleReadIt) {
  EXPECT_EQ(duration_text(0.42), "0.4 s");
  EXPECT_EQ(duration_text(9.9), "9.9 s");
  EXPECT_EQ(duration_text(27.4), "27 s");
  EXPECT_EQ(duration_text(125), "2 min 05 s");
  EXPECT_EQ(duration_text(3725), "1 h 02 min");
}

// In a pipe: one line per phase, a number every 10 %, the time it took.
TEST(PhaseProgress, InAPipeEachPhaseIsOneLineInGdalStyle) {
  std::ostringstream out;
  FakeClock clock;
  {
    PhaseProgress progress(out, false, clock.function());
    progress.update("preparing", -1);
    clock.now = 0.4;
    progress.update("scoring", 0.0);
    for (int tile = 1; tile <= 8; ++tile) {
      clock.now += 3;
      progress.update("scoring", tile / 8.0);
    }
    progress.update("validating", -1);
    clock.now += 2;
    progress.finish();
  }
  EXPECT_EQ(
      out.str(),
      "prospect: preparing - done in 0.4 s\n"
      "prospect: scoring 0...10...20...30...40...50...60...70...80...90...100 - done in 24 s\n"
      "prospect: validating - done in 2.0 s\n");
}

// A warning in the middle of a phase gets a line of its own; the phase goes on after it.
TEST(PhaseProgress, InAPipeAMessageBetweenPhaseAndDoneRepeatsTheName) {
  std::ostringstream out;
  FakeClock clock;
  PhaseProgress progress(out, false, clock.function());
  progress.update("preparing", -1);
  progress.message("prospect: input soil: 12 samples");
  clock.now = 1;
  progress.finish();
  EXPECT_EQ(out.str(),
            "prospect: preparing\n"
            "prospect: input soil: 12 samples\n"
            "prospect: preparing - done in 1.0 s\n");
}

TEST(PhaseProgress, InAPipeAMessageBreaksTheLineCleanly) {
  std::ostringstream out;
  FakeClock clock;
  PhaseProgress progress(out, false, clock.function());
  progress.update("scoring", 0.25);
  progress.message("prospect: warning: something to know");
  clock.now = 5;
  progress.update("scoring", 0.5);
  progress.finish();
  EXPECT_EQ(out.str(),
            "prospect: scoring 0...10...20\n"
            "prospect: warning: something to know\n"
            "prospect: scoring (continued) ...30...40...50...60...70...80...90...100 - done in "
            "5.0 s\n");
}

// On a terminal the line rewrites itself with the elapsed time and an estimate,
// and is replaced by the finished line.
TEST(PhaseProgress, OnATerminalTheLineRewritesItselfWithAnEstimate) {
  std::ostringstream out;
  FakeClock clock;
  PhaseProgress progress(out, true, clock.function());
  progress.update("scoring", 0.0);
  clock.now = 10;
  progress.update("scoring", 0.4);  // 10 s for 40 %: 15 s to go
  clock.now = 10.05;
  progress.update("scoring", 0.41);  // within a tenth of a second: not drawn
  clock.now = 20;
  progress.update("writing", -1);
  progress.finish();
  EXPECT_EQ(out.str(),
            "\r\x1b[Kprospect: scoring 0 % (0.0 s)"
            "\r\x1b[Kprospect: scoring 40 % (10 s, about 15 s left)"
            "\r\x1b[Kprospect: scoring - done in 20 s\n"
            "\r\x1b[Kprospect: writing (0.0 s)"
            "\r\x1b[Kprospect: writing - done in 0.0 s\n");
}

// A command that fails leaves no "done" behind, and the error starts on a line of its own.
TEST(PhaseProgress, UnfinishedThePhaseIsNotCalledDone) {
  std::ostringstream pipe, terminal;
  FakeClock clock;
  {
    PhaseProgress progress(pipe, false, clock.function());
    progress.update("scoring", 0.3);
  }
  EXPECT_EQ(pipe.str(), "prospect: scoring 0...10...20...30\n");
  {
    PhaseProgress progress(terminal, true, clock.function());
    progress.update("scoring", 0.3);
  }
  EXPECT_EQ(terminal.str(), "\r\x1b[Kprospect: scoring 30 % (0.0 s)\r\x1b[K");
}

TEST(PhaseProgress, OnATerminalAMessageClearsTheLineAndItIsDrawnAgain) {
  std::ostringstream out;
  FakeClock clock;
  PhaseProgress progress(out, true, clock.function());
  progress.update("scoring", 0.5);
  progress.message("prospect: a note");
  out.str("");
  progress.finish();
  EXPECT_EQ(out.str(), "\r\x1b[Kprospect: scoring - done in 0.0 s\n");
}

}  // namespace
