#include "text/sizeformat.h"

#include <QCoreApplication>

QString SizeFormat::bytes(quint64 count)
{
    return count == 1 ? QCoreApplication::translate("SizeFormat", "1 byte")
                      : QCoreApplication::translate("SizeFormat", "%1 bytes").arg(count);
}

namespace {
QString inBinaryUnits(quint64 count)
{
    static const char *const units[] = { QT_TRANSLATE_NOOP("SizeFormat", "%1 KiB"),
        QT_TRANSLATE_NOOP("SizeFormat", "%1 MiB"), QT_TRANSLATE_NOOP("SizeFormat", "%1 GiB"),
        QT_TRANSLATE_NOOP("SizeFormat", "%1 TiB") };
    double value = double(count) / 1024.0;
    int unit = 0;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    QString number = QString::number(value, 'f', 1);
    if (number.endsWith(QLatin1String(".0")))
        number.chop(2);
    return QCoreApplication::translate("SizeFormat", units[unit]).arg(number);
}
} // namespace

QString SizeFormat::rounded(quint64 count)
{
    return count < 1024 ? bytes(count) : inBinaryUnits(count);
}

QString SizeFormat::compact(quint64 count)
{
    return count < 1024 ? QCoreApplication::translate("SizeFormat", "%1 B").arg(count)
                                         : inBinaryUnits(count);
}
