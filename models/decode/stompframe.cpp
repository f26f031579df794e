#include "decode/stompframe.h"

#include "text/displaytext.h"
#include "text/sizeformat.h"
#include "text/utf8validator.h"

#include <QCoreApplication>
#include <QCryptographicHash>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Stomp)
};

using namespace Stomp;

constexpr int ShownChars = 40; // peer text quoted inside an error or a summary

const QByteArrayView ClientCommands[] = { "CONNECT", "STOMP", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK",
    "BEGIN", "COMMIT", "ABORT", "DISCONNECT" };
const QByteArrayView ServerCommands[] = { "CONNECTED", "MESSAGE", "RECEIPT", "ERROR" };

// CONNECT, STOMP and CONNECTED never escape their headers (STOMP 1.2 "Value Encoding"), so that a
// 1.0 peer reads them before the version is agreed. The spec names CONNECT and CONNECTED; STOMP is
// CONNECT's other name, and Spring and stomp.js treat it the same.
bool escapes(QByteArrayView command, Version version)
{
    return version != Version::V1_0 && command != "CONNECT" && command != "STOMP" && command != "CONNECTED";
}

// Line ends at `pos`: LF or CR LF, one after another; how many bytes.
qsizetype eolRun(QByteArrayView m, qsizetype pos)
{
    qsizetype at = pos;
    while (at < m.size()) {
        if (m[at] == '\n')
            ++at;
        else if (m[at] == '\r' && at + 1 < m.size() && m[at + 1] == '\n')
            at += 2;
        else
            break;
    }
    return at - pos;
}

// The first LF or NUL at or after `from`, -1 when neither.
qsizetype lineOrFrameEnd(QByteArrayView m, qsizetype from)
{
    for (qsizetype i = from; i < m.size(); ++i)
        if (m[i] == '\n' || m[i] == '\0')
            return i;
    return -1;
}

QByteArrayView withoutCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

// Undoes the escapes of `version` (Unknown: 1.2's). A reason when the text has a backslash that is
// no escape of that version; `out` is then incomplete.
std::optional<QString> unescape(QByteArrayView in, Version version, QByteArray *out)
{
    out->clear();
    out->reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c != '\\') {
            out->append(c);
            continue;
        }
        if (i + 1 == in.size())
            return Tr::tr("it ends with a backslash that escapes nothing");
        const char d = in[i + 1];
        if (d == 'n')
            out->append('\n');
        else if (d == 'c')
            out->append(':');
        else if (d == '\\')
            out->append('\\');
        else if (d == 'r' && version != Version::V1_1)
            out->append('\r');
        else if (d == 'r')
            return Tr::tr("\\r is no escape in STOMP 1.1 (1.2 added it)");
        else
            return Tr::tr("\\%1 is no escape (STOMP %2 has %3)")
                .arg(DisplayText::line(in.sliced(i + 1, 1)), versionName(version),
                    version == Version::V1_1 ? QStringLiteral("\\n \\c \\\\") : QStringLiteral("\\r \\n \\c \\\\"));
        ++i;
    }
    return std::nullopt;
}

QByteArray escaped(QByteArrayView in, Version version)
{
    QByteArray out;
    out.reserve(in.size());
    for (const char c : in) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case ':':
            out += "\\c";
            break;
        case '\r':
            // STOMP 1.1 has no \r: a CR goes as it is (and a CR at a value's end reads as part of the line end).
            out += version == Version::V1_1 ? QByteArrayView("\r") : QByteArrayView("\\r");
            break;
        default:
            out += c;
        }
    }
    return out;
}

