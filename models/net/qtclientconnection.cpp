#include "net/qtclientconnection.h"

#include "log/eventtime.h"
#include "net/clientconnection.h"
#include "net/relayserver.h"
#include "protocol/closecodes.h"
#include "text/displaytext.h"
#include "text/sizeformat.h"
#include "text/utf8validator.h"

#include <QMetaEnum>
#include <QNetworkRequest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace {
// QWebSocket's own default, put back when the user asks for no fragmentation (0 crashes Qt 6.4).
constexpr quint64 QtDefaultOutgoingFrameSize = 512 * 1024;

template <typename Enum> QString enumKey(Enum value)
{
    const char *key = QMetaEnum::fromType<Enum>().valueToKey(int(value));
    return key ? QString::fromLatin1(key) : QString::number(int(value));
}

QString describeClose(bool seen, quint16 code, const QByteArray &reason)
{
    if (!seen)
        return QtClientConnection::tr("no close frame from the server");
    if (code == 0)
        return QtClientConnection::tr("a close frame without a status code");
    QString text = CloseCodes::label(code);
    if (!reason.isEmpty())
        text = QtClientConnection::tr("%1, reason %2").arg(text, DisplayText::quoted(reason));
    return text;
}

int statusOf(QByteArrayView response)
{
    // "HTTP/1.1 403 Forbidden"
    const qsizetype space = response.indexOf(' ');
    if (space < 0)
        return 0;
    bool ok = false;
    const int status = response.sliced(space + 1, qMin<qsizetype>(3, response.size() - space - 1)).toInt(&ok);
    return ok ? status : 0;
}
} // namespace

// The relay's events pass through here on their way to this connection's sinks.
class QtClientConnection::Relabel : public WireEventSink {
public:
    explicit Relabel(QtClientConnection *owner)
        : m_owner(owner)
    {
    }
    void record(const WireEvent &event) override
    {
        WireEvent e = event;
        // A frame the relay wrote itself (intercept: an edit, an injection) is neither
        // QWebSocket's nor the server's doing: nothing to compare with what QWebSocket reports.
        const bool writtenByRelay = e.kind == EventKind::Frame && e.direction == Direction::Outgoing;
        if (!m_owner->relabel(e))
            return;
        m_owner->emitEvent(e);
        if (!writtenByRelay)
            m_owner->noteWire(e);
    }

private:
    QtClientConnection *m_owner;
};

QtClientConnection::QtClientConnection(quint32 connectionId, QObject *parent)
    : ClientEngine(parent)
    , m_id(connectionId)
{
    m_notUpgradedTimer.setSingleShot(true);
    connect(&m_notUpgradedTimer, &QTimer::timeout, this, &QtClientConnection::checkNotUpgraded);
}

QtClientConnection::~QtClientConnection()
{
    // The socket first: its last signals must not reach a half-destroyed relay; then the relay,
    // whose session holds the Relabel sink as long as it lives.
    if (m_socket) {
        m_socket->disconnect(this);
        delete m_socket;
    }
    delete m_relay;
}

RelaySession *QtClientConnection::relaySession() const
{
    return m_session;
}

QUrl QtClientConnection::relayUrl() const
{
    return m_relay ? m_relay->url() : QUrl();
}

