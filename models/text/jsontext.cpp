#include "text/jsontext.h"
#include "text/utf8validator.h"

#include "text/displaytext.h"
#include "text/hexdigits.h"

#include <QCoreApplication>

#include <algorithm>

namespace {

bool isJsonSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// Strict RFC 8259 validation with messages a person can act on. Recursion is bounded so that a
// pasted "[[[[..." cannot exhaust the stack.
class JsonChecker {
    Q_DECLARE_TR_FUNCTIONS(JsonText)

public:
    
    explicit JsonChecker(QStringView s)
        : m_s(s)
    {
    }

    bool run()
    {
        skipSpace();
        if (atEnd())
            return fail(tr("empty input: JSON needs a value"));
        if (!value(0))
            return false;
        skipSpace();
        if (!atEnd())
            return fail(tr("unexpected %1 after the JSON value").arg(DisplayText::describeCharacter(m_s[m_i])));
        return true;
    }

    QString error;
    qsizetype errorPos = -1;

private:
    bool atEnd() const { return m_i >= m_s.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_s[m_i]; }

    void skipSpace()
    {
        while (!atEnd() && isJsonSpace(m_s[m_i]))
            ++m_i;
    }

    bool fail(const QString &message) { return failAt(m_i, message); }
    bool failAt(qsizetype pos, const QString &message)
    {
        error = message;
        errorPos = pos;
        return false;
    }

    bool expected(const QString &what)
    {
        if (atEnd())
            return fail(tr("unexpected end of input: expected %1").arg(what));
        return fail(tr("unexpected %1: expected %2").arg(DisplayText::describeCharacter(m_s[m_i]), what));
    }

    bool value(int depth)
    {
        if (atEnd())
            return expected(tr("a value"));
        const QChar c = m_s[m_i];
        if (c == u'{' || c == u'[') {
            if (depth >= JsonText::MaxDepth)
                return fail(tr("nested deeper than %1 levels").arg(JsonText::MaxDepth));
            return c == u'{' ? object(depth) : array(depth);
        }
        if (c == u'"')
            return string();
        if (c == u'-' || isDigit(c))
            return number();
        if (c == u't')
            return literal(QStringLiteral("true"));
        if (c == u'f')
            return literal(QStringLiteral("false"));
        if (c == u'n')
            return literal(QStringLiteral("null"));
        if (c == u'\'')
            return fail(tr("unexpected \"'\": JSON strings use double quotes"));
        return expected(tr("a value"));
    }

    bool object(int depth)
    {
        ++m_i;
        skipSpace();
        if (peek() == u'}') {
            ++m_i;
            return true;
        }
        for (;;) {
            skipSpace();
            if (peek() == u'\'')
                return fail(tr("unexpected \"'\": JSON strings use double quotes"));
            if (peek() != u'"')
                return expected(tr("a member name in double quotes"));
            if (!string())
                return false;
            skipSpace();
            if (peek() != u':')
                return expected(tr("':' after the member name"));
            ++m_i;
            skipSpace();
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (peek() == u'}') {
                ++m_i;
                return true;
            }
            if (peek() != u',')
                return expected(tr("',' or '}'"));
            const qsizetype comma = m_i++;
            skipSpace();
            if (peek() == u'}')
                return failAt(comma, tr("trailing comma before '}'"));
        }
    }

    bool array(int depth)
    {
        ++m_i;
        skipSpace();
        if (peek() == u']') {
            ++m_i;
            return true;
        }
        for (;;) {
            skipSpace();
            if (!value(depth + 1))
                return false;
            skipSpace();
            if (peek() == u']') {
                ++m_i;
                return true;
            }
            if (peek() != u',')
                return expected(tr("',' or ']'"));
            const qsizetype comma = m_i++;
            skipSpace();
            if (peek() == u']')
                return failAt(comma, tr("trailing comma before ']'"));
        }
    }

    bool string()
    {
        const qsizetype start = m_i++;
        for (;;) {
            if (atEnd())
                return failAt(start, tr("unterminated string: no closing '\"'"));
            const QChar c = m_s[m_i];
            if (c == u'"') {
                ++m_i;
                return true;
            }
            if (c == u'\\') {
                const QChar e = m_i + 1 < m_s.size() ? m_s[m_i + 1] : QChar();
                if (e == u'u') {
                    for (int k = 2; k < 6; ++k) {
                        if (m_i + k >= m_s.size() || hexDigitValue(m_s[m_i + k].unicode()) < 0)
                            return fail(tr("invalid \\u escape: it needs four hex digits"));
                    }
                    m_i += 6;
                } else if (QStringView(u"\"\\/bfnrt").contains(e) && !e.isNull()) {
                    m_i += 2;
                } else {
                    return fail(e.isNull() ? tr("unterminated string: no closing '\"'")
                                           : tr("invalid escape: a backslash before %1 in a string").arg(DisplayText::describeCharacter(e)));
                }
            } else if (c.unicode() < 0x20) {
                return fail(tr("control character %1 in a string must be escaped").arg(DisplayText::describeCharacter(c)));
            } else {
                ++m_i;
            }
        }
    }

