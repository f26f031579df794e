#include "log/harreader.h"

#include "log/capture.h"
#include "log/eventtime.h"
#include "log/jsonlreader.h"
#include "protocol/frame.h"
#include "protocol/framewriter.h"
#include "text/displaytext.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

constexpr qsizetype MaxErrors = SessionFileReader::MaxErrors;

struct Reading {
    HarReader::Result &result;
    // Events are recorded once every entry is read: a HarWriter file's in their capture's order
    // (`_wsinspectorOrder`), which interleaves its entries, then a browser's by time.
    struct Read {
        bool own;
        qint64 key; // the capture's index, or the time
        StoredEvent event;
    };
    std::vector<Read> read;
    qint64 ownKey = 0; // for an event without its place in the capture

    void error(const QString &message)
    {
        ++result.badLines;
        if (result.errors.size() < MaxErrors)
            result.errors << message;
        else if (result.errors.size() == MaxErrors)
            result.errors << HarReader::tr("(further errors not listed)");
    }
    void record(const StoredEvent &stored) { read.push_back({ false, stored.fields.timeUs, stored }); }
    void recordOwn(qint64 order, const StoredEvent &stored) { read.push_back({ true, order, stored }); }
    void finish(Capture &into)
    {
        std::stable_sort(read.begin(), read.end(), [](const Read &a, const Read &b) {
            return a.own != b.own ? a.own : a.key < b.key;
        });
        LoadedEvents loaded(into);
        for (const Read &r : read) {
            loaded.record(r.event.event());
            ++result.eventsLoaded;
        }
    }
};

// startedDateTime: Chrome writes UTC with milliseconds and Z, Firefox local time with its offset.
std::optional<qint64> isoToUs(const QString &text)
{
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t.toMSecsSinceEpoch() * 1000;
}

// A HAR header list back into HTTP header lines; nullopt when it is not one.
std::optional<QByteArray> headerLines(const QJsonValue &value)
{
    if (!value.isArray())
        return std::nullopt;
    QByteArray out;
    for (const QJsonValue &h : value.toArray()) {
        const QJsonObject o = h.toObject();
        if (!o.value(QStringLiteral("name")).isString() || !o.value(QStringLiteral("value")).isString())
            return std::nullopt;
        out += o.value(QStringLiteral("name")).toString().toUtf8() + ": " + o.value(QStringLiteral("value")).toString().toUtf8() + "\r\n";
    }
    return out;
}

bool isWebSocketEntry(const QJsonObject &entry)
{
    if (entry.value(QStringLiteral("_resourceType")).toString() == QLatin1String("websocket"))
        return true;
    if (entry.contains(QStringLiteral("_webSocketMessages")) || entry.contains(QStringLiteral("_wsinspectorEvents")))
        return true;
    const QString scheme = QUrl(entry.value(QStringLiteral("request")).toObject().value(QStringLiteral("url")).toString()).scheme();
    return (scheme == QLatin1String("ws") || scheme == QLatin1String("wss"))
        || entry.value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).toInt() == 101;
}

StoredEvent localEvent(quint32 connection, qint64 us, EventKind kind, const QString &text, ReadyState state = ReadyState::Connecting)
{
    StoredEvent s;
    s.fields.state = state;
    s.fields.timeUs = us;
    s.fields.connectionId = connection;
    s.fields.direction = Direction::Local;
    s.fields.kind = kind;
    s.payload = text.toUtf8();
    return s;
}

// One entry of a HAR written by HarWriter: its events, exactly.
void readOwnEvents(Reading &r, const QJsonArray &events, const QJsonArray &order, const QString &where)
{
    StoredEvent stored;
    QString why;
    const bool ordered = order.size() == events.size();
    if (!ordered && !order.isEmpty())
        r.error(HarReader::tr("%1: _wsinspectorOrder has %2 places for %3 events; the events keep the file's order")
                    .arg(where).arg(order.size()).arg(events.size()));
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (!events[i].isObject()) {
            r.error(HarReader::tr("%1, event %2: not an object").arg(where).arg(i + 1));
            continue;
        }
        if (!JsonlReader::parseObject(events[i].toObject(), stored, why)) {
            r.error(HarReader::tr("%1, event %2: %3").arg(where).arg(i + 1).arg(why));
            continue;
        }
        const double place = ordered ? order[i].toDouble(-1) : -1;
        r.recordOwn(place >= 0 && place < double(1LL << 52) ? qint64(place) : (1LL << 52) + r.ownKey, stored);
        ++r.ownKey;
    }
}

