#pragma once

#include <QString>
#include <QtGlobal>

// Byte sizes for people, one spelling everywhere: exact counts ("1 byte", "300 bytes") and sizes
// rounded to binary units for summaries ("300 bytes", "2.3 KiB", "64 MiB").
namespace SizeFormat {

QString bytes(quint64 count); // "1 byte", "12 bytes"
QString rounded(quint64 count); // "12 bytes", "1.5 KiB", "64 MiB", "1.2 GiB" (one decimal, none when .0)
QString compact(quint64 count); // "12 B", then as rounded(): for labels drawn in little room (timeline)

} // namespace SizeFormat
