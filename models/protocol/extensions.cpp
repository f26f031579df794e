#include "protocol/extensions.h"

#include "text/displaytext.h"

#include <QCoreApplication>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Extensions)
};

// RFC 7230 §3.2.6 tchar.
bool isTokenChar(uchar c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
    case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(uchar(c)))
            return false;
    }
    return true;
}

// A byte named in an error message: 'x' when printable ASCII, else its value.
QString describeByte(uchar c)
{
    if (c > 0x20 && c < 0x7F)
        return QStringLiteral("'%1'").arg(QLatin1Char(char(c)));
    return QStringLiteral("byte 0x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
}

class Parser {
public:
    explicit Parser(QByteArrayView s)
        : m_s(s)
    {
    }

    Extensions::Parsed run()
    {
        Extensions::Parsed parsed;
        // 1#extension: empty elements ("a, , b") are allowed, at least one extension is not.
        for (;;) {
            skipSpace();
            if (atEnd())
                break;
            if (peek() == ',') {
                ++m_i;
                continue;
            }
            Extension extension;
            if (!readExtension(extension))
                return failed(parsed);
            parsed.list.append(extension);
            skipSpace();
            if (atEnd())
                break;
            if (peek() != ',') {
                m_error = Tr::tr("expected ',' or ';' at byte %1, found %2").arg(m_i + 1).arg(describeByte(peek()));
                return failed(parsed);
            }
            ++m_i;
        }
        if (parsed.list.isEmpty())
            parsed.error = Tr::tr("no extension in the header");
        return parsed;
    }

private:
    Extensions::Parsed failed(Extensions::Parsed &parsed)
    {
        parsed.list.clear();
        parsed.error = m_error;
        return parsed;
    }

    bool atEnd() const { return m_i >= m_s.size(); }
    uchar peek() const { return uchar(m_s[m_i]); }
    void skipSpace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_i;
    }

    bool readToken(QByteArray &out, const QString &what)
    {
        const qsizetype start = m_i;
        while (!atEnd() && isTokenChar(peek()))
            ++m_i;
        if (m_i == start) {
            m_error = atEnd() ? Tr::tr("expected %1 at the end of the header").arg(what)
                              : Tr::tr("expected %1 at byte %2, found %3").arg(what).arg(m_i + 1).arg(describeByte(peek()));
            return false;
        }
        out = m_s.sliced(start, m_i - start).toByteArray();
        return true;
    }

    bool readQuoted(QByteArray &out)
    {
        const qsizetype open = m_i++;
        for (;;) {
            if (atEnd()) {
                m_error = Tr::tr("the quoted-string opened at byte %1 is not closed").arg(open + 1);
                return false;
            }
            const uchar c = peek();
            if (c == '"') {
                ++m_i;
                return true;
            }
            if (c == '\\') {
                if (m_i + 1 >= m_s.size()) {
                    m_error = Tr::tr("a backslash ends the header inside the quoted-string opened at byte %1").arg(open + 1);
                    return false;
                }
                const uchar escaped = uchar(m_s[m_i + 1]);
                if (escaped < 0x20 && escaped != '\t') {
                    m_error = Tr::tr("%1 cannot be escaped in a quoted-string (byte %2)").arg(describeByte(escaped)).arg(m_i + 2);
                    return false;
                }
                out += char(escaped);
                m_i += 2;
                continue;
            }
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                m_error = Tr::tr("%1 inside a quoted-string at byte %2").arg(describeByte(c)).arg(m_i + 1);
                return false;
            }
            out += char(c);
            ++m_i;
        }
    }

    bool readExtension(Extension &extension)
    {
        if (!readToken(extension.name, Tr::tr("an extension name")))
            return false;
        for (;;) {
            skipSpace();
            if (atEnd() || peek() != ';')
                return true;
            ++m_i;
            skipSpace();
            ExtensionParameter parameter;
            if (!readToken(parameter.name, Tr::tr("a parameter name")))
                return false;
            skipSpace();
            if (!atEnd() && peek() == '=') {
                ++m_i;
                skipSpace();
                QByteArray value;
                if (!atEnd() && peek() == '"') {
                    const qsizetype at = m_i;
                    if (!readQuoted(value))
                        return false;
                    // RFC 6455 §9.1: once unescaped, a quoted value must still be a token.
                    if (!isToken(value)) {
                        m_error = Tr::tr("the quoted value of %1 at byte %2 is not a token once unescaped: %3")
                                      .arg(QString::fromLatin1(parameter.name))
                                      .arg(at + 1)
                                      .arg(DisplayText::quoted(value, 40));
                        return false;
                    }
                } else if (!readToken(value, Tr::tr("a value for %1").arg(QString::fromLatin1(parameter.name)))) {
                    return false;
                }
                parameter.value = value;
            }
            extension.parameters.append(parameter);
        }
    }

    QByteArrayView m_s;
    qsizetype m_i = 0;
    QString m_error;
};

