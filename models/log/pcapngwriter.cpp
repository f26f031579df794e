#include "log/pcapngwriter.h"

#include "log/capture.h"
#include "log/interceptnote.h"

#include <QFile>
#include <QHash>
#include <QSet>
#include <QUrl>
#include <QtEndian>

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

namespace {
// pcapng (draft-ietf-opsawg-pcapng): block types, option codes, the link type.
constexpr quint32 SectionHeaderBlock = 0x0A0D0D0A;
constexpr quint32 InterfaceDescriptionBlock = 1;
constexpr quint32 NameResolutionBlock = 4;
constexpr quint32 EnhancedPacketBlock = 6;
constexpr quint16 OptComment = 1;
constexpr quint16 ShbUserApplication = 4;
constexpr quint16 IfName = 2;
constexpr quint16 IfDescription = 3;
constexpr quint16 IfTsResolution = 9;
constexpr quint16 NrbIpv4 = 1;
constexpr quint16 NrbIpv6 = 2;
constexpr quint16 LinkTypeRaw = 101; // a raw IPv4 or IPv6 packet, told apart by its version field

constexpr int Ipv4HeaderSize = 20;
constexpr int Ipv6HeaderSize = 40;
constexpr int TcpHeaderSize = 20;
// The largest IP packet: IPv4's total length and IPv6's payload length are 16-bit fields.
constexpr qsizetype MaxIpv4Segment = 65535 - Ipv4HeaderSize - TcpHeaderSize;
constexpr qsizetype MaxIpv6Segment = 65535 - TcpHeaderSize;
constexpr quint8 WindowScale = 14; // 65,535 << 14: a window no frame fills, as no ACK is made up
constexpr quint16 SynthesizedPortBase = 40000;

constexpr quint8 TcpFin = 0x01, TcpSyn = 0x02, TcpPush = 0x08, TcpAck = 0x10;

constexpr qsizetype FlushBytes = 4 << 20;

quint64 streamKey(quint32 connectionId, Leg leg)
{
    return (quint64(connectionId) << 2) | quint64(leg);
}

Leg otherLeg(Leg leg)
{
    return leg == Leg::App ? Leg::Server : Leg::App;
}

quint16 defaultPort(QStringView scheme, bool tls)
{
    if (scheme == u"wss" || scheme == u"https")
        return 443;
    if (scheme == u"ws" || scheme == u"http")
        return 80;
    return tls ? 443 : 80;
}

struct HostPort {
    QString host; // without brackets; lower case
    int port = -1;
};

// The Host header of a handshake request: "example.com", "127.0.0.1:9000", "[::1]:8080".
std::optional<HostPort> hostHeader(QByteArrayView request)
{
    qsizetype lineStart = request.indexOf('\n');
    while (lineStart >= 0 && lineStart + 1 < request.size()) {
        const qsizetype start = lineStart + 1;
        const qsizetype end = request.indexOf('\n', start);
        QByteArrayView line = request.sliced(start, (end < 0 ? request.size() : end) - start);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break; // end of the head
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare("host", Qt::CaseInsensitive) == 0) {
            const QString value = QString::fromLatin1(line.sliced(colon + 1).trimmed()).toLower();
            HostPort result;
            QString portText;
            if (value.startsWith(u'[')) {
                const qsizetype close = value.indexOf(u']');
                if (close < 0)
                    return std::nullopt;
                result.host = value.mid(1, close - 1);
                if (value.size() > close + 1 && value[close + 1] == u':')
                    portText = value.mid(close + 2);
            } else {
                const qsizetype portColon = value.indexOf(u':');
                result.host = value.left(portColon);
                if (portColon >= 0 && value.indexOf(u':', portColon + 1) < 0)
                    portText = value.mid(portColon + 1);
                else if (portColon >= 0)
                    result.host = value; // an IPv6 address without brackets: no port
            }
            if (!portText.isEmpty()) {
                bool ok = false;
                const uint port = portText.toUInt(&ok);
                if (ok && port > 0 && port <= 65535)
                    result.port = int(port);
            }
            if (result.host.isEmpty())
                return std::nullopt;
            return result;
        }
        lineStart = end;
    }
    return std::nullopt;
}

QHostAddress plainAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address; // ::ffff:127.0.0.1 as 127.0.0.1
}

