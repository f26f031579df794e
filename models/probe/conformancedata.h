#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

// The five data sets that sections 12 and 13 of the conformance catalogue (permessage-deflate)
// cut their messages from. Autobahn|Testsuite ships real files for these (a JSON dump, a grayscale
// bitmap, Goethe's Faust, an HTML page, a PDF); we do not ship or copy them. Instead each set is
// generated here with the same size and the same kind of content, so that the messages compress
// about as well as Autobahn's do - which is what these cases exercise - and so that the bytes are
// identical on every run and every machine (our own PRNG with fixed seeds, integer arithmetic, no
// locale, time or hash seeds), and results stay comparable between runs.
namespace Conformance::TestData {

enum class Set : quint8 { Json, Bitmap, Text, Html, Pdf };

// 12.1 .. 12.5, in Autobahn's order: Json, Bitmap, Text, Html, Pdf.
QList<Set> all();
// The bytes, generated on first use and kept for the life of the process (thread-safe).
const QByteArray &bytes(Set set);
// Sent as binary messages: Bitmap, Pdf, and Text too - it is cut at arbitrary byte offsets, so a
// slice may split a UTF-8 sequence and would not be a valid text message.
bool isBinary(Set set);
// What the set is, for reports: "Generated JSON records (text, 194056 bytes)".
QString description(Set set);

} // namespace Conformance::TestData