bool QtClientConnection::open(const ConnectionOptions &options)
{
    if (m_socket) {
        recordText(EventKind::Error, tr("open() called on a connection already in use"));
        return false;
    }
    m_options = options;
    const QString problem = ClientConnection::openProblem(options);
    if (!problem.isEmpty()) {
        m_error = problem;
        recordText(EventKind::Error, problem);
        m_closeCode = CloseCodes::AbnormalClosure;
        Q_EMIT errorOccurred(problem);
        return false;
    }

    RelayOptions relay;
    // The application's path and query are appended to `to`: QWebSocket asks for them itself, so
    // that its request line crosses the wire as it wrote it.
    relay.to = options.url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    relay.allowCertificateErrors = options.allowCertificateErrors;
    relay.tls = options.tls;
    relay.proxy = options.proxy;
    relay.handshakeTimeoutMs = options.handshakeTimeoutMs;
    relay.maxHandshakeBytes = options.maxHandshakeBytes;
    relay.maxResponseBodyBytes = options.maxResponseBodyBytes;
    relay.limits = options.limits;
    relay.applicationName = QStringLiteral("QWebSocket");
    relay.interceptable = options.interceptable;
    m_relay = new RelayServer(relay, this);
    m_relay->setIdAllocator([id = m_id] { return id; });
    connect(m_relay, &RelayServer::sessionStarted, this, &QtClientConnection::attach);
    if (!m_relay->listen()) {
        m_error = tr("cannot start the relay that watches QWebSocket: %1").arg(m_relay->errorString());
        recordText(EventKind::Error, m_error);
        m_closeCode = CloseCodes::AbnormalClosure;
        Q_EMIT errorOccurred(m_error);
        return false;
    }

    m_socket = new QWebSocket(options.origin, QWebSocketProtocol::VersionLatest, this);
    m_socket->setProxy(QNetworkProxy::NoProxy); // its relay is in this process; the relay goes through the proxy
    watchSocket();
    if (options.fragmentSize > 0)
        m_socket->setOutgoingFrameSize(quint64(options.fragmentSize));
    m_socket->setMaxAllowedIncomingFrameSize(options.limits.maxFrameSize);
    m_socket->setMaxAllowedIncomingMessageSize(options.limits.maxMessageSize);

    QUrl local = m_relay->url();
    local.setPath(options.url.path(QUrl::FullyEncoded).isEmpty() ? QStringLiteral("/")
                                                                  : options.url.path(QUrl::FullyEncoded),
        QUrl::TolerantMode);
    if (options.url.hasQuery())
        local.setQuery(options.url.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    QNetworkRequest request(local);
    for (const HttpHeader &header : options.headers)
        request.setRawHeader(header.name, header.value);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(options.subprotocols);

    m_state = ReadyState::Connecting;
    QStringList notes;
    if (options.deflate || !options.extensions.isEmpty())
        notes << tr("QWebSocket offers no extensions, so no permessage-deflate");
    if (!options.autoPong)
        notes << tr("QWebSocket always answers pings itself");
    if (!options.openingNote.isEmpty())
        notes << options.openingNote;
    WireEvent e;
    e.kind = EventKind::StateChange;
    e.state = ReadyState::Connecting;
    const QByteArray text = tr("CONNECTING with Qt's QWebSocket (Qt %1) to %2, watched through a relay at %3%4")
                                .arg(QString::fromLatin1(qVersion()), options.url.toDisplayString(),
                                    m_relay->url().authority(),
                                    notes.isEmpty() ? QString() : QStringLiteral("; ") + notes.join(QStringLiteral("; ")))
                                .toUtf8();
    e.payload = text;
    emitEvent(e);
    Q_EMIT stateChanged(m_state);
    m_socket->open(request, handshake);
    return true;
}

void QtClientConnection::watchSocket()
{
    QWebSocket *s = m_socket;
    auto call = [this](const char *signal, QJsonArray args = {}) {
        recordApi(ApiCall { QString::fromLatin1(signal), std::move(args), QString() });
    };
    connect(s, &QWebSocket::aboutToClose, this, [call] { call("aboutToClose"); });
    connect(s, &QWebSocket::connected, this, [this, call] {
        call("connected");
        Q_EMIT opened();
    });
    connect(s, &QWebSocket::disconnected, this, [this, s] {
        ApiCall api { QStringLiteral("disconnected"), {}, QString() };
        // What the API offers after the fact, read at once.
        api.args = { double(s->closeCode()), ApiCall::textArgument(s->closeReason()) };
        const quint16 reported = quint16(s->closeCode());
        if (m_serverCloseSeen) {
            const quint16 onWire = m_serverCloseCode ? m_serverCloseCode : quint16(CloseCodes::NoStatusReceived);
            if (reported != onWire || s->closeReason().toUtf8() != m_serverCloseReason)
                api.note = tr("closeCode() %1 and closeReason() %2, but the server's close frame said %3")
                               .arg(reported)
                               .arg(DisplayText::quoted(s->closeReason().toUtf8()),
                                   describeClose(true, m_serverCloseCode, m_serverCloseReason));
        } else if (reported != CloseCodes::AbnormalClosure && m_relayFinished) {
            api.note = tr("closeCode() %1, but %2").arg(reported).arg(describeClose(false, 0, {}));
        }
        recordApi(api);
        m_socketDone = true;
        finishIfDone();
    });
    connect(s, &QWebSocket::stateChanged, this,
        [call](QAbstractSocket::SocketState state) { call("stateChanged", { enumKey(state) }); });
    connect(s, &QWebSocket::readChannelFinished, this, [call] { call("readChannelFinished"); });
    connect(s, &QWebSocket::textFrameReceived, this, [call](const QString &frame, bool isLastFrame) {
        call("textFrameReceived", { ApiCall::textArgument(frame), isLastFrame });
    });
    connect(s, &QWebSocket::binaryFrameReceived, this, [call](const QByteArray &frame, bool isLastFrame) {
        call("binaryFrameReceived", { ApiCall::bytesArgument(frame), isLastFrame });
    });
    connect(s, &QWebSocket::textMessageReceived, this, [this, call](const QString &message) {
        call("textMessageReceived", { ApiCall::textArgument(message) });
        Q_EMIT messageReceived(Opcode::Text, message.toUtf8());
    });
    connect(s, &QWebSocket::binaryMessageReceived, this, [this, call](const QByteArray &message) {
        call("binaryMessageReceived", { ApiCall::bytesArgument(message) });
        Q_EMIT messageReceived(Opcode::Binary, message);
    });
    connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, s, call](QAbstractSocket::SocketError error) {
        call("error", { enumKey(error), s->errorString() });
        m_error = s->errorString();
        Q_EMIT errorOccurred(m_error);
        // Qt 6.4 stays in ConnectingState after refusing a handshake (a bad Sec-WebSocket-Accept, a
        // non-101 status): see whether it gets out of it by itself.
        if (s->state() == QAbstractSocket::ConnectingState && !m_notUpgradedTimer.isActive())
            m_notUpgradedTimer.start(NotUpgradedGraceMs);
    });
    connect(s, &QWebSocket::pong, this, [this, call](quint64 elapsedTime, const QByteArray &payload) {
        call("pong", { double(elapsedTime), ApiCall::bytesArgument(payload) });
        Q_EMIT pongReceived(payload);
    });
    connect(s, &QWebSocket::bytesWritten, this, [call](qint64 bytes) { call("bytesWritten", { double(bytes) }); });
}

