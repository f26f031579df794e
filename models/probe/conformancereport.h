#pragma once

#include "probe/conformanceresult.h"

#include <QDateTime>
#include <QList>

#include <functional>
#include <optional>

class Capture;

// A conformance run written for people and machines: JSON (every case with what it expects and
// what was seen), Markdown (tables by section), and one self-contained HTML file with a matrix like
// Autobahn's, where each case opens to its description, expectation, outcome and wire log.
namespace ConformanceReport {

enum class Format { Json, Markdown, Html };

struct Run {
    QString subject; // what was tested: the server's URL, or the client's agent name
    QString role; // "server" or "client": which side was tested
    QDateTime started;
    qint64 durationMs = 0;
    QList<Conformance::Case> cases;
    QList<Conformance::CaseResult> results; // by case index; an empty id: the case did not run
    std::function<Capture *(qsizetype)> capture; // a case's wire log, or nullptr
};

struct Totals {
    int ok = 0, nonStrict = 0, failed = 0, informational = 0, unimplemented = 0, notRun = 0;
    int closeProblems = 0; // cases whose close verdict is not OK or INFORMATIONAL
};
Totals totals(const Run &run);
// "301 cases: 290 OK, 3 NON-STRICT, 2 FAILED, 4 INFORMATIONAL, 2 UNIMPLEMENTED".
QString summary(const Run &run);

// From a file name's extension: .json, .md/.markdown, .html/.htm; nullopt otherwise.
std::optional<Format> formatForFileName(const QString &fileName);
QByteArray write(const Run &run, Format format);

} // namespace ConformanceReport
