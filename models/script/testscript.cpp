#include "script/testscript.h"

#include "send/composerinput.h"
#include "text/displaytext.h"
#include "text/hexdigits.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(TestScript)
};

using Step = TestScript::Step;

// The step names, as a file writes them.
constexpr std::pair<const char *, Step::Kind> StepNames[] = {
    { "send", Step::Kind::Send },
    { "send-binary", Step::Kind::SendBinary },
    { "ping", Step::Kind::Ping },
    { "pong", Step::Kind::Pong },
    { "expect", Step::Kind::Expect },
    { "expect-pong", Step::Kind::ExpectPong },
    { "expect-close", Step::Kind::ExpectClose },
    { "wait", Step::Kind::Wait },
    { "close", Step::Kind::Close },
    { "timeout", Step::Kind::Timeout },
};

QString stepList()
{
    QStringList names;
    for (const auto &[name, kind] : StepNames)
        names << QLatin1String(name);
    return names.join(QStringLiteral(", "));
}

// The argument's bytes with its escapes undone; an error names the first bad escape.
std::optional<QByteArray> unescape(const QString &text, QString *error)
{
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i + 1 >= utf8.size()) {
            *error = Tr::tr("a \\ ends the line: write \\\\ for a backslash");
            return std::nullopt;
        }
        const char e = utf8[++i];
        switch (e) {
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case '0':
            out += '\0';
            break;
        case '\\':
            out += '\\';
            break;
        case 'x': {
            const int high = i + 1 < utf8.size() ? hexDigitValue(char16_t(uchar(utf8[i + 1]))) : -1;
            const int low = i + 2 < utf8.size() ? hexDigitValue(char16_t(uchar(utf8[i + 2]))) : -1;
            if (high < 0 || low < 0) {
                *error = Tr::tr("\\x needs two hex digits, as in \\x00");
                return std::nullopt;
            }
            out += char(high * 16 + low);
            i += 2;
            break;
        }
        case 'u': {
            const qsizetype close = utf8.indexOf('}', i);
            bool ok = i + 1 < utf8.size() && utf8[i + 1] == '{' && close > i + 2 && close - i - 2 <= 6;
            const uint code = ok ? utf8.mid(i + 2, close - i - 2).toUInt(&ok, 16) : 0;
            if (!ok || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                *error = Tr::tr("\\u needs a code point in braces, as in \\u{20AC}");
                return std::nullopt;
            }
            const char32_t point = code;
            out += QString::fromUcs4(&point, 1).toUtf8();
            i = close;
            break;
        }
        default:
            *error = Tr::tr("unknown escape \\%1 (\\n \\r \\t \\0 \\\\ \\xHH \\u{HEX})").arg(DisplayText::line(QByteArray(1, e)));
            return std::nullopt;
        }
    }
    return out;
}

std::optional<int> milliseconds(const QString &text)
{
    bool ok = false;
    const qulonglong n = text.toULongLong(&ok);
    if (!ok || n > 86'400'000 || text.startsWith(u'+'))
        return std::nullopt;
    return int(n);
}

std::optional<int> closeCode(const QString &text)
{
    bool ok = false;
    const uint n = text.toUInt(&ok);
    if (!ok || n > 65535 || text.startsWith(u'+'))
        return std::nullopt;
    return int(n);
}

} // namespace

