#include "terminal.h"

#include "text/displaytext.h"

#include <cstdio>

void printError(const QString &message)
{
    const QByteArray line = "wsinspector-cli: " + DisplayText::line(message.toUtf8()).toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
}