// The first "address:port" in a text the engines wrote ("application 127.0.0.1:55126 connected",
// "client [::1]:5555 connected"; a URL such as ws://127.0.0.1:9200/ is no address).
std::optional<std::pair<QHostAddress, quint16>> endpointIn(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i].isSpace())
            ++i;
        qsizetype end = i;
        while (end < text.size() && !text[end].isSpace())
            ++end;
        QStringView token = text.sliced(i, end - i);
        i = end;
        while (!token.isEmpty() && (token.front() == u'(' || token.front() == u'"'))
            token = token.sliced(1);
        while (!token.isEmpty() && QStringView(u"),;.\"").contains(token.back()))
            token.chop(1);
        QStringView address, port;
        if (token.startsWith(u'[')) {
            const qsizetype close = token.indexOf(u']');
            if (close < 0 || close + 1 >= token.size() || token[close + 1] != u':')
                continue;
            address = token.sliced(1, close - 1);
            port = token.sliced(close + 2);
        } else {
            const qsizetype colon = token.lastIndexOf(u':');
            if (colon <= 0)
                continue;
            address = token.first(colon);
            port = token.sliced(colon + 1);
        }
        bool ok = false;
        const uint number = port.toUInt(&ok);
        QHostAddress parsed;
        if (!ok || number == 0 || number > 65535 || !parsed.setAddress(address.toString()))
            continue;
        return std::make_pair(plainAddress(parsed), quint16(number));
    }
    return std::nullopt;
}

QString endpointText(const QHostAddress &address, quint16 port)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

QString legText(Leg leg)
{
    switch (leg) {
    case Leg::App:
        return PcapngWriter::tr(", relay's application leg");
    case Leg::Server:
        return PcapngWriter::tr(", relay's server leg");
    case Leg::None:
        break;
    }
    return {};
}

// What the first pass finds out about each stream besides its Stream.
struct StreamFacts {
    bool hasRequest = false;
    QByteArray request;
    std::optional<bool> clientByFrame; // the role as the first frame's masking shows it
    std::optional<std::pair<QHostAddress, quint16>> peerInText;
    bool ownWire = false; // a handshake or frame recorded on this stream itself
    QString serverSource; // for the SYN's comment: where the server's endpoint came from
};

struct Analysis {
    QList<PcapngWriter::Stream> streams;
    std::vector<StreamFacts> facts;
    QHash<quint64, int> index; // streamKey -> streams
    // A relay's intercept (keys: streamKey of the leg the message came from, message id).
    QSet<QPair<quint64, quint32>> notForwarded;
    QHash<QPair<quint64, quint32>, qint64> forwardedAt;
    QList<QPair<QHostAddress, QString>> names; // made-up addresses and the host names they stand for
    QStringList notWritten;

    int streamOf(const WireEvent &e) const { return index.value(streamKey(e.connectionId, e.leg), -1); }
    // The stream a relay forwards this frame into, -1 if none.
    int mirrorOf(const WireEvent &e) const
    {
        if (e.kind != EventKind::Frame || e.direction != Direction::Incoming || e.leg == Leg::None)
            return -1;
        const int target = index.value(streamKey(e.connectionId, otherLeg(e.leg)), -1);
        if (target < 0 || !facts[size_t(target)].ownWire)
            return -1;
        if (e.messageId && notForwarded.contains({ streamKey(e.connectionId, e.leg), e.messageId }))
            return -1;
        return target;
    }
};

