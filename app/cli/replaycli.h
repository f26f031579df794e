#pragma once

#include "clioptions.h"

class OutputWriter;
class SignalNotifier;
class WireEventSink;

// --replay FILE URL: loads the recording (a file that cannot be read, or a connection that sent
// nothing, is a usage error, exit 2), replays it on a connection whose events go to `sinks`, then
// prints how the server's answers compare, a row per answer and a summary, to `out` (text, or jsonl
// objects "replay-diff" and "replay-summary"). Exit 0 when every answer was the same, 4 when one was
// not, 1 when the connection failed, 3 when it closed before every message was sent.
int runReplay(const CliOptions &options, const QList<WireEventSink *> &sinks, OutputWriter &out, SignalNotifier &interrupts);
