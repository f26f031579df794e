#include "terminal.h"

#include "text/displaytext.h"

#include <cstdio>

void printError(const QString &message)
{
    const QByteArray line = "wsinspector-cli: " + DisplayText::line(message.toUtf8()).toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
}

void printOut(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}
