#include "net/clientsession.h"

#include "net/keepalive.h"

#include "net/qtclientconnection.h"

#include "log/capturewriter.h"
#include "protocol/extensions.h"

#include <QMetaMethod>
#include <QTimer>

#include <limits>

namespace {
// Whether a 101 response (already checked by the connection, which opened) accepted permessage-deflate.
bool agreedDeflate(const QByteArray &response)
{
    ResponseParser parser(response.size() + 1, 0);
    if (parser.feed(response) != ResponseParser::Status::Complete)
        return false;
    const Extensions::Parsed parsed
        = Extensions::parse(HttpHeaderList::values(parser.response().headers, "Sec-WebSocket-Extensions"));
    for (const Extension &extension : parsed.list)
        if (extension.name.compare(PerMessageDeflate::Name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}
} // namespace

ClientSession::ClientSession(quint32 id, const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_kind(Kind::Client)
    , m_options(options)
    , m_capture(newCapture())
    , m_connection(ClientEngine::create(options.engine, id))
{
    m_state = ReadyState::Closed; // until started
    if (m_options.socketIo) {
        m_options.url = SocketIoClient::engineUrl(m_options.url);
        m_socketIo = std::make_unique<SocketIoClient>(*m_options.socketIo);
    }
    connectModels();
}

ClientSession::ClientSession(quint32 id, Relayed relayed, std::shared_ptr<Capture> capture, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_kind(Kind::Relay)
    , m_capture(std::move(capture))
    , m_relayed(std::move(relayed))
{
    m_options.url = m_relayed.target;
    connectModels();
    m_relayTitle = tr("app %1 \u21c4 %2").arg(m_relayed.appPeer, m_relayed.target.toDisplayString());
    m_relaySecure = ClientConnection::isSecure(m_relayed.target);
}

ClientSession::~ClientSession()
{
    // A relayed connection still running stops with its log (the request crosses threads).
    if (m_kind == Kind::Relay && m_state != ReadyState::Closed && m_relayed.abort)
        m_relayed.abort(tr("its log was removed"));
    // The connection is its thread's: it goes there, and is gone before its sink (this) is.
    if (ClientEngine *connection = std::exchange(m_connection, nullptr)) {
        QThread *thread = connection->thread();
        if (thread == QThread::currentThread() || !thread->isRunning())
            delete connection;
        else
            QMetaObject::invokeMethod(connection, [connection] { delete connection; }, Qt::BlockingQueuedConnection);
    }
}

void ClientSession::takeEvents(qsizetype limit)
{
    const qsizetype end = m_capture->count() - m_seen > limit ? m_seen + limit : m_capture->count();
    // Looked up once a slice: a flood's events are many.
    static const QMetaMethod messageSignal = QMetaMethod::fromSignal(&ClientSession::messageReceived);
    const bool receivers = isSignalConnected(messageSignal);
    for (; m_seen < end; ++m_seen) {
        const WireEvent event = m_capture->event(m_seen);
        m_stats.record(event);
        note(event);
        if (m_socketIo)
            answerSocketIo(m_seen, event);
        if (receivers && event.kind == EventKind::Frame && event.direction == Direction::Incoming && event.leg == Leg::None
            && event.frame.fin && event.messageId != 0)
            tellMessage(m_seen, event);
    }
}

void ClientSession::tellMessage(qsizetype index, const WireEvent &)
{
    const Capture::Message message = m_capture->message(index);
    if ((message.opcode == Opcode::Text || message.opcode == Opcode::Binary) && message.complete)
        Q_EMIT messageReceived(message.opcode, message.payload);
}

void ClientSession::answerSocketIo(qsizetype index, const WireEvent &event)
{
    if (event.kind != EventKind::Frame || event.direction != Direction::Incoming || !event.frame.fin || event.messageId == 0)
        return;
    const Capture::Message message = m_capture->message(index);
    if (message.opcode != Opcode::Text || !message.complete || message.dropped || (message.compressed && !message.inflated))
        return;
    for (const QByteArray &reply : m_socketIo->received(message.payload))
        sendText(reply);
}

bool ClientSession::emitSocketIo(const QByteArray &array, bool ack)
{
    if (!m_socketIo || !SocketIoClient::arrayProblem(array).isEmpty())
        return false;
    for (const QByteArray &message : m_socketIo->emitArray(array, ack))
        sendText(message);
    return true;
}

std::shared_ptr<Capture> ClientSession::newCapture()
{
    return std::shared_ptr<Capture>(new Capture, [](Capture *capture) {
        if (capture->thread() == QThread::currentThread())
            delete capture;
        else
            capture->deleteLater();
    });
}

bool ClientSession::relayCommand(std::function<void(RelaySession *)> command)
{
    if (!canIntercept())
        return false;
    if (m_kind == Kind::Relay) {
        m_relayed.command(std::move(command));
        return true;
    }
    return this->command([command = std::move(command)](ClientEngine *engine) {
        auto *qt = qobject_cast<QtClientConnection *>(engine);
        if (RelaySession *session = qt ? qt->relaySession() : nullptr)
            command(session);
    });
}

bool ClientSession::setIntercept(Leg from, bool holding, bool controlFrames, bool perFrame)
{
    return relayCommand([=](RelaySession *s) { s->setIntercept(from, holding, controlFrames, perFrame); });
}

bool ClientSession::forwardHeld(Leg from, quint32 hold, const std::optional<QByteArray> &edited)
{
    return relayCommand([=](RelaySession *s) { s->forwardHeld(from, hold, edited); });
}

bool ClientSession::dropHeld(Leg from, quint32 hold)
{
    return relayCommand([=](RelaySession *s) { s->dropHeld(from, hold); });
}

bool ClientSession::forwardAllHeld(Leg from)
{
    return relayCommand([=](RelaySession *s) { s->forwardAllHeld(from); });
}

bool ClientSession::inject(Leg toward, const FrameSpec &frame)
{
    return relayCommand([=](RelaySession *s) { s->inject(toward, frame); });
}

void ClientSession::connectModels()
{
    m_log.setCapture(m_capture.get());
    m_decoding.setCapture(m_capture.get());
    m_log.setDecoding(&m_decoding);
    m_timeline.setCapture(m_capture.get());
    connect(&m_log, &MessageLogModel::rowsAppended, this, &ClientSession::changed);
    connect(m_capture.get(), &Capture::grown, this, &ClientSession::takeNewEvents);
    // Every event is noted before Clear forgets it: the state and the counters stay true.
    connect(m_capture.get(), &Capture::aboutToClear, this,
        [this] { takeEvents(std::numeric_limits<qsizetype>::max()); });
    connect(m_capture.get(), &Capture::cleared, this, [this] { m_seen = 0; });
    // What a relay wrote before this session was made.
    if (m_kind == Kind::Relay)
        QMetaObject::invokeMethod(this, &ClientSession::takeNewEvents, Qt::QueuedConnection);
}

void ClientSession::takeNewEvents()
{
    m_scanQueued = false;
    takeEvents(ScanSlice);
    if (m_seen < m_capture->count() && !m_scanQueued) {
        m_scanQueued = true;
        QTimer::singleShot(0, this, &ClientSession::takeNewEvents);
    }
}

QString ClientSession::title() const
{
    switch (m_kind) {
    case Kind::File:
        return m_recordNotFile ? QStringLiteral("#%1 %2").arg(m_id).arg(m_fileName)
                               : tr("#%1 %2 (file)").arg(m_id).arg(m_fileName);
    case Kind::Relay:
        return QStringLiteral("#%1 %2").arg(m_id).arg(m_relayTitle);
    case Kind::Client:
        break;
    }
    if (m_options.engine == ConnectionOptions::Engine::Qt)
        return tr("#%1 %2 (QWebSocket)").arg(m_id).arg(m_options.url.toString());
    return QStringLiteral("#%1 %2").arg(m_id).arg(m_options.url.toString());
}

ReadyState ClientSession::readyState() const
{
    return m_kind == Kind::File ? ReadyState::Closed : m_state;
}

QString ClientSession::errorString() const
{
    return m_lastError;
}

QByteArray ClientSession::handshakeKey() const
{
    RequestParser parser(m_handshakeRequest.size() + 1);
    if (parser.feed(m_handshakeRequest) != RequestParser::Status::Complete)
        return {};
    return HttpHeaderList::value(parser.request().headers, "Sec-WebSocket-Key");
}

bool ClientSession::isSecure() const
{
    return m_kind == Kind::Relay ? m_relaySecure : ClientConnection::isSecure(m_options.url);
}

void ClientSession::setFileName(const QString &fileName)
{
    m_kind = Kind::File;
    m_fileName = fileName;
    delete std::exchange(m_connection, nullptr); // never started: still on this thread
}

void ClientSession::setRecordName(const QString &name)
{
    setFileName(name);
    m_recordNotFile = true;
}

void ClientSession::start(QThread *network)
{
    if (!m_connection)
        return;
    m_state = ReadyState::Connecting; // what its first events will say, unless it cannot start
    Q_EMIT changed();
    if (m_options.keepAliveMs > 0) {
        // A child of the connection: it moves to the connection's thread with it.
        auto *keepAlive = new KeepAlive(m_connection, m_options.keepAliveMs, m_options.pongTimeoutMs, m_connection);
        connect(m_connection, &ClientEngine::opened, keepAlive, &KeepAlive::start);
    }
    if (network) {
        m_connection->addSink(new CaptureWriter(m_capture, m_connection));
        m_connection->moveToThread(network);
    } else {
        m_connection->addSink(m_capture.get());
    }
    command([options = m_options](ClientEngine *connection) { connection->open(options); });
}

bool ClientSession::command(std::function<void(ClientEngine *)> command)
{
    if (!m_connection)
        return false;
    ClientEngine *connection = m_connection;
    // On this thread at once; otherwise in order on the connection's, before it can be deleted.
    QMetaObject::invokeMethod(connection, [connection, command = std::move(command)] { command(connection); });
    return true;
}

bool ClientSession::sendText(const QByteArray &utf8, qsizetype fragmentSize, Compression compression)
{
    return command([=](ClientEngine *connection) {
        connection->setFragmentSize(fragmentSize);
        connection->sendText(utf8, compression);
    });
}

bool ClientSession::sendBinary(const QByteArray &data, qsizetype fragmentSize, Compression compression)
{
    return command([=](ClientEngine *connection) {
        connection->setFragmentSize(fragmentSize);
        connection->sendBinary(data, compression);
    });
}

bool ClientSession::ping(const QByteArray &payload)
{
    return command([=](ClientEngine *connection) { connection->ping(payload); });
}

bool ClientSession::pong(const QByteArray &payload)
{
    return command([=](ClientEngine *connection) { connection->pong(payload); });
}

bool ClientSession::close(quint16 code, const QByteArray &reason)
{
    m_closedByUser = true;
    return command([=](ClientEngine *connection) { connection->close(code, reason); });
}

bool ClientSession::sendFrames(const QList<FrameSpec> &frames, bool compressPayload)
{
    return command([=](ClientEngine *connection) {
        for (const FrameSpec &spec : frames)
            connection->sendFrame(spec, compressPayload);
    });
}

void ClientSession::setReconnectNote(const QString &note, bool pending)
{
    if (note == m_reconnectNote && pending == m_reconnectPending)
        return;
    m_reconnectNote = note;
    m_reconnectPending = pending;
    Q_EMIT changed();
}

void ClientSession::disconnectFromPeer()
{
    if (!m_closedByUser) {
        m_closedByUser = true;
        Q_EMIT changed(); // a Reconnector waiting for its next attempt stops
    }
    if (m_state == ReadyState::Closed)
        return; // nothing to close: only a reconnect to stop
    if (m_connection)
        close(1000);
    else if (m_kind == Kind::Relay && m_state != ReadyState::Closed && m_relayed.abort)
        m_relayed.abort(tr("disconnected by the user"));
}

void ClientSession::abort()
{
    m_closedByUser = true;
    if (m_connection && m_state != ReadyState::Closed)
        command([](ClientEngine *connection) { connection->abort(); });
    else if (m_kind == Kind::Relay && m_state != ReadyState::Closed && m_relayed.abort)
        m_relayed.abort(tr("its log was removed"));
}

void ClientSession::note(const WireEvent &event)
{
    m_held.note(event);
    // A relay: the application's request and the server's answer are the handshake to show.
    const bool relayed = event.leg != Leg::None;
    if (event.kind == EventKind::HandshakeRequest && m_handshakeRequest.isEmpty()
        && (!relayed || event.leg == Leg::App))
        m_handshakeRequest = event.payload.toByteArray();
    else if (event.kind == EventKind::HandshakeResponse && m_handshakeResponse.isEmpty()
        && (!relayed || event.leg == Leg::Server))
        m_handshakeResponse = event.payload.toByteArray();
    if (m_kind == Kind::File)
        return;
    ReadyState state = m_state;
    if (event.kind == EventKind::StateChange) {
        m_stateKnown = true;
        state = event.state;
        if (state == ReadyState::Open && m_kind == Kind::Client)
            m_compressionAgreed = agreedDeflate(m_handshakeResponse);
    } else if (event.kind == EventKind::Error) {
        m_lastError = event.text();
        // A connection that could not even start (a bad URL) says so in an error, with its state.
        if (!m_stateKnown)
            state = event.state;
    }
    if (state != m_state) {
        m_state = state;
        Q_EMIT changed();
    }
    // The request as passed on names the server's path: the title shows where it really went.
    if (m_kind == Kind::Relay && event.kind == EventKind::HandshakeRequest && event.leg == Leg::Server
        && m_relayHandshakes.serverRequest.isEmpty()) {
        const QList<QByteArray> requestLine = event.payload.toByteArray().left(8192).split('\n').first().split(' ');
        if (requestLine.size() >= 2 && requestLine[1].startsWith('/')) {
            QUrl upstream = m_relayed.target;
            upstream.setPath(QString());
            upstream.setQuery(QString());
            m_options.url = upstream.resolved(QUrl::fromEncoded(requestLine[1]));
            m_relayTitle = tr("app %1 \u21c4 %2").arg(m_relayed.appPeer, m_options.url.toDisplayString());
        }
    }
    if (relayed && (event.kind == EventKind::HandshakeRequest || event.kind == EventKind::HandshakeResponse)) {
        const bool request = event.kind == EventKind::HandshakeRequest;
        QByteArray &kept = event.leg == Leg::App
            ? (request ? m_relayHandshakes.appRequest : m_relayHandshakes.appResponse)
            : (request ? m_relayHandshakes.serverRequest : m_relayHandshakes.serverResponse);
        if (kept.isEmpty())
            kept = event.payload.toByteArray();
    }
}

void ClientSession::adoptHandshakeFromCapture()
{
    // A session without legs has one handshake; a relayed one, one per leg (record() sorts them).
    for (const Leg leg : { Leg::None, Leg::App, Leg::Server }) {
        for (const EventKind kind : { EventKind::HandshakeRequest, EventKind::HandshakeResponse }) {
            const qsizetype index = m_capture->firstOfKind(kind, leg);
            if (index >= 0)
                note(m_capture->event(index));
        }
    }
}