// "10" -> 10 for window bits: 8..15, decimal, no leading zero (RFC 7692 §7.1.2.1).
std::optional<int> windowBits(const ExtensionParameter &p)
{
    if (!p.value || p.value->size() > 2 || p.value->isEmpty() || p.value->front() == '0')
        return std::nullopt;
    bool ok = false;
    const int bits = p.value->toInt(&ok);
    if (!ok || bits < 8 || bits > 15)
        return std::nullopt;
    return bits;
}

} // namespace

const ExtensionParameter *Extension::parameter(QByteArrayView wanted) const
{
    for (const ExtensionParameter &p : parameters) {
        if (p.name.compare(wanted, Qt::CaseInsensitive) == 0)
            return &p;
    }
    return nullptr;
}

QByteArray Extension::text() const
{
    QByteArray out = name;
    for (const ExtensionParameter &p : parameters) {
        out += "; " + p.name;
        if (p.value)
            out += '=' + (isToken(*p.value) ? *p.value : '"' + *p.value + '"');
    }
    return out;
}

Extensions::Parsed Extensions::parse(QByteArrayView headerValue)
{
    return Parser(headerValue).run();
}

Extensions::Parsed Extensions::parse(const QList<QByteArray> &headerValues)
{
    Parsed all;
    for (qsizetype i = 0; i < headerValues.size(); ++i) {
        Parsed one = parse(headerValues[i]);
        if (!one.ok()) {
            all.list.clear();
            all.error = headerValues.size() == 1
                ? one.error
                : Tr::tr("Sec-WebSocket-Extensions header %1 of %2: %3").arg(i + 1).arg(headerValues.size()).arg(one.error);
            return all;
        }
        all.list += one.list;
    }
    return all;
}

QByteArray Extensions::format(const QList<Extension> &extensions)
{
    QByteArray out;
    for (const Extension &e : extensions) {
        if (!out.isEmpty())
            out += ", ";
        out += e.text();
    }
    return out;
}

Extension PerMessageDeflate::Offer::extension() const
{
    Extension e;
    e.name = Name;
    if (serverNoContextTakeover)
        e.parameters.append({ "server_no_context_takeover", std::nullopt });
    if (clientNoContextTakeover)
        e.parameters.append({ "client_no_context_takeover", std::nullopt });
    if (serverMaxWindowBits)
        e.parameters.append({ "server_max_window_bits", QByteArray::number(*serverMaxWindowBits) });
    if (clientMaxWindowBits) {
        e.parameters.append({ "client_max_window_bits",
            clientMaxWindowBitsValue ? std::optional<QByteArray>(QByteArray::number(*clientMaxWindowBitsValue))
                                     : std::nullopt });
    }
    return e;
}

std::optional<PerMessageDeflate::Offer> PerMessageDeflate::Offer::fromParameters(QByteArrayView text, QString *error)
{
    // Read as "permessage-deflate; <text>" so the same grammar applies.
    const QByteArray whole = QByteArray(Name) + (text.trimmed().isEmpty() ? QByteArray() : "; " + text.trimmed().toByteArray());
    const Extensions::Parsed parsed = Extensions::parse(whole);
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!parsed.ok())
        return fail(parsed.error);
    if (parsed.list.size() != 1)
        return fail(Tr::tr("one offer, please: the parameters of a single permessage-deflate"));
    return fromExtension(parsed.list.first(), error);
}