void readHeaderLine(
    QByteArrayView line, int number, const QByteArray &command, Version version, Frame &frame, QStringList &errors)
{
    if (frame.headers.size() == MaxHeaders) {
        // Counted, not kept: a frame of a million one-byte headers would cost a hundred times its size.
        if (number == MaxHeaders + 1)
            errors << Tr::tr("more than %1 header lines; the rest are not read").arg(MaxHeaders);
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        errors << Tr::tr("header line %1 has no colon: %2").arg(number).arg(DisplayText::quoted(line, ShownChars));
        frame.headers.append({ line.toByteArray(), QByteArray() });
        return;
    }
    if (colon == 0)
        errors << Tr::tr("header line %1 has no name: %2").arg(number).arg(DisplayText::quoted(line, ShownChars));
    QByteArrayView name = line.first(colon);
    QByteArrayView value = line.sliced(colon + 1);
    if (!escapes(command, version)) {
        frame.headers.append({ name.toByteArray(), value.toByteArray() });
        return;
    }
    QByteArray decodedName;
    QByteArray decodedValue;
    std::optional<QString> problem = unescape(name, version, &decodedName);
    if (!problem)
        problem = unescape(value, version, &decodedValue);
    if (problem) {
        // Kept as sent. Without a known version it may be 1.0, where a backslash is only a backslash.
        if (version != Version::V1_0 && version != Version::Unknown)
            errors << Tr::tr("header %1: %2").arg(DisplayText::quoted(name, ShownChars), *problem);
        frame.headers.append({ name.toByteArray(), value.toByteArray() });
        return;
    }
    frame.headers.append({ decodedName, decodedValue });
}

