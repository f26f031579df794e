#pragma once

#include <QString>

// What the command line says to a person on standard error: "wsinspector-cli: <message>", one
// line, through the display rule. A message may quote what a peer sent (a close reason, a status
// line, a certificate subject): nothing in it can move the cursor or reorder the terminal.
void printError(const QString &message);

// Text for standard output as it is (our own words and report formats), flushed at once so that a
// line per probe or case shows as it finishes, also when piped.
void printOut(const QString &text);
