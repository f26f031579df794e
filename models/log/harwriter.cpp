#include "log/harwriter.h"

#include "log/capture.h"
#include "log/eventtime.h"
#include "log/jsonlwriter.h"
#include "log/outbuffer.h"
#include "log/pcapngwriter.h"
#include "protocol/handshake.h"
#include "protocol/frame.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

#include <optional>

namespace {

quint64 streamKey(quint32 connectionId, Leg leg)
{
    return (quint64(connectionId) << 8) | quint64(leg);
}

// HTTP header bytes as a JSON string: UTF-8 when they are, else read as Latin-1 (RFC 9110's
// historical charset), so that the file stays valid JSON.
void putHeaderText(QByteArray &out, QByteArrayView bytes)
{
    if (!JsonlWriter::appendJsonString(out, bytes)) {
        OutBuffer o(out, 0);
        o.putJsonString(QString::fromLatin1(bytes));
    }
}

void putString(QByteArray &out, QStringView text)
{
    OutBuffer o(out, 0);
    o.putJsonString(text);
}

QByteArray isoMs(qint64 us)
{
    // startedDateTime as Chrome writes it: UTC with milliseconds.
    return EventTime::iso(us - us % 1000).left(23) + 'Z';
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'f', 3);
}

// A message's time, in seconds since 1970 as Chrome writes it, to the microsecond the capture
// has (Chrome's importer keeps every digit), written from the integer so that no rounding of a
// double moves it.
QByteArray seconds(qint64 us)
{
    const QByteArray fraction = QByteArray::number(us % 1'000'000);
    return QByteArray::number(us / 1'000'000) + '.' + QByteArray(6 - fraction.size(), '0') + fraction;
}

void putHeaders(QByteArray &out, const HttpHeaders &headers)
{
    out += '[';
    for (qsizetype i = 0; i < headers.size(); ++i) {
        out += i ? ",{\"name\":" : "{\"name\":";
        putHeaderText(out, headers[i].name);
        out += ",\"value\":";
        putHeaderText(out, headers[i].value);
        out += '}';
    }
    out += ']';
}


// The handshake's head as recorded, split leniently: HAR shows what was sent, valid HTTP or not
// (the strict parsers refuse a header name with a space, which is exactly what a person exporting a
// broken handshake wants to see). Lines end at LF, a CR before it dropped; a header line without a
// colon is a name with an empty value.
struct Head {
    QByteArray first[3]; // method, target, version; or version, status, reason
    HttpHeaders headers;
    qsizetype size = 0; // bytes up to and including the blank line
};

Head splitHead(QByteArrayView raw)
{
    Head head;
    qsizetype pos = 0;
    bool firstLine = true;
    while (pos < raw.size()) {
        qsizetype end = raw.indexOf('\n', pos);
        const qsizetype next = end < 0 ? raw.size() : end + 1;
        if (end < 0)
            end = raw.size();
        QByteArrayView line = raw.sliced(pos, end - pos);
        if (line.endsWith('\r'))
            line.chop(1);
        pos = next;
        if (line.isEmpty())
            break;
        if (firstLine) {
            firstLine = false;
            const qsizetype a = line.indexOf(' ');
            const qsizetype b = a < 0 ? -1 : line.indexOf(' ', a + 1);
            head.first[0] = (a < 0 ? line : line.first(a)).toByteArray();
            head.first[1] = a < 0 ? QByteArray() : (b < 0 ? line.sliced(a + 1) : line.sliced(a + 1, b - a - 1)).toByteArray();
            head.first[2] = b < 0 ? QByteArray() : line.sliced(b + 1).toByteArray();
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        head.headers.append({ (colon < 0 ? line : line.first(colon)).toByteArray(),
                              colon < 0 ? QByteArray() : line.sliced(colon + 1).trimmed().toByteArray() });
    }
    head.size = pos;
    return head;
}

struct StreamEvents {
    PcapngWriter::Stream stream;
    QList<qsizetype> events;
    std::optional<Head> request;
    std::optional<Head> response;
    qsizetype responseBytes = 0; // the whole response as recorded (a refusal's body too)
    qint64 requestUs = 0, responseUs = 0, firstUs = 0, lastUs = 0;
};

QString streamUrl(const StreamEvents &s, const SessionHeader &header)
{
    const QString scheme = s.stream.tls ? QStringLiteral("wss") : QStringLiteral("ws");
    if (s.request) {
        const QByteArray host = HttpHeaderList::value(s.request->headers, "Host");
        if (!host.isEmpty())
            return scheme + QStringLiteral("://") + QString::fromLatin1(host) + QString::fromLatin1(s.request->first[1]);
    }
    return header.url;
}

// The URL's query as HAR's name/value list, decoded: the same list as the headers.
HttpHeaders queryItems(const QString &url)
{
    HttpHeaders items;
    const QUrlQuery query(QUrl(url).query(QUrl::FullyEncoded));
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded))
        items.append({ name.toUtf8(), value.toUtf8() });
    return items;
}