    bool digits()
    {
        if (!isDigit(peek()))
            return expected(tr("a digit"));
        while (isDigit(peek()))
            ++m_i;
        return true;
    }

    bool number()
    {
        if (peek() == u'-')
            ++m_i;
        if (peek() == u'0') {
            ++m_i;
            if (isDigit(peek()))
                return fail(tr("numbers cannot have leading zeros"));
        } else if (!digits()) {
            return false;
        }
        if (peek() == u'.') {
            ++m_i;
            if (!digits())
                return false;
        }
        if (peek() == u'e' || peek() == u'E') {
            ++m_i;
            if (peek() == u'+' || peek() == u'-')
                ++m_i;
            if (!digits())
                return false;
        }
        return true;
    }

    bool literal(const QString &word)
    {
        if (m_s.sliced(m_i).startsWith(word)) {
            m_i += word.size();
            return true;
        }
        return fail(tr("invalid literal: expected %1").arg(word));
    }

    QStringView m_s;
    qsizetype m_i = 0;
};

// Calls `out(c, inString)` for every character outside whitespace-between-tokens.
template <typename Out> void walkJsonTokens(QStringView json, Out out)
{
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QChar c = json[i];
        if (inString) {
            out(c, true);
            if (c == u'\\' && i + 1 < json.size()) {
                out(json[++i], true);
            } else if (c == u'"') {
                inString = false;
            }
        } else if (!isJsonSpace(c)) {
            if (c == u'"')
                inString = true;
            out(c, false);
        }
    }
}

} // namespace

std::optional<JsonText::Problem> JsonText::check(QStringView input)
{
    JsonChecker checker(input);
    if (checker.run())
        return std::nullopt;
    const qsizetype pos = checker.errorPos;
    const QStringView before = input.first(std::min(pos, input.size()));
    const qsizetype line = before.count(u'\n') + 1;
    const qsizetype column = pos - (before.lastIndexOf(u'\n') + 1) + 1;
    return Problem { QCoreApplication::translate("JsonText", "JSON error at position %1 (line %2, column %3): %4")
                         .arg(pos + 1)
                         .arg(line)
                         .arg(column)
                         .arg(checker.error),
        pos };
}

QString JsonText::compact(QStringView validJson)
{
    QString out;
    out.reserve(validJson.size());
    walkJsonTokens(validJson, [&out](QChar c, bool) { out += c; });
    return out;
}

QString JsonText::pretty(QStringView validJson, int indent)
{
    // Work on the compact form: an opening bracket followed directly by its closing one is empty.
    const QString compact = JsonText::compact(validJson);
    QString out;
    int level = 0;
    auto newline = [&] {
        out += QLatin1Char('\n');
        out += QString(level * indent, QLatin1Char(' '));
    };
    bool inString = false;
    for (qsizetype i = 0; i < compact.size(); ++i) {
        const QChar c = compact[i];
        if (inString) {
            out += c;
            if (c == u'\\' && i + 1 < compact.size())
                out += compact[++i];
            else if (c == u'"')
                inString = false;
            continue;
        }
        switch (c.unicode()) {
        case u'"':
            inString = true;
            out += c;
            break;
        case u'{':
        case u'[':
            out += c;
            if (i + 1 < compact.size() && (compact[i + 1] == u'}' || compact[i + 1] == u']')) {
                out += compact[++i];
            } else {
                ++level;
                newline();
            }
            break;
        case u'}':
        case u']':
            --level;
            newline();
            out += c;
            break;
        case u',':
            out += c;
            newline();
            break;
        case u':':
            out += QStringLiteral(": ");
            break;
        default:
            out += c;
        }
    }
    return out;
}