void QtClientConnection::attach(RelaySession *session)
{
    // Only QWebSocket's own connection: another local program that found the port is turned away.
    const quint16 ours = m_socket ? m_socket->localPort() : 0;
    if (m_relabel || (ours != 0 && !session->appPeer().endsWith(QStringLiteral(":%1").arg(ours)))) {
        session->abort(tr("not the connection of this QWebSocket"));
        return;
    }
    m_relabel = std::make_unique<Relabel>(this);
    session->addSink(m_relabel.get());
    m_session = session;
    // One connection per engine: QWebSocket is the relay's only application.
    m_relay->stopListening();
}

bool QtClientConnection::relabel(WireEvent &e)
{
    const bool fromQt = e.leg == Leg::App;
    switch (e.kind) {
    case EventKind::HandshakeRequest:
        // Recorded on both legs; the server leg's copy is the one that crossed the wire. QWebSocket's
        // own is kept back until it is known whether the relay passed it on at all.
        if (fromQt) {
            m_heldRequest = e.payload.toByteArray();
            m_heldRequestTimeUs = e.timeUs;
            return false;
        }
        m_heldRequest.clear();
        break;
    case EventKind::HandshakeResponse:
        if (fromQt) {
            if (m_heldRequest.isEmpty() && m_responseStatus != 0)
                return false; // the server's answer, passed back: already shown
            // The relay answered QWebSocket itself (the server was unreachable, or the request bad).
            releaseHeldRequest();
            recordText(EventKind::Error,
                tr("the answer below is the inspector's relay's, not the server's: the request never reached the "
                   "server"));
            e.direction = Direction::Incoming;
        }
        break;
    case EventKind::Frame:
    case EventKind::Violation:
        // The relay records each side's frames as arriving on that side's leg; with intercept, what
        // it writes itself (an edited or injected message) is outgoing on the leg it goes to.
        // The relay numbers a frame of its own as the message it replaces; once both legs share one
        // lane, the two would read as one message, so the relay's frame stands alone.
        if (e.kind == EventKind::Frame && e.direction == Direction::Outgoing)
            e.messageId = 0;
        if (fromQt && e.direction == Direction::Incoming)
            e.direction = Direction::Outgoing;
        else if (fromQt && e.direction == Direction::Outgoing)
            e.direction = Direction::Incoming;
        e.relayDelayUs = WireEvent::NotRelayed;
        break;
    case EventKind::Intercept:
        return true; // its leg says which way the message was going (QWebSocket's side is the app)
    default:
        break;
    }
    e.leg = Leg::None;
    return true;
}