Analysis analyse(const Capture &capture, const SessionHeader &header)
{
    Analysis a;
    QSet<quint32> closedConnections;
    for (qsizetype i = 0; i < capture.count(); ++i) {
        const WireEvent e = capture.event(i);
        const quint64 key = streamKey(e.connectionId, e.leg);
        auto found = a.index.constFind(key);
        if (found == a.index.constEnd()) {
            found = a.index.insert(key, int(a.streams.size()));
            PcapngWriter::Stream s;
            s.connectionId = e.connectionId;
            s.leg = e.leg;
            a.streams << s;
            a.facts.emplace_back();
        }
        PcapngWriter::Stream &s = a.streams[*found];
        StreamFacts &f = a.facts[size_t(*found)];
        switch (e.kind) {
        case EventKind::HandshakeRequest:
            if (!f.hasRequest) {
                f.hasRequest = true;
                f.request = e.payload.toByteArray();
                s.inspectorIsClient = e.direction == Direction::Outgoing;
            }
            f.ownWire = true;
            break;
        case EventKind::HandshakeResponse:
            f.ownWire = true;
            break;
        case EventKind::Frame:
            f.ownWire = true;
            if (!f.clientByFrame)
                f.clientByFrame = (e.direction == Direction::Outgoing) == e.frame.masked;
            break;
        case EventKind::TlsInfo:
            s.tls = true;
            break;
        case EventKind::StateChange:
            if (e.state == ReadyState::Closed)
                closedConnections.insert(e.connectionId);
            if (!f.peerInText)
                f.peerInText = endpointIn(QString::fromUtf8(e.payload));
            break;
        case EventKind::Intercept:
            if (const auto note = InterceptNote::fromJson(e.payload); note && note->message) {
                const QPair<quint64, quint32> message { key, note->message };
                if (note->action == InterceptNote::Action::Forwarded)
                    a.forwardedAt.insert(message, e.timeUs);
                else if (note->action != InterceptNote::Action::Held)
                    a.notForwarded.insert(message); // edited (sent as the other leg's own frame), dropped, undelivered
            }
            break;
        default:
            break;
        }
    }

    const QUrl url(header.url);
    const bool urlUsable = url.isValid() && !url.host().isEmpty();
    QHash<QString, int> nameIndex;
    auto addressForName = [&a, &nameIndex](const QString &name) {
        auto it = nameIndex.constFind(name);
        if (it == nameIndex.constEnd()) {
            const int n = int(a.names.size());
            // 198.51.100.0/24, then 203.0.113.0/24 (RFC 5737, documentation only), then around again.
            const quint32 base = (n / 254) % 2 == 0 ? 0xC6336400u : 0xCB007100u;
            a.names << qMakePair(QHostAddress(base + quint32(n % 254) + 1), name);
            it = nameIndex.insert(name, n);
        }
        return a.names[*it].first;
    };

    QSet<QString> fourTuples;
    for (qsizetype n = 0; n < a.streams.size(); ++n) {
        PcapngWriter::Stream &s = a.streams[n];
        StreamFacts &f = a.facts[size_t(n)];
        if (!f.hasRequest)
            s.inspectorIsClient = f.clientByFrame.value_or(s.leg != Leg::App);
        s.closed = closedConnections.contains(s.connectionId);

        // The server: the Host header, the session URL for what it leaves out.
        const std::optional<HostPort> host = f.hasRequest ? hostHeader(f.request) : std::nullopt;
        const bool urlIsThisServer = urlUsable && (!host || host->host.compare(url.host(), Qt::CaseInsensitive) == 0);
        if (urlIsThisServer && !s.tls && (url.scheme() == u"wss" || url.scheme() == u"https"))
            s.tls = true;
        QString serverHost;
        if (host) {
            serverHost = host->host;
            f.serverSource = PcapngWriter::tr("Host header");
        } else if (urlUsable) {
            serverHost = url.host().toLower();
            f.serverSource = PcapngWriter::tr("session URL");
        }
        int port = host ? host->port : -1;
        if (port < 0 && urlIsThisServer)
            port = url.port(defaultPort(url.scheme(), s.tls));
        s.serverPortKnown = port > 0 || !serverHost.isEmpty();
        s.serverPort = quint16(port > 0 ? port : defaultPort({}, s.tls));
        QHostAddress parsed;
        if (!serverHost.isEmpty() && parsed.setAddress(serverHost)) {
            s.serverAddress = plainAddress(parsed);
            s.serverAddressKnown = true;
        } else if (serverHost == u"localhost") {
            s.serverAddress = QHostAddress(QHostAddress::LocalHost);
            s.serverAddressKnown = true;
        } else {
            s.serverName = serverHost.isEmpty() ? PcapngWriter::tr("unknown server") : serverHost;
            s.serverAddress = addressForName(s.serverName);
        }

        // The client: known where the inspector was the server and an engine named its peer.
        if (!s.inspectorIsClient && f.peerInText) {
            s.clientAddress = f.peerInText->first;
            s.clientPort = f.peerInText->second;
            s.clientAddressKnown = s.clientPortKnown = true;
        }
        const bool v6 = s.serverAddress.protocol() == QAbstractSocket::IPv6Protocol;
        if (!s.clientAddressKnown) {
            if (s.serverAddress.isLoopback())
                s.clientAddress
                    = v6 ? QHostAddress(QHostAddress::LocalHostIPv6) : QHostAddress(QHostAddress::LocalHost);
            else
                s.clientAddress = v6 ? QHostAddress(QStringLiteral("2001:db8::1")) : QHostAddress(quint32(0xC0000201));
        }
        // One IP version per packet: an IPv4 address meets an IPv6 one as ::ffff:a.b.c.d.
        if (s.clientAddress.protocol() != s.serverAddress.protocol()) {
            auto mapped
                = [](const QHostAddress &v4) { return QHostAddress(QStringLiteral("::ffff:") + v4.toString()); };
            if (s.clientAddress.protocol() == QAbstractSocket::IPv4Protocol)
                s.clientAddress = mapped(s.clientAddress);
            else
                s.serverAddress = mapped(s.serverAddress);
        }
        auto tuple = [&s] {
            return endpointText(s.clientAddress, s.clientPort) + u'>' + endpointText(s.serverAddress, s.serverPort);
        };
        if (!s.clientPortKnown) {
            quint32 offset = s.connectionId % 20000;
            do {
                s.clientPort = quint16(SynthesizedPortBase + offset);
                offset = (offset + 1) % 20000;
            } while (fourTuples.contains(tuple()));
        }
        fourTuples.insert(tuple());
    }

    // A relay leg with bytes of its own also carries what the other leg's peer sent (mirrorOf()); one
    // without (the server never reached) carries nothing.
    for (qsizetype n = 0; n < a.streams.size(); ++n)
        a.streams[n].onWire = a.facts[size_t(n)].ownWire;
    for (const PcapngWriter::Stream &s : std::as_const(a.streams))
        if (!s.onWire)
            a.notWritten << PcapngWriter::tr("connection %1%2").arg(s.connectionId).arg(legText(s.leg));
    return a;
}