// The data messages of one stream, whole, in Chrome's shape.
void putMessages(QByteArray &out, const Capture &capture, const StreamEvents &s)
{
    struct Pending {
        quint8 opcode = 0;
        QByteArray payload;
    };
    Pending pending[2]; // by direction: 0 in, 1 out
    bool first = true;
    auto begin = [&] {
        out += first ? "\n    " : ",\n    ";
        first = false;
    };
    for (const qsizetype index : s.events) {
        const WireEvent e = capture.event(index);
        if (e.kind == EventKind::Error) {
            begin();
            out += "{\"type\":\"error\",\"time\":" + seconds(e.timeUs) + ",\"opcode\":-1,\"data\":";
            putString(out, QString::fromUtf8(e.payload));
            out += '}';
            continue;
        }
        if (e.kind != EventKind::Frame || Opcode::isControl(e.frame.opcode))
            continue;
        Pending &p = pending[e.direction == Direction::Outgoing ? 1 : 0];
        if (e.frame.opcode != Opcode::Continuation) {
            p.opcode = e.frame.opcode;
            p.payload.clear();
        }
        if (p.opcode == 0) // a continuation without its start: not a message of its own
            continue;
        if (!e.compressed)
            p.payload += e.payload;
        if (!e.frame.fin)
            continue;
        const QByteArray data = e.hasInflated ? e.inflated.toByteArray() : std::exchange(p.payload, QByteArray());
        const bool fromClient = (e.direction == Direction::Outgoing) == s.stream.inspectorIsClient;
        begin();
        out += fromClient ? "{\"type\":\"send\",\"time\":" : "{\"type\":\"receive\",\"time\":";
        out += seconds(e.timeUs);
        out += ",\"opcode\":" + QByteArray::number(p.opcode) + ",\"data\":";
        if (p.opcode != Opcode::Text) {
            out += '"' + data.toBase64() + '"';
        } else if (!JsonlWriter::appendJsonString(out, data)) {
            // Text that is not UTF-8 (the capture keeps why): shown as Chrome would, by code point.
            putString(out, QString::fromUtf8(data));
            out += ",\"_invalidUtf8\":true";
        }
        if (e.payloadDropped)
            out += ",\"_payloadDropped\":true";
        if (e.compressed && !e.hasInflated)
            out += ",\"_notInflated\":true"; // the compressed bytes are in _wsinspectorEvents
        out += '}';
        p.opcode = 0;
    }
    if (!first)
        out += "\n  ";
}

void putEntry(QByteArray &out, const Capture &capture, const SessionHeader &header, const StreamEvents &s)
{
    const QString url = streamUrl(s, header);
    const qint64 startUs = s.request ? s.requestUs : s.firstUs;
    out += "{\n  \"startedDateTime\":\"" + isoMs(startUs) + "\",\n  \"time\":" + number(double(s.lastUs - startUs) / 1000.0);
    out += ",\n  \"request\":{\"method\":";
    putHeaderText(out, s.request ? s.request->first[0] : QByteArray("GET"));
    out += ",\"url\":";
    putString(out, url);
    out += ",\"httpVersion\":";
    putHeaderText(out, s.request ? s.request->first[2] : QByteArray("HTTP/1.1"));
    out += ",\"headers\":";
    putHeaders(out, s.request ? s.request->headers : HttpHeaders());
    out += ",\"queryString\":";
    putHeaders(out, queryItems(url));
    out += ",\"cookies\":[],\"headersSize\":" + QByteArray::number(s.request ? s.request->size : -1) + ",\"bodySize\":0}";
    const qsizetype body = s.response ? s.responseBytes - s.response->size : 0;
    out += ",\n  \"response\":{\"status\":" + QByteArray::number(s.response ? s.response->first[1].toInt() : 0) + ",\"statusText\":";
    putHeaderText(out, s.response ? s.response->first[2] : QByteArray());
    out += ",\"httpVersion\":";
    putHeaderText(out, s.response ? s.response->first[0] : QByteArray());
    out += ",\"headers\":";
    putHeaders(out, s.response ? s.response->headers : HttpHeaders());
    out += ",\"cookies\":[],\"content\":{\"size\":" + QByteArray::number(body)
        + ",\"mimeType\":\"x-unknown\"},\"redirectURL\":\"\",\"headersSize\":"
        + QByteArray::number(s.response ? s.response->size : -1) + ",\"bodySize\":" + QByteArray::number(s.response ? body : -1) + '}';
    // HAR 1.2 lets only blocked, dns, connect and ssl say -1 (not known); send, wait and receive are 0 then.
    const double wait = s.request && s.response ? std::max(0.0, double(s.responseUs - s.requestUs) / 1000.0) : 0;
    const double receive = s.response ? std::max(0.0, double(s.lastUs - s.responseUs) / 1000.0) : 0;
    out += ",\n  \"cache\":{},\n  \"timings\":{\"blocked\":-1,\"dns\":-1,\"ssl\":-1,\"connect\":-1,\"send\":0,\"wait\":"
        + number(wait) + ",\"receive\":" + number(receive) + '}';
    if (s.stream.serverAddressKnown) {
        out += ",\n  \"serverIPAddress\":";
        putString(out, s.stream.serverAddress.toString()); // an IPv6 scope id is any text a peer sent
    }
    if (s.stream.serverPortKnown)
        out += ",\n  \"connection\":\"" + QByteArray::number(s.stream.serverPort) + '"';
    out += ",\n  \"_resourceType\":\"websocket\",\n  \"_webSocketMessages\":[";
    putMessages(out, capture, s);
    out += "],\n  \"_wsinspectorConnection\":" + QByteArray::number(s.stream.connectionId);
    if (s.stream.leg != Leg::None)
        out += ",\n  \"_wsinspectorLeg\":\"" + QByteArray(legKey(s.stream.leg)) + '"';
    // Each event's place in the capture, so that a reader can interleave the entries again.
    out += ",\n  \"_wsinspectorOrder\":[";
    for (qsizetype i = 0; i < s.events.size(); ++i)
        out += (i ? "," : "") + QByteArray::number(s.events[i]);
    out += "],\n  \"_wsinspectorEvents\":[";
    JsonlWriter jsonl;
    for (qsizetype i = 0; i < s.events.size(); ++i) {
        out += i ? ",\n    " : "\n    ";
        jsonl.append(out, capture.event(s.events[i]));
        out.chop(1); // the line's '\n'
    }
    out += s.events.isEmpty() ? "]\n}" : "\n  ]\n}";
}

} // namespace