void QtClientConnection::releaseHeldRequest()
{
    if (m_heldRequest.isEmpty())
        return;
    WireEvent e;
    e.kind = EventKind::HandshakeRequest;
    e.direction = Direction::Outgoing;
    e.timeUs = m_heldRequestTimeUs;
    const QByteArray bytes = std::exchange(m_heldRequest, {});
    e.payload = bytes;
    emitEvent(e);
}

void QtClientConnection::noteWire(const WireEvent &e)
{
    switch (e.kind) {
    case EventKind::HandshakeResponse:
        if (m_responseStatus != 0)
            break;
        m_responseStatus = statusOf(e.payload);
        if (m_responseStatus != 101)
            m_notUpgradedTimer.start(NotUpgradedGraceMs);
        break;
    case EventKind::Frame:
        if (e.frame.opcode == Opcode::Close && e.direction == Direction::Incoming && !m_serverCloseSeen) {
            const ClosePayload close = ClosePayload::parse(e.payload);
            m_serverCloseSeen = true;
            m_serverCloseCode = close.hasCode ? close.code : 0;
            m_serverCloseReason = close.reason;
            Q_EMIT closeFrameReceived(m_serverCloseCode, m_serverCloseReason);
        } else if (e.frame.opcode == Opcode::Close && e.direction == Direction::Outgoing) {
            m_qtCloseSent = true;
        } else if (e.frame.opcode == Opcode::Ping && e.direction == Direction::Incoming) {
            ++m_serverPings;
        } else if (e.frame.opcode == Opcode::Pong && e.direction == Direction::Outgoing && m_serverPings > 0) {
            --m_serverPings;
            recordApi(ApiCall { QString::fromLatin1(ApiCall::NoSignal), {},
                tr("QWebSocket answered the server's ping with this pong by itself; it has no signal for an "
                   "incoming ping, so the application never learns of it (%1 of payload)")
                    .arg(SizeFormat::bytes(quint64(e.payload.size()))) });
        }
        break;
    case EventKind::Violation:
        Q_EMIT violationDetected(Violation::ruleId(e.violation), e.closeCode, QString::fromUtf8(e.payload));
        break;
    case EventKind::StateChange:
        if (e.state != m_state) {
            m_state = e.state;
            Q_EMIT stateChanged(m_state);
        }
        if (e.state == ReadyState::Closed) {
            m_relayFinished = true;
            releaseHeldRequest();
            // As the inspector's engine reports it: the server's close frame, or 1006 without one.
            m_closeCode = !m_serverCloseSeen ? quint16(CloseCodes::AbnormalClosure)
                : m_serverCloseCode          ? m_serverCloseCode
                                             : quint16(CloseCodes::NoStatusReceived);
            m_closeReason = QString::fromUtf8(m_serverCloseReason);
            m_wasClean = e.wasClean;
            // Qt 6.4 drops the TCP connection as soon as its own close frame is written.
            if (m_qtCloseSent && !m_serverCloseSeen && m_socketDone)
                recordApi(ApiCall { QString::fromLatin1(ApiCall::NoSignal), {},
                    tr("QWebSocket closed its TCP connection right after its close frame, without waiting for the "
                       "server's: the closing handshake was cut short (RFC 6455 \u00a77.1.1 has the client wait "
                       "for the server's close frame and let the server close TCP first)") });
            // QWebSocket may not have noticed yet; if it never opened a socket, it never will.
            if (m_socket && m_socket->state() == QAbstractSocket::UnconnectedState)
                m_socketDone = true;
            finishIfDone();
        }
        break;
    default:
        break;
    }
}

void QtClientConnection::checkNotUpgraded()
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectingState)
        return;
    const QString what = m_responseStatus == 101
        ? tr("QWebSocket refused the server's 101 answer")
        : tr("the server answered %1 instead of 101").arg(m_responseStatus);
    recordApi(ApiCall { QString::fromLatin1(ApiCall::NoSignal), { enumKey(m_socket->state()) },
        tr("%1, and %2 ms later QWebSocket still reports ConnectingState, with no disconnected(); the inspector "
           "drops the connection")
            .arg(what)
            .arg(NotUpgradedGraceMs) });
    if (m_error.isEmpty())
        m_error = tr("not upgraded: the server answered %1").arg(m_responseStatus);
    m_socket->abort();
}

void QtClientConnection::finishIfDone()
{
    if (m_closedEmitted || !m_relayFinished || !m_socketDone)
        return;
    m_closedEmitted = true;
    Q_EMIT closed(m_closeCode, m_closeReason, m_wasClean);
}