// A content-length: decimal digits only, as the spec's octet count (no sign, no spaces).
std::optional<qint64> byteCount(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > 18)
        return std::nullopt;
    qint64 n = 0;
    for (const char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

Item readFrame(QByteArrayView m, qsizetype start, Version version, bool headOnly = false)
{
    Item it;
    it.offset = start;
    const qsizetype n = m.size();
    QStringList errors;
    QString ending; // why the frame stops early (Unfinished) or ends wrongly
    auto finish = [&](Item::Kind kind, qsizetype end) {
        it.kind = kind;
        it.size = end - start;
        QStringList all;
        if (!isKnownCommand(it.frame.command))
            all << Tr::tr("unknown command %1").arg(DisplayText::quoted(it.frame.command, ShownChars));
        if (!ending.isEmpty())
            all << ending;
        all << errors;
        if (kind == Item::Kind::Frame && isKnownCommand(it.frame.command))
            all << problems(it.frame, version);
        it.error = all.join(QStringLiteral("; "));
        return it;
    };

    const qsizetype commandEnd = lineOrFrameEnd(m, start);
    if (commandEnd < 0) {
        it.frame.command = m.sliced(start).toByteArray();
        ending = Tr::tr("the command line has no line end");
        return finish(Item::Kind::Unfinished, n);
    }
    it.frame.command = withoutCr(m.sliced(start, commandEnd - start)).toByteArray();
    if (m[commandEnd] == '\0') {
        it.kind = Item::Kind::Invalid;
        it.size = commandEnd + 1 - start;
        it.error = Tr::tr("%1 ends with a NUL before any line end")
                       .arg(DisplayText::quoted(m.sliced(start, commandEnd - start), ShownChars));
        return it;
    }

    qsizetype pos = commandEnd + 1;
    for (int line = 1;; ++line) {
        const qsizetype end = pos < n ? lineOrFrameEnd(m, pos) : -1;
        if (end < 0) {
            ending = Tr::tr("the message ends in the headers, before the blank line that starts the body");
            return finish(Item::Kind::Unfinished, n);
        }
        const QByteArrayView text = withoutCr(m.sliced(pos, end - pos));
        if (m[end] == '\0') {
            if (!text.isEmpty())
                readHeaderLine(text, line, it.frame.command, version, it.frame, errors);
            ending = Tr::tr("the frame ends (NUL) in its headers, without the blank line before the body");
            return finish(Item::Kind::Frame, end + 1);
        }
        pos = end + 1;
        if (text.isEmpty())
            break;
        readHeaderLine(text, line, it.frame.command, version, it.frame, errors);
    }
    it.headersComplete = true;
    it.bodyOffset = pos;
    if (headOnly) {
        it.kind = Item::Kind::Unfinished;
        it.size = n - start;
        it.error = errors.join(QStringLiteral("; "));
        return it;
    }

    // STOMP 1.2: with a content-length, exactly that many octets are the body, NULs included; the
    // frame still ends with a NUL. The first content-length counts, as with every repeated header.
    if (const auto declared = it.frame.header("content-length")) {
        const auto length = byteCount(*declared);
        if (!length) {
            errors << Tr::tr("content-length %1 is not a byte count; the body runs to the first NUL")
                          .arg(DisplayText::quoted(*declared, ShownChars));
        } else {
            const qsizetype available = n - pos;
            if (*length > available) {
                it.frame.body = m.sliced(pos).toByteArray();
                ending = Tr::tr("content-length says %1, %2 follow")
                             .arg(SizeFormat::bytes(quint64(*length)), SizeFormat::bytes(quint64(available)));
                return finish(Item::Kind::Unfinished, n);
            }
            it.frame.body = m.sliced(pos, *length).toByteArray();
            const qsizetype after = pos + *length;
            if (after == n) {
                ending = Tr::tr("no NUL terminator after the %1 body that content-length gives")
                             .arg(SizeFormat::bytes(quint64(*length)));
                return finish(Item::Kind::Unfinished, n);
            }
            if (m[after] == '\0')
                return finish(Item::Kind::Frame, after + 1);
            const qsizetype nul = m.indexOf('\0', after);
            if (nul < 0) {
                ending
                    = Tr::tr("content-length says %1, but %2 follows instead of the NUL terminator")
                          .arg(SizeFormat::bytes(quint64(*length)), DisplayText::quoted(m.sliced(after), ShownChars));
                return finish(Item::Kind::Frame, n);
            }
            ending = Tr::tr("content-length says %1, but %2 more come before the NUL terminator: %3")
                         .arg(SizeFormat::bytes(quint64(*length)), SizeFormat::bytes(quint64(nul - after)),
                             DisplayText::quoted(m.sliced(after, nul - after), ShownChars));
            return finish(Item::Kind::Frame, nul + 1);
        }
    }
    const qsizetype nul = m.indexOf('\0', pos);
    if (nul < 0) {
        it.frame.body = m.sliced(pos).toByteArray();
        ending = Tr::tr("no NUL terminator after %1").arg(SizeFormat::bytes(quint64(n - start)));
        return finish(Item::Kind::Unfinished, n);
    }
    it.frame.body = m.sliced(pos, nul - pos).toByteArray();
    return finish(Item::Kind::Frame, nul + 1);
}

QString bodyPreview(const QByteArray &body)
{
    if (body.isEmpty())
        return {};
    if (!Utf8Validator::isValid(body))
        return Tr::tr("binary");
    return DisplayText::quoted(body, ShownChars);
}

// Correlation keys stay short whatever the peer put in an id.
QByteArray key(QByteArrayView prefix, const QByteArray &id)
{
    constexpr qsizetype Longest = 100;
    if (id.size() <= Longest)
        return prefix.toByteArray() + id;
    return prefix.toByteArray() + id.first(48) + "..."
        + QCryptographicHash::hash(id, QCryptographicHash::Sha1).toHex().first(16);
}

} // namespace