// Output: little-endian pcapng blocks, buffered.
class BlockWriter {
public:
    explicit BlockWriter(QIODevice *device)
        : m_device(device)
    {
    }
    void u16(quint16 v)
    {
        const quint16 le = qToLittleEndian(v);
        m_block.append(reinterpret_cast<const char *>(&le), 2);
    }
    void u32(quint32 v)
    {
        const quint32 le = qToLittleEndian(v);
        m_block.append(reinterpret_cast<const char *>(&le), 4);
    }
    void bytes(QByteArrayView data)
    {
        m_block.append(data.data(), data.size());
        pad();
    }
    void pad()
    {
        while (m_block.size() % 4)
            m_block.append('\0');
    }
    void option(quint16 code, QByteArrayView value)
    {
        u16(code);
        u16(quint16(value.size()));
        bytes(value);
    }
    void comment(const QString &text)
    {
        // An option's length is 16 bits.
        QByteArray utf8 = text.toUtf8();
        if (utf8.size() > 65000)
            utf8 = utf8.first(65000);
        option(OptComment, utf8);
    }
    void endOfOptions() { u32(0); }
    // Starts a block: its type and a length filled in by finish().
    void begin(quint32 type)
    {
        m_block.clear();
        u32(type);
        u32(0);
    }
    bool finish()
    {
        const quint32 total = quint32(m_block.size() + 4);
        u32(total);
        const quint32 le = qToLittleEndian(total);
        std::memcpy(m_block.data() + 4, &le, 4);
        m_out += m_block;
        return !m_failed && (m_out.size() < FlushBytes || flush());
    }
    bool flush()
    {
        if (m_failed)
            return false;
        if (!m_out.isEmpty() && m_device->write(m_out) != m_out.size()) {
            m_failed = true;
            return false;
        }
        m_out.truncate(0);
        return true;
    }
    QByteArray &block() { return m_block; }

private:
    QIODevice *m_device;
    QByteArray m_block;
    QByteArray m_out;
    bool m_failed = false;
};

// The bytes of one wire event as they crossed: a handshake's, or a frame's header and its payload
// masked again with the header's key (zeros when the budget dropped the payload).
struct WireBytes {
    QByteArrayView head;
    QByteArrayView body;
    qint64 zeros = 0; // a dropped payload: this many zero bytes instead of `body`
    bool mask = false;
    quint32 key = 0;

    explicit WireBytes(const WireEvent &e)
    {
        if (e.kind != EventKind::Frame) {
            body = e.payload;
            return;
        }
        head = e.header;
        body = e.payload;
        mask = e.frame.masked;
        key = e.frame.maskingKey;
        if (e.payloadDropped && e.payload.isEmpty())
            zeros = qint64(std::min<quint64>(e.frame.declaredLength, quint64(1) << 40));
    }
    qint64 size() const { return head.size() + body.size() + zeros; }
    // Copies `length` bytes from `offset` into `out`.
    void copy(char *out, qint64 offset, qint64 length) const
    {
        if (offset < head.size()) {
            const qint64 n = std::min<qint64>(length, head.size() - offset);
            std::memcpy(out, head.data() + offset, size_t(n));
            out += n;
            offset += n;
            length -= n;
        }
        if (length <= 0)
            return;
        const qint64 bodyOffset = offset - head.size();
        if (zeros)
            std::memset(out, 0, size_t(length));
        else
            std::memcpy(out, body.data() + bodyOffset, size_t(length));
        if (mask)
            applyMask(out, qsizetype(length), key, quint64(bodyOffset));
    }
};

quint32 checksumAdd(quint32 sum, const char *data, qsizetype size)
{
    const auto *p = reinterpret_cast<const uchar *>(data);
    quint64 acc = sum;
    qsizetype i = 0;
    for (; i + 1 < size; i += 2)
        acc += quint32(p[i]) << 8 | p[i + 1];
    if (i < size)
        acc += quint32(p[i]) << 8;
    while (acc >> 16)
        acc = (acc & 0xFFFF) + (acc >> 16);
    return quint32(acc);
}

void put16(char *at, quint16 v)
{
    qToBigEndian(v, at);
}
void put32(char *at, quint32 v)
{
    qToBigEndian(v, at);
}

// A stream's TCP state while writing.
struct Flow {
    QByteArray client, server; // addresses in network order, 4 or 16 bytes
    quint16 clientPort = 0, serverPort = 0;
    bool v6 = false;
    quint32 clientNext = 0, serverNext = 0; // next sequence numbers
    quint16 clientIpId = 0, serverIpId = 0;
    qsizetype maxSegment() const { return v6 ? MaxIpv6Segment : MaxIpv4Segment; }
};

QByteArray addressBytes(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        QByteArray out(4, Qt::Uninitialized);
        put32(out.data(), address.toIPv4Address());
        return out;
    }
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(v6.c), 16);
}