std::optional<PerMessageDeflate::Offer> PerMessageDeflate::Offer::fromExtension(const Extension &offered, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    Offer offer;
    offer.clientMaxWindowBits = false;
    QList<QByteArray> seen;
    for (const ExtensionParameter &p : offered.parameters) {
        const QByteArray name = p.name.toLower();
        if (seen.contains(name))
            return fail(Tr::tr("%1 is given twice").arg(QString::fromLatin1(p.name)));
        seen << name;
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            if (p.value)
                return fail(Tr::tr("%1 takes no value").arg(QString::fromLatin1(p.name)));
            (name.startsWith("server") ? offer.serverNoContextTakeover : offer.clientNoContextTakeover) = true;
        } else if (name == "server_max_window_bits") {
            const auto bits = windowBits(p);
            if (!bits)
                return fail(Tr::tr("server_max_window_bits needs a value from 8 to 15"));
            offer.serverMaxWindowBits = bits;
        } else if (name == "client_max_window_bits") {
            offer.clientMaxWindowBits = true;
            if (p.value) {
                const auto bits = windowBits(p);
                if (!bits)
                    return fail(Tr::tr("client_max_window_bits takes no value or a value from 8 to 15"));
                offer.clientMaxWindowBitsValue = bits;
            }
        } else {
            return fail(Tr::tr("unknown permessage-deflate parameter %1").arg(QString::fromLatin1(p.name)));
        }
    }
    return offer;
}

std::optional<PerMessageDeflate::Agreement> PerMessageDeflate::accept(const Extension &response, const Offer &offer,
                                                                      QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = Tr::tr("permessage-deflate response: %1").arg(why);
        return std::nullopt;
    };
    // What the server does is what its response says; what we do is what we offered, limited further
    // by the response.
    Agreement agreement;
    agreement.clientNoContextTakeover = offer.clientNoContextTakeover;
    if (offer.clientMaxWindowBitsValue)
        agreement.clientMaxWindowBits = *offer.clientMaxWindowBitsValue;
    QList<QByteArray> seen;
    for (const ExtensionParameter &p : response.parameters) {
        const QByteArray name = p.name.toLower();
        const QString shown = DisplayText::quoted(p.name, 60);
        if (seen.contains(name))
            return fail(Tr::tr("the parameter %1 is given more than once (RFC 7692 §7)").arg(shown));
        seen << name;
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            if (p.value)
                return fail(Tr::tr("%1 takes no value, but has %2 (RFC 7692 §7.1.1)").arg(shown, DisplayText::quoted(*p.value, 40)));
            (name.startsWith("server") ? agreement.serverNoContextTakeover : agreement.clientNoContextTakeover) = true;
        } else if (name == "server_max_window_bits") {
            const auto bits = windowBits(p);
            if (!bits) {
                return fail(Tr::tr("server_max_window_bits must be a number from 8 to 15, not %1 (RFC 7692 §7.1.2.1)")
                                .arg(p.value ? DisplayText::quoted(*p.value, 40) : Tr::tr("nothing")));
            }
            if (offer.serverMaxWindowBits && *bits > *offer.serverMaxWindowBits) {
                return fail(Tr::tr("server_max_window_bits=%1 is more than the %2 the client offered (RFC 7692 §7.1.2.1)")
                                .arg(*bits)
                                .arg(*offer.serverMaxWindowBits));
            }
            agreement.serverMaxWindowBits = *bits;
        } else if (name == "client_max_window_bits") {
            if (!offer.clientMaxWindowBits)
                return fail(Tr::tr("client_max_window_bits was not offered, so the server may not send it (RFC 7692 §7.1.2.2)"));
            const auto bits = windowBits(p);
            if (!bits) {
                return fail(Tr::tr("client_max_window_bits must be a number from 8 to 15, not %1 (RFC 7692 §7.1.2.2)")
                                .arg(p.value ? DisplayText::quoted(*p.value, 40) : Tr::tr("nothing")));
            }
            if (offer.clientMaxWindowBitsValue && *bits > *offer.clientMaxWindowBitsValue) {
                return fail(Tr::tr("client_max_window_bits=%1 is more than the %2 the client announced")
                                .arg(*bits)
                                .arg(*offer.clientMaxWindowBitsValue));
            }
            agreement.clientMaxWindowBits = *bits;
        } else {
            return fail(Tr::tr("unknown parameter %1 (RFC 7692 §7.1 defines four)").arg(shown));
        }
    }
    return agreement;
}

