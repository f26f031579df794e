#pragma once

// An independent reading of an HTTP/1.1 head for the handshake parsers' targets (RFC 7230 §3): the
// head is split into lines here, without the parser's code, and what the parser reported must
// agree with it.

#include "fuzzinput.h"
#include "protocol/handshake.h"

inline bool fuzzIsTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

inline bool fuzzIsToken(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return false;
    for (char c : bytes)
        if (!fuzzIsTokenChar(c))
            return false;
    return true;
}

inline bool fuzzIsHttpVersion(QByteArrayView v)
{
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return v.size() == 8 && v.startsWith("HTTP/") && digit(v[5]) && v[6] == '.' && digit(v[7]);
}

// Lines of a complete head (ending in an empty line), without their CR LF or LF.
inline QList<QByteArray> fuzzHeadLines(QByteArrayView head)
{
    QList<QByteArray> lines = head.toByteArray().split('\n');
    FUZZ_CHECK(lines.size() >= 3 && lines.last().isEmpty(), QStringLiteral("head does not end in LF: ") + hexOf(head));
    lines.removeLast(); // after the final LF
    for (QByteArray &line : lines)
        if (line.endsWith('\r'))
            line.chop(1);
    FUZZ_CHECK(lines.last().isEmpty(), QStringLiteral("head does not end in a blank line: ") + hexOf(head));
    lines.removeLast();
    for (qsizetype i = 0; i < lines.size(); ++i)
        FUZZ_CHECK(i == 0 || !lines[i].isEmpty(), QStringLiteral("blank line inside the head: ") + hexOf(head));
    return lines;
}

// The header lines (all but the start line): names are tokens, values trimmed; a line starting with
// SP or HT continues the previous value (obsolete folding, joined with one space).
inline void fuzzCheckHeaders(const QList<QByteArray> &lines, const HttpHeaders &headers, bool folding)
{
    HttpHeaders expected;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        if (line.startsWith(' ') || line.startsWith('\t')) {
            FUZZ_CHECK(folding && !expected.isEmpty(), QString::fromLatin1(line.toHex(' ')));
            const QByteArray more = line.trimmed();
            QByteArray &value = expected.last().value;
            if (!more.isEmpty())
                value = value.isEmpty() ? more : value + ' ' + more;
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        FUZZ_CHECK(colon > 0 && fuzzIsToken(QByteArrayView(line).first(colon)), QString::fromLatin1(line.toHex(' ')));
        expected.append({ line.first(colon), line.sliced(colon + 1).trimmed() });
    }
    FUZZ_CHECK(expected.size() == headers.size(),
        QStringLiteral("%1 headers read, %2 expected").arg(headers.size()).arg(expected.size()));
    for (qsizetype i = 0; i < expected.size(); ++i)
        FUZZ_CHECK(expected[i].name == headers[i].name && expected[i].value == headers[i].value,
            QStringLiteral("header %1: [%2: %3], expected [%4: %5]")
                .arg(i)
                .arg(hexOf(headers[i].name), hexOf(headers[i].value), hexOf(expected[i].name),
                    hexOf(expected[i].value)));
}