bool HarWriter::write(const Capture &capture, const SessionHeader &header, QIODevice *out, QString *error)
{
    if (!out || !out->isWritable()) {
        if (error)
            *error = tr("the output is not open for writing");
        return false;
    }
    QList<StreamEvents> streams;
    QHash<quint64, qsizetype> byKey;
    for (const PcapngWriter::Stream &s : PcapngWriter::streams(capture, header)) {
        byKey.insert(streamKey(s.connectionId, s.leg), streams.size());
        streams.append(StreamEvents { s, {}, {}, {}, 0, 0, 0, 0 });
    }
    for (qsizetype i = 0; i < capture.count(); ++i) {
        const WireEvent e = capture.event(i);
        const auto found = byKey.constFind(streamKey(e.connectionId, e.leg));
        if (found == byKey.constEnd())
            continue;
        StreamEvents &s = streams[*found];
        if (s.events.isEmpty())
            s.firstUs = e.timeUs;
        s.lastUs = std::max(s.lastUs, e.timeUs);
        s.events << i;
        if (e.kind == EventKind::HandshakeRequest && !s.request) {
            s.request = splitHead(e.payload);
            s.requestUs = e.timeUs;
        } else if (e.kind == EventKind::HandshakeResponse && !s.response) {
            s.response = splitHead(e.payload);
            s.responseBytes = e.payload.size();
            s.responseUs = e.timeUs;
        }
    }

    QByteArray text = "{\"log\":{\n\"version\":\"1.2\",\n\"creator\":{\"name\":\"WebSocket Inspector\",\"version\":";
    putString(text, QCoreApplication::applicationVersion().isEmpty() ? QStringLiteral("0") : QCoreApplication::applicationVersion());
    text += "},\n\"pages\":[],\n\"_wsinspectorSession\":{\"format\":\"";
    text += SessionFormat::Name;
    text += "\",\"version\":" + QByteArray::number(SessionFormat::Version) + ",\"created\":\""
        + EventTime::iso(header.createdUs ? header.createdUs : EventTime::nowUs()) + '"';
    if (!header.tool.isEmpty()) {
        text += ",\"tool\":";
        putString(text, header.tool);
    }
    if (!header.url.isEmpty()) {
        text += ",\"url\":";
        putString(text, header.url);
    }
    for (auto it = header.extra.constBegin(); it != header.extra.constEnd(); ++it) {
        text += ',';
        putString(text, it.key());
        text += ':' + QJsonDocument(QJsonArray { it.value() }).toJson(QJsonDocument::Compact).chopped(1).sliced(1);
    }
    text += "},\n\"entries\":[";
    bool written = false;
    for (const StreamEvents &s : std::as_const(streams)) {
        text += written ? ",\n" : "\n";
        written = true;
        putEntry(text, capture, header, s);
        if (text.size() > (4 << 20)) {
            if (out->write(text) != text.size()) {
                if (error)
                    *error = out->errorString();
                return false;
            }
            text.clear();
        }
    }
    text += "\n]}}\n";
    if (out->write(text) != text.size()) {
        if (error)
            *error = out->errorString();
        return false;
    }
    return true;
}