// One WebSocket entry of a browser's HAR: the handshake and the messages rebuilt.
void readBrowserEntry(Reading &r, const QJsonObject &entry, quint32 connection, const QString &where)
{
    const QJsonObject request = entry.value(QStringLiteral("request")).toObject();
    const QJsonObject response = entry.value(QStringLiteral("response")).toObject();
    const QUrl url(request.value(QStringLiteral("url")).toString());
    const auto started = isoToUs(entry.value(QStringLiteral("startedDateTime")).toString());
    if (!started)
        r.error(HarReader::tr("%1: startedDateTime %2 is not an ISO 8601 time; the connection starts at 0")
                    .arg(where, DisplayText::quoted(entry.value(QStringLiteral("startedDateTime")).toString().toUtf8(), 40)));
    const qint64 startUs = started.value_or(0);
    const QJsonArray messages = entry.value(QStringLiteral("_webSocketMessages")).toArray();
    const bool hasMessages = entry.contains(QStringLiteral("_webSocketMessages"));

    r.record(localEvent(connection, startUs, EventKind::StateChange,
        hasMessages ? HarReader::tr("CONNECTING (imported from a HAR file: the handshake and the %n message(s) the browser kept; "
                                    "frame headers and masking keys are not in HAR, so each message shows as one frame "
                                    "with a header made from it, a client's masked with the key 00000000)",
                          nullptr, int(messages.size()))
                    : HarReader::tr("CONNECTING (imported from a HAR file without WebSocket messages, which Firefox does not export: "
                                    "the handshake only)")));

    if (url.scheme() == QLatin1String("wss"))
        r.record(localEvent(connection, startUs, EventKind::TlsInfo,
                            HarReader::tr("TLS (wss://): the browser's TLS details are not in HAR")));
    const auto requestHeaders = headerLines(request.value(QStringLiteral("headers")));
    if (!requestHeaders) {
        r.error(HarReader::tr("%1: request.headers is not a list of {name, value}").arg(where));
    } else {
        const QByteArray path = url.path(QUrl::FullyEncoded).isEmpty() ? QByteArray("/") : url.path(QUrl::FullyEncoded).toUtf8();
        const QByteArray target = path + (url.hasQuery() ? "?" + url.query(QUrl::FullyEncoded).toUtf8() : QByteArray());
        QByteArray version = request.value(QStringLiteral("httpVersion")).toString().toUtf8();
        if (!version.startsWith("HTTP/"))
            version = "HTTP/1.1"; // Chrome writes "websocket" when it had no raw headers
        StoredEvent s;
        s.fields.timeUs = startUs;
        s.fields.connectionId = connection;
        s.fields.direction = Direction::Outgoing;
        s.fields.kind = EventKind::HandshakeRequest;
        s.payload = request.value(QStringLiteral("method")).toString(QStringLiteral("GET")).toUtf8() + ' ' + target + ' ' + version
            + "\r\n" + *requestHeaders + "\r\n";
        r.record(s);
    }
    const int status = response.value(QStringLiteral("status")).toInt(0);
    const auto responseHeaders = headerLines(response.value(QStringLiteral("headers")));
    if (status <= 0 || !responseHeaders) {
        r.error(HarReader::tr("%1: the response has no status or no headers").arg(where));
    } else {
        QByteArray version = response.value(QStringLiteral("httpVersion")).toString().toUtf8();
        if (!version.startsWith("HTTP/"))
            version = "HTTP/1.1";
        const double wait = entry.value(QStringLiteral("timings")).toObject().value(QStringLiteral("wait")).toDouble(0);
        StoredEvent s;
        // At most a day: a number a hostile file makes huge would not fit the microseconds.
        s.fields.timeUs = startUs + (wait > 0 && wait < 86'400'000 ? qint64(wait * 1000) : 0);
        s.fields.connectionId = connection;
        s.fields.direction = Direction::Incoming;
        s.fields.kind = EventKind::HandshakeResponse;
        s.payload = version + ' ' + QByteArray::number(status) + ' ' + response.value(QStringLiteral("statusText")).toString().toUtf8()
            + "\r\n" + *responseHeaders + "\r\n";
        r.record(s);
        if (status == 101)
            r.record(localEvent(connection, s.fields.timeUs, EventKind::StateChange, QStringLiteral("OPEN"), ReadyState::Open));
    }

    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString at = HarReader::tr("%1, message %2").arg(where).arg(i + 1);
        const QJsonObject m = messages[i].toObject();
        const QString type = m.value(QStringLiteral("type")).toString();
        const QJsonValue time = m.value(QStringLiteral("time"));
        const QJsonValue opcode = m.value(QStringLiteral("opcode"));
        if (!messages[i].isObject() || !time.isDouble() || !std::isfinite(time.toDouble()) || !opcode.isDouble()
            || !m.value(QStringLiteral("data")).isString()) {
            r.error(HarReader::tr("%1: not {type, time, opcode, data} with a number of seconds, an opcode and a string").arg(at));
            continue;
        }
        if (std::abs(time.toDouble()) > 1e11) {
            r.error(HarReader::tr("%1: time %2 is not seconds since 1970 that a date can hold").arg(at).arg(time.toDouble()));
            continue;
        }
        const qint64 us = qint64(std::llround(time.toDouble() * 1e6));
        const QString data = m.value(QStringLiteral("data")).toString();
        if (type == QLatin1String("error")) {
            r.record(localEvent(connection, us, EventKind::Error, data));
            continue;
        }
        if (type != QLatin1String("send") && type != QLatin1String("receive")) {
            r.error(HarReader::tr("%1: type %2 is none of send, receive, error").arg(at, DisplayText::quoted(type.toUtf8(), 20)));
            continue;
        }
        const int code = opcode.toInt(-1);
        if (code < 0 || code > 15 || double(code) != opcode.toDouble()) {
            r.error(HarReader::tr("%1: opcode %2 is not a WebSocket opcode (0 to 15)").arg(at).arg(opcode.toDouble()));
            continue;
        }
        QByteArray payload;
        if (code == Opcode::Text) {
            payload = data.toUtf8();
        } else {
            const auto decoded = QByteArray::fromBase64Encoding(data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded || data.contains(QChar(0)) || QString::fromLatin1(data.toLatin1()) != data) {
                r.error(HarReader::tr("%1: the data of a binary message (opcode %2) is not base64").arg(at).arg(code));
                continue;
            }
            payload = *decoded;
        }
        const bool fromClient = type == QLatin1String("send");
        StoredEvent s;
        s.fields.timeUs = us;
        s.fields.connectionId = connection;
        s.fields.direction = fromClient ? Direction::Outgoing : Direction::Incoming;
        s.fields.kind = EventKind::Frame;
        char header[14];
        const int size = FrameWriter::writeHeader(header, true, 0, quint8(code), quint64(payload.size()), fromClient, 0);
        s.header = QByteArray(header, size);
        FrameHeader::decode(s.header, s.fields.frame);
        s.payload = payload;
        r.record(s);
    }
}

} // namespace