std::optional<TestScript> TestScript::parse(const QString &text, Problem *problem)
{
    TestScript script;
    const QStringList lines = text.split(u'\n');
    for (int index = 0; index < lines.size(); ++index) {
        const int number = index + 1;
        QString line = lines[index];
        if (line.endsWith(u'\r'))
            line.chop(1);
        // Only leading spaces go: a send's trailing spaces are part of its message.
        qsizetype start = 0;
        while (start < line.size() && (line[start] == u' ' || line[start] == u'\t'))
            ++start;
        line = line.mid(start);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        auto fail = [&](const QString &why) -> std::optional<TestScript> {
            if (problem)
                *problem = { number, Tr::tr("line %1: %2").arg(number).arg(why) };
            return std::nullopt;
        };
        const qsizetype space = line.indexOf(u' ');
        const QString name = space < 0 ? line : line.left(space);
        const QString argument = space < 0 ? QString() : line.mid(space + 1);
        const QString trimmed = argument.trimmed();
        std::optional<Step::Kind> kind;
        for (const auto &[stepName, stepKind] : StepNames)
            if (name == QLatin1String(stepName))
                kind = stepKind;
        if (!kind)
            return fail(Tr::tr("%1 is not a step (%2)").arg(DisplayText::quoted(name.toUtf8(), 40), stepList()));

        Step step;
        step.kind = *kind;
        step.line = number;
        step.source = line.trimmed();
        QString why;
        switch (step.kind) {
        case Step::Kind::Send:
        case Step::Kind::Ping:
        case Step::Kind::Pong:
        case Step::Kind::ExpectPong: {
            const auto bytes = unescape(argument, &why);
            if (!bytes)
                return fail(why);
            step.bytes = *bytes;
            step.hasBytes = space >= 0;
            if ((step.kind == Step::Kind::Ping || step.kind == Step::Kind::Pong) && step.bytes.size() > 125)
                return fail(Tr::tr("a control frame carries at most 125 bytes; this one %1").arg(step.bytes.size()));
            break;
        }
        case Step::Kind::SendBinary: {
            const ComposerInput::Parsed hex = ComposerInput::fromHex(argument);
            if (!hex.ok())
                return fail(hex.error);
            step.bytes = hex.bytes;
            break;
        }
        case Step::Kind::Expect: {
            if (argument.isEmpty())
                return fail(Tr::tr("expect needs a regular expression (. for any message)"));
            const QRegularExpression re(argument);
            if (!re.isValid())
                return fail(Tr::tr("%1 is not a regular expression: %2 at offset %3")
                                .arg(DisplayText::quoted(argument.toUtf8(), 80), re.errorString())
                                .arg(re.patternErrorOffset()));
            step.pattern = argument;
            break;
        }
        case Step::Kind::Wait:
        case Step::Kind::Timeout: {
            const auto ms = milliseconds(trimmed);
            if (!ms || (step.kind == Step::Kind::Timeout && *ms == 0))
                return fail(Tr::tr("%1 needs a number of milliseconds (%2 to 86400000), not %3")
                                .arg(name)
                                .arg(step.kind == Step::Kind::Timeout ? 1 : 0)
                                .arg(DisplayText::quoted(trimmed.toUtf8(), 40)));
            step.number = *ms;
            break;
        }
        case Step::Kind::ExpectClose:
            if (!trimmed.isEmpty()) {
                const auto code = closeCode(trimmed);
                if (!code)
                    return fail(Tr::tr("expect-close takes a close code (0 to 65535), not %1").arg(DisplayText::quoted(trimmed.toUtf8(), 40)));
                step.number = *code;
            }
            break;
        case Step::Kind::Close: {
            step.number = 1000;
            if (trimmed.isEmpty())
                break;
            const qsizetype gap = trimmed.indexOf(u' ');
            const QString codeText = gap < 0 ? trimmed : trimmed.left(gap);
            const auto code = closeCode(codeText);
            if (!code)
                return fail(Tr::tr("close takes a close code (0 to 65535), then a reason; not %1").arg(DisplayText::quoted(codeText.toUtf8(), 40)));
            step.number = *code;
            if (gap >= 0) {
                const auto reason = unescape(trimmed.mid(gap + 1), &why);
                if (!reason)
                    return fail(why);
                if (*code == 0)
                    return fail(Tr::tr("close 0 sends no code, so it cannot carry a reason"));
                step.bytes = *reason;
                step.hasBytes = true;
            }
            break;
        }
        }
        script.steps << step;
    }
    return script;
}

std::optional<TestScript> TestScript::read(const QString &path, Problem *problem)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (problem)
            *problem = { 0, Tr::tr("cannot read %1: %2").arg(path, file.errorString()) };
        return std::nullopt;
    }
    const QByteArray bytes = file.read(MaxFileBytes + 1);
    if (bytes.size() > MaxFileBytes) {
        if (problem)
            *problem = { 0, Tr::tr("%1 is larger than 16 MiB: a test file holds steps, not data").arg(path) };
        return std::nullopt;
    }
    return parse(QString::fromUtf8(bytes), problem);
}