std::optional<PerMessageDeflate::Answer> PerMessageDeflate::answer(const QList<Extension> &offers, QStringList *declined)
{
    for (const Extension &offered : offers) {
        if (offered.name.compare(Name, Qt::CaseInsensitive) != 0)
            continue;
        QString error;
        const std::optional<Offer> offer = Offer::fromExtension(offered, &error);
        if (!offer) {
            if (declined)
                *declined << Tr::tr("%1: %2").arg(QString::fromLatin1(offered.text()), error);
            continue;
        }
        if (offer->serverMaxWindowBits == 8) {
            if (declined)
                *declined << Tr::tr("%1: a window of 8 bits cannot be written with zlib").arg(QString::fromLatin1(offered.text()));
            continue;
        }
        Answer answer;
        answer.response.name = Name;
        Agreement &agreed = answer.agreement;
        if (offer->serverNoContextTakeover) {
            agreed.serverNoContextTakeover = true;
            answer.response.parameters.append({ "server_no_context_takeover", std::nullopt });
        }
        if (offer->clientNoContextTakeover) {
            agreed.clientNoContextTakeover = true;
            answer.response.parameters.append({ "client_no_context_takeover", std::nullopt });
        }
        if (offer->serverMaxWindowBits) {
            agreed.serverMaxWindowBits = *offer->serverMaxWindowBits;
            answer.response.parameters.append(
                { "server_max_window_bits", QByteArray::number(*offer->serverMaxWindowBits) });
        }
        // The client's window: inflating with the largest window reads any smaller one, so the
        // server never needs to limit it.
        agreed.clientMaxWindowBits = offer->clientMaxWindowBitsValue.value_or(15);
        return answer;
    }
    return std::nullopt;
}

std::optional<PerMessageDeflate::Answer> PerMessageDeflate::answer(const QList<Extension> &offers,
                                                                   const QList<ClientRequest> &requests,
                                                                   QStringList *declined)
{
    if (requests.isEmpty())
        return answer(offers, declined);
    bool anyUsable = false;
    for (const ClientRequest &request : requests) {
        for (const Extension &offered : offers) {
            // Why an offer is unusable is said once, not once per request.
            std::optional<Answer> base = answer(QList<Extension> { offered }, &request == &requests.first() ? declined : nullptr);
            if (!base)
                continue;
            anyUsable = true;
            const std::optional<Offer> offer = Offer::fromExtension(offered, nullptr);
            if (request.maxWindowBits && !offer->clientMaxWindowBits)
                continue; // RFC 7692 §7.1.2.2: not without the client's client_max_window_bits
            Agreement &agreed = base->agreement;
            QList<ExtensionParameter> &parameters = base->response.parameters;
            if (request.noContextTakeover && !agreed.clientNoContextTakeover) {
                agreed.clientNoContextTakeover = true;
                parameters.append({ "client_no_context_takeover", std::nullopt });
            }
            if (request.maxWindowBits) {
                // Never above what the client announced for itself (§7.1.2.2).
                const int bits = qMin(*request.maxWindowBits, offer->clientMaxWindowBitsValue.value_or(15));
                agreed.clientMaxWindowBits = bits;
                parameters.append({ "client_max_window_bits", QByteArray::number(bits) });
            }
            return base;
        }
    }
    if (declined && anyUsable)
        *declined << Tr::tr("no offer allows what this server asks of the client (client_max_window_bits "
                            "needs an offer that has it)");
    return std::nullopt;
}