bool JsonText::startsWithContainer(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

namespace {

// Walks valid JSON (check() passed) into outline rows, keeping the document's order and duplicate
// names. Strings are decoded to UTF-8 bytes, a lone \ud800 escape to the bytes it would encode, so
// the display rule shows it as \xHH instead of a replacement character.
class Outliner {
    Q_DECLARE_TR_FUNCTIONS(JsonText)

public:
    Outliner(QStringView json, int rowBudget)
        : m_json(json)
        , m_budget(rowBudget)
    {
    }

    QList<JsonText::OutlineRow> run()
    {
        skipSpace();
        if (peek() == u'{' || peek() == u'[')
            children(0);
        else
            value(0, tr("(value)"));
        return std::move(m_rows);
    }

private:
    QChar peek() const { return m_pos < m_json.size() ? m_json[m_pos] : QChar(); }
    void skipSpace()
    {
        while (m_pos < m_json.size() && isJsonSpace(m_json[m_pos]))
            ++m_pos;
    }

    char32_t hex4(qsizetype at) const
    {
        char32_t v = 0;
        for (qsizetype k = 0; k < 4; ++k)
            v = (v << 4) | char32_t(hexDigitValue(m_json[at + k].unicode()));
        return v;
    }

    // At a string's opening quote: its text as shown (the display rule, cut at MaxValueChars, with
    // the size when cut, for values). Printable ASCII without escapes, most keys and values, is
    // taken as it is.
    QString shownString(bool sizeWhenCut)
    {
        qsizetype end = m_pos + 1;
        while (end < m_json.size() && end - m_pos <= JsonText::MaxValueChars) {
            const char16_t c = m_json[end].unicode();
            if (c == u'"') {
                const QString text = m_json.sliced(m_pos + 1, end - m_pos - 1).toString();
                m_pos = end + 1;
                return text;
            }
            if (c < 0x20 || c >= 0x7f || c == u'\\')
                break;
            ++end;
        }
        const QByteArray text = string();
        QString shown = DisplayText::line(text, JsonText::MaxValueChars);
        if (sizeWhenCut && shown.endsWith(QChar(0x2026)))
            shown += tr(" (%1 bytes)").arg(text.size());
        return shown;
    }

    QByteArray string()
    {
        QByteArray out;
        ++m_pos; // opening quote
        while (m_pos < m_json.size() && m_json[m_pos] != u'"') {
            const QChar c = m_json[m_pos++];
            if (c != u'\\') {
                if (c.isHighSurrogate() && m_pos < m_json.size() && m_json[m_pos].isLowSurrogate())
                    Utf8Validator::append(out, QChar::surrogateToUcs4(c, m_json[m_pos++]));
                else
                    Utf8Validator::append(out, c.unicode());
                continue;
            }
            const QChar e = m_json[m_pos++];
            switch (e.unicode()) {
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                char32_t cp = hex4(m_pos);
                m_pos += 4;
                // A surrogate pair written as two escapes is one code point.
                if (cp >= 0xD800 && cp <= 0xDBFF && m_pos + 6 <= m_json.size() && m_json[m_pos] == u'\\'
                    && m_json[m_pos + 1] == u'u') {
                    const char32_t low = hex4(m_pos + 2);
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        m_pos += 6;
                    }
                }
                Utf8Validator::append(out, cp);
                break;
            }
            default:
                out += char(e.unicode()); // \" \\ \/
            }
        }
        ++m_pos; // closing quote
        return out;
    }

    void value(int depth, const QString &key)
    {
        skipSpace();
        const qsizetype row = m_rows.size();
        m_rows.append({ depth, key, QString(), QString() });
        const QChar c = peek();
        if (c == u'{' || c == u'[') {
            const bool object = c == u'{';
            const int count = children(depth + 1);
            JsonText::OutlineRow &r = m_rows[row];
            r.type = object ? QStringLiteral("object") : QStringLiteral("array");
            r.value = object ? (count == 1 ? tr("{1 member}") : tr("{%1 members}").arg(count))
                             : (count == 1 ? tr("[1 item]") : tr("[%1 items]").arg(count));
        } else if (c == u'"') {
            m_rows[row].value = shownString(true);
            m_rows[row].type = QStringLiteral("string");
        } else {
            const qsizetype start = m_pos;
            while (m_pos < m_json.size() && !isJsonSpace(m_json[m_pos]) && m_json[m_pos] != u','
                && m_json[m_pos] != u'}' && m_json[m_pos] != u']')
                ++m_pos;
            m_rows[row].value = m_json.sliced(start, m_pos - start).toString();
            m_rows[row].type = c == u't' || c == u'f' ? QStringLiteral("boolean")
                : c == u'n'                           ? QStringLiteral("null")
                                                      : QStringLiteral("number");
        }
    }

    // At '{' or '['; consumes through the matching bracket and returns the number of children.
    int children(int depth)
    {
        const bool object = peek() == u'{';
        ++m_pos;
        int count = 0;
        while (m_pos < m_json.size() && !m_stopped) {
            skipSpace();
            if (peek() == u'}' || peek() == u']') {
                ++m_pos;
                break;
            }
            if (m_budget-- <= 0) {
                // The rest is not read: a huge tree would take seconds to build and show.
                m_stopped = true;
                m_rows.append({ depth, QStringLiteral("\u2026"),
                    tr("the tree stops here; the Pretty and Hex tabs have the whole document"), QString() });
                break;
            }
            QString key;
            if (object) {
                key = shownString(false);
                skipSpace();
                ++m_pos; // ':'
            } else {
                key = QLatin1Char('[') + QString::number(count) + QLatin1Char(']');
            }
            value(depth, key);
            ++count;
            skipSpace();
            if (peek() == u',')
                ++m_pos;
        }
        return count;
    }

    QStringView m_json;
    qsizetype m_pos = 0;
    int m_budget = 0;
    bool m_stopped = false;
    QList<JsonText::OutlineRow> m_rows;
};

} // namespace

QList<JsonText::OutlineRow> JsonText::outline(QStringView validJson, int rowBudget)
{
    return Outliner(validJson, rowBudget).run();
}
