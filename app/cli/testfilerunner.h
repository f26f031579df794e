#pragma once

#include "clioptions.h"

class WireEventSink;
class SignalNotifier;

// --run FILE...: reads every test file first (one that does not parse is a usage error, exit 2),
// then runs each on a connection of its own to the URL, one after the other, every event going to
// `sinks`. Prints a PASS or FAIL line per file on standard error, writes --junit, and returns the
// exit code: 0 when every file passed, 4 when one failed (a step, or its connection), 2 for a file
// that cannot be read or parsed or a --junit file that cannot be written. Ctrl-C stops the run.
int runTestFiles(const CliOptions &options, const QList<WireEventSink *> &sinks, SignalNotifier &interrupts);