// Builds one IP packet carrying a TCP segment into `packet`.
void buildPacket(QByteArray &packet, Flow &flow, bool fromClient, quint8 flags, QByteArrayView options,
    const WireBytes *bytes, qint64 offset, qint64 length)
{
    const int ipSize = flow.v6 ? Ipv6HeaderSize : Ipv4HeaderSize;
    const int tcpSize = TcpHeaderSize + int(options.size());
    const qsizetype total = ipSize + tcpSize + length;
    packet.resize(total);
    char *p = packet.data();
    const QByteArray &src = fromClient ? flow.client : flow.server;
    const QByteArray &dst = fromClient ? flow.server : flow.client;
    if (flow.v6) {
        put32(p, 0x60000000u);
        put16(p + 4, quint16(tcpSize + length));
        p[6] = 6; // TCP
        p[7] = 64; // hop limit
        std::memcpy(p + 8, src.constData(), 16);
        std::memcpy(p + 24, dst.constData(), 16);
    } else {
        quint16 &id = fromClient ? flow.clientIpId : flow.serverIpId;
        p[0] = 0x45;
        p[1] = 0;
        put16(p + 2, quint16(total));
        put16(p + 4, id++);
        put16(p + 6, 0x4000); // don't fragment
        p[8] = 64; // TTL
        p[9] = 6; // TCP
        put16(p + 10, 0);
        std::memcpy(p + 12, src.constData(), 4);
        std::memcpy(p + 16, dst.constData(), 4);
        put16(p + 10, quint16(~checksumAdd(0, p, Ipv4HeaderSize)));
    }
    char *t = p + ipSize;
    quint32 &seq = fromClient ? flow.clientNext : flow.serverNext;
    const quint32 ack = fromClient ? flow.serverNext : flow.clientNext;
    put16(t, fromClient ? flow.clientPort : flow.serverPort);
    put16(t + 2, fromClient ? flow.serverPort : flow.clientPort);
    put32(t + 4, seq);
    put32(t + 8, (flags & TcpAck) ? ack : 0);
    t[12] = char((tcpSize / 4) << 4);
    t[13] = char(flags);
    put16(t + 14, 0xFFFF); // window (scaled by WindowScale after the handshake)
    put16(t + 16, 0);
    put16(t + 18, 0);
    if (!options.isEmpty())
        std::memcpy(t + TcpHeaderSize, options.data(), size_t(options.size()));
    if (bytes && length > 0)
        bytes->copy(t + tcpSize, offset, length);
    // Pseudo-header: addresses, protocol, TCP length.
    quint32 sum = checksumAdd(0, src.constData(), src.size());
    sum = checksumAdd(sum, dst.constData(), dst.size());
    char tail[8] = {};
    if (flow.v6) {
        put32(tail, quint32(tcpSize + length));
        tail[7] = 6;
        sum = checksumAdd(sum, tail, 8);
    } else {
        tail[1] = 6;
        put16(tail + 2, quint16(tcpSize + length));
        sum = checksumAdd(sum, tail, 4);
    }
    sum = checksumAdd(sum, t, tcpSize + length);
    put16(t + 16, quint16(~sum));
    seq += quint32(length) + ((flags & (TcpSyn | TcpFin)) ? 1 : 0);
}

enum class ItemType : quint8 { Open, Data, Mirror, Note, Close };

struct Item {
    qint64 timeUs;
    qint32 event; // capture index (Data, Mirror, Note)
    qint32 stream;
    ItemType type;
    bool fromClient;
};

QString noteText(const WireEvent &e)
{
    const QString text = QString::fromUtf8(e.payload);
    switch (e.kind) {
    case EventKind::Violation:
        return PcapngWriter::tr("violation %1 (%2): %3")
            .arg(Violation::ruleId(e.violation), Violation::rfcReference(e.violation), text);
    case EventKind::StateChange:
        return PcapngWriter::tr("state: %1").arg(text);
    case EventKind::TlsInfo:
        return PcapngWriter::tr("TLS: %1").arg(text);
    case EventKind::Error:
        return PcapngWriter::tr("error: %1").arg(text);
    case EventKind::Api:
        return PcapngWriter::tr("Qt API: %1").arg(text);
    case EventKind::Intercept:
        if (const auto note = InterceptNote::fromJson(e.payload))
            return PcapngWriter::tr("intercept: %1").arg(note->summary());
        return PcapngWriter::tr("intercept: %1").arg(text);
    default:
        return text;
    }
}

QString streamDescription(const PcapngWriter::Stream &s, const StreamFacts &f)
{
    QString client = endpointText(s.clientAddress, s.clientPort);
    if (!s.clientAddressKnown)
        client += PcapngWriter::tr(" (made up: the capture does not record the client's address and port)");
    QString server = endpointText(s.serverAddress, s.serverPort);
    if (!s.serverName.isEmpty())
        server += PcapngWriter::tr(" (address made up for \"%1\", from the %2)").arg(s.serverName, f.serverSource);
    else if (!f.serverSource.isEmpty())
        server += PcapngWriter::tr(" (from the %1)").arg(f.serverSource);
    QString text = PcapngWriter::tr("connection %1%2: client %3, server %4; the inspector was the %5")
                       .arg(s.connectionId)
                       .arg(legText(s.leg), client, server,
                           s.inspectorIsClient ? PcapngWriter::tr("client") : PcapngWriter::tr("server"));
    if (s.tls)
        text += PcapngWriter::tr(". wss:// (TLS): written as the decrypted bytes; decode TCP port %1 as HTTP "
                                 "(tshark -d tcp.port==%1,http)")
                    .arg(s.serverPort);
    return text;
}

