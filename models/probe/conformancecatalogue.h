#pragma once

#include "probe/conformancecase.h"

#include <QStringList>

// The conformance catalogue: every case, numbered as Autobahn|Testsuite numbers its cases
// (sections 1-7, 9, 10, 12 and 13), re-derived from RFC 6455 and the catalogue's published case
// descriptions. The frames of a case are the same on every run.
namespace ConformanceCatalogue {

// Every case, in catalogue order.
const QList<Conformance::Case> &all();
// The cases whose id matches one of `patterns` ("6.4.*", "7.*", "1.1.1", "9.7.*"), in catalogue
// order; `*` matches any rest of an id. Empty `patterns`: every case. A pattern that matches
// nothing is an error (`error` says which), and the result is empty.
QList<Conformance::Case> select(const QStringList &patterns, QString *error = nullptr);
// The timed sections take minutes (9: large messages; 12 and 13: thousands of compressed
// messages): runs leave them out unless asked for.
bool isPerformance(const Conformance::Case &c);
// What a run plays: `patterns` as select() chooses them, without the timed sections unless
// `withPerformance` or a pattern names their section (9.*, 12.1.1; "*" does not).
QList<Conformance::Case> forRun(const QStringList &patterns = {}, bool withPerformance = false);
// Titles of sections ("6": "UTF-8 handling") and groups ("6.4": "Failing fast on invalid UTF-8").
QString sectionTitle(const QString &section);
QString groupTitle(const QString &group);
// "6.4.*, 7.*" as typed (in a field or after --cases): the patterns, trimmed, empty items dropped.
QStringList parsePatterns(const QString &text);
// nullptr when no case has this id.
const Conformance::Case *byId(const QString &id);

} // namespace ConformanceCatalogue