namespace Stomp {

QString versionName(Version version)
{
    switch (version) {
    case Version::Unknown:
        return Tr::tr("unknown");
    case Version::V1_0:
        return QStringLiteral("1.0");
    case Version::V1_1:
        return QStringLiteral("1.1");
    case Version::V1_2:
        return QStringLiteral("1.2");
    }
    return {};
}

std::optional<Version> versionFromHeader(const std::optional<QByteArray> &value)
{
    if (!value || *value == "1.0")
        return Version::V1_0;
    if (*value == "1.1")
        return Version::V1_1;
    if (*value == "1.2")
        return Version::V1_2;
    return std::nullopt;
}

std::optional<QByteArray> Frame::header(QByteArrayView name) const
{
    for (const auto &[n, v] : headers)
        if (n == name)
            return v;
    return std::nullopt;
}

bool isClientCommand(QByteArrayView command)
{
    for (const QByteArrayView c : ClientCommands)
        if (c == command)
            return true;
    return false;
}

bool isServerCommand(QByteArrayView command)
{
    for (const QByteArrayView c : ServerCommands)
        if (c == command)
            return true;
    return false;
}

bool isKnownCommand(QByteArrayView command)
{
    return isClientCommand(command) || isServerCommand(command);
}

bool bodyAllowed(QByteArrayView command)
{
    return command == "SEND" || command == "MESSAGE" || command == "ERROR";
}

bool looksLikeStomp(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return false;
    if (eolRun(bytes, 0) == bytes.size())
        return true;
    const qsizetype lf = bytes.indexOf('\n');
    return lf > 0 && isKnownCommand(withoutCr(bytes.first(lf)));
}

QList<Item> parse(QByteArrayView message, Version version, qsizetype maxItems)
{
    QList<Item> items;
    qsizetype pos = 0;
    bool afterFrame = false;
    while (pos < message.size()) {
        if (items.size() == maxItems && !(afterFrame && eolRun(message, pos) > 0))
            break;
        if (const qsizetype eols = eolRun(message, pos); eols > 0) {
            if (afterFrame) {
                items.last().size += eols;
            } else {
                Item beat;
                beat.kind = Item::Kind::Heartbeat;
                beat.offset = pos;
                beat.size = eols;
                items << beat;
            }
            pos += eols;
            afterFrame = false;
            continue;
        }
        if (message[pos] == '\0') {
            qsizetype end = pos;
            while (end < message.size() && message[end] == '\0')
                ++end;
            Item stray;
            stray.kind = Item::Kind::Invalid;
            stray.offset = pos;
            stray.size = end - pos;
            stray.error = stray.size == 1 ? Tr::tr("a stray NUL byte where a frame should start")
                                          : Tr::tr("%1 stray NUL bytes where a frame should start").arg(stray.size);
            items << stray;
            pos = end;
            afterFrame = false;
            continue;
        }
        Item item = readFrame(message, pos, version);
        pos += item.size;
        afterFrame = item.kind == Item::Kind::Frame;
        items << std::move(item);
    }
    return items;
}

Item readHead(QByteArrayView message, Version version)
{
    Item it = readFrame(message, 0, version, true);
    it.frame.body.clear();
    return it;
}

QByteArray encode(const Frame &frame, Version version)
{
    const bool escape = escapes(frame.command, version);
    QByteArray out = frame.command + '\n';
    for (const auto &[name, value] : frame.headers) {
        out += escape ? escaped(name, version) : name;
        out += ':';
        out += escape ? escaped(value, version) : value;
        out += '\n';
    }
    out += '\n';
    out += frame.body;
    out += '\0';
    return out;
}

QList<std::pair<QString, QByteArray>> templates()
{
    using H = QList<std::pair<QByteArray, QByteArray>>;
    const QByteArray hello = QByteArrayLiteral("hello");
    const auto frame = [](const char *command, H headers, QByteArray body = {}) {
        return encode(Frame { command, std::move(headers), std::move(body) }, Version::V1_2);
    };
    return {
        { QStringLiteral("CONNECT"),
            frame("CONNECT",
                { { "accept-version", "1.0,1.1,1.2" }, { "host", "localhost" }, { "heart-beat", "10000,10000" } }) },
        { QStringLiteral("STOMP"),
            frame("STOMP", { { "accept-version", "1.2" }, { "host", "localhost" }, { "heart-beat", "0,0" } }) },
        { QStringLiteral("SUBSCRIBE"),
            frame("SUBSCRIBE", { { "id", "sub-0" }, { "destination", "/topic/chat" }, { "ack", "auto" } }) },
        // No content-length: the composer's user edits the body, and a length written for "hello"
        // would cut a longer one short. The NUL ends a body without one (a body that holds a NUL
        // needs one).
        { QStringLiteral("SEND"),
            frame("SEND", { { "destination", "/topic/chat" }, { "content-type", "text/plain" } }, hello) },
        { Tr::tr("SEND with receipt"),
            frame("SEND", { { "destination", "/topic/chat" }, { "receipt", "receipt-1" }, { "content-type", "text/plain" } },
                hello) },
        { QStringLiteral("ACK"), frame("ACK", { { "id", "ack-0" } }) },
        { QStringLiteral("NACK"), frame("NACK", { { "id", "ack-0" } }) },
        { QStringLiteral("BEGIN"), frame("BEGIN", { { "transaction", "tx-0" } }) },
        { QStringLiteral("COMMIT"), frame("COMMIT", { { "transaction", "tx-0" } }) },
        { QStringLiteral("ABORT"), frame("ABORT", { { "transaction", "tx-0" } }) },
        { QStringLiteral("UNSUBSCRIBE"), frame("UNSUBSCRIBE", { { "id", "sub-0" } }) },
        { QStringLiteral("DISCONNECT"), frame("DISCONNECT", { { "receipt", "disconnect-0" } }) },
        { Tr::tr("heart-beat"), QByteArrayLiteral("\n") },
    };
}

QString summary(const Frame &frame)
{
    const QByteArray &command = frame.command;
    QStringList parts { DisplayText::line(command, ShownChars) };
    const auto add = [&](const QString &label, QByteArrayView name, qsizetype maxChars = 60) {
        if (const auto v = frame.header(name))
            parts << (label.isEmpty() ? DisplayText::line(*v, maxChars) : label.arg(DisplayText::line(*v, maxChars)));
    };
    const auto sizeAndPreview = [&] {
        parts << SizeFormat::compact(quint64(frame.body.size()));
        if (const QString preview = bodyPreview(frame.body); !preview.isEmpty())
            parts << preview;
    };
    if (command == "CONNECT" || command == "STOMP") {
        add(Tr::tr("versions %1"), "accept-version");
        add(Tr::tr("host %1"), "host");
        add(Tr::tr("heart-beat %1"), "heart-beat");
        add(Tr::tr("login %1"), "login");
    } else if (command == "CONNECTED") {
        add(Tr::tr("version %1"), "version");
        add(Tr::tr("heart-beat %1"), "heart-beat");
    } else if (command == "SEND") {
        add(QString(), "destination", 80);
        sizeAndPreview();
    } else if (command == "SUBSCRIBE") {
        add(QString(), "destination", 80);
        add(Tr::tr("id %1"), "id");
        if (const auto ack = frame.header("ack"); ack && *ack != "auto")
            parts << Tr::tr("ack %1").arg(DisplayText::line(*ack, 30));
    } else if (command == "UNSUBSCRIBE") {
        add(Tr::tr("id %1"), "id");
    } else if (command == "ACK" || command == "NACK") {
        if (frame.header("id"))
            add(Tr::tr("id %1"), "id");
        else
            add(Tr::tr("message-id %1"), "message-id");
    } else if (command == "BEGIN" || command == "COMMIT" || command == "ABORT") {
        add(QString(), "transaction");
    } else if (command == "MESSAGE") {
        add(QString(), "destination", 80);
        add(Tr::tr("from %1"), "subscription");
        sizeAndPreview();
    } else if (command == "RECEIPT") {
        add(QString(), "receipt-id");
    } else if (command == "ERROR") {
        if (const auto message = frame.header("message"))
            parts << DisplayText::quoted(*message, 80);
        if (!frame.body.isEmpty())
            sizeAndPreview();
    } else if (!frame.body.isEmpty()) {
        sizeAndPreview();
    }
    if (command != "BEGIN" && command != "COMMIT" && command != "ABORT")
        add(Tr::tr("in %1"), "transaction", 40);
    if (isClientCommand(command) && command != "CONNECT" && command != "STOMP")
        add(Tr::tr("receipt %1"), "receipt", 40);
    return parts.join(QLatin1Char(' '));
}

QList<Decode::Correlation> correlations(const Frame &frame)
{
    using Decode::Correlation;
    QList<Correlation> out;
    const QByteArray &command = frame.command;
    if (command == "CONNECT" || command == "STOMP")
        out << Correlation { Correlation::Role::Request, QByteArrayLiteral("connect") };
    else if (command == "CONNECTED")
        out << Correlation { Correlation::Role::Answer, QByteArrayLiteral("connect") };
    // STOMP 1.2: any client frame other than CONNECT may ask for a receipt.
    if (isClientCommand(command) && command != "CONNECT" && command != "STOMP") {
        if (const auto receipt = frame.header("receipt"))
            out << Correlation { Correlation::Role::Request, key("receipt ", *receipt) };
    }
    if (command == "RECEIPT" || command == "ERROR") {
        if (const auto receipt = frame.header("receipt-id"))
            out << Correlation { Correlation::Role::Answer, key("receipt ", *receipt) };
    }
    // STOMP 1.2: with client acknowledgement a MESSAGE carries `ack`, and the ACK or NACK its `id`.
    if (command == "MESSAGE") {
        if (const auto ack = frame.header("ack"))
            out << Correlation { Correlation::Role::Request, key("ack ", *ack) };
    } else if (command == "ACK" || command == "NACK") {
        if (const auto id = frame.header("id"))
            out << Correlation { Correlation::Role::Answer, key("ack ", *id) };
    }
    return out;
}

QStringList problems(const Frame &frame, Version version)
{
    QStringList out;
    const QByteArray &command = frame.command;
    const QString shownCommand = DisplayText::line(command, ShownChars);
    const auto need = [&](QByteArrayView name) {
        if (!frame.header(name))
            out << Tr::tr("%1 without the required %2 header").arg(shownCommand, QString::fromLatin1(name));
    };
    const auto needOne = [&](QByteArrayView a, QByteArrayView b) {
        if (!frame.header(a) && !frame.header(b))
            out << Tr::tr("%1 without the required %2 or %3 header")
                       .arg(shownCommand, QString::fromLatin1(a), QString::fromLatin1(b));
    };
    if (command == "SEND") {
        need("destination");
    } else if (command == "SUBSCRIBE") {
        need("destination");
        if (version != Version::V1_0) // 1.0 made the id optional
            need("id");
    } else if (command == "UNSUBSCRIBE") {
        if (version == Version::V1_0)
            needOne("id", "destination");
        else
            need("id");
    } else if (command == "ACK" || command == "NACK") {
        switch (version) {
        case Version::V1_2:
            need("id");
            break;
        case Version::V1_1:
            need("message-id");
            need("subscription");
            break;
        case Version::V1_0:
            need("message-id");
            break;
        case Version::Unknown:
            needOne("id", "message-id");
            break;
        }
    } else if (command == "BEGIN" || command == "COMMIT" || command == "ABORT") {
        need("transaction");
    } else if (command == "MESSAGE") {
        need("destination");
        need("message-id");
        if (version != Version::V1_0)
            need("subscription");
    } else if (command == "RECEIPT") {
        need("receipt-id");
    }
    if (!frame.body.isEmpty() && !bodyAllowed(command))
        out << Tr::tr("%1 frames carry no body, but this one has %2")
                   .arg(shownCommand, SizeFormat::bytes(quint64(frame.body.size())));
    return out;
}

} // namespace Stomp