QString sectionComment(const Analysis &a, const SessionHeader &header, const QStringList &decodeArgs)
{
    QString text
        = PcapngWriter::tr(
            "WebSocket Inspector capture%1, converted to packets. The TCP/IP headers are made up around the "
            "bytes the inspector recorded: each handshake and frame is sent as TCP segments with the time it was "
            "recorded; SYN at each connection's first event, FIN (the server's first) at its last once it closed. "
            "Addresses and ports are real where the "
            "capture records them (the server's from the Host header or the session URL, the peer of an inspector "
            "that played the server from its log); where it does not, they are made up: the inspector's own "
            "address as 127.0.0.1 or ::1 toward a loopback server, 192.0.2.1 or 2001:db8::1 otherwise, its port as "
            "40000 + the connection id, a server known only by name as 198.51.100.N or 203.0.113.N (see the name "
            "resolution block). Each connection's SYN comment says which. wss:// connections are written decrypted "
            "on their real port. Decode the server ports as HTTP to see WebSocket on any port: tshark -r FILE %2 "
            "(Wireshark: Analyze > Decode As…, TCP port, HTTP). State changes, violations, errors and the "
            "like are comments on the packet of their connection nearest in time.")
              .arg(header.url.isEmpty() ? QString() : QStringLiteral(" of ") + header.url, decodeArgs.join(u' '));
    if (!a.notWritten.isEmpty())
        text += PcapngWriter::tr(" Not written, as no byte of them was recorded on the wire: %1.")
                    .arg(a.notWritten.join(QStringLiteral(", ")));
    return text;
}

// Every packet to write, in capture order first: each stream's opening, its wire events (and what a
// relay forwarded into it), its notes, its closing; then sorted by time. Within a stream and
// direction the times are made non-decreasing, so that the sort keeps the bytes in the order they
// crossed.
std::vector<Item> plan(const Capture &capture, const Analysis &a)
{
    std::vector<Item> items;
    items.reserve(size_t(capture.count()) + size_t(a.streams.size()) * 2);
    std::vector<qint64> last(size_t(a.streams.size()) * 2, std::numeric_limits<qint64>::min());
    std::vector<qint64> streamEnd(size_t(a.streams.size()), std::numeric_limits<qint64>::min());
    std::vector<bool> opened(size_t(a.streams.size()), false);
    auto push = [&](qint32 stream, ItemType type, qint32 event, qint64 timeUs, bool fromClient) {
        if (!opened[size_t(stream)]) {
            opened[size_t(stream)] = true;
            items.push_back({ timeUs, -1, stream, ItemType::Open, true });
            last[size_t(stream) * 2] = last[size_t(stream) * 2 + 1] = timeUs;
            streamEnd[size_t(stream)] = timeUs;
        }
        if (type == ItemType::Data || type == ItemType::Mirror) {
            qint64 &previous = last[size_t(stream) * 2 + (fromClient ? 0 : 1)];
            timeUs = std::max(timeUs, previous);
            previous = timeUs;
        }
        streamEnd[size_t(stream)] = std::max(streamEnd[size_t(stream)], timeUs);
        items.push_back({ timeUs, event, stream, type, fromClient });
    };
    std::vector<bool> requestPushed(size_t(a.streams.size()), false);
    QHash<int, QList<qsizetype>> deferred; // mirrored frames waiting for their stream's request
    auto pushMirror = [&](int target, qsizetype index) {
        const WireEvent e = capture.event(index);
        qint64 at = e.timeUs + std::max<qint32>(e.relayDelayUs, 0);
        if (e.messageId)
            at = std::max(at, a.forwardedAt.value({ streamKey(e.connectionId, e.leg), e.messageId }, at));
        push(target, ItemType::Mirror, qint32(index), at, a.streams[target].inspectorIsClient);
    };
    for (qsizetype i = 0; i < capture.count(); ++i) {
        const WireEvent e = capture.event(i);
        const int stream = a.streamOf(e);
        const PcapngWriter::Stream &s = a.streams[stream];
        if (s.onWire) {
            switch (e.kind) {
            case EventKind::HandshakeRequest:
            case EventKind::HandshakeResponse:
            case EventKind::Frame:
                push(stream, ItemType::Data, qint32(i), e.timeUs,
                    (e.direction == Direction::Outgoing) == s.inspectorIsClient);
                break;
            default:
                push(stream, ItemType::Note, qint32(i), e.timeUs, true);
                break;
            }
        }
        if (e.kind == EventKind::HandshakeRequest && s.onWire && !requestPushed[size_t(stream)]) {
            requestPushed[size_t(stream)] = true;
            for (qsizetype early : std::as_const(deferred[stream]))
                pushMirror(stream, early);
            deferred.remove(stream);
        }
        if (const int target = a.mirrorOf(e); target >= 0) {
            // Forwarded frames follow the request the relay sent on.
            if (a.facts[size_t(target)].hasRequest && !requestPushed[size_t(target)])
                deferred[target] << i;
            else
                pushMirror(target, i);
        }
    }
    for (auto it = deferred.cbegin(); it != deferred.cend(); ++it)
        for (qsizetype early : it.value())
            pushMirror(it.key(), early);
    for (qsizetype n = 0; n < a.streams.size(); ++n)
        if (opened[size_t(n)] && a.streams[n].closed)
            items.push_back({ streamEnd[size_t(n)], -1, qint32(n), ItemType::Close, true });
    std::stable_sort(items.begin(), items.end(), [](const Item &x, const Item &y) { return x.timeUs < y.timeUs; });

    return items;
}