void QtClientConnection::setFragmentSize(qsizetype bytes)
{
    m_options.fragmentSize = qMax<qsizetype>(0, bytes);
    if (m_socket)
        m_socket->setOutgoingFrameSize(bytes > 0 ? quint64(bytes) : QtDefaultOutgoingFrameSize);
}

bool QtClientConnection::canSend(const char *what)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        return true;
    recordText(EventKind::Error, tr("%1 not sent: QWebSocket is not connected").arg(QLatin1String(what)));
    return false;
}

bool QtClientConnection::sendText(const QByteArray &utf8, Compression)
{
    if (!canSend("text message"))
        return false;
    if (!Utf8Validator::isValid(utf8))
        recordText(EventKind::Error,
            tr("QWebSocket sends text as a QString: the invalid UTF-8 in this message becomes U+FFFD before it is "
               "sent (the inspector's engine sends the bytes as they are)"));
    m_socket->sendTextMessage(QString::fromUtf8(utf8));
    return true;
}

bool QtClientConnection::sendBinary(const QByteArray &data, Compression)
{
    if (!canSend("binary message"))
        return false;
    m_socket->sendBinaryMessage(data);
    return true;
}

bool QtClientConnection::ping(const QByteArray &payload)
{
    if (!canSend("ping"))
        return false;
    m_socket->ping(payload);
    return true;
}

bool QtClientConnection::pong(const QByteArray &)
{
    return refuse(tr("pong not sent: QWebSocket has no way to send a pong of its own (it answers pings itself)"));
}

bool QtClientConnection::close(quint16 code, const QByteArray &reason)
{
    if (code == 0)
        return refuse(tr("close not sent: QWebSocket cannot send a close frame without a status code"));
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return canSend("close");
    if (!Utf8Validator::isValid(reason))
        recordText(EventKind::Error,
            tr("QWebSocket takes the close reason as a QString: its invalid UTF-8 becomes U+FFFD before it is sent"));
    m_socket->close(QWebSocketProtocol::CloseCode(code), QString::fromUtf8(reason));
    return true;
}

bool QtClientConnection::sendFrame(const FrameSpec &, bool)
{
    return refuse(tr("frame not sent: QWebSocket cannot send a hand-made frame; open the connection with the "
                     "inspector's engine to craft frames"));
}

bool QtClientConnection::sendRawBytes(const QByteArray &)
{
    return refuse(tr("bytes not sent: QWebSocket cannot send bytes outside a frame; open the connection with the "
                     "inspector's engine for that"));
}

void QtClientConnection::giveUp(const QString &reason)
{
    m_error = reason;
    recordText(EventKind::Error, reason);
    Q_EMIT errorOccurred(reason);
    abort();
}

void QtClientConnection::abort()
{
    if (m_socket)
        m_socket->abort();
    if (m_relay)
        m_relay->close();
    if (!m_relabel && m_socket && !m_relayFinished) {
        // QWebSocket never reached the relay: no session will say that the connection ended.
        m_relayFinished = m_socketDone = true;
        m_closeCode = CloseCodes::AbnormalClosure;
        WireEvent e;
        e.kind = EventKind::StateChange;
        e.state = m_state = ReadyState::Closed;
        e.closeCode = m_closeCode;
        const QByteArray text = tr("CLOSED: 1006 Abnormal Closure, wasClean=false, aborted before QWebSocket "
                                   "reached the relay")
                                    .toUtf8();
        e.payload = text;
        emitEvent(e);
        Q_EMIT stateChanged(m_state);
        finishIfDone();
    }
}

bool QtClientConnection::refuse(const QString &why)
{
    recordText(EventKind::Error, why);
    return false;
}

void QtClientConnection::recordApi(const ApiCall &call)
{
    WireEvent e;
    e.kind = EventKind::Api;
    e.state = m_state;
    const QByteArray json = call.toJson();
    e.payload = json;
    emitEvent(e);
}

void QtClientConnection::recordText(EventKind kind, const QString &text)
{
    WireEvent e;
    e.kind = kind;
    e.state = m_state;
    const QByteArray utf8 = text.toUtf8();
    e.payload = utf8;
    emitEvent(e);
}

void QtClientConnection::emitEvent(WireEvent &event)
{
    event.connectionId = m_id;
    if (event.timeUs == 0)
        event.timeUs = EventTime::nowUs();
    for (WireEventSink *sink : std::as_const(m_sinks))
        sink->record(event);
}
