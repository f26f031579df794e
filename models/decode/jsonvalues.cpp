#include "decode/jsonvalues.h"

#include "text/displaytext.h"
#include "text/jsontext.h"
#include "text/utf8validator.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(JsonValues)
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype skipSpace(QByteArrayView s, qsizetype i)
{
    while (i < s.size() && isSpace(s[i]))
        ++i;
    return i;
}

// At an opening quote: the index after the closing one.
qsizetype stringEnd(QByteArrayView s, qsizetype i)
{
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == '"')
            return i + 1;
    }
    return s.size();
}

// At the first byte of a value: the index after its last byte. Containers are skipped by counting
// brackets, without recursion.
qsizetype valueEnd(QByteArrayView s, qsizetype i)
{
    if (i >= s.size())
        return s.size();
    if (s[i] == '"')
        return stringEnd(s, i);
    if (s[i] == '{' || s[i] == '[') {
        qsizetype depth = 0;
        while (i < s.size()) {
            const char c = s[i];
            if (c == '"') {
                i = stringEnd(s, i);
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            ++i;
        }
        return s.size();
    }
    while (i < s.size() && !isSpace(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']')
        ++i;
    return i;
}

QJsonValue scalar(QByteArrayView value)
{
    // QJsonDocument holds only containers: read the scalar as the one item of an array.
    const QByteArray wrapped = '[' + value.toByteArray() + ']';
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

} // namespace

namespace JsonValues {

std::optional<QString> problem(QByteArrayView message)
{
    Utf8Validator utf8;
    switch (utf8.feed(message)) {
    case Utf8Validator::Result::Valid:
        break;
    case Utf8Validator::Result::Incomplete:
        return Tr::tr("not UTF-8 text: it ends inside a character");
    case Utf8Validator::Result::Invalid:
        return Tr::tr("not UTF-8 text: byte %1 (0x%2) cannot be there")
            .arg(utf8.invalidOffset() + 1)
            .arg(quint8(message[qsizetype(utf8.invalidOffset())]), 2, 16, QLatin1Char('0'));
    }
    // Through the display rule: JsonText's "invalid escape \x" holds the peer's character as it is
    // (a CR, a bidi control), and the message ends up in one-line summaries.
    if (const auto p = JsonText::check(QString::fromUtf8(message)))
        return DisplayText::line(p->message.toUtf8());
    return std::nullopt;
}

Kind kindOf(QByteArrayView value)
{
    const qsizetype i = skipSpace(value, 0);
    switch (i < value.size() ? value[i] : '\0') {
    case '{':
        return Kind::Object;
    case '[':
        return Kind::Array;
    case '"':
        return Kind::String;
    case 't':
    case 'f':
        return Kind::Boolean;
    case 'n':
        return Kind::Null;
    default:
        return Kind::Number;
    }
}

QList<Member> members(QByteArrayView s)
{
    QList<Member> out;
    qsizetype i = skipSpace(s, 0);
    if (i >= s.size() || s[i] != '{')
        return out;
    ++i;
    for (;;) {
        i = skipSpace(s, i);
        if (i >= s.size() || s[i] != '"')
            break;
        const qsizetype nameEnd = stringEnd(s, i);
        Member m;
        m.name = string(s.sliced(i, nameEnd - i));
        i = skipSpace(s, nameEnd);
        if (i >= s.size() || s[i] != ':')
            break;
        i = skipSpace(s, i + 1);
        const qsizetype end = valueEnd(s, i);
        m.value.text = s.sliced(i, end - i).toByteArray();
        m.value.kind = kindOf(m.value.text);
        out.append(std::move(m));
        i = skipSpace(s, end);
        if (i >= s.size() || s[i] != ',')
            break;
        ++i;
    }
    return out;
}

QList<Value> items(QByteArrayView s)
{
    QList<Value> out;
    qsizetype i = skipSpace(s, 0);
    if (i >= s.size() || s[i] != '[')
        return out;
    i = skipSpace(s, i + 1);
    if (i < s.size() && s[i] == ']')
        return out;
    while (i < s.size()) {
        const qsizetype end = valueEnd(s, i);
        if (end == i)
            break;
        Value v;
        v.text = s.sliced(i, end - i).toByteArray();
        v.kind = kindOf(v.text);
        out.append(std::move(v));
        i = skipSpace(s, end);
        if (i >= s.size() || s[i] != ',')
            break;
        i = skipSpace(s, i + 1);
    }
    return out;
}

QString string(QByteArrayView value)
{
    if (value.size() >= 2 && !value.contains('\\'))
        return QString::fromUtf8(value.sliced(1, value.size() - 2));
    return scalar(value).toString();
}

std::optional<double> number(QByteArrayView value)
{
    const QJsonValue v = scalar(value);
    if (!v.isDouble())
        return std::nullopt;
    return v.toDouble();
}

QString compact(QByteArrayView value)
{
    return JsonText::compact(QString::fromUtf8(value));
}

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::Object:
        return Tr::tr("an object");
    case Kind::Array:
        return Tr::tr("an array");
    case Kind::String:
        return Tr::tr("a string");
    case Kind::Number:
        return Tr::tr("a number");
    case Kind::Boolean:
        return Tr::tr("a boolean");
    case Kind::Null:
        return Tr::tr("null");
    }
    return {};
}

const Value *find(const QList<Member> &members, QLatin1StringView name, int *count)
{
    const Value *first = nullptr;
    int n = 0;
    for (const Member &m : members) {
        if (m.name == name) {
            if (!first)
                first = &m.value;
            ++n;
        }
    }
    if (count)
        *count = n;
    return first;
}

Decode::Field field(const QString &name, const Value &value)
{
    switch (value.kind) {
    case Kind::String:
        return Decode::Field(name, string(value.text));
    case Kind::Object:
    case Kind::Array:
        return Decode::Field(name, compact(value.text), Decode::jsonFields(value.text));
    default:
        return Decode::Field(name, QString::fromUtf8(value.text));
    }
}

QByteArray key(QByteArrayView prefix, QByteArrayView text)
{
    constexpr qsizetype Longest = 64;
    constexpr qsizetype Kept = 32;
    if (text.size() <= Longest)
        return prefix.toByteArray() + text.toByteArray();
    qsizetype cut = Kept;
    while (cut > 0 && (quint8(text[cut]) & 0xC0) == 0x80) // not inside a UTF-8 sequence
        --cut;
    const QByteArray hash = QCryptographicHash::hash(text, QCryptographicHash::Sha1).toHex().left(16);
    return prefix.toByteArray() + text.first(cut).toByteArray() + "...#" + hash;
}

} // namespace JsonValues
