#pragma once

#include <QFile>
#include <QList>
#include <QRegularExpression>

#include <cstdint>
#include <optional>

// Whether the kernel may back the mapping that holds `address` with transparent huge pages
// (THPeligible in /proc/self/smaps); nullopt when the system offers none at all.
inline std::optional<bool> hugePagesEligible(const void *address)
{
    QFile setting(QStringLiteral("/sys/kernel/mm/transparent_hugepage/enabled"));
    if (!setting.open(QIODevice::ReadOnly) || setting.readAll().contains("[never]"))
        return std::nullopt;
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly))
        return std::nullopt;
    const auto at = reinterpret_cast<std::uintptr_t>(address);
    static const QRegularExpression range(QStringLiteral("^([0-9a-f]+)-([0-9a-f]+) "));
    bool inside = false;
    for (const QByteArray &line : smaps.readAll().split('\n')) {
        const QRegularExpressionMatch m = range.match(QString::fromLatin1(line));
        if (m.hasMatch()) {
            inside = at >= m.captured(1).toULongLong(nullptr, 16) && at < m.captured(2).toULongLong(nullptr, 16);
            continue;
        }
        if (inside && line.startsWith("THPeligible:"))
            return line.mid(12).trimmed() == "1";
    }
    return std::nullopt;
}