// Each note goes on the packet of its stream nearest in time; on the next one when both are as near
// (a violation is recorded just before its frame, CLOSED at the time of the FIN), on the previous
// one when nothing follows. Returns, for each packet item, its note items in the order recorded.
QHash<qsizetype, QList<qsizetype>> placeNotes(const std::vector<Item> &items)
{
    QHash<qsizetype, QList<qsizetype>> notesOf;
    QHash<qint32, QList<qsizetype>> pending; // notes waiting for their stream's next packet
    QHash<qint32, qsizetype> lastPacket;
    auto settle = [&](qint32 stream, std::optional<qsizetype> next) {
        auto it = pending.find(stream);
        if (it == pending.end())
            return;
        const auto previous = lastPacket.constFind(stream);
        for (qsizetype note : std::as_const(*it)) {
            qsizetype target;
            if (!next)
                target = *previous;
            else if (previous == lastPacket.constEnd())
                target = *next;
            else
                target = items[size_t(note)].timeUs - items[size_t(*previous)].timeUs
                        < items[size_t(*next)].timeUs - items[size_t(note)].timeUs
                    ? *previous
                    : *next;
            notesOf[target] << note;
        }
        pending.erase(it);
    };
    for (size_t k = 0; k < items.size(); ++k) {
        const Item &item = items[k];
        if (item.type == ItemType::Note) {
            pending[item.stream] << qsizetype(k);
            continue;
        }
        settle(item.stream, qsizetype(k));
        lastPacket[item.stream] = qsizetype(k);
    }
    const QList<qint32> waiting = pending.keys();
    for (qint32 stream : waiting)
        settle(stream, std::nullopt);
    // In the order the notes were recorded, whichever side of the packet they were on.
    for (auto it = notesOf.begin(); it != notesOf.end(); ++it)
        std::sort(it->begin(), it->end());

    return notesOf;
}

// The section header (with the file's comment), the interface, the names of made-up addresses.
void writeHeaderBlocks(BlockWriter &w, const Analysis &a, const SessionHeader &header)
{
    const QStringList decodeArgs = PcapngWriter::tsharkDecodeArguments(a.streams);
    // Section header: byte-order magic, version 1.0, length unknown (-1).
    w.begin(SectionHeaderBlock);
    w.u32(0x1A2B3C4D);
    w.u16(1);
    w.u16(0);
    w.u32(0xFFFFFFFF);
    w.u32(0xFFFFFFFF);
    w.comment(sectionComment(a, header, decodeArgs));
    w.option(ShbUserApplication, (header.tool.isEmpty() ? QStringLiteral("wsinspector") : header.tool).toUtf8());
    w.endOfOptions();
    w.finish();

    w.begin(InterfaceDescriptionBlock);
    w.u16(LinkTypeRaw);
    w.u16(0);
    w.u32(0); // no snapshot length limit
    w.option(IfName, "wsinspector");
    w.option(IfDescription,
        PcapngWriter::tr("TCP/IP synthesized around the bytes of a WebSocket Inspector capture").toUtf8());
    const char microseconds = 6;
    w.option(IfTsResolution, QByteArrayView(&microseconds, 1));
    w.endOfOptions();
    w.finish();

    if (!a.names.isEmpty()) {
        w.begin(NameResolutionBlock);
        for (const auto &[address, name] : a.names) {
            const QByteArray value = addressBytes(address) + name.toUtf8() + '\0';
            w.option(address.protocol() == QAbstractSocket::IPv6Protocol ? NrbIpv6 : NrbIpv4, value);
        }
        w.u32(0); // nrb_record_end
        w.finish();
    }
}
} // namespace

QList<PcapngWriter::Stream> PcapngWriter::streams(const Capture &capture, const SessionHeader &header)
{
    return analyse(capture, header).streams;
}

