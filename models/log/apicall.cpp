#include "log/apicall.h"

#include "text/displaytext.h"
#include "text/sizeformat.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {
constexpr qsizetype ArgumentPreviewChars = 80;

QString describeArgument(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return DisplayText::quoted(value.toString().toUtf8(), ArgumentPreviewChars);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.contains(QLatin1String("b64"))) {
            const QByteArray kept = QByteArray::fromBase64(object.value(QLatin1String("b64")).toString().toLatin1());
            const auto size = qint64(object.value(QLatin1String("size")).toDouble());
            QString hex = QString::fromLatin1(kept.first(qMin<qsizetype>(kept.size(), 16)).toHex(' '));
            if (size > 16)
                hex += QStringLiteral(" \u2026");
            return QStringLiteral("[%1: %2]").arg(SizeFormat::rounded(quint64(qMax<qint64>(0, size))), hex);
        }
        if (object.contains(QLatin1String("text"))) // a string cut to MaxArgumentBytes
            return DisplayText::quoted(object.value(QLatin1String("text")).toString().toUtf8(), ArgumentPreviewChars)
                + QStringLiteral(" \u2026 (%1)").arg(SizeFormat::rounded(quint64(qMax(0.0, object.value(QLatin1String("size")).toDouble()))));
        return DisplayText::line(QJsonDocument(object).toJson(QJsonDocument::Compact), ArgumentPreviewChars);
    }
    case QJsonValue::Array:
        return DisplayText::line(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact), ArgumentPreviewChars);
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}
} // namespace

QJsonValue ApiCall::bytesArgument(const QByteArray &bytes)
{
    QJsonObject object;
    object.insert(QLatin1String("size"), double(bytes.size()));
    object.insert(QLatin1String("b64"), QString::fromLatin1(bytes.first(qMin(bytes.size(), MaxArgumentBytes)).toBase64()));
    return object;
}

QJsonValue ApiCall::textArgument(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= MaxArgumentBytes)
        return text;
    // Cut on a code point boundary: continuation bytes are 10xxxxxx.
    qsizetype cut = MaxArgumentBytes;
    while (cut > 0 && (uchar(utf8[cut]) & 0xC0) == 0x80)
        --cut;
    QJsonObject object;
    object.insert(QLatin1String("size"), double(utf8.size()));
    object.insert(QLatin1String("text"), QString::fromUtf8(utf8.first(cut)));
    return object;
}

QByteArray ApiCall::toJson() const
{
    QJsonObject object;
    object.insert(QLatin1String("signal"), signal);
    object.insert(QLatin1String("args"), args);
    if (!note.isEmpty())
        object.insert(QLatin1String("note"), note);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<ApiCall> ApiCall::fromJson(QByteArrayView json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QJsonValue signal = object.value(QLatin1String("signal"));
    const QJsonValue args = object.value(QLatin1String("args"));
    const QJsonValue note = object.value(QLatin1String("note"));
    if (!signal.isString() || signal.toString().isEmpty() || !(args.isArray() || args.isUndefined())
        || !(note.isString() || note.isUndefined()))
        return std::nullopt;
    return ApiCall { signal.toString(), args.toArray(), note.toString() };
}

QString ApiCall::summary(qsizetype maxChars) const
{
    QStringList described;
    for (const QJsonValue &arg : args)
        described << describeArgument(arg);
    // The signal name comes from a file as well as from Qt: it goes through the rule too. A name in
    // parentheses ("(no signal)") is not a call.
    QString text = DisplayText::line(signal.toUtf8(), 64);
    if (!signal.startsWith(QLatin1Char('(')) || !described.isEmpty())
        text += QLatin1Char('(') + described.join(QStringLiteral(", ")) + QLatin1Char(')');
    if (maxChars >= 0 && text.size() > maxChars) {
        qsizetype cut = qMax<qsizetype>(0, maxChars - 1);
        if (cut > 0 && text.at(cut - 1).isHighSurrogate())
            --cut; // never half a character
        text = text.first(cut) + QStringLiteral("\u2026");
    }
    // The note is the inspector's finding: never cut.
    if (!note.isEmpty())
        text += QStringLiteral(" \u2014 ") + DisplayText::line(note.toUtf8());
    return text;
}
