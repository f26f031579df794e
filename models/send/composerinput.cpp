#include "send/composerinput.h"

#include "decode/mqtttext.h"
#include "decode/socketioclient.h"
#include "text/displaytext.h"
#include "text/hexdigits.h"
#include "text/jsontext.h"
#include "text/sizeformat.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace {

// Translation context for the messages below (they are shown in the composer, crafter and CLI).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ComposerInput)
};

// Between groups of hex digits: whitespace, or ':' as in "48:65:6c" (Wireshark's byte lists).
bool isSeparator(QChar c)
{
    return c.isSpace() || c == u':';
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

ComposerInput::Parsed failure(qsizetype pos, const QString &error)
{
    ComposerInput::Parsed p;
    p.error = error;
    p.errorPos = pos;
    return p;
}

} // namespace

ComposerInput::Parsed ComposerInput::fromText(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        else if (c.isSurrogate())
            return failure(i, Tr::tr("unpaired surrogate at position %1: the text has no UTF-8 form").arg(i + 1));
    }
    Parsed p;
    p.bytes = text.toUtf8();
    return p;
}

ComposerInput::Parsed ComposerInput::fromSocketIoEvent(const QString &input)
{
    if (const auto problem = JsonText::check(input))
        return failure(problem->position, problem->message);
    if (const QString problem = SocketIoClient::arrayProblem(input.toUtf8()); !problem.isEmpty())
        return failure(-1, problem);
    Parsed p;
    p.bytes = JsonText::compact(input).toUtf8();
    return p;
}

ComposerInput::Parsed ComposerInput::fromStompFrame(const QString &input)
{
    Parsed p = fromText(input);
    if (p.ok() && !p.bytes.endsWith('\0'))
        p.bytes += '\0';
    return p;
}

ComposerInput::Parsed ComposerInput::fromMqttPacket(const QString &input)
{
    const Mqtt::TextPacket read = Mqtt::fromText(input);
    if (!read.packet)
        return failure(read.errorPos, read.error);
    Parsed p;
    p.bytes = Mqtt::encode(*read.packet);
    return p;
}

ComposerInput::Parsed ComposerInput::fromJson(const QString &input)
{
    if (const auto problem = JsonText::check(input))
        return failure(problem->position, problem->message);
    Parsed p;
    p.bytes = input.toUtf8();
    return p;
}

ComposerInput::Parsed ComposerInput::fromHex(QStringView input)
{
    Parsed result;
    result.bytes.reserve(input.size() / 2);
    qsizetype i = 0;
    while (i < input.size()) {
        if (isSeparator(input[i])) {
            ++i;
            continue;
        }
        const qsizetype groupStart = i;
        if (input[i] == u'0' && i + 1 < input.size() && (input[i + 1] == u'x' || input[i + 1] == u'X'))
            i += 2;
        const qsizetype digitsStart = i;
        while (i < input.size() && !isSeparator(input[i])) {
            if (hexDigitValue(input[i].unicode()) < 0) {
                return failure(
                    i, Tr::tr("invalid hex digit %1 at position %2").arg(DisplayText::describeCharacter(input[i])).arg(i + 1));
            }
            ++i;
        }
        const qsizetype count = i - digitsStart;
        if (count == 0) {
            return failure(groupStart, Tr::tr("'0x' without hex digits at position %1").arg(groupStart + 1));
        }
        if (count % 2) {
            return failure(groupStart,
                Tr::tr("odd number of hex digits in '%1' at position %2: each byte needs two digits")
                    .arg(input.sliced(groupStart, i - groupStart))
                    .arg(groupStart + 1));
        }
        for (qsizetype k = digitsStart; k < i; k += 2)
            result.bytes.append(char(hexDigitValue(input[k].unicode()) * 16 + hexDigitValue(input[k + 1].unicode())));
    }
    return result;
}

ComposerInput::Parsed ComposerInput::fromBase64(QStringView input)
{
    QByteArray data;
    data.reserve(input.size());
    qsizetype padding = 0;
    qsizetype firstPad = -1;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input[i];
        if (c.isSpace())
            continue;
        if (c == u'=') {
            if (firstPad < 0)
                firstPad = i;
            ++padding;
            continue;
        }
        const bool valid = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || isDigit(c) || c == u'+' || c == u'/';
        if (!valid) {
            QString error = Tr::tr("invalid base64 character %1 at position %2").arg(DisplayText::describeCharacter(c)).arg(i + 1);
            if (c == u'-' || c == u'_')
                error += Tr::tr(" (that is base64url; standard base64 uses + and /)");
            return failure(i, error);
        }
        if (firstPad >= 0)
            return failure(i, Tr::tr("data after the '=' padding at position %1").arg(i + 1));
        data.append(char(c.unicode()));
    }
    const qsizetype rest = data.size() % 4;
    if (rest == 1) {
        return failure(input.size(),
            Tr::tr("incomplete base64: the last group has 1 character; it needs at "
                           "least 2"));
    }
    if (padding > 0 && (rest == 0 || rest + padding != 4)) {
        return failure(firstPad,
            Tr::tr("wrong padding at position %1: %2 '=' after a group of %3 characters")
                .arg(firstPad + 1)
                .arg(padding)
                .arg(rest == 0 ? 4 : rest));
    }
    Parsed result;
    result.bytes = QByteArray::fromBase64(data);
    return result;
}

QString ComposerInput::checkFile(const QString &path, qint64 maxBytes)
{
    if (path.isEmpty())
        return Tr::tr("Choose a file to send.");
    const QFileInfo info(path);
    if (!info.exists())
        return Tr::tr("\u201c%1\u201d does not exist.").arg(path);
    if (!info.isFile())
        return Tr::tr("\u201c%1\u201d is not a file.").arg(path);
    if (!info.isReadable())
        return Tr::tr("\u201c%1\u201d is not readable.").arg(path);
    if (info.size() > maxBytes) {
        return Tr::tr("\u201c%1\u201d is %2; a message can be at most %3 (the message size limit).")
            .arg(path, SizeFormat::rounded(info.size()), SizeFormat::rounded(maxBytes));
    }
    return QString();
}

ComposerInput::Parsed ComposerInput::fromFile(const QString &path, qint64 maxBytes)
{
    if (const QString problem = checkFile(path, maxBytes); !problem.isEmpty())
        return failure(-1, problem);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(-1, Tr::tr("Cannot read \u201c%1\u201d: %2").arg(path, file.errorString()));
    // At most one byte more than the file had (or than allowed): a file that grew since it was
    // measured is refused, and a small file costs no 64 MiB buffer.
    Parsed p;
    p.bytes = file.read(qMin(file.size(), maxBytes) + 1);
    if (p.bytes.size() > maxBytes)
        return failure(-1, Tr::tr("\u201c%1\u201d grew past %2 while it was read.").arg(path, SizeFormat::rounded(maxBytes)));
    if (file.error() != QFileDevice::NoError)
        return failure(-1, Tr::tr("Cannot read \u201c%1\u201d: %2").arg(path, file.errorString()));
    return p;
}