QStringList PcapngWriter::tsharkDecodeArguments(const QList<Stream> &streams)
{
    QList<quint16> ports;
    for (const Stream &s : streams)
        if (s.onWire && !ports.contains(s.serverPort))
            ports << s.serverPort;
    std::sort(ports.begin(), ports.end());
    QStringList args;
    for (quint16 port : std::as_const(ports))
        args << QStringLiteral("-d") << QStringLiteral("tcp.port==%1,http").arg(port);
    return args;
}

bool PcapngWriter::write(const Capture &capture, const SessionHeader &header, QIODevice *out, QString *error)
{
    if (!out || !out->isWritable()) {
        if (error)
            *error = tr("the output is not open for writing");
        return false;
    }
    const Analysis a = analyse(capture, header);

    const std::vector<Item> items = plan(capture, a);
    const QHash<qsizetype, QList<qsizetype>> notesOf = placeNotes(items);

    BlockWriter w(out);
    auto fail = [&] {
        if (error)
            *error = out->errorString();
        return false;
    };
    writeHeaderBlocks(w, a, header);

    std::vector<Flow> flows(size_t(a.streams.size()));
    QByteArray packet;
    auto writePacket = [&](qint64 timeUs, const QStringList &comments) {
        w.begin(EnhancedPacketBlock);
        w.u32(0); // interface
        const quint64 ts = quint64(timeUs);
        w.u32(quint32(ts >> 32));
        w.u32(quint32(ts));
        w.u32(quint32(packet.size()));
        w.u32(quint32(packet.size()));
        w.bytes(packet);
        for (const QString &c : comments)
            w.comment(c);
        if (!comments.isEmpty())
            w.endOfOptions();
        return w.finish();
    };
    auto segment = [&](Flow &flow, bool fromClient, quint8 flags, qint64 timeUs, const QStringList &comments,
                       QByteArrayView options = {}) {
        buildPacket(packet, flow, fromClient, flags, options, nullptr, 0, 0);
        return writePacket(timeUs, comments);
    };

    for (size_t k = 0; k < items.size(); ++k) {
        const Item &item = items[k];
        if (item.type == ItemType::Note)
            continue;
        const Stream &s = a.streams[item.stream];
        Flow &flow = flows[size_t(item.stream)];
        QStringList comments;
        if (auto it = notesOf.constFind(qsizetype(k)); it != notesOf.constEnd())
            for (qsizetype note : *it)
                comments << noteText(capture.event(items[size_t(note)].event));
        bool ok = true;
        switch (item.type) {
        case ItemType::Open: {
            flow.client = addressBytes(s.clientAddress);
            flow.server = addressBytes(s.serverAddress);
            flow.v6 = flow.client.size() == 16;
            flow.clientPort = s.clientPort;
            flow.serverPort = s.serverPort;
            // Fixed initial sequence numbers that differ between streams: the same capture gives the same file.
            flow.clientNext = 0x1000000u + s.connectionId * 2654435761u + quint32(s.leg) * 0x10000u;
            flow.serverNext = ~flow.clientNext;
            char options[8];
            options[0] = 2; // MSS
            options[1] = 4;
            put16(options + 2, quint16(flow.maxSegment()));
            options[4] = 1; // NOP
            options[5] = 3; // window scale
            options[6] = 3;
            options[7] = char(WindowScale);
            comments.prepend(streamDescription(s, a.facts[size_t(item.stream)]));
            ok = segment(flow, true, TcpSyn, item.timeUs, comments, QByteArrayView(options, 8))
                && segment(flow, false, TcpSyn | TcpAck, item.timeUs, {}, QByteArrayView(options, 8))
                && segment(flow, true, TcpAck, item.timeUs, {});
            break;
        }
        case ItemType::Data:
        case ItemType::Mirror: {
            const WireEvent e = capture.event(item.event);
            const WireBytes bytes(e);
            if (bytes.zeros)
                comments << tr("payload not kept (the capture's memory budget dropped it): written as %n zero byte(s)",
                    nullptr, int(std::min<qint64>(bytes.zeros, std::numeric_limits<int>::max())));
            const qint64 size = bytes.size();
            qint64 offset = 0;
            do {
                const qint64 length = std::min<qint64>(size - offset, flow.maxSegment());
                const bool lastSegment = offset + length >= size;
                buildPacket(packet, flow, item.fromClient, quint8(TcpAck | (lastSegment ? TcpPush : 0)), {}, &bytes,
                    offset, length);
                ok = writePacket(item.timeUs, offset == 0 ? comments : QStringList());
                offset += length;
            } while (ok && offset < size);
            break;
        }
        case ItemType::Close:
            // RFC 6455 §7.1.1: the server closes the TCP connection first.
            ok = segment(flow, false, TcpFin | TcpAck, item.timeUs, comments)
                && segment(flow, true, TcpFin | TcpAck, item.timeUs, {})
                && segment(flow, false, TcpAck, item.timeUs, {});
            break;
        case ItemType::Note:
            break;
        }
        if (!ok)
            return fail();
    }
    if (!w.flush())
        return fail();
    return true;
}