HarReader::Result HarReader::read(const QByteArray &har, Capture &into)
{
    Result result;
    result.opened = true;
    Reading r { result, {}, 0 };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(har, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        r.error(tr("not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset + 1));
        return result;
    }
    const QJsonObject log = doc.object().value(QStringLiteral("log")).toObject();
    if (!doc.isObject() || log.isEmpty() || !log.value(QStringLiteral("entries")).isArray()) {
        r.error(tr("not a HAR file: no \"log\" object with \"entries\""));
        return result;
    }
    const QJsonObject session = log.value(QStringLiteral("_wsinspectorSession")).toObject();
    result.header.tool = session.value(QStringLiteral("tool")).toString();
    result.header.url = session.value(QStringLiteral("url")).toString();
    result.header.createdUs = isoToUs(session.value(QStringLiteral("created")).toString()).value_or(0);
    for (auto it = session.constBegin(); it != session.constEnd(); ++it) {
        static const QStringList standard = { QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("created"),
                                              QStringLiteral("tool"), QStringLiteral("url") };
        if (!standard.contains(it.key()))
            result.header.extra.insert(it.key(), it.value());
    }
    if (session.isEmpty()) {
        const QJsonObject creator = log.value(QStringLiteral("creator")).toObject();
        result.header.tool = tr("%1 %2 (HAR)").arg(creator.value(QStringLiteral("name")).toString(),
                                                   creator.value(QStringLiteral("version")).toString()).trimmed();
    }
    result.version = SessionFormat::Version;

    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    // Browser entries are numbered after the connections the file numbers itself.
    quint32 nextConnection = 1;
    for (const QJsonValue &e : entries)
        nextConnection = std::max(nextConnection, quint32(e.toObject().value(QStringLiteral("_wsinspectorConnection")).toInt(0)) + 1);
    qsizetype webSockets = 0;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = tr("entry %1").arg(i + 1);
        if (!entries[i].isObject()) {
            r.error(tr("%1: not an object").arg(where));
            continue;
        }
        const QJsonObject entry = entries[i].toObject();
        if (!isWebSocketEntry(entry))
            continue;
        ++webSockets;
        if (entry.value(QStringLiteral("_wsinspectorEvents")).isArray()) {
            readOwnEvents(r, entry.value(QStringLiteral("_wsinspectorEvents")).toArray(),
                          entry.value(QStringLiteral("_wsinspectorOrder")).toArray(), where);
            continue;
        }
        const QString url = entry.value(QStringLiteral("request")).toObject().value(QStringLiteral("url")).toString();
        if (result.header.url.isEmpty())
            result.header.url = url;
        readBrowserEntry(r, entry, nextConnection++, where);
    }
    if (webSockets == 0)
        r.error(tr("the HAR file holds no WebSocket connection (%n entries)", nullptr, int(entries.size())));
    r.finish(into);
    return result;
}

HarReader::Result HarReader::read(QIODevice &device, Capture &into)
{
    return read(device.readAll(), into);
}

HarReader::Result HarReader::load(const QString &path, Capture &into)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Result result;
        result.errors << tr("cannot read \"%1\": %2").arg(path, file.errorString());
        return result;
    }
    return read(file, into);
}
